"""History, diff, rollback, sources and search through the service and over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from api.routes import feeds
from epg.models import Channel
from epg.schedule import read_schedule
from epg.service import Service
from tests.conftest import FOUNDING_PAGE

DAY = date(2022, 1, 7)
URL = "/api/channels/bigasia.ru/days/2022-01-07"
FIRST = "16:55 История дракона 12+\n17:00 Китайская панорама 12+\n18:00 Новости 12+\n"
SECOND = "16:55 История дракона 12+\n17:10 Китайская панорама 12+\n18:00 Вести 12+\n18:30 Погода 0+\n"


def publish(client: TestClient, auth: dict[str, str], text: str) -> None:
    response = client.put(URL, content=text.encode(), headers=auth)
    assert response.status_code == 200, response.text


def test_history_lists_every_publish_with_author(client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    publish(client, auth, SECOND)
    history = client.get(URL + "/revisions", headers=auth).json()  # authors are for operators
    assert [(r["number"], r["source"], r["author"]) for r in history] == [(1, "text", "operator"),
                                                                          (2, "text", "operator")]
    old = client.get(URL + "/revisions/1").json()
    assert [p["title"] for p in old["programmes"]] == ["История дракона", "Китайская панорама", "Новости"]


def test_diff_names_added_removed_moved_and_retitled(client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    publish(client, auth, SECOND)
    body = client.get(URL + "/diff", params={"from": 1}).json()
    assert [p["title"] for p in body["added"]] == ["Погода"]
    assert body["removed"] == []
    changes = {c["after"]["title"]: c["changes"] for c in body["changed"]}
    assert changes["Китайская панорама"] == ["moved"]
    assert changes["Вести"] == ["moved", "retitled"]  # it also ends earlier now: Погода follows it


def test_rollback_publishes_the_old_revision_again_with_the_same_ids(
        client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    first_ids = [p["id"] for p in client.get(URL).json()["programmes"]]
    publish(client, auth, SECOND)
    response = client.post(URL + "/revisions/1/rollback", headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["revision"]["number"] == 3
    current = client.get(URL).json()["programmes"]
    assert [p["title"] for p in current] == ["История дракона", "Китайская панорама", "Новости"]
    assert [p["id"] for p in current] == first_ids
    assert client.get(URL + "/diff", params={"from": 1}).json() == {"added": [], "removed": [], "changed": []}


def test_rollback_needs_a_token_and_an_existing_revision(client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    assert client.post(URL + "/revisions/1/rollback").status_code == 401
    missing = client.post(URL + "/revisions/9/rollback", headers=auth)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert len(client.get(URL + "/revisions").json()) == 1


def test_the_raw_upload_is_kept_byte_for_byte(service: Service) -> None:
    data = FOUNDING_PAGE.read_bytes()
    published = service.publish_text("bigasia.ru", DAY, data, principal=None)
    revision = published.grids[0].revision
    assert revision is not None
    assert service.store.raw_input(revision.id) == data


def test_the_highest_priority_source_wins_where_it_has_programmes_and_says_so(service: Service) -> None:
    channel = service.channel("bigasia.ru")
    imported = read_schedule("06:00 Импорт\n07:00 Импорт 2\n", DAY, channel.zoneinfo).programmes
    service.store.publish(channel, {DAY: imported}, raw=b"<tv/>", content_type="application/xml",
                          source="xmltv", author="import", diagnostics=[], now=service.clock())
    assert service.day("bigasia.ru", DAY).source == "xmltv"
    service.publish_text("bigasia.ru", DAY, FIRST.encode(), principal=None)
    grid = service.day("bigasia.ru", DAY)  # both sources: merged, the text first (see tests/test_merge.py)
    assert grid.source == "merged"
    assert [(p.title, p.provenance.source if p.provenance else None) for p in grid.programmes] == [
        ("Импорт", "xmltv"), ("Импорт 2", "xmltv"), ("История дракона", "text"), ("Китайская панорама", "text"),
        ("Новости", "text")]
    assert grid.programmes[1].stop == grid.programmes[2].start  # an assumed stop gives way
    service.update_channel(channel.model_copy(update={"sources": ["xmltv", "text"]}))
    assert [p.provenance.source if p.provenance else None for p in service.day("bigasia.ru", DAY).programmes] == [
        "xmltv", "xmltv", "text", "text", "text"]
    guide = service.guide()
    assert [p.title for p in guide.channels[0].programmes] == [
        "Импорт", "Импорт 2", "История дракона", "Китайская панорама", "Новости"]


def test_search_finds_current_programmes_by_word_prefix(client: TestClient, auth: dict[str, str],
                                                        service: Service) -> None:
    service.add_channel(Channel(id="other.example.tv", name="Other", tz="Europe/Berlin"))
    publish(client, auth, FIRST)
    hits = client.get("/api/search", params={"q": "китайск"}).json()
    assert [(h["channel"]["id"], h["programme"]["title"]) for h in hits] == [("bigasia.ru", "Китайская панорама")]
    publish(client, auth, SECOND)  # Новости is retitled: the old revision must not be found
    assert client.get("/api/search", params={"q": "новости"}).json() == []
    assert [h["programme"]["title"] for h in client.get("/api/search", params={"q": "вести"}).json()] == ["Вести"]
    assert client.get("/api/search", params={"q": "вести", "channels": "other.example.tv"}).json() == []
    assert client.get("/api/search", params={"q": "+++"}).json() == []
    assert client.get("/api/search", params={"q": "вести", "from": "2022-01-07T10:00:00"}).status_code == 422


def test_a_programme_by_id_and_its_calendar_event(client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    first = client.get(URL).json()["programmes"][0]
    detail = client.get(f"/api/programmes/{first['id']}").json()
    assert (detail["channel"]["id"], detail["programme"]["title"]) == ("bigasia.ru", "История дракона")
    event = client.get(f"/api/programmes/{first['id']}.ics")
    assert event.headers["content-type"].startswith("text/calendar")
    assert event.text.count("BEGIN:VEVENT") == 1
    assert client.get("/api/programmes/nope").status_code == 404


def test_channels_and_tokens_are_managed_with_an_all_channel_token(client: TestClient, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    channel = {"id": "new.example.tv", "name": "New", "tz": "Asia/Almaty"}
    assert client.post("/api/channels", json=channel).status_code == 401
    assert client.post("/api/channels", json=channel, headers=auth).status_code == 201
    assert client.post("/api/channels", json=channel, headers=auth).status_code == 409
    bad = client.post("/api/channels", json={**channel, "id": "no dots/here"}, headers=auth)
    assert bad.status_code == 422 and "no space" in bad.text
    made = client.post("/api/tokens", json={"name": "limited", "channels": ["new.example.tv"]}, headers=auth).json()
    limited = {"Authorization": f"Bearer {made['token']}"}
    assert client.post("/api/tokens", json={"name": "x"}, headers=limited).status_code == 403
    assert client.delete("/api/channels/new.example.tv", headers=limited).status_code == 403
    names = [t["name"] for t in client.get("/api/tokens", headers=auth).json()]
    assert names == ["limited", "operator"] and "token" not in client.get("/api/tokens", headers=auth).text
    assert client.delete("/api/tokens/limited", headers=auth).status_code == 204
    assert client.get("/api/channels/new.example.tv", headers=limited).status_code == 200  # reads stay public
    assert client.delete("/api/channels/new.example.tv", headers=limited).status_code == 401  # revoked
    assert client.delete("/api/channels/new.example.tv", headers=auth).status_code == 204
    assert client.get("/api/channels/new.example.tv").status_code == 404


def test_a_browser_form_file_upload_publishes(client: TestClient, token: str) -> None:
    files = {"file": ("schedule.txt", FIRST.encode("cp1251"), "text/plain")}
    response = client.put(URL, files=files, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert [p["title"] for p in response.json()["programmes"]][:2] == ["История дракона", "Китайская панорама"]
    assert any("cp1251" in d["message"] for d in response.json()["diagnostics"])


def test_a_form_without_a_text_file_is_refused(client: TestClient, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    image = client.put(URL, files={"file": ("a.png", b"\x89PNG", "image/png")}, headers=headers)
    assert image.status_code == 415 and image.json()["field"] == "file"
    empty = client.put(URL, files={"other": ("a.txt", b"18:00 x", "text/plain")}, headers=headers)
    assert empty.status_code == 422
    assert client.get(URL + "/revisions").json() == []


def test_head_gives_the_headers_of_get_without_a_body(client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    for path in ("/xmltv.xml?from=2022-01-07", URL, "/api/now", "/ical/bigasia.ru.ics?from=2022-01-07"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == 200, path
        assert head.content == b""
        assert head.headers.get("etag") == get.headers.get("etag")
        assert head.headers.get("content-length") == get.headers.get("content-length")  # None when streamed


def test_feeds_are_open_to_web_players_on_other_origins(client: TestClient) -> None:
    response = client.get("/api/now", headers={"Origin": "https://player.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/xmltv.xml", headers={"Origin": "https://player.example",
                                                      "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200


def test_filtered_calendars_keep_the_channel_feeds_uids(client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, "16:55 История дракона 12+\n17:00 Китайская панорама 12+\n18:00 Кино 18+\n"
                          "20:00 История дракона 12+\n")
    feed = "/ical/bigasia.ru.ics"
    everything = client.get(feed, params={"from": "2022-01-07"}).text

    def uids(text: str) -> list[str]:
        return [line.split(":", 1)[1] for line in text.split("\r\n") if line.startswith("UID:") and "@" in line]

    series = client.get(feed, params={"from": "2022-01-07", "title": "история дракона"}).text
    assert series.count("BEGIN:VEVENT") == 2 and set(uids(series)) <= set(uids(everything))
    assert "X-WR-CALNAME:Большая Азия — история дракона" in series
    kids = client.get(feed, params={"from": "2022-01-07", "max_age": 12}).text
    assert kids.count("BEGIN:VEVENT") == 3 and "Кино" not in kids
    reminded = client.get(feed, params={"from": "2022-01-07", "q": "панорама", "remind": 10}).text
    assert reminded.count("BEGIN:VALARM") == 1 and "TRIGGER:-PT10M" in reminded
    assert client.get(feed, params={"max_age": -1}).status_code == 422


def test_the_playlist_lists_channels_with_streams(client: TestClient, token: str, service: Service) -> None:
    channel = service.channel("bigasia.ru").model_copy(update={"stream_url": "https://stream.example/ba.m3u8"})
    service.update_channel(channel)
    text = client.get("/playlist.m3u").text
    assert text.startswith("#EXTM3U\n")  # no guide address but a configured one (EPG_BASE_URL)
    assert 'tvg-id="bigasia.ru"' in text and "https://stream.example/ba.m3u8" in text
    service.base_url = "https://tv.example"
    assert client.get("/playlist.m3u").text.startswith('#EXTM3U url-tvg="https://tv.example/xmltv.xml.gz"')


def test_xmltv_pieces_are_rendered_once_per_revision(client: TestClient, auth: dict[str, str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "WHOLE_FEED_SLOTS", 0)  # every feed made from pieces, none kept whole
    publish(client, auth, FIRST)
    cache = client.app.state.pieces  # type: ignore[attr-defined]
    first = client.get("/xmltv.xml", params={"from": "2022-01-07", "days": 1})
    misses = cache.misses
    again = client.get("/xmltv.xml", params={"from": "2022-01-07", "days": 1})
    assert again.content == first.content and cache.misses == misses and cache.hits >= 1
    publish(client, auth, SECOND)
    changed = client.get("/xmltv.xml", params={"from": "2022-01-07", "days": 1})
    assert b"\xd0\x9f\xd0\xbe\xd0\xb3\xd0\xbe\xd0\xb4\xd0\xb0" in changed.content  # "Погода", published just now
    assert changed.headers["etag"] != first.headers["etag"]


def test_publishing_the_next_day_ends_the_last_programme_in_the_cached_feed(
        client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    params = {"from": "2022-01-07", "days": 1}
    before = client.get("/xmltv.xml", params=params).text
    assert 'start="20220107180000 +0300" stop="20220107190000 +0300"' in before  # 60 minutes assumed
    next_day = client.put("/api/channels/bigasia.ru/days/2022-01-08", content="06:00 Утро\n".encode(), headers=auth)
    assert next_day.status_code == 200
    after = client.get("/xmltv.xml", params=params).text
    assert 'start="20220107180000 +0300" stop="20220108060000 +0300"' in after


def test_the_token_in_use_can_be_checked(client: TestClient, token: str) -> None:
    assert client.get("/api/whoami", headers={"Authorization": f"Bearer {token}"}).json() == {
        "name": "operator", "channels": None}
    assert client.get("/api/whoami", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_if_none_match_star_publishes_only_a_new_day(client: TestClient, auth: dict[str, str]) -> None:
    first = client.put(URL, content=FIRST.encode(), headers={**auth, "If-None-Match": "*"})
    assert first.status_code == 200
    again = client.put(URL, content=SECOND.encode(), headers={**auth, "If-None-Match": "*"})
    assert again.status_code == 412
    assert [p["title"] for p in client.get(URL).json()["programmes"]][-1] == "Новости"


def test_rollback_with_a_stale_if_match_changes_nothing(client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    etag = client.get(URL).headers["etag"]
    publish(client, auth, SECOND)
    stale = client.post(URL + "/revisions/1/rollback", headers={**auth, "If-Match": etag})
    assert stale.status_code == 412
    assert len(client.get(URL + "/revisions").json()) == 2
    fresh = client.post(URL + "/revisions/1/rollback", headers={**auth, "If-Match": client.get(URL).headers["etag"]})
    assert fresh.status_code == 200


def test_diff_uses_the_feed_shape_of_programmes(client: TestClient, auth: dict[str, str]) -> None:
    publish(client, auth, FIRST)
    publish(client, auth, SECOND.replace("Погода 0+", "Погода 6+"))
    added = client.get(URL + "/diff", params={"from": 1}).json()["added"][0]
    assert (added["title"], added["age_rating"], added["min_age"]) == ("Погода", "6+", 6)
