"""How well the parser reads the corpus: ``python -m bench.score [DIRECTORY]``.

For each listing in ``tests/data/listings`` (or DIRECTORY) it reads the file
with :func:`epg.schedule.read_schedule` and compares with the expected
programmes a person transcribed. A found programme *matches* an expected one
when they start at the same instant (each used once; among several at one
instant, the same title is preferred). Of the matched, it counts those with
exactly the expected title, sub-title and rating (mark, system and age).
*Spurious* programmes were found but not expected; *missed* were expected
but not found. The table shows each file and the total; the percentages
below it are of the expected programmes (and, for precision, of the found).
"""

from __future__ import annotations

import json
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

LISTINGS = Path(__file__).resolve().parent.parent / "tests" / "data" / "listings"


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    matched: int = 0
    title: int = 0
    sub_title: int = 0
    rating: int = 0
    spurious: int = 0
    missed: int = 0

    def add(self, other: Score) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def _rating(programme: dict[str, Any]) -> tuple[Any, ...]:
    return programme["age_rating"], programme["rating_system"], programme["min_age"]


def score_listing(source: Path, expected: dict[str, Any]) -> Score:
    """Compare what the parser reads in ``source`` with the ``expected`` document."""
    schedule = read_schedule(source.read_bytes(), date.fromisoformat(expected["date"]), ZoneInfo(expected["tz"]))
    found: list[dict[str, Any]] = json.loads(parse_output(schedule.programmes, schedule.diagnostics))["programmes"]
    wanted: list[dict[str, Any]] = expected["programmes"]
    score = Score(expected=len(wanted), found=len(found))
    unused = list(found)
    for want in wanted:
        moment = datetime.fromisoformat(want["start"])
        same_start = [p for p in unused if datetime.fromisoformat(p["start"]) == moment]
        if not same_start:
            continue
        got = next((p for p in same_start if p["title"] == want["title"]), same_start[0])
        unused.remove(got)
        score.matched += 1
        score.title += got["title"] == want["title"]
        score.sub_title += got["sub_title"] == want["sub_title"]
        score.rating += _rating(got) == _rating(want)
    score.spurious = len(unused)
    score.missed = score.expected - score.matched
    return score


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else LISTINGS
    table = Table(title=f"Parser accuracy on {directory}")
    table.add_column("listing", no_wrap=True)
    for item in fields(Score):
        table.add_column(item.name.replace("_", "-"), justify="right")
    total = Score()
    for expected_path in sorted(directory.glob("*.expected.json")):
        name = expected_path.name.removesuffix(".expected.json")
        source = next((p for p in directory.glob(f"{name}.*") if p.suffix in (".txt", ".html")), None)
        if source is None:
            continue
        score = score_listing(source, json.loads(expected_path.read_text(encoding="utf-8")))
        total.add(score)
        perfect = score.matched == score.title == score.sub_title == score.rating == score.expected == score.found
        style = None if perfect else "bold red"
        table.add_row(name, *(str(getattr(score, item.name)) for item in fields(Score)), style=style)
    table.add_section()
    table.add_row("total", *(str(getattr(total, item.name)) for item in fields(Score)), style="bold")
    console = Console()
    if not console.is_terminal:
        console = Console(width=150)  # piped or in CI: room for the listing names
    console.print(table)
    console.print(
        f"matched {_percent(total.matched, total.expected)} of expected, precision "
        f"{_percent(total.matched, total.found)} of found; exact title {_percent(total.title, total.expected)}, "
        f"sub-title {_percent(total.sub_title, total.expected)}, rating {_percent(total.rating, total.expected)}; "
        f"spurious {total.spurious}, missed {total.missed}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
