"""``epg export`` writes XMLTV as the server does (issue 14): the same stored pieces, the same bytes, bounded memory."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from lxml import etree

import feeds.pieces
from api.app import create_app
from api.routes import feeds as feed_routes
from epg.cli import main
from epg.models import Channel, Guide
from epg.service import Service
from epg.store import Store
from tests.conftest import BIGASIA, Clock

DAY = date(2022, 1, 7)
LONDON = Channel(id="news.example.tv", name="News", tz="Europe/London", lang="en", day_start="06:00")
PLUS2 = Channel(id="plus2.bigasia.ru", name="Большая Азия +2", tz="Asia/Yekaterinburg", shift_of="bigasia.ru",
                shift_hours=2)
EMPTY = Channel(id="empty.example.tv", name="Empty", tz="UTC")
EVENING = "16:55 История дракона 12+\n17:00 Китайская панорама 12+\n18:00 Новости 12+\n"
MORNING = "06:00 Breakfast\n09:00 The Wright Stuff\n23:30 Newsnight\n01:00 Close\n"


@pytest.fixture
def guide(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    """Four channels (one a timeshift, one empty), days with gaps between them; the CLI on the same database."""
    service = Service(Store(store_url), clock=Clock())
    service.store.create_schema()
    for channel in (BIGASIA, LONDON, PLUS2, EMPTY):
        service.add_channel(channel)
    for n in (0, 1, 3):  # day 2 missing: day 1's last programme keeps its assumed stop
        service.publish_text(BIGASIA.id, DAY + timedelta(days=n), EVENING.encode(), principal=None)
    for n in (1, 2):
        service.publish_text(LONDON.id, DAY + timedelta(days=n), MORNING.encode(), principal=None)
    monkeypatch.setenv("EPG_DATABASE_URL", store_url)
    yield service
    service.store.close()


def export(*args: str) -> bytes:
    result = CliRunner().invoke(main, ["export", *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout_bytes


def served(service: Service, **params: object) -> bytes:
    with TestClient(create_app(service=service)) as client:
        answer = client.get("/xmltv.xml", params=params)
    assert answer.status_code == 200, answer.text
    return answer.content


def test_the_whole_guide_exported_is_the_feed_of_every_stored_day_byte_for_byte(guide: Service) -> None:
    exported = export("--format", "xmltv")

    # Big Asia's days 0–3, the timeshift's a day either side of them, London's 1–2: one window covers all.
    assert exported == served(guide, **{"from": (DAY - timedelta(days=1)).isoformat(), "days": 6})
    document = etree.fromstring(exported)
    assert [c.get("id") for c in document.iter("channel")] == [BIGASIA.id, LONDON.id, PLUS2.id]
    assert len(document.findall(f"programme[@channel='{LONDON.id}']")) == 8


def test_broadcast_days_of_some_channels_are_the_feed_of_the_same_selection(guide: Service,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    window = {"from": "2022-01-08", "days": 2, "channels": f"{LONDON.id},{BIGASIA.id}"}
    cold = export("--from", "2022-01-08", "--days", "2", "--broadcast-days",
                  "--channel", LONDON.id, "--channel", BIGASIA.id.upper())  # rendered now, kept in the database
    monkeypatch.setattr(feed_routes, "WHOLE_FEED_SLOTS", 0)  # the streamed feed, not the kept whole one

    assert cold == served(guide, **window)
    assert export("--from", "2022-01-08", "--days", "2", "--broadcast-days",
                  "--channel", LONDON.id, "--channel", BIGASIA.id) == cold  # now from stored pieces


def test_export_reads_pieces_the_server_stored_and_renders_none(guide: Service,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = served(guide, **{"from": "2022-01-06", "days": 6})
    calls: list[object] = []
    real = feeds.pieces.render_xmltv
    monkeypatch.setattr(feeds.pieces, "render_xmltv", lambda slot, items: calls.append(slot) or real(slot, items))

    assert export() == first
    assert [slot.channel.id for slot in calls] == [PLUS2.id] * 6  # only the timeshift's, which are never stored


def test_a_guide_is_listed_and_read_a_batch_at_a_time(guide: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = export("--format", "xmltv")
    listed: list[int] = []
    loaded: list[int] = []
    day_slots, slot_programmes = Service.day_slots, Service.slot_programmes

    def listing(self: Service, ids: list[str] | None, first: date, days: int) -> object:
        listed.append(len(ids or []))
        return day_slots(self, ids, first, days)

    def loading(self: Service, slots: list[object]) -> object:
        loaded.append(len(slots))
        return slot_programmes(self, slots)  # type: ignore[arg-type]

    monkeypatch.setattr(Service, "day_slots", listing)
    monkeypatch.setattr(Service, "slot_programmes", loading)
    monkeypatch.setattr(feeds.pieces, "CHANNEL_BATCH", 1)
    monkeypatch.setattr(feeds.pieces, "BATCH", 2)

    assert export("--format", "xmltv") == whole
    assert listed and max(listed) == 1  # never every channel's slots at once
    assert loaded and max(loaded) <= 2


def test_a_utc_window_still_cuts_programmes_by_the_clock(guide: Service) -> None:
    """``--from`` without ``--broadcast-days`` keeps its meaning: programmes overlapping days counted in UTC."""
    exported = etree.fromstring(export("--from", "2022-01-08", "--days", "1", "--channel", BIGASIA.id))

    # 2022-01-08 in UTC holds Big Asia's evening of the 8th (Moscow, UTC+3) and nothing of the 7th or the 10th.
    assert [p.get("start") for p in exported.iter("programme")] == [
        "20220108165500 +0300", "20220108170000 +0300", "20220108180000 +0300"]


def test_nothing_stored_exports_an_empty_guide(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EPG_DATABASE_URL", f"sqlite:///{tmp_path}/epg.sqlite3")

    document = etree.fromstring(export())

    assert document.tag == "tv" and len(document) == 0


def test_broadcast_days_are_for_xmltv_only(guide: Service) -> None:
    result = CliRunner().invoke(main, ["export", "--format", "json", "--from", "2022-01-07", "--broadcast-days"])

    assert result.exit_code == 2 and "--broadcast-days" in result.stderr


def test_json_written_a_channel_at_a_time_is_pydantics_document_byte_for_byte(guide: Service) -> None:
    from feeds.jsonfeed import GuideOut, write_json

    whole = guide.guide()
    for channels in ([], whole.channels[:1], whole.channels):
        part = Guide(channels=channels)
        assert write_json(part) == GuideOut.of(part).model_dump_json(indent=2).encode("utf-8") + b"\n"
    assert export("--format", "json") == write_json(whole)
