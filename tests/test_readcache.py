"""The read cache: busy reads answered from memory, never after a change a reader could see."""

from __future__ import annotations

import gzip
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.pieces import _coalesced
from api.readcache import ReadCache
from api.routes import feeds
from epg.service import Service
from epg.settings import Settings
from epg.store import Store
from tests.conftest import BIGASIA, Clock
from tests.test_api import FOUR, published

MSK = ZoneInfo("Europe/Moscow")
DAY = date(2022, 1, 7)
FEEDS = ("/api/now", "/xmltv.xml?from=2022-01-07&days=1", "/ical/bigasia.ru.ics?from=2022-01-07&days=1",
         "/api/guide?from=2022-01-07&days=1")


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_reused_until_a_write_or_until_its_time_runs_out() -> None:
    ticks = Ticks()
    cache = ReadCache(ttl=5, clock=ticks)
    cache.put("k", 1, "answer", 6)
    assert cache.get("k", 1) == "answer"
    assert cache.get("k", 2) is None  # a write was committed since
    ticks.now = 4.9
    assert cache.get("k", 1) == "answer"
    ticks.now = 5.0
    assert cache.get("k", 1) is None


def test_a_shorter_time_given_with_the_answer_wins() -> None:
    ticks = Ticks()
    cache = ReadCache(ttl=5, clock=ticks)
    cache.put("k", 1, "answer", 6, ttl=1)
    ticks.now = 1.0
    assert cache.get("k", 1) is None


def test_the_budget_evicts_the_least_recently_used_and_refuses_huge_answers() -> None:
    cache = ReadCache(ttl=5, budget=400)
    cache.put("a", 1, "a", 100)
    cache.put("b", 1, "b", 100)
    cache.put("too big", 1, "x", 101)  # more than a quarter of the budget
    assert cache.get("a", 1) == "a"
    for key in "cde":
        cache.put(key, 1, key, 100)
    assert cache.get("b", 1) is None and cache.get("a", 1) == "a"
    assert cache.get("too big", 1) is None
    assert cache.size == 400


def test_a_zero_time_keeps_nothing() -> None:
    cache = ReadCache(ttl=0)
    cache.put("k", 1, "answer", 6)
    assert cache.get("k", 1) is None and cache.size == 0


def test_pieces_are_handed_to_the_server_in_large_chunks() -> None:
    pieces = [bytes([n % 256]) * 1000 for n in range(700)]
    chunks = list(_coalesced(pieces, size=64 * 1024))
    assert b"".join(chunks) == b"".join(pieces)
    assert all(len(c) >= 64 * 1024 for c in chunks[:-1]) and len(chunks) == 11
    assert list(_coalesced([])) == []


def test_now_moves_on_when_a_programme_ends_though_the_answer_is_kept(
        client: TestClient, auth: dict[str, str], clock: Clock) -> None:
    published(client, auth)
    clock.now = datetime(2022, 1, 7, 17, 14, 59, tzinfo=MSK)
    assert client.get("/api/now").json()[0]["now"]["title"] == "Китайская панорама"
    clock.now = datetime(2022, 1, 7, 17, 15, tzinfo=MSK)
    assert client.get("/api/now").json()[0]["now"]["title"] == "Жажда странствий"
    clock.now = datetime(2022, 1, 7, 17, 5, tzinfo=MSK)  # a clock set back is answered for its own time
    assert client.get("/api/now").json()[0]["now"]["title"] == "Китайская панорама"


def test_a_publish_through_the_server_shows_at_once_in_every_feed(
        client: TestClient, auth: dict[str, str], clock: Clock) -> None:
    published(client, auth)
    clock.now = datetime(2022, 1, 7, 17, 5, tzinfo=MSK)
    before = {url: client.get(url) for url in FEEDS}
    assert all("Китайская панорама" in r.text for r in before.values())
    published(client, auth, FOUR.replace("Китайская панорама", "Панорама Китая"))
    for url, old in before.items():
        again = client.get(url, headers={"If-None-Match": old.headers["etag"]})
        assert again.status_code == 200, url
        assert "Панорама Китая" in again.text and "Китайская панорама" not in again.text, url


def test_a_conditional_request_for_a_kept_feed_reads_nothing(
        client: TestClient, auth: dict[str, str], clock: Clock) -> None:
    published(client, auth)
    clock.now = datetime(2022, 1, 7, 17, 5, tzinfo=MSK)
    reads: ReadCache = client.app.state.reads  # type: ignore[attr-defined]
    for url in FEEDS:
        first = client.get(url)
        hits, misses = reads.hits, reads.misses
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, url
        assert reads.hits > hits and reads.misses == misses, url


def _two_writers(tmp_path: Path, settings: Settings) -> tuple[TestClient, Service]:
    """An app over a SQLite file, and a service in the same file that stands for another process (the CLI)."""
    url = f"sqlite:///{tmp_path / 'epg.sqlite3'}"
    clock = Clock(datetime(2022, 1, 7, 17, 5, tzinfo=MSK))
    mine = Service(Store(url), clock=clock)
    mine.store.create_schema()
    mine.add_channel(BIGASIA)
    mine.publish_text(BIGASIA.id, DAY, FOUR.encode(), principal=None)
    other = Service(Store(url), clock=clock)
    return TestClient(create_app(settings, service=mine)), other


def test_a_write_from_another_process_shows_once_the_cache_time_runs_out(tmp_path: Path) -> None:
    client, other = _two_writers(tmp_path, Settings(read_cache_seconds=5))
    ticks = Ticks()
    client.app.state.reads = ReadCache(ttl=5, clock=ticks)  # type: ignore[attr-defined]
    with client:
        assert all("Китайская панорама" in client.get(url).text for url in FEEDS)
        other.publish_text(BIGASIA.id, DAY, FOUR.replace("Китайская панорама", "Панорама Китая").encode(),
                           principal=None)
        assert all("Китайская панорама" in client.get(url).text for url in FEEDS)  # kept: at most 5 s old
        ticks.now = 5.0
        assert all("Панорама Китая" in client.get(url).text for url in FEEDS)


def test_with_the_cache_off_a_write_from_another_process_shows_at_once(tmp_path: Path) -> None:
    client, other = _two_writers(tmp_path, Settings(read_cache_seconds=0))
    with client:
        assert all("Китайская панорама" in client.get(url).text for url in FEEDS)
        other.publish_text(BIGASIA.id, DAY, FOUR.replace("Китайская панорама", "Панорама Китая").encode(),
                           principal=None)
        assert all("Панорама Китая" in client.get(url).text for url in FEEDS)


def test_a_small_xmltv_feed_is_kept_whole_and_a_large_one_streamed(
        client: TestClient, auth: dict[str, str], clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    published(client, auth)
    url = "/xmltv.xml?from=2022-01-07&days=1"
    plain = {"Accept-Encoding": "identity"}
    whole = client.get(url, headers=plain)
    gz = client.get(url.replace(".xml", ".xml.gz"))
    monkeypatch.setattr(feeds, "WHOLE_FEED_SLOTS", 0)
    streamed = client.get(url, headers=plain)
    assert whole.content == streamed.content and "Китайская панорама" in whole.text
    assert whole.headers["etag"] == streamed.headers["etag"]
    assert gzip.decompress(gz.content) == whole.content
    assert whole.headers["content-length"] == str(len(whole.content))
