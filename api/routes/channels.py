"""Channels and channel-days: read publicly, publish with a token."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response

from api.caching import cached_response, etag_for
from api.deps import Day, IdempotencyKey, PrincipalDep, ReaderDep, ServiceDep, for_reader, if_match_revision
from api.errors import READER_PROBLEMS, WRITE_PROBLEMS, problem
from api.uploads import read_body
from api.workers import run_upload
from epg.documents import MEDIA_TYPES as DOCUMENT_TYPES
from epg.errors import ValidationError
from epg.models import Channel, Revision, id_key
from epg.service import Principal, Service
from feeds.jsonfeed import DayOut

router = APIRouter(prefix="/api/channels", tags=["channels"])

#: What a day upload takes: text, HTML, and the documents epg reads (XLSX, ODS, DOCX, PDF, CSV, TSV).
TEXT_TYPES = {"text/plain", "text/html", "application/octet-stream", *DOCUMENT_TYPES}
EXAMPLE_TEXT = "16:55 История дракона 12+\n17:00 Китайская панорама 12+\n17:15 Жажда странствий. Иордания 12+\n"


@router.get("", response_model=list[Channel], summary="List channels")
def list_channels(service: ServiceDep) -> list[Channel]:
    return service.channels()


@router.post("", response_model=Channel, status_code=201, summary="Add a channel", responses=WRITE_PROBLEMS)
def add_channel(channel: Channel, service: ServiceDep, principal: PrincipalDep) -> Channel:
    service.require_admin(principal)
    return service.add_channel(channel)


@router.get("/{channel_id}", response_model=Channel, summary="One channel")
def get_channel(channel_id: str, service: ServiceDep) -> Channel:
    return service.channel(channel_id)


@router.put("/{channel_id}", response_model=Channel, summary="Change a channel", responses=WRITE_PROBLEMS)
def update_channel(channel_id: str, channel: Channel, service: ServiceDep, principal: PrincipalDep) -> Channel:
    service.authorize(principal, channel_id)
    if id_key(channel.id) != id_key(channel_id):
        raise ValidationError(f"the body's id {channel.id!r} differs from the URL's {channel_id!r}", field="id")
    return service.update_channel(channel)


@router.delete("/{channel_id}", status_code=204, summary="Delete a channel and its whole history",
               responses=WRITE_PROBLEMS)
def delete_channel(channel_id: str, service: ServiceDep, principal: PrincipalDep) -> Response:
    service.require_admin(principal)
    service.delete_channel(channel_id)
    return Response(status_code=204)


@router.get("/{channel_id}/days/{day}", response_model=DayOut, summary="A channel-day grid",
            description="The revision's author and diagnostics are shown to a token's holder only.",
            responses=READER_PROBLEMS)
def get_day(channel_id: str, day: Day, service: ServiceDep, request: Request, reader: ReaderDep) -> object:
    grid = service.day(channel_id, day)
    body = DayOut.of(grid.model_copy(update={"revision": for_reader(grid.revision, reader)})) \
        .model_dump_json().encode("utf-8")
    modified = grid.revision.created if grid.revision else None
    response = cached_response(request, body, "application/json", last_modified=modified,
                               etag=day_etag(grid.revision, body))
    response.headers["Vary"] = "Accept-Encoding, Authorization"
    if reader is not None:  # authors and diagnostics: for this token's holder, not for shared caches
        response.headers["Cache-Control"] = "private, max-age=60"
    return response


def day_etag(revision: Revision | None, body: bytes) -> str:
    """``"channel/day/revision/hash"``: names the revision (for If-Match) and the exact bytes."""
    prefix = f"{revision.channel_id}/{revision.day.isoformat()}/{revision.id}/" if revision else ""
    return etag_for(body, prefix)


#: A media type as uploads may name it (and the store keeps it, in at most 100 characters).
MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,30}/[a-z0-9][a-z0-9!#$&^_.+-]{0,67}")


async def read_upload(request: Request, limit: int, types: Collection[str] | None = TEXT_TYPES
                      ) -> tuple[bytes, str] | Response:
    """The schedule bytes and their type from a body or a browser form's file field, at most ``limit``.

    ``types`` are the media types accepted; None accepts any well-formed one (documents are known by content).
    """
    body = await read_body(request, limit)
    if isinstance(body, Response):
        return body
    content_type = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form()
        file = form.get("file")
        if file is None or isinstance(file, str):
            return problem(422, "the form has no file field named 'file'", field="file")
        data = await file.read()
        content_type = (file.content_type or "text/plain").split(";")[0].strip().lower()
        if not _accepted(content_type, types):
            return problem(415, f"the file is {content_type[:100]}; send a text, HTML, spreadsheet, Word, PDF or CSV "
                                "file", field="file")
        return data, content_type
    if not _accepted(content_type, types):
        return problem(415, "send the schedule as text/plain, text/html, a document (XLSX, ODS, DOCX, PDF, CSV) or a "
                            f"multipart file, not {content_type[:100]}")
    return body, content_type


def _accepted(content_type: str, types: Collection[str] | None) -> bool:
    return content_type in types if types is not None else MEDIA_TYPE.fullmatch(content_type) is not None


@router.put(
    "/{channel_id}/days/{day}",
    response_model=DayOut,
    summary="Publish a day's schedule text",
    description=(
        "Send the schedule text as the body (`text/plain` or `text/html`), or a document: XLSX, ODS, DOCX, PDF "
        "with a text layer, CSV or TSV, under its own media type or `application/octet-stream` (documents are "
        "known by their content). The day is replaced atomically; "
        "text with day headers publishes every day it names, all or nothing. `?dry_run=true` parses and "
        "answers the grid without storing anything. Send `If-Match` with the ETag of the day you edited "
        "to get 412 instead of overwriting someone else's publish."
    ),
    openapi_extra={"requestBody": {"required": True, "content": {
        "text/plain": {"schema": {"type": "string"}, "example": EXAMPLE_TEXT},
        "text/html": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"}}}}}}},
    responses=WRITE_PROBLEMS,
)
async def put_day(
    channel_id: str,
    day: Day,
    request: Request,
    service: ServiceDep,
    principal: PrincipalDep,
    dry_run: Annotated[bool, Query(description="Parse and preview only.")] = False,
    days: Annotated[Literal["url", "from-text"], Query(
        description="`url` (default): text whose day headers leave out the URL's day is refused (422); "
                    "`from-text`: publish the days the text names.")] = "url",
    if_match: Annotated[str | None, Header()] = None,
    if_none_match: Annotated[str | None, Header(description="`*`: publish only if the day has nothing yet.")]
    = None,
    idempotency_key: IdempotencyKey = None,
) -> object:
    upload = await read_upload(request, service.max_upload_bytes)
    if isinstance(upload, Response):
        return upload
    data, content_type = upload
    job = DayUpload(channel_id, day, data, principal, content_type, dry_run, if_match_revision(if_match),
                    (if_none_match or "").strip() == "*", days == "from-text", idempotency_key)
    # Parsing and publishing are CPU and database work: in a worker process (or off the event loop), so
    # readers are not kept waiting.
    answer = await run_upload(request, service, publish_day, job)
    return Response(answer.body, media_type="application/json", headers=answer.headers)


@dataclass(frozen=True)
class DayUpload:
    """A ``PUT …/days/{day}`` as the service takes it: what the request said, in plain values a worker gets."""

    channel_id: str
    day: date
    data: bytes
    principal: Principal
    content_type: str
    dry_run: bool
    if_revision: int | None
    if_absent: bool
    days_from_text: bool
    idempotency_key: str | None


@dataclass(frozen=True)
class DayAnswer:
    """What a day upload answers (the JSON body and headers), and whether it stored anything."""

    body: bytes
    headers: dict[str, str]
    stored: bool


def publish_day(service: Service, job: DayUpload) -> DayAnswer:
    """Publish (or preview) ``job`` through ``service``: the day's grid and the upload's findings."""
    published = service.publish_text(job.channel_id, job.day, job.data, principal=job.principal,
                                     content_type=job.content_type, dry_run=job.dry_run, if_revision=job.if_revision,
                                     if_absent=job.if_absent, days_from_text=job.days_from_text,
                                     idempotency_key=job.idempotency_key)
    grid = next((g for g in published.grids if g.day == job.day), published.grids[0])
    body = DayOut.of(grid, published.diagnostics).model_dump_json().encode("utf-8")
    headers = {"ETag": day_etag(grid.revision, body)} if grid.revision else {}
    if published.replayed:
        headers["Idempotent-Replayed"] = "true"
    return DayAnswer(body, headers, published.stored)

