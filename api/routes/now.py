"""Now and next on every channel."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, TypeAdapter

from api.caching import Encoded, cached_response
from api.deps import Instant, ServiceDep
from api.readcache import ReadCache
from epg.models import Channel
from epg.service import NowNext
from feeds.jsonfeed import ProgrammeOut

router = APIRouter(tags=["guide"])


class NowNextOut(BaseModel):
    channel: Channel
    now: ProgrammeOut | None
    next: ProgrammeOut | None


NowList = TypeAdapter(list[NowNextOut])


def _render(items: list[NowNext]) -> Encoded:
    return Encoded(NowList.dump_json([
        NowNextOut(channel=item.channel, now=ProgrammeOut.of(item.now) if item.now else None,
                   next=ProgrammeOut.of(item.next) if item.next else None) for item in items]))


def _next_change(items: list[NowNext], at: datetime) -> datetime | None:
    """The first instant after ``at`` at which some channel's now or next is another programme."""
    changes = [item.now.stop for item in items if item.now] + [item.next.start for item in items if item.next]
    later = [t for t in changes if t > at]
    return min(later) if later else None


@router.get("/api/now", response_model=list[NowNextOut], summary="Now and next on every channel")
def now_next(service: ServiceDep, request: Request,
             at: Annotated[Instant | None, Query(description="Instant to ask about (default: now).")] = None,
             ) -> Response:
    if at is not None:
        return cached_response(request, _render(service.now_next(at)), "application/json")
    # Every player asks this all the time: one answer serves until a programme changes (or a write).
    reads: ReadCache = request.app.state.reads
    generation, now = service.generation, service.clock()
    kept = reads.get("now", generation)
    if kept is not None and kept[1] <= now and (kept[2] is None or now < kept[2]):
        return cached_response(request, kept[0], "application/json")
    items = service.now_next(now)
    body = _render(items)
    reads.put("now", generation, (body, now, _next_change(items, now)), len(body))
    return cached_response(request, body, "application/json")
