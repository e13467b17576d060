"""The real corpus (``tests/data/corpus``): listings as published, with their provenance and split.

Unlike ``tests/data/listings`` (written by the team), these were copied
from real pages, and the parser does not read all of them right yet. So
the ``dev/`` half is a ratchet: ``dev-scores.json`` records how many
programmes of each listing the parser reads exactly (start, title,
sub-title and rating), and a listing that drops below its record fails.
When the parser improves, ``python -m tests.test_corpus_real`` records the
new figures. ``holdout/`` is never scored here: only its files' form is
checked, so nobody tunes on it by watching CI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.score import CORPUS, _pairs, listing_sources, score_listing

RECORD = CORPUS / "dev-scores.json"
SIDES = ("dev", "holdout")
PROGRAMME_KEYS = {"start", "stop", "title", "sub_title", "age_rating", "rating_system", "min_age"}


def _listings(side: str) -> list[tuple[Path, Path]]:
    return listing_sources(CORPUS / side)


def _record() -> dict[str, int]:
    return json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else {}


def _exact(source: Path, expected_path: Path) -> int:
    return score_listing(source, json.loads(expected_path.read_text(encoding="utf-8"))).exact


@pytest.mark.parametrize("source, expected_path", [pytest.param(s, e, id=s.stem) for s, e in _listings("dev")])
def test_dev_listing_reads_no_worse_than_recorded(source: Path, expected_path: Path) -> None:
    recorded = _record().get(source.stem, 0)
    assert _exact(source, expected_path) >= recorded, f"{source.stem} fell below its {recorded} exact programmes"


def _sources(side: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / side).glob("*.source.json"))]


@pytest.mark.parametrize("side", SIDES)
def test_every_listing_has_its_provenance_and_a_checked_expectation(side: str) -> None:
    listings = _listings(side)
    assert len(listings) == len(list((CORPUS / side).glob("*.source.json")))
    for source, expected_path in listings:
        provenance = json.loads(source.with_name(f"{source.stem}.source.json").read_text(encoding="utf-8"))
        assert provenance["url"].startswith("http"), source.name
        assert provenance["publisher"] and provenance["language"], source.name
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        assert expected["checked_twice"] is True, source.name
        assert expected["date"] == provenance["date"] and expected["tz"] == provenance["tz"], source.name
        for programme in expected["programmes"]:
            assert programme.keys() >= PROGRAMME_KEYS, (source.name, programme)


def test_the_split_is_by_publisher_and_keeps_a_third_held_out() -> None:
    sides = json.loads((CORPUS / "split.json").read_text(encoding="utf-8"))
    for side in SIDES:
        for source in _sources(side):
            assert sides[source["publisher"].lower()] == side, source["url"]
    dev, holdout = (len(_listings(side)) for side in SIDES)
    assert holdout * 3 >= dev + holdout
    assert not list((CORPUS / "pool").glob("*.source.json")), "run python -m bench.corpus_split"


def test_the_corpus_is_as_broad_as_promised() -> None:
    everything = _sources("dev") + _sources("holdout")
    assert len(everything) >= 150
    assert len({s["publisher"].lower() for s in everything}) >= 40
    languages = {s["language"] for s in everything}
    assert {"ru", "uk", "be", "kk", "ky", "lt", "pl", "de", "fr", "en"} <= languages


def test_programmes_of_one_instant_are_scored_against_their_namesakes_whatever_was_missed() -> None:
    # Regression: the scorer paired one instant's programmes in order, so on a tips page where the parser
    # missed one 20:15 programme, the right readings of the others were scored against the wrong ones.
    at = "2021-10-18T20:15:00+02:00"
    wanted = [{"start": at, "title": title} for title in ("Tatort", "Nord Nord Mord", "RTL Spezial")]
    found = [{"start": at, "title": "RTL spezial"}, {"start": at, "title": "Nord Nord Mord"}]
    pairs = _pairs(wanted, list(found))
    assert [(w["title"], g and g["title"]) for w, g in pairs] == [
        ("Tatort", None), ("Nord Nord Mord", "Nord Nord Mord"), ("RTL Spezial", "RTL spezial")]


def record() -> None:
    """Write each dev listing's exact count to ``dev-scores.json`` (after the parser improved)."""
    scores = {source.stem: _exact(source, expected) for source, expected in _listings("dev")}
    RECORD.write_text(json.dumps(scores, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {sum(scores.values())} exact programmes over {len(scores)} dev listings")


if __name__ == "__main__":
    record()
    sys.exit(0)
