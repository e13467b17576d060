"""Regression tests for the attacks of issue 15 (items 1–5), each named after what broke.

Every test here failed before its fix: a gzip element bomb grew the server
by gigabytes, one long line hung the parser for minutes, junk lines came
back (and were stored) as hundreds of megabytes of diagnostics, an empty
channel list made an all-channel token, and a repeated channel id made the
guide answer hundreds of megabytes. None asserts on time: work is counted.
"""

from __future__ import annotations

import gzip
import html
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from epg import ratings
from epg.diagnostics import MAX_DIAGNOSTICS, capped
from epg.models import Diagnostic
from epg.schedule import read_schedule
from epg.service import Service
from feeds import xmltv_reader
from feeds.xmltv_reader import read_xmltv
from tests.test_api import DAY_URL, FOUR, HISTORY_URL, assert_nothing_stored, assert_problem, put_day

GUIDE_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<tv>\n<channel id="bomb.test"><display-name>B</display-name>'
              b'</channel>\n<programme channel="bomb.test" start="20240101060000 +0000" stop="20240101070000 +0000">'
              b"<title>Morning</title></programme>\n")


# -- 1. gzip element bomb -------------------------------------------------------------------------------------------

def test_gzip_bomb_unpacking_past_the_guide_limit_is_refused_and_nothing_stored(
        client: TestClient, auth: dict[str, str], service: Service) -> None:
    junk = b"<x-junk>" + b"<i>padding padding</i>" * (service.max_guide_bytes // 22 + 1) + b"</x-junk></tv>"
    body = gzip.compress(GUIDE_HEAD + junk)
    assert len(body) < service.max_guide_bytes  # small on the wire, large unpacked

    response = client.post("/api/import", content=body, headers={**auth, "Content-Type": "application/gzip"})

    problem = assert_problem(response, 413)
    assert "unpacked" in str(problem["detail"])
    assert client.get("/api/channels/bomb.test").status_code == 404


def test_unknown_elements_after_the_last_programme_are_let_go_as_they_are_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    contexts: list[Any] = []
    real = etree.iterparse

    def keep_context(*args: Any, **kwargs: Any) -> Any:
        contexts.append(real(*args, **kwargs))
        return contexts[-1]

    monkeypatch.setattr(xmltv_reader.etree, "iterparse", keep_context)
    unknown = b"<x-junk><i>a</i><i>b</i></x-junk>" * 5000 + b"<x-deep>" + b"<i>c</i>" * 5000 + b"</x-deep>"

    guide = read_xmltv(GUIDE_HEAD + unknown + b"</tv>")

    assert [p.title for p in guide.programmes["bomb.test"]] == ["Morning"]
    root = contexts[0].root
    assert len(root) <= 2 and sum(1 for _ in root.iter()) <= 4  # not 25,000 elements held until the end
    reported = [r.message for r in guide.repairs if "not an XMLTV element" in r.message]
    assert sorted(reported) == ["<x-deep> is not an XMLTV element; ignored",
                                "<x-junk> is not an XMLTV element; ignored (5000 times, first here)"]


def test_a_guide_of_made_up_element_names_reports_a_bounded_number_of_kinds() -> None:
    names = b"".join(b"<x-%d/>" % n for n in range(5 * MAX_DIAGNOSTICS))

    guide = read_xmltv(GUIDE_HEAD + names + b"</tv>")

    assert len(guide.repairs) <= 2 * MAX_DIAGNOSTICS + 10
    assert any("more like this" in r.message for r in guide.repairs)


# -- 2. a line the parser took quadratic time over ------------------------------------------------------------------

def test_a_line_of_330_000_times_is_read_with_its_quotes_scanned_a_bounded_number_of_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    scans = 0
    real = ratings._positions

    def counted(text: str, char: str) -> list[int]:
        nonlocal scans
        scans += 1
        return real(text, char)

    monkeypatch.setattr(ratings, "_positions", counted)
    line = "06:00 " + "12:00 " * 330_000 + "«Вечер»"

    read_schedule(line.encode(), date(2024, 1, 1), ZoneInfo("Europe/Moscow"))

    assert scans <= 16  # a fixed number of scans of the line, not one per time in it (that was 330,000 × 2 MB)


def _inside_by_counting(text: str, at: int) -> bool:
    """The definition: more quotes opened than closed before ``at``, and one closed after it."""
    return any(text.count(o, 0, at) > text.count(c, 0, at) and c in text[at:] for o, c in (("«", "»"), ("“", "”")))


@given(st.text(alphabet="«»“”a ", max_size=40), st.data())
def test_quotes_answer_as_counting_would(text: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert ratings.Quotes(text).inside(at) == _inside_by_counting(text, at)


# -- 3. diagnostics amplification -----------------------------------------------------------------------------------

def test_junk_lines_give_a_capped_answer_and_a_capped_revision(client: TestClient, auth: dict[str, str]) -> None:
    text = "16:55 История дракона 12+\n" + "".join(f"junk line {n} of nothing\n" for n in range(3000))

    response = put_day(client, auth, text)

    assert response.status_code == 200, response.text
    answered = response.json()["diagnostics"]
    assert MAX_DIAGNOSTICS <= len(answered) <= MAX_DIAGNOSTICS + 5
    summaries = [d for d in answered if "more like this" in d["message"]]
    assert summaries and sum(int(d["message"].split()[0]) for d in summaries) == 3000 + 1 - MAX_DIAGNOSTICS
    [revision] = client.get(HISTORY_URL, headers=auth).json()
    assert len(revision["diagnostics"]) == len(answered)


def test_capped_keeps_the_first_in_full_and_counts_the_rest_by_kind() -> None:
    items = [Diagnostic(line=n, severity="info", message=f"Skipped “row {n}”: not a programme.") for n in range(1, 301)]
    items.append(Diagnostic(line=301, severity="warning", message="gap of 42 minutes"))

    result = capped(items, limit=100)

    assert result[:100] == items[:100]
    assert [d.message for d in result[100:]] == ["200 more like this (not listed): Skipped “row 101”: not a programme.",
                                                 "1 more like this (not listed): gap of 42 minutes"]
    assert [d.line for d in result[100:]] == [101, 301]


def test_revisions_come_a_page_at_a_time(client: TestClient, auth: dict[str, str]) -> None:
    for n in range(3):
        assert put_day(client, auth, f"1{n}:00 Выпуск {n}\n").status_code == 200

    first = client.get(HISTORY_URL, params={"limit": 2})
    second = client.get(first.links["next"]["url"])

    assert [r["number"] for r in first.json()] == [1, 2]
    assert [r["number"] for r in second.json()] == [3]
    assert "next" not in second.links


# -- 4. an empty channel list made an all-channel token -------------------------------------------------------------

def test_a_token_for_no_channels_is_refused(client: TestClient, auth: dict[str, str], service: Service) -> None:
    response = client.post("/api/tokens", json={"name": "x", "channels": []},
                           headers={"Authorization": auth["Authorization"]})

    assert "channels" in str(assert_problem(response, 422)["detail"])
    assert [t["name"] for t in service.tokens()] == ["operator"]
    with pytest.raises(Exception, match="empty channel list"):
        service.create_token("y", [])


def test_a_token_names_its_channels_as_stored_however_they_were_typed(
        client: TestClient, auth: dict[str, str]) -> None:
    response = client.post("/api/tokens", json={"name": "news", "channels": ["BigAsia.RU"]},
                           headers={"Authorization": auth["Authorization"]})

    assert response.status_code == 201, response.text
    assert response.json()["channels"] == ["bigasia.ru"]
    limited = {**auth, "Authorization": f"Bearer {response.json()['token']}"}
    assert put_day(client, limited).status_code == 200


# -- 5. repeated channel ids ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/guide", "/xmltv.xml"])
def test_a_channel_named_5000_times_is_served_once(client: TestClient, auth: dict[str, str], path: str) -> None:
    assert put_day(client, auth).status_code == 200
    ids = ",".join(["bigasia.ru", "BIGASIA.RU"] * 2500)

    once = client.get(path, params={"channels": "bigasia.ru", "from": "2022-01-07", "days": 1})
    repeated = client.get(path, params={"channels": ids, "from": "2022-01-07", "days": 1})

    assert repeated.status_code == 200
    assert repeated.content == once.content


def test_more_channel_ids_than_the_limit_is_a_problem_naming_the_parameter(client: TestClient) -> None:
    ids = ",".join(f"c{n}.test" for n in range(1001))

    problem = assert_problem(client.get("/api/guide", params={"channels": ids}), 422)

    assert "channels" in str(problem)


def test_nothing_is_stored_by_a_refused_guide(client: TestClient) -> None:
    assert_nothing_stored(client)
    assert DAY_URL.endswith("2022-01-07")


# -- 6. numbers past what the store holds were 500s -----------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", HISTORY_URL + "/99999999999999999999"),
    ("GET", DAY_URL + "/diff?from=1&to=9223372036854775808"),
    ("GET", DAY_URL + "/diff?from=99999999999999999999"),
    ("POST", HISTORY_URL + "/99999999999999999999/rollback"),
])
def test_a_revision_number_past_the_store_is_a_problem_naming_it(
        client: TestClient, auth: dict[str, str], method: str, path: str) -> None:
    assert put_day(client, auth).status_code == 200

    problem = assert_problem(client.request(method, path, headers=auth), 422)

    assert problem["field"] in ("number", "from", "to")


def test_a_huge_gap_allowance_is_refused_and_publishing_goes_on(client: TestClient, auth: dict[str, str]) -> None:
    channel = client.get("/api/channels/bigasia.ru").json()
    bearer = {"Authorization": auth["Authorization"]}

    response = client.put("/api/channels/bigasia.ru", json={**channel, "max_gap_minutes": 2**62}, headers=bearer)

    assert_problem(response, 422)
    assert put_day(client, auth).status_code == 200


def test_an_if_match_naming_a_revision_past_the_store_is_a_problem(client: TestClient, auth: dict[str, str]) -> None:
    etag = put_day(client, auth).headers["ETag"]
    parts = etag.strip('"').split("/")
    huge = '"' + "/".join([*parts[:2], "9" * 30, *parts[3:]]) + '"'

    assert_problem(put_day(client, auth, **{"If-Match": huge}), 422)


# -- 7. URLs and headers --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value", [("url", "javascript:alert(1)"), ("icon", "data:image/svg+xml,<svg/>"),
                                          ("stream_url", "javascript:alert(1)"), ("url", "https://a b.example/")])
def test_a_channel_link_that_is_not_a_web_address_is_refused(
        client: TestClient, auth: dict[str, str], field: str, value: str) -> None:
    channel = client.get("/api/channels/bigasia.ru").json()

    response = client.put("/api/channels/bigasia.ru", json={**channel, field: value},
                          headers={"Authorization": auth["Authorization"]})

    assert field in str(assert_problem(response, 422))
    assert client.get("/api/channels/bigasia.ru").json()[field] is None


def test_a_multicast_stream_is_a_stream(client: TestClient, auth: dict[str, str]) -> None:
    channel = client.get("/api/channels/bigasia.ru").json()

    response = client.put("/api/channels/bigasia.ru", json={**channel, "stream_url": "udp://@239.0.0.1:1234"},
                          headers={"Authorization": auth["Authorization"]})

    assert response.status_code == 200, response.text
    assert "udp://@239.0.0.1:1234" in client.get("/playlist.m3u").text


def test_an_imported_channel_icon_that_is_not_a_web_address_is_dropped_with_a_repair() -> None:
    guide = read_xmltv(GUIDE_HEAD.replace(b"<display-name>B</display-name>",
                                          b'<display-name>B</display-name><icon src="javascript:alert(1)"/>')
                       + b"</tv>")

    assert guide.channels[0].icon is None
    assert any("javascript" in r.message and "dropped" in r.message for r in guide.repairs)


def test_a_line_break_in_a_calendar_path_never_reaches_a_header(client: TestClient, auth: dict[str, str]) -> None:
    assert put_day(client, auth).status_code == 200

    response = client.get("/ical/bigasia.ru,%0d%0a.ics", params={"from": "2022-01-07"})

    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'inline; filename="bigasia.ru.ics"'


def test_the_shared_playlist_never_names_the_callers_host(client: TestClient, auth: dict[str, str]) -> None:
    channel = client.get("/api/channels/bigasia.ru").json()
    client.put("/api/channels/bigasia.ru", json={**channel, "stream_url": "https://stream.example/a.m3u8"},
               headers={"Authorization": auth["Authorization"]})

    body = client.get("/playlist.m3u", headers={"Host": "evil.example"}).text

    assert "evil.example" not in body
    assert "https://stream.example/a.m3u8" in body


# -- 8. control characters ------------------------------------------------------------------------------------------

def test_control_characters_in_text_are_read_as_spaces_with_a_warning() -> None:
    text = "10:00 Новости\x00 дня\n11:00 Погода\x0bзавтра\n12:00 Кино\u2028Вечер\n13:00 Спорт\x7f\x85Итоги\n"

    schedule = read_schedule(text.encode(), date(2024, 1, 1), ZoneInfo("Europe/Moscow"))

    assert [(p.title, p.line) for p in schedule.programmes] == [
        ("Новости дня", 1), ("Погода завтра", 2), ("Кино Вечер", 3), ("Спорт Итоги", 4)]
    [warning] = [d for d in schedule.diagnostics if "control character" in d.message]
    assert warning.line == 1 and warning.message.startswith("5 control character(s)")


def test_no_control_character_reaches_a_calendar(client: TestClient, auth: dict[str, str]) -> None:
    channel = client.get("/api/channels/bigasia.ru").json()
    client.put("/api/channels/bigasia.ru", json={**channel, "name": "Big\x01Asia\x7f"},
               headers={"Authorization": auth["Authorization"]})
    assert put_day(client, auth).status_code == 200

    body = client.get("/ical/bigasia.ru.ics", params={"from": "2022-01-07"}).content

    assert b"BigAsia" in body
    assert not [b for b in body if (b < 32 and b not in (9, 10, 13)) or b == 127]


# -- 9. disclosure ---------------------------------------------------------------------------------------------------

def test_the_public_sees_the_grid_but_not_who_published_nor_the_skipped_lines(
        client: TestClient, auth: dict[str, str]) -> None:
    assert put_day(client, auth, "Секретная заметка редактора\n16:55 История дракона 12+\n").status_code == 200
    bearer = {"Authorization": auth["Authorization"]}

    public = [client.get(HISTORY_URL).json()[0], client.get(HISTORY_URL + "/1").json()["revision"],
              client.get(DAY_URL).json()["revision"]]
    operator = [client.get(HISTORY_URL, headers=bearer).json()[0],
                client.get(HISTORY_URL + "/1", headers=bearer).json()["revision"],
                client.get(DAY_URL, headers=bearer).json()["revision"]]

    assert all(r["author"] is None and r["diagnostics"] == [] for r in public)
    assert all(r["author"] == "operator" and "Секретная" in str(r["diagnostics"]) for r in operator)
    assert client.get(HISTORY_URL + "/1").json()["diagnostics"] == []
    assert "Секретная" not in client.get("/channel/bigasia.ru", params={"date": "2022-01-07"}).text
    assert client.get(HISTORY_URL, headers={"Authorization": "Bearer wrong"}).status_code == 401


# -- 18, 19. what the URL says and what the body is ------------------------------------------------------------------

def test_a_url_day_the_text_headers_contradict_is_refused_naming_both(client: TestClient, auth: dict[str, str]) -> None:
    text = "Четверг, 6 января\n16:55 История дракона 12+\n"

    refused = put_day(client, auth, text)  # the URL names 2022-01-07
    allowed = put_day(client, auth, text, url=DAY_URL + "?days=from-text")

    problem = assert_problem(refused, 422)
    assert "2022-01-07" in str(problem["detail"]) and "2022-01-06" in str(problem["detail"])
    assert allowed.status_code == 200, allowed.text
    assert client.get(DAY_URL).status_code == 404  # nothing for the URL's day: the text's own day got it
    assert client.get(DAY_URL.replace("07", "06")).json()["programmes"][0]["title"] == "История дракона"


@pytest.mark.parametrize("body", [b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, gzip.compress(b"16:55 News\n"),
                                  bytes((n * 7919) % 256 for n in range(4096))])
@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream"])
def test_binary_bodies_are_415_not_mojibake(client: TestClient, auth: dict[str, str], body: bytes,
                                           content_type: str) -> None:
    response = put_day(client, auth, body, **{"Content-Type": content_type})

    assert "not schedule text" in str(assert_problem(response, 415)["detail"])
    assert_nothing_stored(client)


# -- 21. one channel id however it is typed ---------------------------------------------------------------------------

def test_a_channel_id_is_the_same_channel_however_it_is_typed(client: TestClient, auth: dict[str, str],
                                                              service: Service) -> None:
    limited = {**auth, "Authorization": f"Bearer {service.create_token('news', ['BigAsia.RU'])}"}

    assert put_day(client, limited, url=DAY_URL.replace("bigasia.ru", "BIGASIA.ru")).status_code == 200
    assert client.get("/api/channels/BigAsia.Ru").status_code == 200
    assert client.delete("/api/channels/BIGASIA.RU", headers=auth).status_code == 204
    assert client.get("/api/channels/bigasia.ru").status_code == 404


# -- 10. retries ------------------------------------------------------------------------------------------------------

def test_a_retried_upload_makes_no_second_revision_and_says_so(client: TestClient, auth: dict[str, str]) -> None:
    first = put_day(client, auth)
    retry = put_day(client, auth)
    changed = put_day(client, auth, "16:55 История дракона 12+\n")

    assert first.status_code == retry.status_code == changed.status_code == 200
    assert retry.headers["ETag"].split("/")[2] == first.headers["ETag"].split("/")[2]  # the same revision
    assert "Nothing published" in retry.json()["diagnostics"][0]["message"]
    assert [r["number"] for r in client.get(HISTORY_URL).json()] == [1, 2]


def test_a_retry_with_its_idempotency_key_gets_the_first_publish_and_no_second_revision(
        client: TestClient, auth: dict[str, str]) -> None:
    # The client published into an empty day (If-None-Match: *), timed out, and sends the same request again:
    # without the key the retry would be a 412 it cannot tell from someone else's publish.
    first = put_day(client, auth, **{"If-None-Match": "*", "Idempotency-Key": "0b6c2f1e-retry"})
    retry = put_day(client, auth, **{"If-None-Match": "*", "Idempotency-Key": "0b6c2f1e-retry"})
    unkeyed = put_day(client, auth, **{"If-None-Match": "*"})

    assert first.status_code == retry.status_code == 200
    assert "Idempotent-Replayed" not in first.headers
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["programmes"] == first.json()["programmes"]
    assert retry.headers["ETag"].split("/")[2] == first.headers["ETag"].split("/")[2]
    assert_problem(unkeyed, 412)
    assert [r["number"] for r in client.get(HISTORY_URL).json()] == [1]


def test_an_idempotency_key_still_answers_the_first_publish_after_a_later_one(
        client: TestClient, auth: dict[str, str]) -> None:
    first = put_day(client, auth, **{"Idempotency-Key": "k-1"})
    put_day(client, auth, "16:55 История дракона 12+\n")
    late_retry = put_day(client, auth, **{"Idempotency-Key": "k-1"})

    assert late_retry.headers["Idempotent-Replayed"] == "true"
    assert late_retry.json()["revision"]["number"] == first.json()["revision"]["number"] == 1
    assert [r["number"] for r in client.get(HISTORY_URL).json()] == [1, 2]


def test_an_idempotency_key_reused_for_other_text_is_refused_and_nothing_stored(
        client: TestClient, auth: dict[str, str]) -> None:
    put_day(client, auth, **{"Idempotency-Key": "k-2"})

    reused = put_day(client, auth, "16:55 История дракона 12+\n", **{"Idempotency-Key": "k-2"})

    assert assert_problem(reused, 422)["field"] == "Idempotency-Key"
    assert [r["number"] for r in client.get(HISTORY_URL).json()] == [1]


def test_idempotency_keys_are_each_tokens_own(client: TestClient, auth: dict[str, str], service: Service) -> None:
    other = {**auth, "Authorization": f"Bearer {service.create_token('second operator')}"}
    put_day(client, auth, **{"Idempotency-Key": "shared"})

    theirs = put_day(client, other, "16:55 История дракона 12+\n", **{"Idempotency-Key": "shared"})

    assert theirs.status_code == 200 and "Idempotent-Replayed" not in theirs.headers
    assert [r["number"] for r in client.get(HISTORY_URL).json()] == [1, 2]


@pytest.mark.parametrize("key", ["", "с пробелом и кириллицей", "x" * 256])
def test_an_idempotency_key_that_is_not_printable_ascii_is_a_problem_naming_it(
        client: TestClient, auth: dict[str, str], key: str) -> None:
    response = client.put(DAY_URL, content=FOUR.encode(), headers={**auth, "Idempotency-Key": key.encode()})

    assert assert_problem(response, 422)["field"] == "Idempotency-Key"
    assert_nothing_stored(client)


def test_a_retried_import_with_its_idempotency_key_is_answered_again_not_imported_again(
        client: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "application/xml", "Idempotency-Key": "import-1"}
    first = client.post("/api/import", content=GUIDE_HEAD + b"</tv>\n", headers=headers)
    retry = client.post("/api/import", content=GUIDE_HEAD + b"</tv>\n", headers=headers)

    assert first.status_code == retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["days"] == first.json()["days"]
    assert [r["number"] for r in client.get("/api/channels/bomb.test/days/2024-01-01/revisions").json()] == [1]


def test_a_precondition_failure_names_the_revision_numbers_history_shows(
        client: TestClient, auth: dict[str, str]) -> None:
    for other_day in ("2022-01-05", "2022-01-06"):  # so that revision ids and numbers differ
        put_day(client, auth, url=DAY_URL.replace("2022-01-07", other_day))
    first = put_day(client, auth)
    put_day(client, auth, "16:55 История дракона 12+\n")

    stale = put_day(client, auth, "17:00 Китайская панорама 12+\n", **{"If-Match": first.headers["ETag"]})

    detail = str(assert_problem(stale, 412)["detail"])
    internal_id = first.headers["ETag"].split("/")[2]
    assert internal_id != "1"
    assert "since revision 1: revision 2 by operator" in detail
    assert f"revision {internal_id}" not in detail


def test_a_javascript_link_stored_before_links_were_checked_is_never_served(client: TestClient,
                                                                             service: Service) -> None:
    from sqlalchemy import update

    from epg.tables import channels

    with service.store._begin(write=True) as conn:  # a row written by an older version
        conn.execute(update(channels).where(channels.c.id == "bigasia.ru").values(url="javascript:alert(1)"))

    assert client.get("/api/channels/bigasia.ru").json()["url"] is None
    assert "javascript:" not in client.get("/channel/bigasia.ru").text


# -- 23. problem types ------------------------------------------------------------------------------------------------

def test_every_problem_type_is_a_page_that_explains_it(client: TestClient) -> None:
    from api.errors import kinds, problem_type

    for kind, (status, text) in kinds().items():
        page = client.get(problem_type(kind))
        assert page.status_code == 200, kind
        assert f"{status} " in page.text and text.split(".")[0] in html.unescape(page.text), kind
    assert {"not-found", "unparseable", "conflict", "internal", "method-not-allowed"} <= set(kinds())


def test_problems_the_framework_answers_have_types_of_the_same_scheme(client: TestClient, auth: dict[str, str]) -> None:
    answers = {
        404: client.get("/api/no-such-thing"),
        405: client.patch("/api/now"),
        412: put_day(client, auth, **{"If-Match": '"bigasia.ru/2022-01-07/1/x"'}),
        422: client.get("/api/guide", params={"from": "yesterday"}),
        415: client.post("/api/import", content=b"x", headers={**auth, "Content-Type": "image/png"}),
    }

    for status, response in answers.items():
        kind = assert_problem(response, status)["type"]
        assert str(kind).startswith("/problems/"), (status, kind)
        assert client.get(str(kind)).status_code == 200, kind


def test_an_unknown_problem_kind_is_a_not_found_problem(client: TestClient) -> None:
    assert_problem(client.get("/problems/no-such-kind"), 404)
