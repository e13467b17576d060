"""Rendered feed pieces, cached per channel-day revision, and the streamed feeds built from them.

A guide is mostly the same from one request to the next: only the
channel-days re-published since differ. Each channel-day is rendered once
per revision and kept here; a feed is the cached pieces streamed in order,
so memory does not grow with the guide and a warm request touches no
programme at all. The cache holds only what any replica would render the
same way, so replicas behind a load balancer never disagree.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from email.utils import format_datetime

from fastapi import Request, Response
from fastapi.responses import StreamingResponse

from api.caching import CACHE_CONTROL, content_disposition, not_modified
from epg.models import Programme
from epg.service import DaySlot, Service

#: Bytes of rendered pieces kept per process (EPG_PIECE_CACHE_BYTES overrides).
DEFAULT_BUDGET = 256 * 1024 * 1024


class PieceCache:
    """A thread-safe LRU of rendered pieces, kept compressed and bounded by their compressed size in bytes."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.size = 0
        self.hits = self.misses = 0
        self._items: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> bytes | None:
        with self._lock:
            packed = self._items.get(key)
            if packed is None:
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
        return zlib.decompress(packed)

    def put(self, key: tuple[object, ...], piece: bytes) -> None:
        # Kept compressed: XML packs about tenfold, and unpacking costs far less than rendering again.
        piece = zlib.compress(piece, 1)
        if len(piece) > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self.size -= len(old) if old is not None else 0
            self._items[key] = piece
            self.size += len(piece)
            while self.size > self.budget:
                _, evicted = self._items.popitem(last=False)
                self.size -= len(evicted)


#: Channel-days whose programmes are read from the store at a time when rendering cold.
BATCH = 50


def rendered(service: Service, cache: PieceCache, slots: Sequence[DaySlot],
             render: Callable[[DaySlot, list[Programme]], bytes], kind: str) -> Iterator[bytes]:
    """Each slot's piece in order, from the cache or rendered now and cached.

    Missing pieces are read from the store a batch at a time, so a cold
    guide of any size holds one batch of programmes in memory, not all.
    """
    for first in range(0, len(slots), BATCH):
        batch = slots[first:first + BATCH]
        pieces = [cache.get((kind, *s.key)) if s.revision_id else None for s in batch]
        missing = [s for s, piece in zip(batch, pieces, strict=True) if piece is None]
        loaded = service.slot_programmes(missing) if missing else {}
        for slot, piece in zip(batch, pieces, strict=True):
            if piece is None:
                piece = render(slot, loaded[slot])
                if slot.revision_id:
                    cache.put((kind, *slot.key), piece)
            yield piece


def feed_etag(kind: str, slots: Sequence[DaySlot], extra: object = "") -> str:
    """A strong validator from what decides the bytes: the slots' keys (no rendering needed)."""
    digest = hashlib.sha256(repr((kind, extra, [s.key for s in slots])).encode("utf-8")).hexdigest()
    return f'"{kind}-{digest[:32]}"'


#: Bytes handed to the server at a time: fewer, larger writes than one per channel-day.
CHUNK = 256 * 1024


def _coalesced(pieces: Iterable[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """The pieces joined into chunks of about ``size`` bytes (each chunk costs a thread-pool round trip)."""
    held: list[bytes] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield b"".join(held)
            held, length = [], 0
    if held:
        yield b"".join(held)


def _gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip framing, no timestamp
    for chunk in chunks:
        packed = packer.compress(chunk)
        if packed:
            yield packed
    yield packer.flush()


def streamed_response(request: Request, chunks: Callable[[], Iterable[bytes]], media_type: str, *, etag: str,
                      last_modified: datetime | None, gzip_file: bool = False,
                      filename: str | None = None) -> Response:
    """A feed streamed from ``chunks()`` (called only when the client lacks it), gzip when asked."""
    encode = not gzip_file and "gzip" in request.headers.get("accept-encoding", "")
    tag = etag[:-1] + '-gz"' if encode else etag
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified, usegmt=True)
    if filename:
        headers["Content-Disposition"] = content_disposition(filename)
    if not_modified(request, tag, last_modified):
        return Response(status_code=304, headers=headers)
    body: Iterator[bytes] = _coalesced(chunks())
    if gzip_file or encode:
        body = _gzipped(body)
    if encode:
        headers["Content-Encoding"] = "gzip"
    # A feed that fits in one chunk (one channel, a few days) goes out whole, with its length:
    # streaming costs a thread-pool round trip per chunk, which dominates small answers.
    first = next(body, b"")
    second = next(body, None)
    if second is None:
        return Response(first, media_type=media_type, headers=headers)
    return StreamingResponse(itertools.chain((first, second), body), media_type=media_type, headers=headers)
