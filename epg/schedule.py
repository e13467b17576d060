"""The whole reading pipeline: uploaded bytes → aware programmes and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from epg.models import Diagnostic, Programme
from epg.parser import parse_text
from epg.timeline import build_timeline


@dataclass(frozen=True)
class Schedule:
    """What a text upload says: programmes in start order and a diagnostic per finding.

    ``by_day`` groups the programmes by the listing day they were written
    under (a day header, or the first day): each group is one day grid.
    """

    programmes: list[Programme]
    diagnostics: list[Diagnostic]
    by_day: dict[date, list[Programme]]


def read_schedule(data: bytes | str, first_day: date, tz: ZoneInfo) -> Schedule:
    """Parse ``data`` and place it on the time line of ``tz``, starting at ``first_day``."""
    parsed = parse_text(data, first_day)
    timeline = build_timeline(parsed.entries, first_day, tz)
    diagnostics = sorted(parsed.diagnostics + timeline.diagnostics, key=lambda d: d.line)
    programmes = timeline.programmes
    order = sorted(range(len(programmes)), key=lambda i: (programmes[i].start, programmes[i].line or 0))
    by_day: dict[date, list[Programme]] = {}
    for i in order:
        by_day.setdefault(timeline.days[i], []).append(programmes[i])
    return Schedule([programmes[i] for i in order], diagnostics, dict(sorted(by_day.items())))
