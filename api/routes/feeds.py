"""Feeds for players and calendars: XMLTV (plain and gzip), iCal per channel, JSON guide."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request, Response

from api.caching import Encoded, cached_response
from api.deps import Day, ServiceDep, channel_ids
from api.pieces import feed_etag, streamed_response
from api.readcache import ReadCache
from epg.models import Guide
from epg.service import DaySlot
from feeds.ical import filter_programmes, write_ical
from feeds.jsonfeed import GuideOut, write_json
from feeds.m3u import write_m3u
from feeds.pieces import PieceCache, shown_channels, xmltv_document

router = APIRouter(tags=["feeds"])

XMLTV_DAYS = 8
#: Feeds of up to this many channel-days are kept whole in the read cache; larger ones are streamed.
WHOLE_FEED_SLOTS = 64
ICAL_DAYS = 15


def window(service_today: date, from_day: date | None, days: int, offset: int) -> tuple[datetime, datetime]:
    """[start, end) in UTC: from ``from_day`` (default yesterday) plus ``offset`` days, ``days`` long."""
    first = (from_day or service_today - timedelta(days=1)) + timedelta(days=offset)
    start = datetime.combine(first, time(0), tzinfo=UTC)
    return start, start + timedelta(days=days)


ChannelsQ = Annotated[str | None, Query(description="Comma-separated channel ids (default: all).",
                                        examples=["bigasia.ru,tv1.demo.epg"])]
FromQ = Annotated[Day | None, Query(alias="from", description="First day (default: yesterday).")]
DaysQ = Annotated[int, Query(ge=1, le=31, description="Number of days.")]
OffsetQ = Annotated[int, Query(ge=-31, le=31, description="Shift the window by this many days.")]


def _guide(service: ServiceDep, channels: str | None, from_day: date | None, days: int, offset: int) -> Guide:
    start, end = window(service.clock().date(), from_day, days, offset)
    return service.guide(channel_ids(channels), start, end)


T = TypeVar("T")


def _reused(request: Request, service: ServiceDep, key: tuple[object, ...], make: Callable[[], T],
            size: Callable[[T], int]) -> T:
    """``make()``, or its answer kept in the app's read cache while nothing was written."""
    reads: ReadCache = request.app.state.reads
    return reads.fetch(key, service.generation, make, size)


def _kept(request: Request, service: ServiceDep, key: tuple[object, ...],
          make: Callable[[], tuple[Encoded, datetime | None]]) -> tuple[Encoded, datetime | None]:
    """A rendered feed and its Last-Modified; a default window depends on today, so today is in the key."""
    return _reused(request, service, (*key, service.clock().date()), make, lambda kept: len(kept[0]))


def _slots(request: Request, service: ServiceDep, ids: tuple[str, ...] | None, first: date, days: int
           ) -> list[DaySlot]:
    return _reused(request, service, ("slots", ids, first, days), lambda: service.day_slots(ids, first, days),
                   lambda slots: 256 * len(slots) + 64)


XMLTV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/xml": {}}, "description": "An XMLTV document."}}


def _xmltv(service: ServiceDep, request: Request, channels: str | None, from_day: date | None, days: int,
           offset: int, gzip_file: bool) -> Response:
    """The XMLTV document for a window of broadcast days, streamed from per-channel-day pieces."""
    first = (from_day or service.clock().date() - timedelta(days=1)) + timedelta(days=offset)
    slots = _slots(request, service, channel_ids(channels), first, days)
    cache: PieceCache = request.app.state.pieces
    stamps = [s.updated for s in slots if s.updated]

    def document() -> Iterator[bytes]:
        return xmltv_document(service, cache, shown_channels(slots), [slots])

    media_type = "application/gzip" if gzip_file else "application/xml; charset=utf-8"
    etag, modified = feed_etag("xmltv", slots), max(stamps) if stamps else None
    filename = "xmltv.xml.gz" if gzip_file else None
    if len(slots) <= WHOLE_FEED_SLOTS:
        # A player's own few channels: the whole document (and its gzip) is kept, like iCal's.
        body = _reused(request, service, ("xmltv", etag), lambda: Encoded(b"".join(document())), len)
        return cached_response(request, body, media_type, etag=etag, last_modified=modified, gzip_body=gzip_file,
                               filename=filename)
    return streamed_response(request, document, media_type, etag=etag, last_modified=modified, gzip_file=gzip_file,
                             filename=filename)


@router.get("/xmltv.xml", response_class=Response, responses=XMLTV_RESPONSE, summary="XMLTV guide",
            description="Broadcast days from `from` (default yesterday) shifted by `offset`, `days` long "
                        "(default 8). Rendered per channel-day revision and streamed; gzip with Accept-Encoding.")
def xmltv(service: ServiceDep, request: Request, channels: ChannelsQ = None, from_day: FromQ = None,
          days: DaysQ = XMLTV_DAYS, offset: OffsetQ = 0) -> Response:
    return _xmltv(service, request, channels, from_day, days, offset, gzip_file=False)


@router.get("/xmltv.xml.gz", response_class=Response, summary="XMLTV guide, gzip file",
            responses={200: {"content": {"application/gzip": {}}, "description": "gzip of /xmltv.xml"}})
def xmltv_gz(service: ServiceDep, request: Request, channels: ChannelsQ = None, from_day: FromQ = None,
             days: DaysQ = XMLTV_DAYS, offset: OffsetQ = 0) -> Response:
    return _xmltv(service, request, channels, from_day, days, offset, gzip_file=True)


@router.get("/ical/{channel_id}.ics", response_class=Response, summary="iCal feed of a channel",
            description="Subscribe to a channel, or narrow it to a series (`title`), a keyword (`q`), a category "
                        "or an age limit (`max_age`). Filtered feeds carry the same event UIDs as the channel feed.",
            responses={200: {"content": {"text/calendar": {}}, "description": "An iCalendar feed."}})
def ical(
    channel_id: str, service: ServiceDep, request: Request, from_day: FromQ = None,
    days: Annotated[int, Query(ge=1, le=62)] = ICAL_DAYS, offset: OffsetQ = 0,
    title: Annotated[str | None, Query(max_length=300, description="Only this series (exact title).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Only programmes mentioning this.")] = None,
    category: Annotated[str | None, Query(max_length=100, description="Only this category.")] = None,
    max_age: Annotated[int | None, Query(ge=0, le=21, description="Only programmes rated for this age.")] = None,
    remind: Annotated[int | None, Query(ge=0, le=1440, description="Add a reminder this many minutes before.")]
    = None,
) -> Response:
    def make() -> tuple[Encoded, datetime | None]:
        guide = _guide(service, channel_id, from_day, days, offset)
        item = guide.channels[0]
        chosen = filter_programmes(item.programmes, title=title, q=q, category=category, max_age=max_age)
        narrowed = [part for part in (title, q, category, f"{max_age}+" if max_age is not None else None) if part]
        name = " — ".join([item.channel.name, *narrowed])
        return Encoded(write_ical(item.channel, chosen, name=name, remind_minutes=remind)), guide.last_modified

    key = ("ical", channel_id.lower(), from_day, days, offset, title, q, category, max_age, remind)
    body, modified = _kept(request, service, key, make)
    return cached_response(request, body, "text/calendar; charset=utf-8", last_modified=modified,
                           filename=f"{channel_id.lower()}.ics")  # ids are kept in lowercase


@router.get("/playlist.m3u", response_class=Response, summary="M3U playlist of channels with streams",
            responses={200: {"content": {"audio/x-mpegurl": {}}, "description": "An extended M3U playlist."}})
def playlist(service: ServiceDep, request: Request) -> Response:
    # Only a configured address: this body is cached and shared, and a request's Host header is the caller's word.
    body = write_m3u(service.channels(), {}, base_url=service.base_url)
    return cached_response(request, body, "audio/x-mpegurl; charset=utf-8", filename="playlist.m3u")


@router.get("/api/guide", response_model=GuideOut, summary="Guide as JSON")
def guide_json(service: ServiceDep, request: Request, channels: ChannelsQ = None, from_day: FromQ = None,
               days: DaysQ = 2, offset: OffsetQ = 0) -> Response:
    def make() -> tuple[Encoded, datetime | None]:
        guide = _guide(service, channels, from_day, days, offset)
        return Encoded(write_json(guide)), guide.last_modified

    body, modified = _kept(request, service, ("guide", channel_ids(channels), from_day, days, offset), make)
    return cached_response(request, body, "application/json", last_modified=modified)
