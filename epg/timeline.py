"""Clock times → instants: dates, midnight rollover, stops, in the channel's zone.

Rules, each with the warning it gives when it had to assume something:

* Entries are dated by the last day header before them, or by the first
  broadcast day given by the caller.
* A time earlier than the one before it continues the night (the next
  calendar day) when that makes the step forward at most
  :data:`MAX_OVERNIGHT_GAP`; a bigger backwards step is taken as a typo and
  stays on the same day.
* ``24:10``/``25:30`` are past midnight of the entry's day.
* The stop is the explicit one when the text has a range, else the next
  later start. The last programme, which the text does not end, runs
  :data:`LAST_PROGRAMME_MINUTES` (a stated, flagged assumption): feeds need a
  stop, and publishing the following day replaces it with that day's first
  start.
* Wall times that do not exist (spring-forward gap) or repeat (fall-back)
  resolve with ``fold=0``, which is what a printed listing means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from epg.models import Diagnostic, Programme
from epg.parser import Entry

MAX_OVERNIGHT_GAP = timedelta(hours=12)
LAST_PROGRAMME_MINUTES = 60


@dataclass
class Timeline:
    programmes: list[Programme] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The listing day of each programme (its day header, or the first day): the grid it belongs to.
    days: list[date] = field(default_factory=list)


def _instant(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """Local wall time ``minute`` after midnight of ``day`` as an aware datetime."""
    day = day + timedelta(days=minute // 1440)
    minute %= 1440
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    # Round-trip through UTC so a non-existent wall time lands on a real instant.
    return wall.replace(tzinfo=tz).astimezone(ZoneInfo("UTC")).astimezone(tz)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def build_timeline(entries: list[Entry], first_day: date, tz: ZoneInfo) -> Timeline:
    """Aware programmes for parsed entries; see the module docstring for the rules."""
    out = Timeline()
    warn = out.diagnostics.append
    starts: list[datetime] = []
    local: list[tuple[date, int]] = []  # the (day, minute) each start was built from
    header_day: date | None = None
    day = listing_day = first_day
    previous: int | None = None  # minute of the previous entry, relative to ``day``
    for entry in entries:
        if entry.day is not None and entry.day != header_day:
            header_day = day = listing_day = entry.day
            previous = None
        minute = entry.minute
        if previous is not None and minute < previous:
            forward = minute + 1440 - previous
            if timedelta(minutes=forward) <= MAX_OVERNIGHT_GAP and minute < 1440:
                day += timedelta(days=1)
                previous -= 1440
                warn(Diagnostic(line=entry.line, severity="warning", message=(
                    f"{_hhmm(minute)} comes after {_hhmm((previous + 1440) % 1440)}: taken as past midnight, "
                    f"on {day.isoformat()}.")))
            else:
                warn(Diagnostic(line=entry.line, severity="warning", message=(
                    f"{_hhmm(minute)} is earlier than the time before it ({_hhmm(previous % 1440)}); "
                    "kept on the same day as a likely typo — please check it.")))
        previous = minute
        out.days.append(listing_day)
        local.append((day, minute))
        starts.append(_instant(day, minute, tz))

    for index, entry in enumerate(entries):
        start = starts[index]
        later = [s for s in starts[index + 1 :] if s > start]
        estimated = False
        if entry.stop_minute is not None:
            day, minute = local[index]
            stop_minute = entry.stop_minute
            while stop_minute <= minute:  # 23:30–00:15 ends the next day
                stop_minute += 1440
            stop = _instant(day, stop_minute, tz)
            if later and stop > later[0]:
                warn(Diagnostic(line=entry.line, severity="warning", message=(
                    f"Ends at {stop:%H:%M}, after the next programme starts ({later[0]:%H:%M}).")))
        elif later:
            stop = later[0]
        else:
            stop = start + timedelta(minutes=LAST_PROGRAMME_MINUTES)
            estimated = True
            warn(Diagnostic(line=entry.line, severity="warning", message=(
                f"The text does not say when “{entry.parts.title}” ends; "
                f"assumed {LAST_PROGRAMME_MINUTES} minutes, until the next day is published.")))
        if index and starts[index - 1] == start:
            warn(Diagnostic(line=entry.line, severity="warning", message=(
                f"Starts at the same time as the programme before it ({start:%H:%M}).")))
        parts = entry.parts
        out.programmes.append(Programme(
            start=start, stop=stop, title=parts.title, sub_title=parts.sub_title,
            description=entry.description, categories=parts.categories, rating=entry.rating,
            season=parts.season, episode=parts.episode, premiere=parts.premiere, live=parts.live,
            repeat=parts.repeat, subtitles=parts.subtitles, year=parts.year, country=parts.country,
            line=entry.line, stop_estimated=estimated,
        ))
    return out
