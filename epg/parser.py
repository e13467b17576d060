"""Schedule text → programme entries with local clock times, plus a diagnostic per line.

The parser reads lines as a careful person would: a line that opens with a
clock time and goes on with something shaped like a title is a programme; a
day header sets the date of what follows; everything else (news, menus,
prices, clock times inside sentences) is reported and skipped. It never
raises on any input and does no I/O. Turning clock times into instants is
the time line's job (:mod:`epg.timeline`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from epg.dayheaders import parse_day_header
from epg.decoding import SourceLine, decode
from epg.models import Diagnostic, Rating
from epg.ratings import extract_rating, rating_from_cell
from epg.titles import TitleParts, split_title

# A clock time: 16:55, 6:05, 06.00, 16-55, 20h15, 25:30, 6.00pm, 6:00 PM, 20.15 Uhr, 06:00:00.
_CLOCK = (
    r"(?P<{p}h>[01]?\d|2\d)(?P<{p}sep>[:.h\-])(?P<{p}m>[0-5]\d)(?::[0-5]\d)?"
    r"(?:\s?(?P<{p}ampm>[ap]\.?\s?m\.?)(?!\w))?(?:\s?Uhr)?"
)
# Not a date (07.01.2022), not a score or a longer number.
_NOT_MORE = r"(?![.:\-/]?\d)"
_START = re.compile(
    r"^[\s•·*\->]*(?:(?:с|c|от|ab|from|de)\s+)?"
    + _CLOCK.format(p="a")
    + _NOT_MORE
    + r"(?:\s*(?:[-–—]|до|to|bis|à)\s*"
    + _CLOCK.format(p="b")
    + _NOT_MORE
    + r")?",
    re.I,
)
# Another programme later on the same line: " 06:10 Доброе утро".
_INLINE = re.compile(r"(?<=\s)(?=(?:[01]?\d|2[0-9])[:.][0-5]\d(?![.:\-/]?\d)\s+[\"«„“A-ZА-ЯЁЇІЄҐ0-9])")
# Newspaper style "9.00, 12.00, 15.00 Новости": one title for several times.
_TIME_LIST = re.compile(
    r"^\s*((?:(?:[01]?\d|2\d)[:.][0-5]\d\s*,\s*)+(?:[01]?\d|2\d)[:.][0-5]\d)(?![.:\-/]?\d)\s+(?=\S)")
_LEAD = re.compile(r"^[\s\t|:;–—\-.,]+")
_MAX_TITLE_WORDS = 16
_MAX_TITLE_CHARS = 160


@dataclass
class Entry:
    """A programme as the text gives it: clock times, not yet instants.

    ``minute`` counts from midnight of the entry's day and may pass 24:00
    (``25:30``). ``day`` is set when a day header named the date.
    """

    line: int
    minute: int
    parts: TitleParts
    rating: Rating | None = None
    stop_minute: int | None = None
    day: date | None = None
    description: str | None = None


@dataclass
class ParseResult:
    entries: list[Entry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _minutes(match: re.Match[str], prefix: str) -> int | None:
    hour, minute = int(match.group(f"{prefix}h")), int(match.group(f"{prefix}m"))
    ampm = (match.group(f"{prefix}ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if match.group(f"{prefix}sep") == "-" and match.group(f"{prefix}h") and len(match.group(f"{prefix}h")) == 1:
        return None  # "6-05" is more often a range of numbers than a time
    if hour > 29:
        return None
    return hour * 60 + minute


def _clock_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _prose_reason(text: str) -> str | None:
    """Why ``text`` (what follows a time) reads as prose rather than a title, or None."""
    words = text.split()
    if not words:
        return "no title after the time"
    first = text.lstrip("\"«„“'([")[:1]
    if first.islower():
        return "the text after the time starts in lower case, like a sentence"
    if len(words) > _MAX_TITLE_WORDS or len(text) > _MAX_TITLE_CHARS:
        return f"the text after the time is {len(words)} words long, more like prose than a title"
    if not re.search(r"[^\W\d_]", text):
        return "no letters after the time"
    return None


def _cells(rest: str) -> list[str]:
    if "\t" in rest:
        return [c.strip() for c in rest.split("\t") if c.strip()]
    if rest.count(";") >= 2:
        return [c.strip() for c in rest.split(";") if c.strip()]
    return [rest]


def _entry_from_text(line: int, minute: int, rest: str, stop: int | None) -> Entry:
    """Build an entry from the text after the time(s): cells, rating, title parts."""
    cells = _cells(rest)
    rating: Rating | None = None
    title_cell: str | None = None
    extra: list[str] = []
    for cell in cells:
        cell_rating = rating_from_cell(cell) if len(cells) > 1 else None
        clock = re.fullmatch(_CLOCK.format(p="c"), cell, re.I) if len(cells) > 1 else None
        if cell_rating and rating is None:
            rating = cell_rating
        elif clock and stop is None:
            value = _minutes(clock, "c")
            if value is not None:
                stop = value if value > minute else minute + value  # an end time, or a duration
        elif title_cell is None:
            title_cell = cell
        else:
            extra.append(cell)
    text = title_cell or ""
    if rating is None:
        rating, text = extract_rating(text)
    parts = split_title(text)
    for cell in extra:
        if len(cell) <= 30 and len(cell.split()) <= 3:
            parts.categories.append(cell)
    return Entry(line=line, minute=minute, parts=parts, rating=rating, stop_minute=stop,
                 description=" ".join(c for c in extra if len(c) > 30) or None)


def parse_lines(lines: list[SourceLine], first_day: date) -> ParseResult:
    """Entries and diagnostics for numbered lines (see :func:`parse_text`)."""
    result = ParseResult()
    skip = result.diagnostics.append
    day: date | None = None
    pending: tuple[int, int, int | None] | None = None  # a time whose title is on a later line

    def skipped(number: int, text: str, why: str) -> None:
        shown = text.strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        skip(Diagnostic(line=number, severity="info", message=f"Skipped “{shown}”: {why}."))

    for source in lines:
        number, text = source.number, source.text
        if not text.strip():
            continue
        header = parse_day_header(text)
        if header is not None:
            resolved = header.resolve(day or first_day)
            if resolved is not None:
                if pending:
                    skipped(pending[0], _clock_text(pending[1]), "a time with no title after it")
                    pending = None
                day = resolved
                skip(Diagnostic(line=number, severity="info", message=f"Day header: {resolved.isoformat()}."))
                continue

        listed = _TIME_LIST.match(text)
        if listed:
            rest = text[listed.end():]
            times = [int(h) * 60 + int(m) for h, m in re.findall(r"(\d{1,2})[:.](\d{2})", listed.group(1))]
            if _prose_reason(rest) is None:
                for minute in times:
                    entry = _entry_from_text(number, minute, rest, None)
                    entry.day = day
                    result.entries.append(entry)
                pending = None
                continue

        match = _START.match(text)
        start = _minutes(match, "a") if match else None
        if match is None or start is None:
            if pending:
                reason = _prose_reason(text.strip())
                if reason is None:
                    entry = _entry_from_text(pending[0], pending[1], text.strip(), pending[2])
                    entry.day = day
                    result.entries.append(entry)
                    pending = None
                    continue
                skipped(pending[0], _clock_text(pending[1]), "a time with no title after it")
                pending = None
            skipped(number, text, "no programme time at the start of the line")
            continue

        if pending:
            skipped(pending[0], _clock_text(pending[1]), "a time with no title after it")
            pending = None
        stop = _minutes(match, "b") if match.group("bh") else None
        rest = _LEAD.sub("", text[match.end():]) if not text[match.end():].startswith("\t") else text[match.end():]
        if not rest.strip():
            pending = (number, start, stop)
            continue
        pieces = [rest] if "\t" in rest or rest.count(";") >= 2 else _INLINE.split(rest)
        first_piece, later = pieces[0], pieces[1:]
        reason = _prose_reason(first_piece.strip().strip("\t"))
        if reason is not None:
            skipped(number, text, reason)
            continue
        entry = _entry_from_text(number, start, first_piece.strip(), stop)
        entry.day = day
        result.entries.append(entry)
        for piece in later:
            inner = _START.match(piece)
            inner_start = _minutes(inner, "a") if inner else None
            if inner is None or inner_start is None:
                continue
            inner_rest = _LEAD.sub("", piece[inner.end():])
            if _prose_reason(inner_rest) is None:
                extra = _entry_from_text(number, inner_start, inner_rest.strip(), None)
                extra.day = day
                result.entries.append(extra)
    if pending:
        skipped(pending[0], _clock_text(pending[1]), "a time with no title after it")
    for entry in result.entries:
        if not entry.parts.title:
            skip(Diagnostic(line=entry.line, severity="warning",
                            message="A programme with no title left once marks were removed; kept as “?”."))
            entry.parts.title = "?"
    result.diagnostics.sort(key=lambda d: d.line)
    return result


def parse_text(data: bytes | str, first_day: date) -> ParseResult:
    """Read schedule text (bytes in any common encoding, or str; plain or HTML).

    ``first_day`` dates the programmes until a day header names another; it
    also supplies the year for headers that give none.
    """
    try:
        decoded = decode(data)
        result = parse_lines(decoded.lines, first_day)
    except Exception as exc:  # the parser must never raise on input; say what failed instead
        failure = Diagnostic(line=1, severity="error", message=f"Could not read the text: {exc}")
        return ParseResult(diagnostics=[failure])
    result.diagnostics[:0] = decoded.diagnostics
    return result
