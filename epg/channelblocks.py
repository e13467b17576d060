"""A document that names several channels, read as one schedule per channel.

The text is parsed once; the entries printed under each channel's heading
are then placed on the time line of that channel's own zone, so a page
listing a Moscow and a Yekaterinburg channel reads each at its own clock.
Diagnostics about the text go to the channel (and day) whose programmes
they sit among: the one on the same line, else the next programme's, else
the last one's. Pure: no I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from zoneinfo import ZoneInfo

from epg.decoding import with_places
from epg.models import Diagnostic
from epg.parser import Entry, parse_text
from epg.schedule import Schedule, place

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Block:
    """The programmes a document prints for one channel (under one or more spellings of its name)."""

    key: Hashable
    #: The headings as printed, in text order; empty for programmes printed under no heading.
    printed: list[str]
    schedule: Schedule


@dataclass(frozen=True)
class Document:
    blocks: list[Block]
    #: Everything noticed, for the whole document, in line order.
    diagnostics: list[Diagnostic]
    #: The line of the first programme no day header dates (it took the first day given), None if all are dated.
    undated_line: int | None


def share(diagnostics: Sequence[Diagnostic], owners: Sequence[tuple[int, K]]) -> dict[K, list[Diagnostic]]:
    """Each diagnostic under the owner of the programme line at or after it (else the last one's).

    ``owners`` are (programme line, owner) pairs; every owner gets a list, empty or not.
    """
    ordered = sorted(owners, key=lambda pair: pair[0])
    lines = [line for line, _ in ordered]
    out: dict[K, list[Diagnostic]] = {owner: [] for _, owner in ordered}
    if not ordered:
        return out
    for diagnostic in diagnostics:
        at = min(bisect.bisect_left(lines, diagnostic.line), len(ordered) - 1)
        out[ordered[at][1]].append(diagnostic)
    return out


def read_blocks(data: bytes | str, first_day: date,
                group: Callable[[str | None], tuple[Hashable, ZoneInfo]]) -> Document:
    """Parse ``data`` once and place each channel's entries in its own zone.

    ``group`` says, for a heading as printed (None: no heading), which block it
    belongs to (spellings of one channel share a key) and that block's zone.
    """
    parsed = parse_text(data, first_day)
    entries: dict[Hashable, list[Entry]] = {}
    printed: dict[Hashable, list[str]] = {}
    zones: dict[Hashable, ZoneInfo] = {}
    headings: dict[str | None, Hashable] = {}
    for entry in parsed.entries:
        key = headings.get(entry.channel)
        if key is None:
            key, zones_key = group(entry.channel)
            headings[entry.channel] = key
            zones.setdefault(key, zones_key)
            printed.setdefault(key, [])
            if entry.channel is not None:
                printed[key].append(entry.channel)
        entries.setdefault(key, []).append(entry)
    placed = {key: place(found, [], first_day, zones[key]) for key, found in entries.items()}
    owners = [(p.line or 0, key) for key, schedule in placed.items() for p in schedule.programmes]
    # A document's lines say where they are (sheet and row, page and column): so do the diagnostics.
    everything = with_places(sorted(parsed.diagnostics + [d for s in placed.values() for d in s.diagnostics],
                                    key=lambda d: d.line), data)
    shared = share(everything, owners)
    blocks = [Block(key, printed[key], Schedule(schedule.programmes, shared.get(key, []), schedule.by_day,
                                                schedule.channels)) for key, schedule in placed.items()]
    undated = next((e.line for e in parsed.entries if e.day is None), None)
    return Document(blocks, everything, undated)
