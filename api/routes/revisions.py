"""A channel-day's publish history: revisions, diffs between them, rollback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from api.deps import (
    MAX_REVISION,
    Day,
    PrincipalDep,
    ReaderDep,
    RevisionNumber,
    ServiceDep,
    for_reader,
    if_match_revision,
)
from api.errors import READER_PROBLEMS, WRITE_PROBLEMS
from epg.models import Revision
from feeds.jsonfeed import DayOut, DiffOut

router = APIRouter(prefix="/api/channels/{channel_id}/days/{day}", tags=["revisions"])


@router.get("/revisions", response_model=list[Revision], summary="Publish history of a day",
            responses=READER_PROBLEMS,
            description="Oldest first, a page at a time; a `Link: <…>; rel=\"next\"` header names the next page. "
                        "Authors and diagnostics are shown to a token's holder only.")
def history(channel_id: str, day: Day, service: ServiceDep, request: Request, response: Response, reader: ReaderDep,
            offset: Annotated[int, Query(ge=0, le=1_000_000, description="Revisions to pass over.")] = 0,
            limit: Annotated[int, Query(ge=1, le=500, description="Revisions in this page.")] = 100,
            ) -> list[Revision]:
    page = service.history(channel_id, day, offset, limit + 1)
    if len(page) > limit:
        following = request.url.include_query_params(offset=offset + limit, limit=limit)
        response.headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    response.headers["Vary"] = "Authorization"
    return [shown for r in page[:limit] if (shown := for_reader(r, reader)) is not None]


@router.get("/revisions/{number}", response_model=DayOut, summary="One revision with its programmes",
            description="Authors and diagnostics are shown to a token's holder only.", responses=READER_PROBLEMS)
def revision(channel_id: str, day: Day, number: RevisionNumber, service: ServiceDep, reader: ReaderDep,
             response: Response) -> DayOut:
    grid = service.revision(channel_id, day, number)
    response.headers["Vary"] = "Authorization"
    shown = for_reader(grid.revision, reader)
    return DayOut.of(grid.model_copy(update={"revision": shown}), shown.diagnostics if shown else [])


@router.get("/diff", response_model=DiffOut, summary="What changed between two revisions",
            description="Programmes added, removed and changed (moved, retitled, re-rated) from revision `from` "
                        "to revision `to` (default: the current grid).")
def diff(channel_id: str, day: Day, service: ServiceDep,
         from_number: Annotated[int, Query(alias="from", ge=1, le=MAX_REVISION,
                                           description="Older revision number.")],
         to_number: Annotated[int | None, Query(alias="to", ge=1, le=MAX_REVISION,
                                                description="Newer revision number.")] = None,
         ) -> DiffOut:
    return DiffOut.of(service.diff(channel_id, day, from_number, to_number))


@router.post("/revisions/{number}/rollback", response_model=DayOut, summary="Publish an old revision again",
             description="Send `If-Match` with the day's ETag to get 412 if someone published in between.",
             responses=WRITE_PROBLEMS)
def rollback(channel_id: str, day: Day, number: RevisionNumber, service: ServiceDep, principal: PrincipalDep,
             if_match: Annotated[str | None, Header()] = None) -> DayOut:
    return DayOut.of(service.rollback(channel_id, day, number, principal=principal,
                                      if_revision=if_match_revision(if_match)))
