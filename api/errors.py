"""One error shape for every failure: RFC 9457 ``application/problem+json``.

Domain errors map to status codes here and nowhere else; unexpected errors
become a bare 500 problem with no stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from epg import errors
from epg.models import Diagnostic

log = logging.getLogger("epg.api")

STATUS: dict[type[errors.EpgError], int] = {
    errors.ValidationError: 422,
    errors.ParseError: 422,
    errors.NotFound: 404,
    errors.AlreadyExists: 409,
    errors.AuthError: 401,
    errors.Forbidden: 403,
    errors.Conflict: 412,
    errors.TooLarge: 413,
    errors.NotText: 415,
    errors.StoreError: 503,
}
#: The problem kind of an error raised by the web framework rather than by epg, by its status.
HTTP_KINDS = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
              405: "method-not-allowed", 409: "exists", 412: "conflict", 413: "too-large", 415: "not-text",
              422: "invalid", 500: "internal", 503: "store"}
#: What the kinds that no domain error class describes mean (the others' come from their docstrings).
HTTP_ONLY = {
    "bad-request": "The request could not be read at all (a malformed header or form).",
    "method-not-allowed": "This address does not take that method; the Allow header lists the ones it takes.",
    "internal": "The server failed. The error was logged with its details; nothing the request sent was stored "
                "unless the answer said so. Try again, and report it if it keeps happening.",
}
TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Already exists", 412: "Precondition failed", 413: "Payload too large",
          415: "Unsupported media type", 422: "Unprocessable content", 500: "Internal server error",
          503: "Service unavailable"}


class Problem(BaseModel):
    """RFC 9457 problem details: every error epg answers has this shape."""

    type: str = Field(examples=["/problems/not-found"],
                      description="What kind of problem: a page at this address explains it.")
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["no channel 'nope.tv'"])
    field: str | None = Field(default=None, description="The request field at fault, when one is.")
    diagnostics: list[Diagnostic] | None = Field(default=None, description="Per-line findings of schedule text.")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting ``statuses`` as problem documents."""
    return {status: {"model": Problem, "description": TITLES.get(status, "Error"),
                     "content": {"application/problem+json": {}}} for status in statuses}


#: What any route may answer besides its own successes.
COMMON_PROBLEMS = problem_responses(400, 404, 422, 500, 503)
#: What a route that needs a token may answer too.
WRITE_PROBLEMS = problem_responses(401, 403, 409, 412, 413, 415)
#: What a public route that shows operators more may answer to a token it does not know.
READER_PROBLEMS = problem_responses(401)


def problem_type(kind: str) -> str:
    """A problem's ``type``: one scheme for every kind, each a page that explains it (see ``/problems``)."""
    return f"/problems/{kind}"


def kinds() -> dict[str, tuple[int, str]]:
    """Every problem kind epg answers, with its status and what it means, for the pages that explain them."""
    out: dict[str, tuple[int, str]] = {}
    pending: list[type[errors.EpgError]] = [errors.EpgError]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls is not errors.EpgError:
            out.setdefault(cls.kind, (status_of_class(cls), " ".join((cls.__doc__ or "").split("\n\n")[0].split())))
    for status, kind in HTTP_KINDS.items():
        if kind not in out:
            out[kind] = (status, HTTP_ONLY[kind])
    return dict(sorted(out.items()))


def problem(status: int, detail: str, *, kind: str | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    """A problem document; ``kind`` defaults to the one for ``status``."""
    body = {"type": problem_type(kind or HTTP_KINDS.get(status, "bad-request")), "title": TITLES.get(status, "Error"),
            "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


def status_of_class(error: type[errors.EpgError]) -> int:
    for cls in error.__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def status_of(exc: errors.EpgError) -> int:
    return status_of_class(type(exc))


async def epg_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.EpgError)
    status = status_of(exc)
    extra: dict[str, Any] = {}
    if exc.field:
        extra["field"] = exc.field
    if isinstance(exc, errors.ParseError):
        extra["diagnostics"] = [d.model_dump() for d in exc.diagnostics]
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem(status, exc.message, kind=exc.kind, headers=headers, **extra)


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return problem(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))


async def request_invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # "query.at" → "at": the name the client used, whatever part of the request it was in.
    problems = [{"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                 "message": str(e["msg"]).removeprefix("Value error, ")} for e in exc.errors()]
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return problem(422, detail, kind="invalid", field=problems[0]["field"] if problems else None,
                   errors=problems)


async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem(500, "The server failed; the error was logged.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.EpgError, epg_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, request_invalid)
    app.add_exception_handler(Exception, unexpected)
