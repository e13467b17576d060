"""Single programmes by their stable id: JSON details and an "add to calendar" event."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api.caching import cached_response
from api.deps import PrincipalDep, ServiceDep
from api.errors import WRITE_PROBLEMS, problem
from api.uploads import read_body
from epg.edits import EDITABLE
from epg.models import Channel
from feeds.ical import write_ical
from feeds.jsonfeed import ProgrammeOut

router = APIRouter(prefix="/api/programmes", tags=["guide"])


class ProgrammeDetail(BaseModel):
    channel: Channel
    programme: ProgrammeOut


# Declared before "/{programme_id}", which would otherwise take "ID.ics" as an id.
@router.get("/{programme_id}.ics", response_class=Response, summary="A programme as a one-event calendar",
            responses={200: {"content": {"text/calendar": {}}, "description": "One VEVENT."}})
def programme_ics(programme_id: str, service: ServiceDep, request: Request) -> Response:
    channel, found = service.programme(programme_id)
    body = write_ical(channel, [found], name=f"{found.title} — {channel.name}")
    return cached_response(request, body, "text/calendar; charset=utf-8", last_modified=found.modified,
                           filename=f"{programme_id}.ics")


@router.get("/{programme_id}", response_model=ProgrammeDetail, summary="A programme")
def programme(programme_id: str, service: ServiceDep) -> ProgrammeDetail:
    channel, found = service.programme(programme_id)
    return ProgrammeDetail(channel=channel, programme=ProgrammeOut.of(found))


#: An edit is a few fields: far below a day's upload.
MAX_EDIT_BYTES = 256 * 1024


@router.patch(
    "/{programme_id}", response_model=ProgrammeDetail, summary="Edit a programme",
    description="A JSON merge patch (RFC 7396) of the programme's fields: a key sets a field, `null` clears it, "
                "and `details` is patched field by field (`{\"details\": {\"icons\": [{\"src\": \"https://…\"}]}}` "
                "adds a poster). Published as a new revision of the day of the source the programme came from, the "
                "edit kept as its upload; the id stays and `sequence` rises. Editable: " + ", ".join(EDITABLE) + ".",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/merge-patch+json": {"schema": {"type": "object"}},
        "application/json": {"schema": {"type": "object"}}}}},
    responses=WRITE_PROBLEMS,
)
async def edit_programme(programme_id: str, request: Request, service: ServiceDep, principal: PrincipalDep,
                         content_type: Annotated[str | None, Header()] = None) -> object:
    data = await read_body(request, MAX_EDIT_BYTES, "the edit")
    if isinstance(data, Response):
        return data
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in ("application/merge-patch+json", "application/json"):
        return problem(415, "send the edit as application/merge-patch+json (or application/json)")

    def edit() -> ProgrammeDetail:
        channel, found = service.edit_programme(programme_id, data, principal=principal, content_type=media)
        return ProgrammeDetail(channel=channel, programme=ProgrammeOut.of(found))

    return await run_in_threadpool(edit)
