"""Request bodies read once, as they stream in, and never past a limit.

A declared ``Content-Length`` over the limit is refused before reading; a
chunked body is refused as soon as it passes the limit, so no upload makes
the server hold more than the limit (plus a form's framing) in memory.
"""

from __future__ import annotations

from fastapi import Request, Response

from api.errors import problem

#: Room for a multipart form's boundaries and part headers around the file itself.
FORM_OVERHEAD = 64 * 1024


async def read_body(request: Request, limit: int, what: str = "the upload") -> bytes | Response:
    """The whole body, or a 413 problem once it is known to exceed ``limit`` bytes."""
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        limit += FORM_OVERHEAD
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return problem(413, f"{what} is {declared} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return problem(413, f"{what} is over the limit of {limit} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    # Starlette reads a form from the kept body, so the capped body is the only copy read.
    request._body = body
    return body
