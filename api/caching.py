"""HTTP caching for feeds and reads: strong ETags from the bytes, 304s, short max-age.

Every body epg serves is deterministic for the data behind it, so a hash of
the bytes is a strong validator that every replica computes the same way.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import cached_property

from fastapi import Request, Response

CACHE_CONTROL = "public, max-age=60"


def etag_for(body: bytes, prefix: str = "") -> str:
    return '"' + prefix + hashlib.sha256(body).hexdigest()[:32] + '"'


class Encoded:
    """A response body with its strong ETag, and its gzip made at most once (for answers that are kept)."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.etag = etag_for(body)

    @cached_property
    def gzipped(self) -> bytes:
        return gzip.compress(self.body, mtime=0)

    def __len__(self) -> int:
        return len(self.body)


def not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = request.headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str) -> str:
    """``inline`` with ``filename`` reduced to safe characters: an id from a URL can hold quotes or line breaks."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    safe_stem = _UNSAFE_IN_FILENAME.sub("_", stem).strip("._")[:100] or "download"
    safe_extension = _UNSAFE_IN_FILENAME.sub("", extension)[:10]
    return f'inline; filename="{safe_stem}{dot if safe_extension else ""}{safe_extension}"'


def cached_response(
    request: Request,
    body: bytes | Encoded,
    media_type: str,
    *,
    last_modified: datetime | None = None,
    gzip_body: bool = False,
    filename: str | None = None,
    etag: str | None = None,
) -> Response:
    """``body`` with ETag, Last-Modified and Cache-Control, or a 304 when the client has it.

    ``gzip_body`` serves a gzip file (for ``.gz`` URLs); otherwise the body
    is gzip-encoded on the wire when the client accepts it.
    """
    encoded = body if isinstance(body, Encoded) else Encoded(body)
    encode = not gzip_body and "gzip" in request.headers.get("accept-encoding", "") and len(encoded) > 1024
    # Each representation has its own strong validator, so caches never mix the two.
    tag = etag or encoded.etag
    if gzip_body or encode:
        tag = tag[:-1] + '-gz"'
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
    if encode:
        headers["Content-Encoding"] = "gzip"
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified, usegmt=True)
    if filename:
        headers["Content-Disposition"] = content_disposition(filename)
    if not_modified(request, tag, last_modified):
        return Response(status_code=304, headers={k: v for k, v in headers.items() if k != "Content-Encoding"})
    return Response(encoded.gzipped if gzip_body or encode else encoded.body, media_type=media_type,
                    headers=headers)
