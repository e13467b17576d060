"""Import another publisher's XMLTV guide as a source (plain, gzip, or a browser form's file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import IdempotencyKey, PrincipalDep, ServiceDep
from api.errors import WRITE_PROBLEMS, problem
from api.uploads import read_body
from api.workers import run_upload
from epg.diagnostics import capped
from epg.models import Diagnostic
from epg.service import Principal, Service
from feeds.detect import is_xmltv
from feeds.xmltv_reader import read_xmltv

router = APIRouter(tags=["import"])

XML_TYPES = {"application/xml", "text/xml", "application/gzip", "application/x-gzip", "application/octet-stream"}


class ImportedDay(BaseModel):
    channel: str
    date: str
    programmes: int
    revision: int


class ImportResult(BaseModel):
    source: str
    channels: list[str]
    days: list[ImportedDay]
    programmes: int
    repairs: list[Diagnostic] = Field(description="Every deviation from the DTD that was repaired, with its line.")


@router.post(
    "/api/import", response_model=ImportResult, summary="Import an XMLTV guide as a source",
    description="The body is an XMLTV document (`application/xml`, or `application/gzip` for .gz), or a form's "
                "`file` field. No DTD is loaded, no entity expanded, nothing fetched: a document that declares "
                "entities is refused. Channels it names that epg lacks are created (all-channel token).",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/xml": {"schema": {"type": "string"}}, "application/gzip": {"schema": {"type": "string",
                                                                                           "format": "binary"}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"}}}}}}},
    responses=WRITE_PROBLEMS,
)
async def import_xmltv(
    request: Request, response: Response, service: ServiceDep, principal: PrincipalDep,
    idempotency_key: IdempotencyKey = None,
    source: Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9._:-]*$",
                                 description="Name of this source, as listed in channels' priorities.")] = "xmltv",
) -> object:
    limit = service.max_guide_bytes
    body = await read_body(request, limit, "the guide")
    if isinstance(body, Response):
        return body
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        file = (await request.form()).get("file")
        if file is None or isinstance(file, str):
            return problem(422, "the form has no file field named 'file'", field="file")
        data = await file.read()
    elif content_type in XML_TYPES:
        data = body
    else:
        return problem(415, f"send an XMLTV document as application/xml or application/gzip, not {content_type}")
    if not is_xmltv(data):
        return problem(415, "this is not an XMLTV document (it should start with <tv> after the XML prolog)")
    # Reading a guide and publishing it take seconds: in a worker process (or off the event loop), so readers
    # are not kept waiting.
    answer = await run_upload(request, service, import_guide, GuideUpload(data, limit, principal, source,
                                                                          idempotency_key))
    if answer.replayed:  # a retry of an import that committed: its result again, nothing new stored
        response.headers["Idempotent-Replayed"] = "true"
    return answer.result


@dataclass(frozen=True)
class GuideUpload:
    """A ``POST /api/import`` as the service takes it: what the request said, in plain values a worker gets."""

    data: bytes
    limit: int
    principal: Principal
    source: str
    idempotency_key: str | None


@dataclass(frozen=True)
class GuideAnswer:
    result: ImportResult
    replayed: bool

    @property
    def stored(self) -> bool:
        return not self.replayed


def import_guide(service: Service, job: GuideUpload) -> GuideAnswer:
    """Import ``job``'s guide through ``service`` (or answer the import its Idempotency-Key made before)."""
    grids = service.replay(job.principal, job.idempotency_key, job.data) if job.idempotency_key else None
    replayed = grids is not None
    repairs: list[Diagnostic] = []
    if grids is None:
        guide = read_xmltv(job.data, max_bytes=job.limit)
        repairs = guide.repairs
        grids = service.import_guide(
            guide.channels, guide.programmes, guide.repairs, raw=job.data, principal=job.principal,
            source=job.source, content_type="application/gzip" if job.data[:2] == b"\x1f\x8b" else "application/xml",
            idempotency_key=job.idempotency_key)
    return GuideAnswer(ImportResult(
        source=job.source, channels=sorted({g.channel.id for g in grids}),
        days=[ImportedDay(channel=g.channel.id, date=g.day.isoformat(), programmes=len(g.programmes),
                          revision=g.revision.number if g.revision else 0) for g in grids],
        programmes=sum(len(g.programmes) for g in grids), repairs=capped(repairs)), replayed)
