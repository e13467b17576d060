"""The HTTP API through FastAPI's TestClient, over a real store (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from lxml import etree

from api.app import create_app
from epg.models import Channel
from epg.service import Service
from epg.store import Store
from tests.conftest import FOUNDING_PAGE, XMLTV_DTD, Clock

DAY_URL = "/api/channels/bigasia.ru/days/2022-01-07"
HISTORY_URL = DAY_URL + "/revisions"
PROBLEM = "application/problem+json"
FOUR = (
    "16:55 История дракона 12+\n"
    "17:00 Китайская панорама 12+\n"
    "17:15 Жажда странствий. Иордания 12+\n"
    "18:00 Новости 12+\n"
)
OTHER = Channel(id="other.channel", name="Другой канал", tz="Europe/Moscow", number="2")


def put_day(client: TestClient, auth: dict[str, str], text: str | bytes = FOUR,
            url: str = DAY_URL, **headers: str) -> httpx.Response:
    body = text.encode("utf-8") if isinstance(text, str) else text
    return client.put(url, content=body, headers={**auth, **headers})


def published(client: TestClient, auth: dict[str, str], text: str | bytes = FOUR) -> httpx.Response:
    response = put_day(client, auth, text)
    assert response.status_code == 200, response.text
    return response


def titles(response: httpx.Response) -> list[str]:
    return [p["title"] for p in response.json()["programmes"]]


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


def assert_nothing_stored(client: TestClient) -> None:
    assert client.get(HISTORY_URL).json() == []
    assert client.get(DAY_URL).status_code == 404


# -- reading channels and days ------------------------------------------------


def test_channels_are_listed(client: TestClient) -> None:
    response = client.get("/api/channels")

    assert response.status_code == 200
    [channel] = response.json()
    assert {k: channel[k] for k in ("id", "name", "tz", "lang", "day_start", "number")} == {
        "id": "bigasia.ru", "name": "Большая Азия", "tz": "Europe/Moscow", "lang": "ru",
        "day_start": "05:00:00", "number": "1",
    }


def test_one_channel_is_read_by_id(client: TestClient) -> None:
    response = client.get("/api/channels/bigasia.ru")

    assert response.status_code == 200
    assert response.json()["name"] == "Большая Азия"


def test_unknown_channel_is_a_404_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/api/channels/nowhere.tv"), 404)

    assert "nowhere.tv" in str(body["detail"])


def test_day_is_404_before_publishing(client: TestClient) -> None:
    body = assert_problem(client.get(DAY_URL), 404)

    assert "2022-01-07" in str(body["detail"])


def test_day_has_the_contract_fields_after_publishing(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)

    response = client.get(DAY_URL)

    assert response.status_code == 200
    day = response.json()
    assert day["date"] == "2022-01-07"
    assert day["channel"]["id"] == "bigasia.ru"
    assert day["revision"]["number"] == 1
    contract = ["start", "stop", "title", "sub_title", "age_rating", "min_age", "categories", "season",
                "episode", "premiere", "live", "line"]
    assert [{k: p[k] for k in contract} for p in day["programmes"]] == [
        {"start": "2022-01-07T16:55:00+03:00", "stop": "2022-01-07T17:00:00+03:00",
         "title": "История дракона", "sub_title": None, "age_rating": "12+", "min_age": 12,
         "categories": [], "season": None, "episode": None, "premiere": False, "live": False, "line": 1},
        {"start": "2022-01-07T17:00:00+03:00", "stop": "2022-01-07T17:15:00+03:00",
         "title": "Китайская панорама", "sub_title": None, "age_rating": "12+", "min_age": 12,
         "categories": [], "season": None, "episode": None, "premiere": False, "live": False, "line": 2},
        {"start": "2022-01-07T17:15:00+03:00", "stop": "2022-01-07T18:00:00+03:00",
         "title": "Жажда странствий", "sub_title": "Иордания", "age_rating": "12+", "min_age": 12,
         "categories": [], "season": None, "episode": None, "premiere": False, "live": False, "line": 3},
        {"start": "2022-01-07T18:00:00+03:00", "stop": "2022-01-07T19:00:00+03:00",
         "title": "Новости", "sub_title": None, "age_rating": "12+", "min_age": 12,
         "categories": [], "season": None, "episode": None, "premiere": False, "live": False, "line": 4},
    ]
    assert all(p["id"] for p in day["programmes"])


def test_bad_date_in_the_url_is_a_422_problem(client: TestClient) -> None:
    body = assert_problem(client.get("/api/channels/bigasia.ru/days/2022-13-07"), 422)

    assert "day" in str(body["detail"])


def test_history_lists_each_publish(client: TestClient, auth: dict[str, str], clock: Clock) -> None:
    published(client, auth)
    clock.now = clock.now.replace(minute=5)
    published(client, auth, FOUR + "19:00 Фильм\n")

    history = client.get(HISTORY_URL, headers=auth).json()  # authors are for operators

    assert [(r["number"], r["author"], r["created"]) for r in history] == [
        (1, "operator", "2022-01-07T14:00:00Z"), (2, "operator", "2022-01-07T14:05:00Z")]


# -- publishing: authentication and authorization -----------------------------


def test_put_without_token_is_401_and_stores_nothing(client: TestClient) -> None:
    response = client.put(DAY_URL, content=FOUR.encode(), headers={"Content-Type": "text/plain"})

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert_nothing_stored(client)


def test_put_with_a_wrong_token_is_401_and_stores_nothing(client: TestClient) -> None:
    response = put_day(client, {"Authorization": "Bearer epg_not-a-real-token",
                                "Content-Type": "text/plain"})

    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert_nothing_stored(client)


def test_put_with_a_token_for_another_channel_is_403(client: TestClient, service: Service) -> None:
    service.add_channel(OTHER)
    token = service.create_token("other-only", ["other.channel"])

    response = put_day(client, {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"})

    body = assert_problem(response, 403)
    assert "bigasia.ru" in str(body["detail"])
    assert_nothing_stored(client)


def test_token_for_a_channel_may_publish_it(client: TestClient, service: Service) -> None:
    service.add_channel(OTHER)
    token = service.create_token("other-only", ["other.channel"])

    response = put_day(client, {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"},
                       url="/api/channels/other.channel/days/2022-01-07")

    assert response.status_code == 200
    assert response.json()["revision"]["author"] == "other-only"


# -- publishing: what appears where -------------------------------------------


def test_put_returns_the_stored_grid_with_an_etag(client: TestClient, auth: dict[str, str]) -> None:
    response = published(client, auth, FOUNDING_PAGE.read_bytes())

    assert titles(response) == ["История дракона", "Китайская панорама", "Жажда странствий", "Новости"]
    assert response.json()["revision"]["number"] == 1
    assert response.headers["etag"].startswith('"bigasia.ru/2022-01-07/')
    assert any(d["severity"] == "info" for d in response.json()["diagnostics"])


def test_published_day_appears_at_once_in_every_feed(client: TestClient, auth: dict[str, str]) -> None:
    feeds = ["/xmltv.xml?from=2022-01-07", "/ical/bigasia.ru.ics?from=2022-01-07",
             "/api/guide?from=2022-01-07"]
    assert all("Китайская панорама" not in client.get(url).text for url in feeds)

    published(client, auth)

    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Китайская панорама" in response.text, url


def test_xmltv_feed_is_valid_against_the_dtd(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)

    document = etree.fromstring(client.get("/xmltv.xml?from=2022-01-07").content)

    dtd = etree.DTD(str(XMLTV_DTD))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()
    assert [p.get("start") for p in document.iter("programme")] == [
        "20220107165500 +0300", "20220107170000 +0300", "20220107171500 +0300", "20220107180000 +0300"]


def test_ical_feed_has_one_event_per_programme(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)

    response = client.get("/ical/bigasia.ru.ics?from=2022-01-07")

    assert response.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "История дракона", "Китайская панорама", "Жажда странствий. Иордания", "Новости"]


def test_ical_feed_of_unknown_channel_is_404(client: TestClient) -> None:
    assert_problem(client.get("/ical/nowhere.tv.ics"), 404)


def test_json_guide_lists_the_day(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)

    guide = client.get("/api/guide?from=2022-01-07").json()

    [channel] = guide["channels"]
    assert channel["channel"]["id"] == "bigasia.ru"
    assert [p["start"] for p in channel["programmes"]][:1] == ["2022-01-07T16:55:00+03:00"]


def test_default_feed_window_starts_yesterday_by_the_service_clock(
    client: TestClient, auth: dict[str, str], clock: Clock
) -> None:
    published(client, auth)
    assert "Китайская панорама" in client.get("/xmltv.xml").text  # 2022-01-07: yesterday is the 6th

    clock.now = datetime(2022, 1, 9, 12, 0, tzinfo=UTC)  # yesterday is now the 8th

    assert "Китайская панорама" not in client.get("/xmltv.xml").text
    assert client.get("/api/guide").json()["channels"][0]["programmes"] == []


def test_dry_run_returns_the_grid_and_stores_nothing(client: TestClient, auth: dict[str, str]) -> None:
    response = put_day(client, auth, url=DAY_URL + "?dry_run=true")

    assert response.status_code == 200
    assert titles(response) == ["История дракона", "Китайская панорама", "Жажда странствий", "Новости"]
    assert response.json()["revision"] is None
    assert "etag" not in response.headers
    assert_nothing_stored(client)


# -- publishing: refusals -----------------------------------------------------


def test_text_without_programmes_is_422_with_line_diagnostics(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = put_day(client, auth, "Прогноз погоды\n\nПодпишитесь на рассылку\n")

    body = assert_problem(response, 422)
    diagnostics = body["diagnostics"]
    assert isinstance(diagnostics, list)
    assert [d["line"] for d in diagnostics] == [1, 3]
    assert all(d["message"] for d in diagnostics)
    assert_nothing_stored(client)


def test_schedule_failing_a_blocking_channel_check_is_422_and_not_stored(
    client: TestClient, service: Service, auth: dict[str, str]
) -> None:
    strict = Channel(id="strict.example.tv", name="Strict", tz="Europe/Moscow", max_gap_minutes=60,
                     block_on_warnings=True)
    service.add_channel(strict)
    url = "/api/channels/strict.example.tv/days/2022-01-07"

    response = put_day(client, auth, "10:00–11:00 Утро\n15:00 Вечер\n", url=url)

    body = assert_problem(response, 422)
    assert body["type"] == "/problems/rejected"
    diagnostics = body["diagnostics"]
    assert isinstance(diagnostics, list)
    assert any(d["line"] == 2 and "240 minutes" in d["message"] for d in diagnostics)
    assert client.get(url + "/revisions").json() == []


def test_json_content_type_is_415(client: TestClient, auth: dict[str, str]) -> None:
    response = put_day(client, auth, '{"title": "Новости"}', **{"Content-Type": "application/json"})

    body = assert_problem(response, 415)
    assert "application/json" in str(body["detail"])
    assert_nothing_stored(client)


def test_body_over_the_limit_is_413(client: TestClient, auth: dict[str, str]) -> None:
    text = FOUR + "# " + "x" * 100_000 + "\n"

    assert_problem(put_day(client, auth, text), 413)
    assert_nothing_stored(client)


def test_chunked_body_over_the_limit_is_413(client: TestClient, auth: dict[str, str]) -> None:
    def chunks() -> Iterator[bytes]:
        yield FOUR.encode()
        for _ in range(11):
            yield b"#" * 10_000 + b"\n"

    response = client.put(DAY_URL, content=chunks(), headers=auth)

    assert_problem(response, 413)
    assert_nothing_stored(client)


def test_put_to_unknown_channel_is_404(client: TestClient, auth: dict[str, str]) -> None:
    body = assert_problem(put_day(client, auth, url="/api/channels/nowhere.tv/days/2022-01-07"), 404)

    assert "nowhere.tv" in str(body["detail"])


def test_put_with_a_bad_date_is_422(client: TestClient, auth: dict[str, str]) -> None:
    assert_problem(put_day(client, auth, url="/api/channels/bigasia.ru/days/07.01.2022"), 422)


def test_put_with_a_date_decades_away_is_422(client: TestClient, auth: dict[str, str]) -> None:
    body = assert_problem(put_day(client, auth, url="/api/channels/bigasia.ru/days/2052-01-07"), 422)

    assert body["field"] == "date"


# -- conditional requests -----------------------------------------------------


def test_if_match_with_the_current_etag_publishes(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)
    etag = client.get(DAY_URL).headers["etag"]

    response = put_day(client, auth, "18:00 Новости\n", **{"If-Match": etag})

    assert response.status_code == 200
    assert response.json()["revision"]["number"] == 2
    assert titles(client.get(DAY_URL)) == ["Новости"]


def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(
    client: TestClient, auth: dict[str, str]
) -> None:
    published(client, auth)
    stale = client.get(DAY_URL).headers["etag"]
    published(client, auth, FOUR + "19:00 Фильм\n")  # someone else publishes in between
    before = client.get(DAY_URL).json()

    response = put_day(client, auth, "18:00 Новости\n", **{"If-Match": stale})

    assert_problem(response, 412)
    assert client.get(DAY_URL).json() == before
    assert len(client.get(HISTORY_URL).json()) == 2


def test_if_match_that_is_not_a_day_etag_is_422(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)

    body = assert_problem(put_day(client, auth, **{"If-Match": '"abc"'}), 422)

    assert body["field"] == "If-Match"
    assert len(client.get(HISTORY_URL).json()) == 1


def test_if_none_match_gives_304_for_a_day(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)
    identity = {"Accept-Encoding": "identity"}
    etag = client.get(DAY_URL, headers=identity).headers["etag"]

    response = client.get(DAY_URL, headers={**identity, "If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


def test_if_none_match_gives_304_for_xmltv(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)
    identity = {"Accept-Encoding": "identity"}
    etag = client.get("/xmltv.xml", headers=identity).headers["etag"]

    response = client.get("/xmltv.xml", headers={**identity, "If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


def test_if_none_match_with_an_old_etag_gives_the_new_day(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)
    etag = client.get(DAY_URL).headers["etag"]
    published(client, auth, "18:00 Новости\n")

    response = client.get(DAY_URL, headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert titles(response) == ["Новости"]


@pytest.mark.parametrize("url", [DAY_URL, "/xmltv.xml"])
def test_if_none_match_with_the_gzip_etag_gives_304(
    client: TestClient, auth: dict[str, str], url: str
) -> None:
    published(client, auth)
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"

    response = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]})

    assert response.status_code == 304


# -- compression --------------------------------------------------------------


def test_xmltv_gz_is_the_gzip_of_xmltv(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)
    plain = client.get("/xmltv.xml", headers={"Accept-Encoding": "identity"})

    response = client.get("/xmltv.xml.gz")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in response.headers
    assert gzip.decompress(response.content) == plain.content
    assert b"<programme" in plain.content


def test_xmltv_is_gzip_encoded_for_clients_that_accept_it(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)
    plain = client.get("/xmltv.xml", headers={"Accept-Encoding": "identity"})

    response = client.get("/xmltv.xml", headers={"Accept-Encoding": "gzip"})

    assert "content-encoding" not in plain.headers
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == plain.content  # httpx decoded it
    with client.stream("GET", "/xmltv.xml", headers={"Accept-Encoding": "gzip"}) as raw:
        assert len(b"".join(raw.iter_raw())) < len(plain.content)


# -- now and next -------------------------------------------------------------


def test_now_and_next_of_the_founding_example(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth, FOUNDING_PAGE.read_bytes())

    response = client.get("/api/now", params={"at": "2022-01-07T17:05:00+03:00"})

    assert response.status_code == 200
    [item] = response.json()
    assert item["channel"]["id"] == "bigasia.ru"
    assert item["now"]["title"] == "Китайская панорама"
    assert item["next"]["title"] == "Жажда странствий"
    assert item["next"]["sub_title"] == "Иордания"


def test_now_between_programmes_days_is_empty(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth, FOUNDING_PAGE.read_bytes())

    [item] = client.get("/api/now", params={"at": "2022-01-07T16:00:00+03:00"}).json()

    assert item["now"] is None
    assert item["next"]["title"] == "История дракона"


def test_now_without_an_offset_is_422(client: TestClient) -> None:
    body = assert_problem(client.get("/api/now", params={"at": "2022-01-07T17:05:00"}), 422)

    assert body["field"] == "at"


def test_now_with_a_malformed_instant_is_422(client: TestClient) -> None:
    assert_problem(client.get("/api/now", params={"at": "five past five"}), 422)


# -- pages and documentation --------------------------------------------------


def test_api_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    schema = client.get("/openapi.json")
    assert schema.status_code == 200
    assert "/api/channels/{channel_id}/days/{day}" in schema.json()["paths"]


def test_guide_page_shows_published_titles(client: TestClient, auth: dict[str, str]) -> None:
    published(client, auth)

    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Китайская панорама" in response.text


def test_guide_page_without_channels_is_served(tmp_path: Path, clock: Clock) -> None:
    store = Store(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    store.create_schema()
    try:
        with TestClient(create_app(service=Service(store, clock=clock))) as client:
            response = client.get("/")
    finally:
        store.close()

    assert response.status_code == 200
    assert "<html" in response.text


# -- unexpected failures ------------------------------------------------------


def test_unexpected_error_is_a_500_problem_without_traceback(service: Service) -> None:
    app = create_app(service=service)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals at /srv/epg/store.py")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")

    assert_problem(response, 500)
    assert "Traceback" not in response.text
    assert "secret internals" not in response.text


def test_unavailable_database_is_a_503_problem(tmp_path: Path, clock: Clock) -> None:
    store = Store(f"sqlite:///{tmp_path / 'missing-dir' / 'epg.sqlite3'}")
    try:
        with TestClient(create_app(service=Service(store, clock=clock))) as client:
            response = client.get("/api/channels")
    finally:
        store.close()

    assert_problem(response, 503)
    assert "Traceback" not in response.text
