"""The whole reading pipeline: uploaded bytes → aware programmes and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from zoneinfo import ZoneInfo

from epg.decoding import with_places
from epg.models import Diagnostic, Programme
from epg.parser import Entry, parse_text
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
    #: For each programme, the channel heading it was printed under; all None when the text names no channels.
    channels: list[str | None] = field(default_factory=list)

    def channel_names(self) -> list[str]:
        """The channels the text names, in the order it names them (empty for a one-channel text)."""
        return list(dict.fromkeys(c for c in self.channels if c is not None))

    def only(self, channel: str) -> Schedule:
        """The programmes printed under ``channel``'s heading, as a one-channel schedule."""
        kept = {id(p) for p, c in zip(self.programmes, self.channels, strict=True) if c == channel}
        by_day = {day: [p for p in ps if id(p) in kept] for day, ps in self.by_day.items()}
        return Schedule([p for p in self.programmes if id(p) in kept], self.diagnostics,
                        {day: ps for day, ps in by_day.items() if ps}, [channel] * len(kept))


def read_schedule(data: bytes | str, first_day: date, tz: ZoneInfo) -> Schedule:
    """Parse ``data`` and place it on the time line of ``tz``, starting at ``first_day``."""
    parsed = parse_text(data, first_day)
    schedule = place(parsed.entries, parsed.diagnostics, first_day, tz)
    return replace(schedule, diagnostics=with_places(schedule.diagnostics, data))  # a document's sheet, row, page


def place(entries: list[Entry], diagnostics: list[Diagnostic], first_day: date, tz: ZoneInfo) -> Schedule:
    """Parsed entries (and the parser's ``diagnostics`` about them) on the time line of ``tz``.

    A several-channel document places each channel's entries in that channel's own zone.
    """
    timeline = build_timeline(entries, first_day, tz)
    diagnostics = sorted(diagnostics + timeline.diagnostics, key=lambda d: d.line)
    programmes = timeline.programmes
    order = sorted(range(len(programmes)), key=lambda i: (programmes[i].start, programmes[i].line or 0))
    by_day: dict[date, list[Programme]] = {}
    for i in order:
        by_day.setdefault(timeline.days[i], []).append(programmes[i])
    return Schedule([programmes[i] for i in order], diagnostics, dict(sorted(by_day.items())),
                    [timeline.channels[i] for i in order])
