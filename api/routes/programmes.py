"""Single programmes by their stable id: JSON details and an "add to calendar" event."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from api.caching import cached_response
from api.deps import ServiceDep
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
