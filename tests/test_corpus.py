"""The parser against the team-written regression listings in ``tests/data/listings``.

Each ``NAME.txt|html`` has a ``NAME.expected.json`` written by a person: the
date and zone to read it with, and the programmes a careful reader finds.
The file's bytes go to :func:`read_schedule` untouched (the parser detects
the encoding itself); the programmes are compared field by field as the
``epg parse`` JSON shows them, both sides in start order (the expected
file's own order breaks ties, the parser's source line breaks its ties).

A listing the parser does not read right yet is not hidden: it goes into
:data:`KNOWN_FAILURES` with what the parser gets wrong, and is marked
``xfail(strict=True)``, so fixing it makes the suite say so.
"""

from __future__ import annotations

import codecs
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from epg.decoding import decode
from epg.schedule import Schedule, read_schedule
from feeds.jsonfeed import parse_output

#: Listings the parser still reads wrong, and what it gets wrong. Fewer is better.
KNOWN_FAILURES: dict[str, str] = {}

LISTINGS = Path(__file__).resolve().parent / "data" / "listings"
FIELDS = ("title", "sub_title", "age_rating", "rating_system", "min_age", "categories", "season", "episode",
          "premiere", "live", "repeat", "subtitles", "year", "country")
NO_PROGRAMMES = ("none-news-article", "none-price-list", "none-weather-page")


def _listings() -> list[Any]:
    cases = []
    for expected in sorted(LISTINGS.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        source = next(p for p in LISTINGS.glob(f"{name}.*") if p.suffix in (".txt", ".html"))
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[name])] if name in KNOWN_FAILURES else []
        cases.append(pytest.param(source, expected, id=name, marks=marks))
    return cases


def _read(source: Path, expected: dict[str, Any]) -> Schedule:
    return read_schedule(source.read_bytes(), date.fromisoformat(expected["date"]), ZoneInfo(expected["tz"]))


def _instant(text: str) -> tuple[datetime, Any]:
    """An ISO time as (instant, UTC offset): equal only when both the moment and the printed offset agree."""
    moment = datetime.fromisoformat(text)
    return moment, moment.utcoffset()


def _differences(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if len(got) != len(want):
        problems.append(f"{len(got)} programmes found, {len(want)} expected")
    for index, (found, wanted) in enumerate(zip(got, want, strict=False)):
        where = f"#{index} (line {found.get('line')}, expected {wanted['start']} {wanted['title']!r})"
        if _instant(found["start"]) != _instant(wanted["start"]):
            problems.append(f"{where}: start {found['start']}")
            continue
        if wanted.get("stop") is not None and _instant(found["stop"]) != _instant(wanted["stop"]):
            problems.append(f"{where}: stop {found['stop']}, expected {wanted['stop']}")
        for name in FIELDS:
            if found[name] != wanted[name]:
                problems.append(f"{where}: {name} {found[name]!r}, expected {wanted[name]!r}")
    if len(got) > len(want):
        problems += [f"extra: line {p['line']} {p['start']} {p['title']!r}" for p in got[len(want):]]
    return problems


@pytest.mark.parametrize("source, expected_path", _listings())
def test_listing_reads_as_a_person_would(source: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    schedule = _read(source, expected)
    got = json.loads(parse_output(schedule.programmes, schedule.diagnostics))["programmes"]
    want = sorted(expected["programmes"], key=lambda p: datetime.fromisoformat(p["start"]))
    problems = _differences(got, want)
    assert not problems, "\n".join(problems)


def _visible_lines(source: Path, expected: dict[str, Any]) -> set[int]:
    """Numbers of the non-empty lines a reader sees: every text line, or an HTML page's visible text."""
    data = source.read_bytes()
    if source.suffix == ".html":
        return {line.number for line in decode(data).lines if line.text.strip()}
    encoding = expected.get("encoding") or ("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
    text = data.decode(encoding)
    return {n for n, line in enumerate(text.splitlines(), start=1) if line.strip() and line.strip() != "\ufeff"}


@pytest.mark.parametrize("source, expected_path", [pytest.param(c.values[0], c.values[1], id=c.id)
                                                   for c in _listings()])
def test_every_line_without_a_programme_is_explained(source: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    schedule = _read(source, expected)
    read = {p.line for p in schedule.programmes}
    explained = {d.line for d in schedule.diagnostics}
    unexplained = _visible_lines(source, expected) - read - explained
    assert not unexplained, f"lines with neither a programme nor a diagnostic: {sorted(unexplained)}"


@pytest.mark.parametrize("name", NO_PROGRAMMES)
def test_text_that_is_not_a_schedule_gives_no_programme(name: str) -> None:
    expected = json.loads((LISTINGS / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert expected["programmes"] == []
    schedule = _read(LISTINGS / f"{name}.txt", expected)
    assert schedule.programmes == []
    assert schedule.diagnostics


def test_diagnostics_use_the_agreed_severities() -> None:
    """Assumptions are warnings, skipped lines are info; nothing in the corpus is an error."""
    for source, expected_path in ((c.values[0], c.values[1]) for c in _listings()):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        for diagnostic in _read(source, expected).diagnostics:
            assert diagnostic.severity != "error", (source.name, diagnostic)
            if diagnostic.message.startswith("Skipped"):
                assert diagnostic.severity == "info", (source.name, diagnostic)
