"""A whole document at once: every channel it names, all its days, published in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import Day, IdempotencyKey, PrincipalDep, ServiceDep
from api.errors import WRITE_PROBLEMS, problem
from api.routes.channels import read_upload
from api.workers import run_upload
from epg.diagnostics import MAX_DIAGNOSTICS
from epg.errors import UnknownChannels
from epg.models import Channel, Diagnostic, Revision
from epg.service import DocumentChannel, DocumentPublished, Principal, Service
from feeds.jsonfeed import ProgrammeOut

router = APIRouter(tags=["documents"])

EXAMPLE_DOCUMENT = ("Пятница, 7 января 2022\nПервый канал\n06:00 Доброе утро 12+\n09:00 Новости\n"
                    "Россия 1\n05:00 Утро России\n09:00 Вести\n")


class DocumentDayOut(BaseModel):
    date: date
    revision: Revision | None = Field(description="The revision made (null in a preview or for a skipped channel).")
    programmes: list[ProgrammeOut]
    diagnostics: list[Diagnostic] = Field(description="Skipped and doubtful lines among this day's programmes, "
                                                      "and the day's checks.")


class DocumentChannelOut(BaseModel):
    name: str = Field(description="The channel's name as the document prints it.")
    printed: list[str] = Field(description="Every spelling of it the document prints.")
    channel: Channel | None = Field(description="The stored channel whose id, name or alias it equals (ignoring "
                                                "case, ё/е, punctuation and spaces); null: none, it is unknown.")
    status: Literal["preview", "published", "unchanged", "skipped"]
    days: list[DocumentDayOut]

    @classmethod
    def of(cls, part: DocumentChannel, published: DocumentPublished) -> DocumentChannelOut:
        status = ("skipped" if part.channel is None else "published" if published.stored
                  else "unchanged" if any(d.revision for d in part.days) else "preview")
        return cls(name=part.name, printed=part.printed, channel=part.channel, status=status, days=[
            DocumentDayOut(date=d.day, revision=d.revision, programmes=[ProgrammeOut.of(p) for p in d.programmes],
                           diagnostics=d.diagnostics) for d in part.days])


class DocumentOut(BaseModel):
    stored: bool = Field(description="False for a dry run, and for a document already published as it is.")
    channels: list[DocumentChannelOut]
    skipped: list[str] = Field(description="Names the document prints that matched no channel (skip_unknown).")
    diagnostics: list[Diagnostic] = Field(description="Everything noticed in the document, in line order.")

    @classmethod
    def of(cls, published: DocumentPublished) -> DocumentOut:
        return cls(stored=published.stored, channels=[DocumentChannelOut.of(c, published) for c in published.channels],
                   skipped=[c.name for c in published.skipped], diagnostics=published.diagnostics)


@router.post(
    "/api/documents", response_model=DocumentOut, summary="Publish a document naming several channels",
    description=(
        "The body is a schedule document as received (text, HTML or another document format, known by its "
        "content), raw with its content type or as a form's `file`. Each channel heading in it is matched to the "
        "stored channel whose id, name or alias equals it, ignoring case, ё/е, punctuation and spaces; every "
        "channel and day it names is published in one transaction, checked as a day upload is. A name no "
        "channel answers to refuses the whole document (422, `unknown_channels`, with the commands that add "
        "them) unless `skip_unknown=true`. A token limited to some channels gets 403 naming the others, and "
        "nothing is published. `dry_run=true` answers the preview per channel and day, storing nothing."),
    openapi_extra={"requestBody": {"required": True, "content": {
        "text/plain": {"schema": {"type": "string"}, "example": EXAMPLE_DOCUMENT},
        "text/html": {"schema": {"type": "string"}},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"}}}}}}},
    responses=WRITE_PROBLEMS,
)
async def post_document(
    request: Request,
    service: ServiceDep,
    principal: PrincipalDep,
    dry_run: Annotated[bool, Query(description="Read and preview only; nothing is stored.")] = False,
    skip_unknown: Annotated[bool, Query(description="Publish the channels epg knows and list the others as "
                                                    "skipped, instead of refusing the document.")] = False,
    date: Annotated[Day | None, Query(description="First broadcast day: needed only when the document names "
                                                  "no dates.")] = None,
    idempotency_key: IdempotencyKey = None,
) -> object:
    upload = await read_upload(request, service.max_upload_bytes, types=None)
    if isinstance(upload, Response):
        return upload
    data, content_type = upload
    job = DocumentUpload(data, date, principal, content_type, dry_run, skip_unknown, idempotency_key)
    try:
        # Reading a document and publishing it are CPU and database work: in a worker process (or off the
        # event loop), so readers are not kept waiting.
        answer = await run_upload(request, service, publish_document, job)
    except UnknownChannels as exc:
        # Listed as the diagnostics are: the first MAX_DIAGNOSTICS in full, and how many there are.
        return problem(422, exc.message, kind=exc.kind, field=exc.field,
                       unknown_channels=exc.names[:MAX_DIAGNOSTICS], unknown_count=len(exc.names))
    return Response(answer.body, media_type="application/json", headers=answer.headers)


@dataclass(frozen=True)
class DocumentUpload:
    """A ``POST /api/documents`` as the service takes it: what the request said, in plain values a worker gets."""

    data: bytes
    first_day: date | None
    principal: Principal
    content_type: str
    dry_run: bool
    skip_unknown: bool
    idempotency_key: str | None


@dataclass(frozen=True)
class DocumentAnswer:
    """What a document upload answers (the JSON body and headers), and whether it stored anything."""

    body: bytes
    headers: dict[str, str] | None
    stored: bool


def publish_document(service: Service, job: DocumentUpload) -> DocumentAnswer:
    """Publish (or preview) ``job`` through ``service``; :class:`UnknownChannels` when it names channels epg lacks."""
    published = service.publish_document(job.data, first_day=job.first_day, principal=job.principal,
                                         content_type=job.content_type, dry_run=job.dry_run,
                                         skip_unknown=job.skip_unknown, idempotency_key=job.idempotency_key)
    headers = {"Idempotent-Replayed": "true"} if published.replayed else None
    return DocumentAnswer(DocumentOut.of(published).model_dump_json().encode("utf-8"), headers, published.stored)
