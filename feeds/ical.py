"""iCal writer: a channel's programmes → an RFC 5545 calendar subscribers can follow.

Each programme is one VEVENT whose UID is its stable programme id, so a
re-published schedule moves or drops events instead of duplicating them;
SEQUENCE and LAST-MODIFIED come from the store, DTSTAMP from the time the
programme last changed, so the same data always gives the same bytes.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from icalendar import Calendar, Event, vDuration

from epg.models import Channel, Programme

PRODID = "-//epg//epg TV guide//EN"
UID_DOMAIN = "epg"
REFRESH = timedelta(hours=6)


def summary(programme: Programme) -> str:
    return f"{programme.title}. {programme.sub_title}" if programme.sub_title else programme.title


def event_for(programme: Programme, channel: Channel) -> Event:
    categories = list(programme.categories)
    if programme.rating:
        categories.append(programme.rating.value)
    details = [channel.name]
    if programme.description:
        details.append(programme.description)
    if programme.rating:
        details.append(f"{programme.rating.system} {programme.rating.value}")
    event = Event.new(
        uid=f"{programme.id}@{UID_DOMAIN}",
        summary=summary(programme),
        start=programme.start.astimezone(channel.zoneinfo),
        end=programme.stop.astimezone(channel.zoneinfo),
        stamp=programme.modified,
        last_modified=programme.modified,
        sequence=programme.sequence,
        location=channel.name,
        description="\n".join(details),
        categories=categories,
    )
    return event


def write_ical(channel: Channel, items: list[Programme], name: str | None = None) -> bytes:
    """A calendar of ``items`` on ``channel``, with a VTIMEZONE for the span it covers."""
    calendar = Calendar.new(
        prodid=PRODID,
        uid=uuid.uuid5(uuid.NAMESPACE_DNS, f"{channel.id}.{UID_DOMAIN}"),
        name=name or channel.name,
        description=f"TV schedule of {channel.name}",
        calscale="GREGORIAN",
    )
    # RFC 7986 wants VALUE=DURATION spelled out; Apple and Outlook read X-PUBLISHED-TTL.
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    calendar.add("X-WR-TIMEZONE", channel.tz)
    for programme in items:
        calendar.add_component(event_for(programme, channel))
    if items:
        first = min(p.start for p in items).date() - timedelta(days=1)
        last = max(p.stop for p in items).date() + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = calendar.to_ical()
    return data
