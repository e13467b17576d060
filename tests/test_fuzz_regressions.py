"""Every failure ``python -m bench.fuzz`` found, kept as a test named after what broke.

Each test replays the minimal example Hypothesis shrank the failure to (or
the smallest input that shows the same fault). While a bug is open its test
is marked ``xfail(strict=True)`` with the cause and the suggested fix; the
mark goes when the fix lands, and the test then pins the fixed behaviour.

Found and fixed so far (fixes in commit 65405ec):

- the time line overflowed ``datetime`` for a first day at the calendar's
  edges (``epg parse --date 9999-12-31`` or ``--date 0001-01-01`` died with
  OverflowError);
- the XMLTV reader overflowed on a huge ``<length>`` and on a start in year
  9999 or year 1 (each a 500 from ``POST /api/import``); found in review while
  reproducing those: it took ``"²"`` for a number (ValueError) and kept
  episode numbers the store cannot hold (another 500).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from epg.cli import main
from epg.errors import ValidationError
from epg.schedule import read_schedule
from epg.service import Service
from epg.store import Store
from feeds.xmltv_reader import XmltvImport, read_xmltv

# --- epg/timeline.py: a first day at the edge of the calendar -----------------------------------------------------


@pytest.mark.parametrize(("text", "first_day"), [
    (b"12:00A\n0:00a", date(9999, 12, 31)),  # past midnight off the end: day += 1 (timeline.py:86)
    (b"0:00A", date(1, 1, 1)),  # midnight Moscow on 1 January of year 1 is before datetime.min in UTC (:54)
])
def test_parser_at_the_edges_of_the_calendar_does_not_overflow(text: bytes, first_day: date) -> None:
    # The fuzzer's minimal examples; both raised OverflowError: date value out of range.
    schedule = read_schedule(text, first_day, ZoneInfo("Europe/Moscow"))
    assert schedule.programmes == []
    assert any(d.severity == "error" and first_day.isoformat() in d.message for d in schedule.diagnostics)


def test_epg_parse_on_the_last_day_of_the_calendar_is_a_usage_error_not_a_traceback() -> None:
    result = CliRunner().invoke(main, ["parse", "-", "--date", "9999-12-31", "--tz", "Europe/Moscow"],
                                input="23:00 Late\n")
    assert result.exit_code == 2, result.output
    assert "--date" in result.output
    assert not isinstance(result.exception, OverflowError)


# --- feeds/xmltv_reader.py: numbers and times beyond what datetime and the store can hold -------------------------

def xmltv(programme_inner: str, start: str = "20220101000000 +0000") -> bytes:
    """The smallest guide: one channel, one programme with ``programme_inner`` after its title."""
    return (f'<tv><channel id="a.b"><display-name>A</display-name></channel><programme start="{start}" '
            f'channel="a.b"><title>x</title>{programme_inner}</programme></tv>').encode()


def repairs(found: XmltvImport) -> list[str]:
    return [d.message for d in found.repairs]


@pytest.mark.parametrize("value", ["99999999999999999999", "88888888888888"])
def test_xmltv_length_too_large_for_a_timedelta_is_reported_not_raised(value: str) -> None:
    # Was OverflowError from timedelta(seconds=int(text) * unit): 'Python int too large to convert to C int'.
    found = read_xmltv(xmltv(f'<length units="seconds">{value}</length>'))
    [programme] = found.programmes["a.b"]
    assert programme.stop_estimated
    assert any("<length>" in m and "ignored" in m for m in repairs(found))


def test_xmltv_length_in_superscript_digits_is_reported_not_raised() -> None:
    # Was ValueError: "²".isdigit() is true, int("²") is not a number.
    found = read_xmltv(xmltv('<length units="seconds">²</length>'))
    assert len(found.programmes["a.b"]) == 1
    assert any("<length> '²'" in m for m in repairs(found))


@pytest.mark.parametrize("start", ["99991231235959 -1400", "99991231230000 +0000", "00010101000000 +1400"])
def test_xmltv_start_at_the_edge_of_time_is_reported_not_raised(start: str) -> None:
    # Was OverflowError (date value out of range) from start + length, start + 60 min or astimezone().
    found = read_xmltv(xmltv("", start=start))
    assert found.programmes["a.b"] == []
    assert any("programme skipped" in m and start in m for m in repairs(found))


def test_xmltv_import_with_an_episode_number_too_large_to_store_is_not_a_500(tmp_path: Path) -> None:
    # Was a 500: SQLite's OverflowError ('Python int too large to convert to SQLite INTEGER') is no DBAPIError.
    store = Store(f"sqlite:///{tmp_path / 'epg.sqlite3'}")
    store.create_schema()
    service = Service(store)
    token = service.create_token("fuzz")
    body = xmltv('<episode-num system="xmltv_ns">99999999999999999999.0.</episode-num>')
    with TestClient(create_app(service=service), raise_server_exceptions=False) as client:
        response = client.post("/api/import", content=body,
                               headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"})
    store.close()
    assert response.status_code == 200, response.text
    assert response.json()["programmes"] == 1
    assert any("episode number" in r["message"] for r in response.json()["repairs"])


# --- found by schemathesis: feed windows at the ends of the calendar -------------------------------------------------

@pytest.mark.parametrize("params", [{"from": "0001-01-01"}, {"from": "9999-12-31", "days": "2"},
                                    {"from": "1899-12-31"}, {"from": "2200-01-01"}])
@pytest.mark.parametrize("path", ["/api/guide", "/xmltv.xml", "/ical/bigasia.ru.ics"])
def test_a_feed_window_off_the_calendar_is_a_422_naming_from(client: TestClient, path: str,
                                                              params: dict[str, str]) -> None:
    # Was a 500: /api/guide?days=1&from=0001-01-01 overflowed subtracting two days for the day bounds.
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "from" in response.text and "1900–2199" in response.text


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00Z", "0001-01-01T01:00:00+03:00", "9999-12-31T23:59:00Z"])
def test_instants_at_the_ends_of_the_calendar_are_refused_and_the_store_finds_nothing_there(
        service: Service, client: TestClient, at: str) -> None:
    moment = datetime.fromisoformat(at)
    with pytest.raises(ValidationError, match="years 1900–2199") as refused:
        service.now_next(moment)
    assert refused.value.field == "at"
    response = client.get("/api/now", params={"at": at})
    assert response.status_code == 422 and "1900–2199" in response.text
    # The store itself, asked directly, treats a bound off the calendar as no bound.
    assert service.store.programmes_between(service.store.list_channels(), moment, None) == {"bigasia.ru": []}
    assert service.store.search("новости", service.store.list_channels(), moment, None) == []
