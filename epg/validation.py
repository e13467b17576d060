"""Checks on a day grid before it is published: overlaps, gaps, zero length, off-day times.

Each finding is a diagnostic tied to the programme's source line. Errors
always block a publish; warnings block it only for channels that ask for it
(``Channel.block_on_warnings``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

from epg.details import in_one_clump
from epg.models import MAX_PROGRAMME_LENGTH, Channel, Diagnostic, Programme

#: A programme may start this long before its broadcast day begins (an early start)
#: or run into the next one before it counts as outside the day.
DAY_SLACK = timedelta(hours=3)


def _line(p: Programme) -> int:
    return p.line or 0


def broadcast_window(channel: Channel, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, channel.day_start, tzinfo=channel.zoneinfo)
    return start, datetime.combine(day + timedelta(days=1), channel.day_start, tzinfo=channel.zoneinfo)


def validate_grid(channel: Channel, day: date, programmes: list[Programme]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    begin, end = broadcast_window(channel, day)
    ordered = sorted(programmes, key=lambda p: p.start)
    for p in ordered:
        if p.stop <= p.start:
            out.append(Diagnostic(line=_line(p), severity="error",
                                  message=f"“{p.title}” at {p.start:%H:%M} has no length (stop {p.stop:%H:%M})."))
        elif p.stop - p.start > MAX_PROGRAMME_LENGTH:
            hours = (p.stop - p.start).total_seconds() / 3600
            out.append(Diagnostic(line=_line(p), severity="error", message=(
                f"“{p.title}” at {p.start:%H:%M} runs {hours:.1f} hours, longer than the "
                f"{MAX_PROGRAMME_LENGTH.total_seconds() / 3600:.0f} hours a programme can last.")))
        if (p.start < begin - DAY_SLACK and p.start.date() != day) or p.start >= end + DAY_SLACK:
            out.append(Diagnostic(line=_line(p), severity="warning", message=(
                f"“{p.title}” starts {p.start:%Y-%m-%d %H:%M}, outside the broadcast day of {day.isoformat()} "
                f"({begin:%H:%M} to {end:%H:%M} next day).")))
    covered_until = ordered[0].stop if ordered else None
    for previous, current in pairwise(ordered):
        if current.start < previous.stop and not previous.stop_estimated and \
                not in_one_clump(previous.details, current.details):
            out.append(Diagnostic(line=_line(current), severity="warning", message=(
                f"“{current.title}” at {current.start:%H:%M} starts before “{previous.title}” ends "
                f"({previous.stop:%H:%M}).")))
        assert covered_until is not None
        gap = current.start - covered_until
        covered_until = max(covered_until, current.stop)
        if gap > timedelta(minutes=channel.max_gap_minutes):
            out.append(Diagnostic(line=_line(current), severity="warning", message=(
                f"{int(gap.total_seconds() // 60)} minutes with no programme before “{current.title}” "
                f"at {current.start:%H:%M} (limit {channel.max_gap_minutes}).")))
    return out


def blocking(channel: Channel, findings: list[Diagnostic]) -> list[Diagnostic]:
    """The findings that stop a publish on ``channel``."""
    severities = {"error", "warning"} if channel.block_on_warnings else {"error"}
    return [d for d in findings if d.severity in severities]
