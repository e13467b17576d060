"""Clock times → instants: dates, midnight rollover, stops, in the channel's zone.

Rules, each with the warning it gives when it had to assume something:

* Entries are dated by the last day header before them, or by the first
  broadcast day given by the caller.
* A time earlier than the one before it continues the night (the next
  calendar day) when that makes the step forward at most
  :data:`MAX_OVERNIGHT_GAP`; a bigger backwards step is taken as a typo and
  stays on the same day.
* The later times of a list that shares one title (``9.00, 12.00, 15.00
  Новости``) follow the list's first time, and the text goes on from that
  first time: a list is a set of repeats, not a step in the sequence.
* ``24:10``/``25:30`` are past midnight of the entry's day.
* The stop is the explicit one when the text has a range or a duration,
  else the next later start. The last programme, which the text does not
  end, runs :data:`LAST_PROGRAMME_MINUTES` (a stated, flagged assumption):
  feeds need a stop, and publishing the following day replaces it with
  that day's first start.
* Two programmes starting at the same instant, and an explicit stop after
  the next programme's start, are flagged.
* Wall times that do not exist (spring-forward gap) or repeat (fall-back)
  resolve with ``fold=0``, which is what a printed listing means. A time in
  the gap (02:30 on a night the clocks jump from 02:00 to 03:00) is read
  with the offset before the jump, so it lands an hour later (03:30), and is
  flagged: it may well be a typo, and it may now collide with what follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from epg.clock import SECONDS_PER_DAY, clock_text
from epg.models import Diagnostic, Programme
from epg.parser import Entry

MAX_OVERNIGHT_GAP = timedelta(hours=12)
LAST_PROGRAMME_MINUTES = 60
_GAP = int(MAX_OVERNIGHT_GAP.total_seconds())


@dataclass
class Timeline:
    programmes: list[Programme] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The listing day of each programme (its day header, or the first day): the grid it belongs to.
    days: list[date] = field(default_factory=list)
    #: The channel heading each programme was printed under (None when the text names no channels).
    channels: list[str | None] = field(default_factory=list)


def _wall(day: date, second: int) -> datetime:
    """The naive local wall time ``second`` seconds after midnight of ``day`` (which may pass midnight)."""
    days, second = divmod(second, SECONDS_PER_DAY)
    return datetime.combine(day + timedelta(days=days), time(second // 3600, second // 60 % 60, second % 60))


class _Zone:
    """Wall times of one zone as instants, knowing which days the clocks do not change on (most of them)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._steady: dict[date, bool] = {}

    def steady(self, day: date) -> bool:
        """Whether ``day`` has one UTC offset from midnight to midnight: no wall time is skipped or repeated."""
        found = self._steady.get(day)
        if found is None:
            start = datetime(day.year, day.month, day.day, tzinfo=self.tz)
            after = start + timedelta(days=1)
            found = self._steady[day] = (start.utcoffset() == start.replace(fold=1).utcoffset()
                                         == (start + timedelta(hours=12)).utcoffset() == after.utcoffset()
                                         == after.replace(fold=1).utcoffset())
        return found

    def instant(self, day: date, second: int) -> datetime:
        """Local wall time ``second`` seconds after midnight of ``day`` as an aware datetime."""
        days, rest = divmod(second, SECONDS_PER_DAY)
        if days:
            day = day + timedelta(days=days)
        aware = datetime(day.year, day.month, day.day, rest // 3600, rest // 60 % 60, rest % 60, tzinfo=self.tz)
        if self.steady(day):
            return aware  # the common case, decided once per day
        # Round-trip through UTC so a non-existent wall time lands on a real instant.
        return aware.astimezone(UTC).astimezone(self.tz)


def _skipped(line: int, what: str, day: date, second: int, zone: _Zone, instant: datetime) -> Diagnostic | None:
    """A warning when the wall time ``second`` after midnight of ``day`` does not exist in the zone: the clocks
    jumped over it (spring forward), and ``instant`` is what it was read as."""
    tz = zone.tz
    days, rest = divmod(second, SECONDS_PER_DAY)
    target = day + timedelta(days=days) if days else day
    if zone.steady(target):
        return None  # no wall time of that day is skipped
    if (instant.hour * 3600 + instant.minute * 60 + instant.second == rest and instant.day == target.day
            and instant.month == target.month and instant.year == target.year):
        return None  # read as the wall time it says (checked without building one: this runs per programme)
    wall = _wall(day, second)
    read = instant.strftime("%H:%M:%S" if instant.second else "%H:%M")
    if instant.date() != wall.date():
        read = f"{instant.date().isoformat()} {read}"
    offset = instant.strftime("%z")
    return _warning(line, f"{what} {clock_text(second % SECONDS_PER_DAY)} on {wall.date().isoformat()}, a time that "
                          f"does not exist in {tz.key or tz}: the clocks go forward over it that night. Read as "
                          f"{read} ({instant.tzname()}, UTC{offset[:3]}:{offset[3:]}) — please check it.")


def _warning(line: int, message: str) -> Diagnostic:
    return Diagnostic(line=line, severity="warning", message=message)


def _place(entries: list[Entry], first_day: date, out: Timeline) -> list[tuple[date, int]]:
    """The (calendar day, seconds) each entry starts at, with a warning for each rollover or typo."""
    warn = out.diagnostics.append
    local: list[tuple[date, int]] = []
    header_day: date | None = None
    day = listing_day = first_day
    previous: int | None = None  # the previous start, relative to ``day``
    anchor = (day, 0)  # where the current list of times began
    channel: str | None = None
    for entry in entries:
        if entry.day is not None and entry.day != header_day:
            header_day = day = listing_day = entry.day
            previous = None
            anchor = (day, 0)  # a list of times under a new day heading begins on that day
        if entry.channel != channel:  # another channel's block starts its day over
            channel = entry.channel
            day = listing_day = entry.day or first_day
            previous = None
            anchor = (day, 0)
        start = entry.start
        if entry.listed:
            list_day, list_start = anchor
            if start < list_start:
                list_day += timedelta(days=1)
                warn(_warning(entry.line, f"“{entry.parts.title}” at {clock_text(start)} comes after "
                                          f"{clock_text(list_start)} in a list of times: taken as past midnight, "
                                          f"on {list_day.isoformat()}."))
            local.append((list_day, start))
            out.days.append(listing_day)
            continue
        if previous is not None and start < previous:
            forward = start + SECONDS_PER_DAY - previous
            if forward <= _GAP and start < SECONDS_PER_DAY:
                day += timedelta(days=1)
                previous -= SECONDS_PER_DAY
                warn(_warning(entry.line, f"“{entry.parts.title}” at {clock_text(start)} comes after "
                                          f"{clock_text(previous + SECONDS_PER_DAY)}: taken as past midnight, "
                                          f"on {day.isoformat()}."))
            else:
                warn(_warning(entry.line, f"“{entry.parts.title}” at {clock_text(start)} is earlier than the time "
                                          f"before it ({clock_text(previous % SECONDS_PER_DAY)}); kept on the same "
                                          "day as a likely typo — please check it."))
        previous = start
        anchor = (day, start)
        local.append((day, start))
        out.days.append(listing_day)
    return local


def _by_channel(entries: list[Entry]) -> list[list[int]]:
    """Indices of the entries of each channel block, in text order (one group when the text names none)."""
    groups: dict[str | None, list[int]] = {}
    for index, entry in enumerate(entries):
        groups.setdefault(entry.channel, []).append(index)
    return list(groups.values())


def _next_later(starts: list[datetime]) -> list[datetime | None]:
    """For each start, the first start after it in text order that is later: its stop when none is given."""
    found: list[datetime | None] = [None] * len(starts)
    stack: list[datetime] = []  # later starts, nearest first on top, kept increasing towards the bottom
    for index in range(len(starts) - 1, -1, -1):
        start = starts[index]
        while stack and stack[-1] <= start:
            stack.pop()
        found[index] = stack[-1] if stack else None
        stack.append(start)
    return found


#: Years a schedule can be about; beyond them date arithmetic would overflow, and nothing real is there.
YEARS = range(1900, 2200)


def build_timeline(entries: list[Entry], first_day: date, tz: ZoneInfo) -> Timeline:
    """Aware programmes for parsed entries; see the module docstring for the rules."""
    out = Timeline()
    try:
        return _build(entries, first_day, tz, out)
    except OverflowError:  # only reachable with dates at the ends of the calendar
        return Timeline(diagnostics=[Diagnostic(line=entries[0].line if entries else 1, severity="error", message=(
            f"The dates run outside the years {YEARS.start}–{YEARS.stop - 1}; nothing was placed."))])


def _build(entries: list[Entry], first_day: date, tz: ZoneInfo, out: Timeline) -> Timeline:
    if entries and first_day.year not in YEARS:
        out.diagnostics.append(Diagnostic(line=entries[0].line, severity="error", message=(
            f"{first_day.isoformat()} is outside the years {YEARS.start}–{YEARS.stop - 1}; nothing was placed.")))
        return out
    warn = out.diagnostics.append
    local = _place(entries, first_day, out)
    zone = _Zone(tz)
    starts = [zone.instant(day, second) for day, second in local]
    later: list[datetime | None] = [None] * len(entries)
    for indices in _by_channel(entries):  # a programme ends where the next one of its own channel starts
        for index, found in zip(indices, _next_later([starts[i] for i in indices]), strict=True):
            later[index] = found
    for index, entry in enumerate(entries):
        start = starts[index]
        day, second = local[index]
        skipped = _skipped(entry.line, f"“{entry.parts.title}” starts at", day, second, zone, start)
        if skipped and index + 1 < len(entries) and starts[index + 1] <= start \
                and entries[index + 1].channel == entry.channel:
            after = entries[index + 1]
            skipped = _warning(entry.line, f"{skipped.message} That is not before the next programme, "
                                           f"“{after.parts.title}” (line {after.line}, {starts[index + 1]:%H:%M}).")
        if skipped:
            warn(skipped)
        estimated = False
        if entry.stop is not None:
            stop_second = entry.stop
            while stop_second <= second:  # 23:30–00:15 ends the next day
                stop_second += SECONDS_PER_DAY
            stop = zone.instant(day, stop_second)
            skipped = _skipped(entry.line, f"“{entry.parts.title}” ends at", day, stop_second, zone, stop)
            if skipped:
                warn(skipped)
            following = later[index]
            if following is not None and stop > following:
                warn(_warning(entry.line, f"“{entry.parts.title}” ends at {stop:%H:%M}, after the next programme "
                                          f"starts ({following:%H:%M}); the two overlap."))
        elif later[index] is not None:
            stop = later[index]  # type: ignore[assignment]
        else:
            stop = start + timedelta(minutes=LAST_PROGRAMME_MINUTES)
            estimated = True
            warn(_warning(entry.line, f"The text does not say when “{entry.parts.title}” ends; "
                                      f"assumed {LAST_PROGRAMME_MINUTES} minutes, until the next day is published."))
        out.channels.append(entry.channel)
        if index and starts[index - 1] == start and entries[index - 1].channel == entry.channel:
            warn(_warning(entry.line, f"“{entry.parts.title}” starts at the same time as the programme before it "
                                      f"({start:%H:%M})."))
        parts = entry.parts
        out.programmes.append(Programme(
            start=start, stop=stop, title=parts.title, sub_title=parts.sub_title,
            description=entry.description, categories=list(parts.categories), rating=entry.rating,
            season=parts.season, episode=parts.episode, premiere=parts.premiere, live=parts.live,
            repeat=parts.repeat, subtitles=parts.subtitles, year=parts.year, country=parts.country,
            line=entry.line, stop_estimated=estimated,
        ))
    return out
