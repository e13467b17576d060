"""The streamed feeds built from rendered channel-day pieces (kept by :mod:`feeds.pieces`).

A feed is its pieces streamed in order, so memory does not grow with the
guide and a warm request touches no programme at all.
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from email.utils import format_datetime

from fastapi import Request, Response
from fastapi.responses import StreamingResponse

from api.caching import CACHE_CONTROL, content_disposition, not_modified
from epg.service import DaySlot


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
