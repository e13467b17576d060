"""iCal writer: a channel's programmes → an RFC 5545 calendar subscribers can follow.

Each programme is one VEVENT whose UID is its stable programme id, so a
re-published schedule moves or drops events instead of duplicating them;
SEQUENCE and LAST-MODIFIED come from the store, DTSTAMP from the time the
programme last changed, so the same data always gives the same bytes.

Times are written in the channel's zone (``DTSTART;TZID=Europe/Berlin:…``)
with the zone's VTIMEZONE (see :func:`vtimezone`): the same block in every
feed of that zone, whatever dates the feed covers. A local time is written
only when it names one instant whichever way a client reads it. In the hour
a DST switch repeats (02:30 on the last Sunday of October in Berlin happens
twice) RFC 5545 §3.3.5 says a local time means the *first* occurrence, but
ical.js, node-ical and khal take the *second*; so an instant whose local
time names two (either occurrence of a repeated hour) is written in UTC
(``…Z``), as is one before the VTIMEZONE starts (:data:`ZONE_SINCE`).
Every instant reads back exactly, whichever way a client resolves it.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import struct
import uuid
import zoneinfo
from calendar import isleap, monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vText

from epg.categories import category_names
from epg.decoding import CONTROL_CHARACTERS
from epg.details import CREDIT_KINDS, ProgrammeDetails
from epg.models import Channel, Programme
from epg.timeline import YEARS

PRODID = "-//epg//epg TV guide//EN"
UID_DOMAIN = "epg"
REFRESH = timedelta(hours=6)


def _season_episode(programme: Programme) -> tuple[int | None, int | None]:
    """The season and episode numbers; one below 1 means unknown, as in XMLTV."""
    season, episode = programme.season, programme.episode
    return (season if season and season > 0 else None), (episode if episode and episode > 0 else None)


def episode_code(programme: Programme) -> str | None:
    """``S2E5``, ``E5`` or ``S2`` for the programme's season and episode; None when neither is known.

    This short form goes in SUMMARY: calendar cells are narrow and cut the end of a title, and a series fills a
    calendar with events of one title, so what tells them apart must be short and come right after it. ``S2E5``
    is what streaming services and players (and this site's pages, "S2 E5") show in every language, while a bare
    "(5)" cannot carry a season and reads like a part number, a sequel or the "(12+)" age marks printed next to
    titles.
    """
    season, episode = _season_episode(programme)
    code = (f"S{season}" if season else "") + (f"E{episode}" if episode else "")
    return code or None


def episode_text(programme: Programme) -> str | None:
    """The season and episode spelled out for DESCRIPTION (as the programme page says them)."""
    season, episode = _season_episode(programme)
    if season and episode:
        return f"Season {season}, episode {episode}"
    if season:
        return f"Season {season}"
    return f"Episode {episode}" if episode else None


def summary(programme: Programme) -> str:
    """``Title S2E5. Sub-title``: the title, its episode code (see :func:`episode_code`), the sub-title."""
    code = episode_code(programme)
    title = f"{programme.title} {code}" if code else programme.title
    return f"{title}. {programme.sub_title}" if programme.sub_title else title


def uid_for(programme: Programme, channel: Channel) -> str:
    """The event UID: the stable programme id, or (before publishing) one derived from channel, start and title."""
    if programme.id:
        return f"{programme.id}@{UID_DOMAIN}"
    key = f"{channel.id}|{programme.start.astimezone(UTC).isoformat()}|{programme.title}"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, key)}@{UID_DOMAIN}"


def _written(moment: datetime, channel: Channel) -> datetime:
    """``moment`` in the channel's zone when that local time names it unambiguously, else in UTC.

    A local time in a repeated hour means one instant to RFC 5545 and the other to ical.js, node-ical and khal,
    so both occurrences are written in UTC; so is anything the zone's VTIMEZONE does not cover.
    """
    zone = channel.zoneinfo
    instant = moment.astimezone(UTC)
    local = moment.astimezone(zone)
    wall = local.replace(tzinfo=None)
    exact = all(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) == instant for fold in (0, 1))
    return local if exact and vtimezone(channel.tz).covers(instant) else instant


#: How DESCRIPTION names each kind of credit.
CREDIT_LABELS = dict(zip(CREDIT_KINDS, ("Director", "Cast", "Writer", "Adapter", "Producer", "Composer", "Editor",
                                        "Presenter", "Commentator", "Guest"), strict=True))


def credits_text(details: ProgrammeDetails | None) -> str | None:
    """``Director: Wim Wenders`` / ``Cast: Bruno Ganz (Damiel), Peter Falk``: one line per kind, in DTD order."""
    if details is None or not details.credits:
        return None
    lines = []
    for kind, label in CREDIT_LABELS.items():
        names = [f"{c.name} ({c.role})" if c.role else c.name for c in details.credits if c.kind == kind and c.name]
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    return "\n".join(lines) or None


def poster(details: ProgrammeDetails | None) -> str | None:
    """The picture a calendar shows: the first poster, else the first image, else the first icon."""
    if details is None:
        return None
    images = [i for i in details.images if i.type == "poster"] or list(details.images)
    return images[0].url if images else details.icons[0].src if details.icons else None


def event_for(programme: Programme, channel: Channel, *, remind_minutes: int | None = None) -> Event:
    """One VEVENT; with ``remind_minutes``, a DISPLAY alarm that many minutes before the start.

    The age rating is in DESCRIPTION and in ``X-EPG-AGE-RATING`` (its system as ``X-EPG-SYSTEM``), never in
    CATEGORIES: calendars offer categories as the user's own labels and filters, and "16+" is not a genre.
    """
    details = [channel.name]
    episode = episode_text(programme)
    if episode:
        details.append(episode)
    if programme.description:
        details.append(programme.description)
    cast = credits_text(programme.details)
    if cast:
        details.append(cast)
    if programme.rating:
        system, value = programme.rating.system, programme.rating.value
        details.append(value if value.upper().startswith(system.upper()) else f"{system} {value}")  # not "FSK FSK 12"
    event = Event.new(
        uid=uid_for(programme, channel),
        summary=summary(programme),
        start=_written(programme.start, channel),
        end=_written(programme.stop, channel),
        stamp=programme.modified,
        last_modified=programme.modified,
        sequence=programme.sequence,
        location=channel.name,
        description="\n".join(details),
    )
    categories = category_names(programme)
    if categories:
        event.add("CATEGORIES", categories)
    picture = poster(programme.details)
    if picture:  # RFC 7986
        event.add("IMAGE", picture, parameters={"VALUE": "URI", "DISPLAY": "THUMBNAIL"})
    if programme.details and programme.details.urls:
        event.add("URL", programme.details.urls[0].url)
    if programme.rating:
        event.add("X-EPG-AGE-RATING", vText(programme.rating.value),
                  parameters={"X-EPG-SYSTEM": programme.rating.system})
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


def _finish(calendar: Calendar, channel: Channel) -> bytes:
    # The zone's VTIMEZONE always, first: it is the same block in every feed of the zone, and a calendar with no
    # events (a filter that matched nothing) still has a component, as RFC 5545 and icalendar's validate() ask.
    calendar.subcomponents.insert(0, vtimezone(channel.tz).component)
    data: bytes = calendar.to_ical()
    # No calendar line may hold a control character, whatever a channel's name or an import carried.
    return CONTROL_CHARACTERS.sub("", data.decode("utf-8")).encode("utf-8")


def write_ical(channel: Channel, items: list[Programme], name: str | None = None, *,
               remind_minutes: int | None = None) -> bytes:
    """A calendar of ``items`` on ``channel``, with the zone's VTIMEZONE."""
    calendar = _calendar(name or channel.name, f"TV schedule of {channel.name}",
                         uuid.uuid5(uuid.NAMESPACE_DNS, f"{channel.id}.{UID_DOMAIN}"))
    # RFC 7986 wants VALUE=DURATION spelled out; Apple and Outlook read X-PUBLISHED-TTL.
    calendar.add("REFRESH-INTERVAL", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    calendar.add("X-WR-TIMEZONE", channel.tz)
    for programme in items:
        calendar.add_component(event_for(programme, channel, remind_minutes=remind_minutes))
    return _finish(calendar, channel)


def one_event(programme: Programme, channel: Channel, *, remind_minutes: int | None = None) -> bytes:
    """An "add to calendar" file: one VEVENT (same UID as in the channel's feed) and its VTIMEZONE."""
    calendar = _calendar(summary(programme), f"{channel.name}: {summary(programme)}",
                         uuid.uuid5(uuid.NAMESPACE_URL, uid_for(programme, channel)))
    calendar.add_component(event_for(programme, channel, remind_minutes=remind_minutes))
    return _finish(calendar, channel)


def filter_programmes(items: Iterable[Programme], title: str | None = None, q: str | None = None,
                      category: str | None = None, max_age: int | None = None) -> list[Programme]:
    """The programmes a personal calendar asks for; every given condition must hold, order kept.

    - ``title``: the title equals it, ignoring case and surrounding spaces (one series);
    - ``q``: it occurs, ignoring case, in the title, the sub-title or the description;
    - ``category``: one of the categories the feeds give it (:func:`epg.categories.category_names`: its
      own, its class such as ``Movie``, ``Live``) equals it, ignoring case;
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
        if wanted_category is not None and wanted_category not in {c.casefold()
                                                                     for c in category_names(programme)}:
            continue
        if max_age is not None:
            age = programme.rating.min_age if programme.rating else None
            if (age is None and max_age < 18) or (age is not None and age > max_age):
                continue
        result.append(programme)
    return result


# --- VTIMEZONE: the zone's whole rule, the same block whatever dates a feed covers --------------------------------

#: The VTIMEZONE starts at local midnight of this day. The tz database vouches for offsets only since 1970 (zones
#: that agree since then were merged, so older history changes between tzdata versions); an instant before it is
#: written in UTC.
ZONE_SINCE = date(1970, 1, 1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY = 86400
_WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # POSIX numbers them from Sunday = 0
_SHORTEST_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class _Change:
    """One change of a zone: from ``before`` to ``after`` seconds east of UTC, into ``name`` (daylight or not)."""

    at: datetime  # the instant, in UTC
    before: int
    after: int
    dst: bool
    name: str

    @property
    def wall(self) -> datetime:
        """The onset as VTIMEZONE writes it: the local time just before the change (RFC 5545 §3.6.5)."""
        return (self.at + timedelta(seconds=self.before)).replace(tzinfo=None)


@dataclass(frozen=True)
class _Rule:
    """One date of a POSIX TZ string: ``Mm.w.d`` (kind "M"), ``Jn`` (1–365, no 29 February) or ``n`` (0–365)."""

    kind: str
    month: int = 0
    week: int = 0  # 1–4, or 5 for the last one in the month
    weekday: int = 0  # 0 = Sunday
    day: int = 0
    seconds: int = 7200  # local time of the change; may be negative or pass 24 hours (RFC 8536 §3.3.1)

    def onset(self, year: int) -> datetime:
        """The local wall time (in the offset before the change) of this change in ``year``."""
        if self.kind == "M":
            first = date(year, self.month, 1)
            day = 1 + (self.weekday - (first.weekday() + 1) % 7) % 7 + 7 * (self.week - 1)
            if day > monthrange(year, self.month)[1]:
                day -= 7
            when = date(year, self.month, day)
        elif self.kind == "J":
            when = date(year, 1, 1) + timedelta(days=self.day - 1 + (self.day >= 60 and isleap(year)))
        else:
            when = date(year, 1, 1) + timedelta(days=self.day)
        return datetime.combine(when, datetime.min.time()) + timedelta(seconds=self.seconds)


@dataclass(frozen=True)
class _Footer:
    """The POSIX TZ string closing a TZif file: the rule the zone follows after its last listed change."""

    std_name: str
    std: int
    dst_name: str | None = None
    dst: int = 0
    start: _Rule | None = None  # into daylight time
    end: _Rule | None = None  # back to standard time

    def changes(self, year: int) -> list[_Change]:
        if self.dst_name is None or self.start is None or self.end is None:
            return []
        on = self.start.onset(year).replace(tzinfo=UTC) - timedelta(seconds=self.std)
        off = self.end.onset(year).replace(tzinfo=UTC) - timedelta(seconds=self.dst)
        return sorted([_Change(on, self.std, self.dst, True, self.dst_name),
                       _Change(off, self.dst, self.std, False, self.std_name)], key=lambda c: c.at)


_TZ_NAME = r"(<[^>]*>|[A-Za-z]{3,})"
_TZ_TIME = r"([+-]?\d{1,3}(?::\d{1,2}){0,2})"
_TZ_RULE = r"(M\d{1,2}\.\d\.\d|J\d{1,3}|\d{1,3})(?:/" + _TZ_TIME + ")?"
_TZ_STRING = re.compile(rf"{_TZ_NAME}{_TZ_TIME}(?:{_TZ_NAME}{_TZ_TIME}?,{_TZ_RULE},{_TZ_RULE})?")


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    pieces = [int(p) for p in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (pieces[0] * 3600 + pieces[1] * 60 + pieces[2])


def _rule(text: str, at: str | None) -> _Rule:
    seconds = _seconds(at) if at else 7200
    if text.startswith("M"):
        month, week, weekday = (int(p) for p in text[1:].split("."))
        return _Rule("M", month=month, week=week, weekday=weekday, seconds=seconds)
    if text.startswith("J"):
        return _Rule("J", day=int(text[1:]), seconds=seconds)
    return _Rule("N", day=int(text), seconds=seconds)


def _footer(text: str) -> _Footer | None:
    """The rule of a POSIX TZ string (``CET-1CEST,M3.5.0,M10.5.0/3``); None when it is not one."""
    match = _TZ_STRING.fullmatch(text)
    if not match:
        return None
    std_name, std, dst_name, dst, start, start_at, end, end_at = match.groups()
    std_seconds = -_seconds(std)  # POSIX counts west of UTC
    if dst_name is None:
        return _Footer(std_name.strip("<>"), std_seconds)
    return _Footer(std_name.strip("<>"), std_seconds, dst_name.strip("<>"),
                   -_seconds(dst) if dst else std_seconds + 3600, _rule(start, start_at), _rule(end, end_at))


def _tzif(key: str) -> bytes | None:
    """The TZif file ``zoneinfo.ZoneInfo(key)`` reads: the first on ``zoneinfo.TZPATH``, else the tzdata package's."""
    if key.startswith("/") or ".." in key.split("/"):
        return None
    for base in zoneinfo.TZPATH:
        path = os.path.join(base, key)
        if os.path.isfile(path):
            with open(path, "rb") as file:
                return file.read()
    try:
        package, _, name = f"tzdata.zoneinfo/{key}".rpartition("/")
        return importlib.resources.files(package.replace("/", ".")).joinpath(name).read_bytes()
    except (ImportError, OSError, ValueError):
        return None


def _read_tzif(data: bytes) -> tuple[list[_Change], datetime | None, _Footer | None]:
    """What a TZif file says (RFC 8536): the changes it lists, dropping any that change nothing; the instant of its
    last transition, such a one included (the closing rule applies only after it); and its closing rule."""
    if data[:4] != b"TZif":
        raise ValueError("not a TZif file")
    version, size, position = data[4], 4, 0
    while True:
        isut, isstd, leaps, count, types, chars = struct.unpack(">6l", data[position + 20:position + 44])
        if version < ord("2") or size == 8:
            break
        position += 44 + count * 5 + types * 6 + chars + leaps * 8 + isstd + isut  # skip the 32-bit block
        size = 8
    position += 44
    times = struct.unpack(f">{count}{'q' if size == 8 else 'l'}", data[position:position + count * size])
    position += count * size
    indices = data[position:position + count]
    position += count
    kinds = [struct.unpack(">lBB", data[position + 6 * n:position + 6 * n + 6]) for n in range(types)]
    position += 6 * types
    names = data[position:position + chars]
    position += chars + leaps * (size + 4) + isstd + isut
    info = [(offset, bool(dst), names[index:names.index(b"\0", index)].decode("ascii", "replace"))
            for offset, dst, index in kinds]
    changes: list[_Change] = []
    previous = info[0]
    for moment, index in zip(times, indices, strict=True):
        current = info[index]
        if current != previous:
            changes.append(_Change(_EPOCH + timedelta(seconds=moment), previous[0], current[0], current[1],
                                   current[2]))
        previous = current
    footer = None
    if version >= ord("2"):
        lines = data[position:].split(b"\n")
        footer = _footer(lines[1].decode("ascii", "replace")) if len(lines) > 1 else None
    return changes, _EPOCH + timedelta(seconds=times[-1]) if times else None, footer


def _rrule_parts(rule: _Rule) -> list[tuple[int, str, list[int] | None]] | None:
    """``rule`` as yearly RRULEs: (BYMONTH, BYDAY, BYMONTHDAY or None) each; None when RRULEs cannot say it.

    ``M10.5.0/3`` is ``BYMONTH=10;BYDAY=-1SU``. A time past 24 h or below 0 moves the day: Jerusalem's
    ``M3.4.4/26`` is the Friday after the fourth Thursday, ``BYDAY=FR;BYMONTHDAY=23,…,29``; when those days
    run into the next (or previous) month, that month gets an RRULE of its own.
    """
    if rule.kind != "M":
        return None
    shift = rule.seconds // _DAY
    if shift == 0:
        return [(rule.month, f"{-1 if rule.week == 5 else rule.week}{_WEEKDAYS[rule.weekday]}", None)]
    weekday = _WEEKDAYS[(rule.weekday + shift) % 7]
    before, after = (rule.month + 10) % 12 + 1, rule.month % 12 + 1
    shortest = _SHORTEST_MONTH[rule.month]
    if rule.week == 5:  # the last such day: counted from the month's end (-1 is the last day)
        window = range(-7 + shift, shift)
        if window.start < -shortest:
            return None
        parts = [(rule.month, [d for d in window if d < 0]), (after, [d + 1 for d in window if d >= 0])]
    else:
        window = range(7 * (rule.week - 1) + 1 + shift, 7 * rule.week + 1 + shift)
        if window[-1] > shortest and rule.month == 2:  # where it ends depends on leap years
            return None
        parts = [(before, [d - 1 for d in window if d < 1]), (rule.month, [d for d in window if 1 <= d <= shortest]),
                 (after, [d - shortest for d in window if d > shortest])]
    return [(month, weekday, days) for month, days in parts if days]


@dataclass(frozen=True)
class _Zone:
    """A channel zone's VTIMEZONE and the instants it describes: from ``since`` on, up to ``until`` if given."""

    component: Timezone
    since: datetime
    until: datetime | None = None

    def covers(self, instant: datetime) -> bool:
        return self.since <= instant and (self.until is None or instant < self.until)


def _taken_over(changes: list[_Change], end: datetime | None, footer: _Footer) -> _Change | None:
    """Drop from ``changes`` the run at its end that ``footer`` makes anyway; the first of them, if any.

    A fat TZif file lists the rule's changes until 2037, a slim one stops sooner; either way the rule takes over
    from the same change. A change is the rule's only if the rule makes it and nothing else until the next one
    (or, for the last listed, until the file's last transition): a year the zone skipped stays listed.
    """
    taken_over: _Change | None = None
    while changes:
        change = changes[-1]
        year = change.at.year
        nearby = sorted(footer.changes(year - 1) + footer.changes(year) + footer.changes(year + 1), key=lambda c: c.at)
        following = next((c for c in nearby if c.at > change.at), None)
        if change not in nearby:
            break
        if taken_over is not None and following != taken_over:
            break
        if taken_over is None and following is not None and end is not None and following.at <= end:
            break
        taken_over = changes.pop()
    return taken_over


@cache
def vtimezone(key: str) -> _Zone:
    """The VTIMEZONE of zone ``key``: every change since :data:`ZONE_SINCE` and the rule it follows now.

    Built from the zone's own TZif file (the one :class:`zoneinfo.ZoneInfo` reads), never from a feed's dates,
    so every feed of a zone carries the same block: clients such as vobject keep the first VTIMEZONE they see for a
    TZID and read every later calendar with it. Past changes are listed (grouped as RDATEs); the rule the zone
    follows today is an RRULE, which covers every later year. Fat and slim TZif files give the same block.

    Cached: a zone's block is a function of the installed tz database. Callers must not change it.
    """
    zone = ZoneInfo(key)
    start = datetime.combine(ZONE_SINCE, datetime.min.time(), zone)
    since = start.astimezone(UTC)
    try:
        data = _tzif(key)
        if data is None:
            raise ValueError(f"no TZif file for {key}")
        changes, end, footer = _read_tzif(data)
    except (ValueError, IndexError, struct.error):  # nothing to read: what ZoneInfo shows until 2038, probed
        last = date(2038, 1, 1)
        probed = Timezone.from_tzinfo(zone, key, first_date=ZONE_SINCE, last_date=last)
        del probed["COMMENT"]
        return _Zone(probed, since, datetime.combine(last, datetime.min.time(), zone).astimezone(UTC))
    taken_over = _taken_over(changes, end, footer) if footer else None
    offset = int((start.utcoffset() or timedelta()).total_seconds())
    listed = [_Change(since, offset, offset, bool(start.dst()), start.tzname() or key)]
    listed += [change for change in changes if change.at > since]
    until: datetime | None = None
    repeating: list[tuple[_Change, tuple[int, str, list[int] | None]]] = []
    if footer and footer.start and footer.end:
        # The rule's first change: the first one taken over, else the first it makes after the file's last one.
        after = max(taken_over.at - timedelta(seconds=1) if taken_over else end or since, since)
        later = [c for year in range(after.year - 1, YEARS.stop) for c in footer.changes(year) if c.at > after]
        into, out = _rrule_parts(footer.start), _rrule_parts(footer.end)
        if into is None or out is None:  # spelled out, as far as a schedule can be dated
            listed += later
            until = datetime(YEARS.stop, 1, 1, tzinfo=UTC)
        else:
            for dst, parts in ((True, into), (False, out)):
                for part in parts:
                    first = next((c for c in later if c.dst == dst and c.wall.month == part[0]), None)
                    if first:
                        repeating.append((first, part))
    return _Zone(_component(key, listed, repeating), since, until)


def _component(key: str, listed: list[_Change], repeating: list[tuple[_Change, tuple[int, str, list[int] | None]]],
               ) -> Timezone:
    """The VTIMEZONE: ``listed`` changes grouped by what they change into (DTSTART and RDATEs), and for each
    part of the rule an observance from its first change (``repeating``) with its RRULE; in order of onset.

    With no rule to follow, the last change stands alone, so the last observance is the offset in force now for
    readers that look at the last one only.
    """
    alone = listed[-1:] if not repeating and len(listed) > 1 else []
    groups: dict[tuple[bool, int, int, str], list[datetime]] = {}
    for change in listed[:len(listed) - len(alone)]:
        groups.setdefault((change.dst, change.before, change.after, change.name), []).append(change.wall)
    observances: list[tuple[datetime, TimezoneStandard | TimezoneDaylight]] = []
    for (dst, before, after, name), walls in [*groups.items(), *(((c.dst, c.before, c.after, c.name), [c.wall])
                                                                 for c in alone)]:
        observance = _observance(dst, before, after, name, walls[0])
        if walls[1:]:
            observance.add("RDATE", walls[1:])
        observances.append((walls[0], observance))
    for change, (month, weekday, days) in repeating:
        observance = _observance(change.dst, change.before, change.after, change.name, change.wall)
        recur: dict[str, object] = {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": weekday}
        if days:
            recur["BYMONTHDAY"] = days
        observance.add("RRULE", recur)
        observances.append((change.wall, observance))
    component = Timezone()
    component.add("TZID", key)
    for _, observance in sorted(observances, key=lambda pair: pair[0]):
        component.add_component(observance)
    return component


def _observance(dst: bool, before: int, after: int, name: str, onset: datetime) -> TimezoneStandard | TimezoneDaylight:
    observance = TimezoneDaylight() if dst else TimezoneStandard()
    observance.add("DTSTART", onset)
    observance.add("TZOFFSETFROM", timedelta(seconds=before))
    observance.add("TZOFFSETTO", timedelta(seconds=after))
    observance.add("TZNAME", name)
    return observance
