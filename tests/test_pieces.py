"""The cache of rendered XMLTV channel-days: what goes in comes out byte for byte, in bounded memory."""

from __future__ import annotations

from api.pieces import PieceCache
from bench.export_bench import build_guide
from feeds.xmltv import render_channel_day


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
