"""Rendered XMLTV channel-days, kept in memory and in the database: byte for byte, bounded, never stale."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import feeds.pieces
from api.app import create_app
from bench.export_bench import build_guide
from epg.service import Service
from epg.store import PIECE_LIFETIME, Store
from feeds.pieces import PieceCache
from feeds.xmltv import render_channel_day
from tests.conftest import BIGASIA, Clock
from tests.test_api import DAY_URL, FOUR


def _pieces(count: int) -> list[bytes]:
    guide = build_guide(count, 1, 40)
    return [render_channel_day(item.channel, item.programmes) for item in guide.channels]


def test_a_piece_comes_back_byte_for_byte_and_is_kept_compressed() -> None:
    [piece] = _pieces(1)
    cache = PieceCache()
    cache.put(("xmltv", 1, None), piece)
    assert cache.get(("xmltv", 1, None)) == piece
    assert cache.get(("xmltv", 2, None)) is None
    assert (cache.hits, cache.misses) == (1, 1)
    assert 0 < cache.size < len(piece) / 3  # XML packs well; the budget counts what is held


def test_the_budget_bounds_what_is_held_and_evicts_the_least_recently_used() -> None:
    pieces = _pieces(6)
    cache = PieceCache(budget=10**9)
    cache.put(("xmltv", 0), pieces[0])
    one = cache.size
    small = PieceCache(budget=int(one * 3.5))
    for n, piece in enumerate(pieces[:3]):
        small.put(("xmltv", n), piece)
    assert small.get(("xmltv", 0)) == pieces[0]  # now the most recently used
    small.put(("xmltv", 3), pieces[3])
    assert small.get(("xmltv", 1)) is None
    assert small.get(("xmltv", 0)) == pieces[0] and small.get(("xmltv", 3)) == pieces[3]
    assert small.size <= small.budget


# -- pieces kept in the database (issue 14: a fresh process or replica serves a cold feed without rendering) ------

FEED = "/xmltv.xml?from=2022-01-06&days=3"


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = feeds.pieces.render_xmltv

    def counted(slot, programmes):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(slot, programmes)

    monkeypatch.setattr(feeds.pieces, "render_xmltv", counted)
    return calls


def test_a_fresh_process_serves_a_published_day_from_stored_pieces_without_rendering(
        store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Service(Store(store_url), clock=Clock())
    first.store.create_schema()
    first.add_channel(BIGASIA)
    token = first.create_token("operator")
    with TestClient(create_app(service=first)) as client:
        published = client.put(DAY_URL, content=FOUR.encode(), headers={"Authorization": f"Bearer {token}"})
        assert published.status_code == 200, published.text
    calls = _counting(monkeypatch)

    fresh = Service(Store(store_url), clock=Clock())  # another process: nothing in its memory
    with TestClient(create_app(service=fresh)) as client:
        feed = client.get(FEED)

    assert feed.status_code == 200 and feed.text.count("<programme ") == 4
    assert calls == []  # every piece came from the database


def test_a_piece_rendered_on_a_read_is_kept_for_the_next_process(store_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = Service(Store(store_url), clock=Clock())
    first.store.create_schema()
    first.add_channel(BIGASIA)
    first.publish_text(BIGASIA.id, datetime(2022, 1, 7).date(), FOUR.encode(), principal=None)  # no renderer
    calls = _counting(monkeypatch)
    with TestClient(create_app(service=first)) as client:
        cold = client.get(FEED).content
    rendered_then = len(calls)

    with TestClient(create_app(service=Service(Store(store_url), clock=Clock()))) as client:
        again = client.get(FEED).content

    assert rendered_then > 0 and len(calls) == rendered_then  # the second process rendered nothing
    assert again == cold


def test_a_cold_feed_is_served_at_once_while_a_writer_holds_the_sqlite_lock(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression: keeping the pieces a read rendered waited for SQLite's writer's lock (10 s by default) and
    # then failed the feed; an upload's worker process holds that lock for the seconds of its publish.
    url = f"sqlite:///{tmp_path / 'epg.sqlite3'}"
    service = Service(Store(url, sqlite_busy_timeout_ms=1000), clock=Clock())  # waiting would fail in 1 s
    service.store.create_schema()
    service.add_channel(BIGASIA)
    service.publish_text(BIGASIA.id, datetime(2022, 1, 7).date(), FOUR.encode(), principal=None)  # no renderer
    calls = _counting(monkeypatch)
    writer = sqlite3.connect(tmp_path / "epg.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process's long publish
    try:
        with TestClient(create_app(service=service)) as client:
            feed = client.get(FEED)
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert feed.status_code == 200 and feed.text.count("<programme ") == 4
    assert calls  # rendered while the lock was held, and not kept:
    assert service.store.stored_pieces([feeds.pieces.piece_key("xmltv", s) for s in service.day_slots(
        [BIGASIA.id], datetime(2022, 1, 7).date(), 1)]) == {}
    again = TestClient(create_app(service=service)).get(FEED)  # the lock let go: the next read keeps them
    assert again.content == feed.content


def test_a_stored_piece_is_never_served_by_an_epg_whose_writer_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    from epg.service import DaySlot

    slot = DaySlot(channel=BIGASIA, day=datetime(2022, 1, 7).date(), revision_id=3, next_revision_id=None,
                   updated=None)
    before = feeds.pieces.piece_key("xmltv", slot)
    monkeypatch.setattr(feeds.pieces, "writer_fingerprint", lambda: "another writer")

    assert feeds.pieces.piece_key("xmltv", slot) != before


def test_stored_pieces_older_than_their_lifetime_are_let_go(store: Store) -> None:
    start = datetime(2022, 1, 7, tzinfo=UTC)
    store.store_pieces({"old": b"x", "kept": b"y"}, start)
    store.store_pieces({"kept": b"changed?"}, start + timedelta(days=1))  # a key keeps its first bytes

    assert store.stored_pieces(["old", "kept", "none"]) == {"old": b"x", "kept": b"y"}
    store.store_pieces({}, start + PIECE_LIFETIME + timedelta(seconds=1))
    assert store.stored_pieces(["old", "kept"]) == {}


def test_pieces_rendered_from_what_an_import_stored_are_what_a_read_renders(store_url: str) -> None:
    # The import's programmes are rendered as published, without reading them back; a merged day is read.
    from feeds.xmltv_reader import read_xmltv
    from tests.test_merge import GUIDE, TEXT, WHOLE

    published = Service(Store(store_url), clock=Clock())
    published.store.create_schema()
    published.add_channel(BIGASIA)
    published.after_publish = feeds.pieces.prerender_published
    published.publish_text(BIGASIA.id, datetime(2022, 1, 7).date(), TEXT.encode(), principal=None)
    for data in (WHOLE, GUIDE):
        guide = read_xmltv(data)
        published.import_guide(guide.channels, guide.programmes, guide.repairs, raw=data, principal=None)
    with TestClient(create_app(service=published)) as client:
        served = client.get(FEED).content
    reader = Service(Store(store_url), clock=Clock())
    slots = reader.day_slots([BIGASIA.id], datetime(2022, 1, 6).date(), 3)
    loaded = reader.slot_programmes(slots)
    kept = reader.stored_pieces([feeds.pieces.piece_key(feeds.pieces.XMLTV, s) for s in slots])
    assert [s.day.day for s in slots] == [7, 8] and len(kept) == 2
    for slot in slots:
        read = render_channel_day(slot.channel, loaded[slot])
        assert feeds.pieces.zlib.decompress(kept[feeds.pieces.piece_key(feeds.pieces.XMLTV, slot)]) == read
        assert read in served
