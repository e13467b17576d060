"""Now and next on every channel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, TypeAdapter

from api.caching import cached_response
from api.deps import Instant, ServiceDep
from epg.models import Channel
from feeds.jsonfeed import ProgrammeOut

router = APIRouter(tags=["guide"])


class NowNextOut(BaseModel):
    channel: Channel
    now: ProgrammeOut | None
    next: ProgrammeOut | None


NowList = TypeAdapter(list[NowNextOut])


@router.get("/api/now", response_model=list[NowNextOut], summary="Now and next on every channel")
def now_next(service: ServiceDep, request: Request,
             at: Annotated[Instant | None, Query(description="Instant to ask about (default: now).")] = None,
             ) -> Response:
    items = [NowNextOut(channel=item.channel,
                        now=ProgrammeOut.of(item.now) if item.now else None,
                        next=ProgrammeOut.of(item.next) if item.next else None)
             for item in service.now_next(at)]
    body = NowList.dump_json(items)
    return cached_response(request, body, "application/json")
