"""Feeds for players and calendars: XMLTV (plain and gzip), iCal per channel, JSON guide."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.caching import cached_response
from api.deps import ServiceDep
from epg.models import Guide
from feeds.ical import write_ical
from feeds.jsonfeed import GuideOut, write_json
from feeds.xmltv import write_xmltv

router = APIRouter(tags=["feeds"])

XMLTV_DAYS = 8
ICAL_DAYS = 15


def window(service_today: date, from_day: date | None, days: int, offset: int) -> tuple[datetime, datetime]:
    """[start, end) in UTC: from ``from_day`` (default yesterday) plus ``offset`` days, ``days`` long."""
    first = (from_day or service_today - timedelta(days=1)) + timedelta(days=offset)
    start = datetime.combine(first, time(0), tzinfo=UTC)
    return start, start + timedelta(days=days)


ChannelsQ = Annotated[str | None, Query(description="Comma-separated channel ids (default: all).",
                                        examples=["bigasia.ru,tv1.demo.epg"])]
FromQ = Annotated[date | None, Query(alias="from", description="First day (default: yesterday).")]
DaysQ = Annotated[int, Query(ge=1, le=31, description="Number of days.")]
OffsetQ = Annotated[int, Query(ge=-31, le=31, description="Shift the window by this many days.")]


def _guide(service: ServiceDep, channels: str | None, from_day: date | None, days: int, offset: int) -> Guide:
    start, end = window(service.clock().date(), from_day, days, offset)
    ids = [c.strip() for c in channels.split(",") if c.strip()] if channels else None
    return service.guide(ids, start, end)


XMLTV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/xml": {}}, "description": "An XMLTV document."}}


@router.get("/xmltv.xml", response_class=Response, responses=XMLTV_RESPONSE, summary="XMLTV guide")
def xmltv(service: ServiceDep, request: Request, channels: ChannelsQ = None, from_day: FromQ = None,
          days: DaysQ = XMLTV_DAYS, offset: OffsetQ = 0) -> Response:
    guide = _guide(service, channels, from_day, days, offset)
    return cached_response(request, write_xmltv(guide), "application/xml; charset=utf-8",
                           last_modified=guide.last_modified)


@router.get("/xmltv.xml.gz", response_class=Response, summary="XMLTV guide, gzip file",
            responses={200: {"content": {"application/gzip": {}}, "description": "gzip of /xmltv.xml"}})
def xmltv_gz(service: ServiceDep, request: Request, channels: ChannelsQ = None, from_day: FromQ = None,
             days: DaysQ = XMLTV_DAYS, offset: OffsetQ = 0) -> Response:
    guide = _guide(service, channels, from_day, days, offset)
    return cached_response(request, write_xmltv(guide), "application/gzip", last_modified=guide.last_modified,
                           gzip_body=True, filename="xmltv.xml.gz")


@router.get("/ical/{channel_id}.ics", response_class=Response, summary="iCal feed of a channel",
            responses={200: {"content": {"text/calendar": {}}, "description": "An iCalendar feed."}})
def ical(channel_id: str, service: ServiceDep, request: Request, from_day: FromQ = None,
         days: Annotated[int, Query(ge=1, le=62)] = ICAL_DAYS, offset: OffsetQ = 0) -> Response:
    guide = _guide(service, channel_id, from_day, days, offset)
    item = guide.channels[0]
    body = write_ical(item.channel, item.programmes)
    return cached_response(request, body, "text/calendar; charset=utf-8", last_modified=guide.last_modified,
                           filename=f"{item.channel.id}.ics")


@router.get("/api/guide", response_model=GuideOut, summary="Guide as JSON")
def guide_json(service: ServiceDep, request: Request, channels: ChannelsQ = None, from_day: FromQ = None,
               days: DaysQ = 2, offset: OffsetQ = 0) -> Response:
    guide = _guide(service, channels, from_day, days, offset)
    return cached_response(request, write_json(guide), "application/json", last_modified=guide.last_modified)
