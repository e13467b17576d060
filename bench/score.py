"""How well the parser reads real listings: ``python -m bench.score [--holdout | --errors] [DIRECTORY ...]``.

Without a directory it scores the real corpus's ``dev/`` half; with
``--holdout`` also its ``holdout/`` half (score that only when a piece of
work is finished: see ``tests/data/corpus/README.md``). ``tests/data/listings``
holds the team-written regression listings and can be named too.

For each listing it reads the file with :func:`epg.schedule.read_schedule`
and compares with the expected programmes a person transcribed. A found
programme *matches* an expected one when they start at the same instant
(each used once; among several at one instant, the same title is
preferred). Of the matched, it counts those with exactly the expected
title, sub-title and rating (mark, system and age), and *exact* those with
all three right; *lenient* those whose title is right once case, quotes,
punctuation and spacing are set aside. *Spurious* programmes were found but
not expected; *missed* were expected but not found. Exact-F1 and lenient-F1
weigh exact (or lenient) matches against both the found and the expected.
``--errors`` lists each programme not read exactly instead (not for ``holdout/``).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from epg.schedule import read_schedule
from feeds.jsonfeed import parse_output

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
LISTINGS = DATA / "listings"
CORPUS = DATA / "corpus"
_LOOSE = re.compile(r"[\W_]+")


def loose(text: str | None) -> str:
    """A title with case, quotes, punctuation and spacing set aside."""
    return _LOOSE.sub(" ", (text or "").casefold()).strip()


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    matched: int = 0
    title: int = 0
    sub_title: int = 0
    rating: int = 0
    exact: int = 0
    lenient: int = 0
    spurious: int = 0
    missed: int = 0

    def add(self, other: Score) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def _rating(programme: dict[str, Any]) -> tuple[Any, ...]:
    return programme["age_rating"], programme["rating_system"], programme["min_age"]


def _pairs(wanted: list[dict[str, Any]], unused: list[dict[str, Any]]
           ) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each expected programme with the found one it is scored against (None: missed), taking them out of
    ``unused``. Programmes starting at one instant (a tips page's 20:15 on every channel) are paired by title
    first, exactly and then loosely, and only the rest in order: so a right reading is never scored against
    another programme of that instant because a third was missed."""
    out: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    moments: dict[datetime, list[dict[str, Any]]] = {}
    for want in wanted:
        moments.setdefault(datetime.fromisoformat(want["start"]), []).append(want)
    for moment, wants in moments.items():
        pool = [p for p in unused if datetime.fromisoformat(p["start"]) == moment]
        chosen: dict[int, dict[str, Any]] = {}
        for key in (lambda p: p["title"], lambda p: loose(p["title"])):
            for index, want in enumerate(wants):
                got = None if index in chosen else next((p for p in pool if key(p) == key(want)), None)
                if got is not None:
                    chosen[index] = got
                    pool.remove(got)
        for index, want in enumerate(wants):
            got = chosen.get(index) or (pool.pop(0) if pool else None)
            if got is not None:
                unused.remove(got)
            out.append((want, got))
    return out


def score_listing(source: Path, expected: dict[str, Any], errors: list[str] | None = None) -> Score:
    """Compare what the parser reads in ``source`` with the ``expected`` document.

    ``errors``, when given, receives one line per programme not read exactly (missed, wrong or spurious).
    """
    schedule = read_schedule(source.read_bytes(), date.fromisoformat(expected["date"]), ZoneInfo(expected["tz"]))
    found: list[dict[str, Any]] = json.loads(parse_output(schedule.programmes, schedule.diagnostics))["programmes"]
    wanted: list[dict[str, Any]] = expected["programmes"]
    score = Score(expected=len(wanted), found=len(found))
    unused = list(found)
    for want, got in _pairs(wanted, unused):
        if got is None:
            if errors is not None:
                errors.append(f"missed    {want['start'][11:16]} {want['title']!r} / {want['sub_title']!r}")
            continue
        score.matched += 1
        title, sub_title, rating = (got["title"] == want["title"], got["sub_title"] == want["sub_title"],
                                    _rating(got) == _rating(want))
        score.title += title
        score.sub_title += sub_title
        score.rating += rating
        score.exact += title and sub_title and rating
        score.lenient += loose(got["title"]) == loose(want["title"])
        if errors is not None and not (title and sub_title and rating):
            errors.append(f"different {want['start'][11:16]} {want['title']!r} / {want['sub_title']!r} "
                          f"{want['age_rating']!r} ≠ {got['title']!r} / {got['sub_title']!r} {got['age_rating']!r}")
    if errors is not None:
        errors += [f"spurious  {p['start'][11:16]} {p['title']!r} / {p['sub_title']!r} (line {p['line']})"
                   for p in unused]
    score.spurious = len(unused)
    score.missed = score.expected - score.matched
    return score


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def f1(hits: int, found: int, expected: int) -> float:
    """The harmonic mean of precision (of the found) and recall (of the expected); 1.0 for nothing to find."""
    if found == expected == 0:
        return 1.0
    return 2 * hits / (found + expected)


def listing_sources(directory: Path) -> list[tuple[Path, Path]]:
    """(listing, expected) pairs in ``directory``, in name order."""
    pairs = []
    for expected_path in sorted(directory.glob("*.expected.json")):
        name = expected_path.name.removesuffix(".expected.json")
        source = next((p for p in directory.glob(f"{name}.*") if p.suffix in (".txt", ".html")), None)
        if source is not None:
            pairs.append((source, expected_path))
    return pairs


def score_directory(directory: Path) -> tuple[Score, dict[str, Score]]:
    total, each = Score(), {}
    for source, expected_path in listing_sources(directory):
        score = score_listing(source, json.loads(expected_path.read_text(encoding="utf-8")))
        each[source.stem] = score
        total.add(score)
    return total, each


def summary(total: Score) -> str:
    return (f"exact-F1 {f1(total.exact, total.found, total.expected):.3f}, lenient-F1 "
            f"{f1(total.lenient, total.found, total.expected):.3f}, spurious "
            f"{_percent(total.spurious, total.found)} of found; matched {_percent(total.matched, total.expected)} "
            f"of expected; exact title {_percent(total.title, total.expected)}, sub-title "
            f"{_percent(total.sub_title, total.expected)}, rating {_percent(total.rating, total.expected)}; "
            f"spurious {total.spurious}, missed {total.missed}")


def _print(console: Console, directory: Path) -> Score:
    table = Table(title=f"Parser accuracy on {directory}")
    table.add_column("listing", no_wrap=True)
    for item in fields(Score):
        table.add_column(item.name.replace("_", "-"), justify="right")
    total, each = score_directory(directory)
    for name, score in each.items():
        perfect = score.exact == score.expected == score.found
        table.add_row(name, *(str(getattr(score, item.name)) for item in fields(Score)),
                      style=None if perfect else "bold red")
    table.add_section()
    table.add_row("total", *(str(getattr(total, item.name)) for item in fields(Score)), style="bold")
    console.print(table)
    console.print(f"{directory.name}: {len(each)} listings; {summary(total)}")
    return total


def print_errors(directory: Path) -> None:
    """Every programme not read exactly, listing by listing (for tuning: never point it at ``holdout/``)."""
    for source, expected_path in listing_sources(directory):
        errors: list[str] = []
        score_listing(source, json.loads(expected_path.read_text(encoding="utf-8")), errors)
        if errors:
            print(f"== {source.name}")
            print("\n".join(f"   {e}" for e in errors))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    holdout = "--holdout" in args
    directories = [Path(a) for a in args if not a.startswith("--")] or [CORPUS / "dev"]
    if "--errors" in args:
        if holdout or any(d.name == "holdout" for d in directories):
            print("--errors lists what to tune on: not for holdout/", file=sys.stderr)
            return 2
        for directory in directories:
            print_errors(directory)
        return 0
    if holdout:
        directories.append(CORPUS / "holdout")
    console = Console()
    if not console.is_terminal:
        console = Console(width=170)  # piped or in CI: room for the listing names
    totals = {d.name: _print(console, d) for d in directories}
    if len(totals) > 1:
        for name, total in totals.items():
            console.print(f"[bold]{name}[/bold]: {summary(total)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
