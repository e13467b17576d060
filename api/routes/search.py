"""Search over titles, sub-titles and descriptions of the current guide."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import Instant, ServiceDep, channel_ids
from epg.models import Channel
from feeds.jsonfeed import ProgrammeOut

router = APIRouter(tags=["guide"])


class SearchHit(BaseModel):
    channel: Channel
    programme: ProgrammeOut


@router.get("/api/search", response_model=list[SearchHit], summary="Search programmes",
            description="Every word of `q` must match the start of a word in the title, sub-title or description.")
def search(
    service: ServiceDep,
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["новости"])],
    channels: Annotated[str | None, Query(description="Comma-separated channel ids.")] = None,
    start: Annotated[Instant | None, Query(alias="from", description="Programmes ending after this instant.")] = None,
    end: Annotated[Instant | None, Query(alias="to", description="Programmes starting before this instant.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[SearchHit]:
    ids = channel_ids(channels)
    return [SearchHit(channel=channel, programme=ProgrammeOut.of(p))
            for channel, p in service.search(q, ids, start, end, limit)]
