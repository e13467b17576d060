"""Programmes → the plainest schedule text that reads back as the same programmes.

``format_canonical`` writes one line per programme, ``HH:MM Title. Sub-title 12+``
(``HH:MM:SS`` when the start has seconds), under a ``DD.MM.YYYY`` day header
whenever the calendar day changes, so no rollover has to be guessed when it
is read again. It is the inverse of :func:`epg.schedule.read_schedule` for
what that text can say: starts, titles, sub-titles and age ratings (flags,
genres and years have no canonical spelling and are left out).

A title (or sub-title) that would not read back as itself when written
plainly — it has ``. `` in it, or starts with a clock time, or ends in a
number a rating could swallow — is put in «guillemets», and failing that in
“quotes”: each form is checked by reading it back, so the text says exactly what the programme is
whenever the reading rules allow it. Wall times repeated by a fall-back
clock change cannot be told apart in text, and read back as the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from epg import clock
from epg.models import Programme, Rating
from epg.parser import parse_text
from epg.ratings import format_rating


def _line(start: int, title: str, sub_title: str | None, rating: Rating | None) -> str:
    text = f"{clock.clock_text(start)} {title}"
    if sub_title:
        text += f". {sub_title}"
    if rating is not None:
        text += f" {format_rating(rating)}"
    return text


def _reads_back(line: str, day: date, start: int, programme: Programme) -> bool:
    entries = parse_text(line, day).entries
    if len(entries) != 1:
        return False
    entry = entries[0]
    return (entry.start, entry.parts.title, entry.parts.sub_title, entry.rating) == (
        start, programme.title, programme.sub_title, programme.rating)


def canonical_line(programme: Programme) -> str:
    """The line for one programme: plain if it reads back as the programme, else with a quoted title."""
    wall = programme.start
    start = wall.hour * 3600 + wall.minute * 60 + wall.second
    day = wall.date()
    titles = _quotings(programme.title)
    sub_titles = _quotings(programme.sub_title) if programme.sub_title else [None]
    for sub_title in sub_titles:
        for title in titles:
            line = _line(start, title, sub_title, programme.rating)
            if _reads_back(line, day, start, programme):
                return line
    return _line(start, titles[1], sub_titles[-1], programme.rating)


def _quotings(text: str) -> list[str]:
    return [text, f"«{text}»", f"“{text}”"]


def format_canonical(programmes: Iterable[Programme]) -> str:
    """Canonical schedule text for ``programmes`` (in the order given, normally start order)."""
    lines: list[str] = []
    day: date | None = None
    for programme in programmes:
        if programme.start.date() != day:
            day = programme.start.date()
            lines.append(f"{day:%d.%m.%Y}")
        lines.append(canonical_line(programme))
    return "\n".join(lines) + "\n" if lines else ""
