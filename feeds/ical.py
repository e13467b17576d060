"""iCal writer: a channel's programmes → an RFC 5545 calendar subscribers can follow.

Each programme is one VEVENT whose UID is its stable programme id, so a
re-published schedule moves or drops events instead of duplicating them;
SEQUENCE and LAST-MODIFIED come from the store, DTSTAMP from the time the
programme last changed, so the same data always gives the same bytes.

Times are written in the channel's zone (``DTSTART;TZID=Europe/Berlin:…``)
with a VTIMEZONE covering the span. One case cannot be written that way: a
local time in the hour a DST switch repeats (02:30 on the last Sunday of
October in Berlin happens twice), which RFC 5545 §3.3.5 says means the
*first* occurrence. A start or stop in the second occurrence is written in
UTC (``…Z``) instead, so every instant reads back exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vDuration, vText

from epg.decoding import CONTROL_CHARACTERS
from epg.models import Channel, Programme

PRODID = "-//epg//epg TV guide//EN"
UID_DOMAIN = "epg"
REFRESH = timedelta(hours=6)


def summary(programme: Programme) -> str:
    return f"{programme.title}. {programme.sub_title}" if programme.sub_title else programme.title


def uid_for(programme: Programme, channel: Channel) -> str:
    """The event UID: the stable programme id, or (before publishing) one derived from channel, start and title."""
    if programme.id:
        return f"{programme.id}@{UID_DOMAIN}"
    key = f"{channel.id}|{programme.start.astimezone(UTC).isoformat()}|{programme.title}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@{UID_DOMAIN}"


def _local(moment: datetime, channel: Channel) -> datetime:
    """``moment`` in the channel's zone, or in UTC when that local time is the second of a repeated hour."""
    local = moment.astimezone(channel.zoneinfo)
    return local.astimezone(UTC) if local.fold else local


def event_for(programme: Programme, channel: Channel, *, remind_minutes: int | None = None) -> Event:
    """One VEVENT; with ``remind_minutes``, a DISPLAY alarm that many minutes before the start."""
    categories = list(programme.categories)
    if programme.rating:
        categories.append(programme.rating.value)
    details = [channel.name]
    if programme.description:
        details.append(programme.description)
    if programme.rating:
        system, value = programme.rating.system, programme.rating.value
        details.append(value if value.upper().startswith(system.upper()) else f"{system} {value}")  # not "FSK FSK 12"
    event = Event.new(
        uid=uid_for(programme, channel),
        summary=summary(programme),
        start=_local(programme.start, channel),
        end=_local(programme.stop, channel),
        stamp=programme.modified,
        last_modified=programme.modified,
        sequence=programme.sequence,
        location=channel.name,
        description="\n".join(details),
    )
    if categories:
        event.add("CATEGORIES", categories)
    if remind_minutes is not None:
        event.add_component(reminder(remind_minutes, summary(programme)))
    return event


def reminder(minutes: int, text: str) -> Alarm:
    """A DISPLAY alarm ``minutes`` before the start (``TRIGGER:-PT10M``)."""
    if minutes < 0:
        raise ValueError("remind_minutes must be 0 or more")
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", text)
    alarm.add("TRIGGER", timedelta(minutes=-minutes))
    return alarm


def _calendar(name: str, description: str, uid: uuid.UUID) -> Calendar:
    calendar = Calendar.new(prodid=PRODID, uid=uid, calscale="GREGORIAN")
    # icalendar writes NAME and the X-WR-* names unescaped; as TEXT, "," ";" "\" and newlines must be escaped.
    for key in ("NAME", "X-WR-CALNAME"):
        calendar.add(key, vText(name))
    for key in ("DESCRIPTION", "X-WR-CALDESC"):
        calendar.add(key, vText(description))
    return calendar


def _finish(calendar: Calendar, channel: Channel, items: list[Programme]) -> bytes:
    if items:
        first = min(p.start for p in items).astimezone(channel.zoneinfo).date() - timedelta(days=1)
        last = max(p.stop for p in items).astimezone(channel.zoneinfo).date() + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = calendar.to_ical()
    # No calendar line may hold a control character, whatever a channel's name or an import carried.
    return CONTROL_CHARACTERS.sub("", data.decode("utf-8")).encode("utf-8")


def write_ical(channel: Channel, items: list[Programme], name: str | None = None, *,
               remind_minutes: int | None = None) -> bytes:
    """A calendar of ``items`` on ``channel``, with a VTIMEZONE for the span it covers."""
    calendar = _calendar(name or channel.name, f"TV schedule of {channel.name}",
                         uuid.uuid5(uuid.NAMESPACE_DNS, f"{channel.id}.{UID_DOMAIN}"))
    # RFC 7986 wants VALUE=DURATION spelled out; Apple and Outlook read X-PUBLISHED-TTL.
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    calendar.add("X-WR-TIMEZONE", channel.tz)
    for programme in items:
        calendar.add_component(event_for(programme, channel, remind_minutes=remind_minutes))
    return _finish(calendar, channel, items)


def one_event(programme: Programme, channel: Channel, *, remind_minutes: int | None = None) -> bytes:
    """An "add to calendar" file: one VEVENT (same UID as in the channel's feed) and its VTIMEZONE."""
    calendar = _calendar(summary(programme), f"{channel.name}: {summary(programme)}",
                         uuid.uuid5(uuid.NAMESPACE_URL, uid_for(programme, channel)))
    calendar.add_component(event_for(programme, channel, remind_minutes=remind_minutes))
    return _finish(calendar, channel, [programme])


def filter_programmes(items: Iterable[Programme], title: str | None = None, q: str | None = None,
                      category: str | None = None, max_age: int | None = None) -> list[Programme]:
    """The programmes a personal calendar asks for; every given condition must hold, order kept.

    - ``title``: the title equals it, ignoring case and surrounding spaces (one series);
    - ``q``: it occurs, ignoring case, in the title, the sub-title or the description;
    - ``category``: one of the programme's categories equals it, ignoring case;
    - ``max_age``: the programme's rating has a minimum age of at most ``max_age``.
      A programme with no rating (or one whose minimum age is unknown) is kept
      only when ``max_age`` is 18 or more: a calendar filtered for a child must
      not let through what nobody has rated, and at 18 every rating is allowed anyway.
    """
    wanted_title = title.strip().casefold() if title is not None else None
    needle = q.casefold() if q else None
    wanted_category = category.strip().casefold() if category is not None else None
    result: list[Programme] = []
    for programme in items:
        if wanted_title is not None and programme.title.strip().casefold() != wanted_title:
            continue
        if needle is not None:
            haystack = " ".join(t for t in (programme.title, programme.sub_title, programme.description) if t)
            if needle not in haystack.casefold():
                continue
        if wanted_category is not None and wanted_category not in {c.strip().casefold()
                                                                     for c in programme.categories}:
            continue
        if max_age is not None:
            age = programme.rating.min_age if programme.rating else None
            if (age is None and max_age < 18) or (age is not None and age > max_age):
                continue
        result.append(programme)
    return result
