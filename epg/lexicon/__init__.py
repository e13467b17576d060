"""The words the parser knows, per language, read from the ``LANG.toml`` files beside this module.

Data, not code: a newcomer adds a genre word, a flag or a duration unit to
its language's file (see ``README.md`` here) and the parser knows it. This
module only reads the files, once, into one :class:`Lexicon` for all
languages; :mod:`epg.titles` builds its patterns from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

FLAGS = ("premiere", "live", "repeat", "subtitles")


@dataclass(frozen=True)
class Lexicon:
    """Every language's words, merged; abbreviations stay per language (they expand differently)."""

    genres: dict[str, str] = field(default_factory=dict)
    abbreviations: dict[str, dict[str, str]] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    marks: list[str] = field(default_factory=list)
    hours: list[str] = field(default_factory=list)
    minutes: list[str] = field(default_factory=list)
    descriptors: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    languages: tuple[str, ...] = ()
    #: ``[airtimes] notes``: words a tip prints right after a time that name no programme (``EST``, ``Live``).
    time_notes: list[str] = field(default_factory=list)
    #: ``[airtimes] at``: words that put a time to a name (``«Сьогодні» о 13:00``, ``Name at 9pm``, ``та з 20:00``).
    at_words: list[str] = field(default_factory=list)
    #: ``[airtimes] airs``: verbs that say a programme named before them airs (``Balika Vadhu airs on June 8 at 8 pm``).
    airs_words: list[str] = field(default_factory=list)
    #: ``[channels] names``: channels' names as overviews print them before a title (``Das Erste Tatort bis 21.45``).
    channels: list[str] = field(default_factory=list)
    #: ``[fixtures] versus``: words that join two teams' quoted names into one match (``«Астана» мен «Атырау»``).
    versus: list[str] = field(default_factory=list)


def _add(words: list[str], more: list[str]) -> None:
    words.extend(w for w in more if w not in words)


@cache
def lexicon() -> Lexicon:
    """All ``LANG.toml`` files, read once."""
    merged = Lexicon(flags={name: [] for name in FLAGS})
    languages = []
    for item in sorted(resources.files(__package__).iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml"):
            continue
        lang = item.name.removesuffix(".toml")
        languages.append(lang)
        data = tomllib.loads(item.read_text(encoding="utf-8"))
        for word, category in data.get("genres", {}).items():
            merged.genres.setdefault(word.lower(), category)
        if data.get("abbreviations"):
            merged.abbreviations[lang] = {k.lower(): v for k, v in data["abbreviations"].items()}
        for name in FLAGS:
            _add(merged.flags[name], data.get("flags", {}).get(name, []))
        _add(merged.marks, data.get("marks", {}).get("other", []))
        _add(merged.hours, data.get("durations", {}).get("hours", []))
        _add(merged.minutes, data.get("durations", {}).get("minutes", []))
        _add(merged.descriptors, data.get("descriptors", {}).get("words", []))
        _add(merged.labels, data.get("labels", {}).get("words", []))
        _add(merged.time_notes, data.get("airtimes", {}).get("notes", []))
        _add(merged.at_words, data.get("airtimes", {}).get("at", []))
        _add(merged.airs_words, data.get("airtimes", {}).get("airs", []))
        _add(merged.channels, data.get("channels", {}).get("names", []))
        _add(merged.versus, data.get("fixtures", {}).get("versus", []))
    return Lexicon(merged.genres, merged.abbreviations, merged.flags, merged.marks, merged.hours, merged.minutes,
                   merged.descriptors, merged.labels, tuple(languages), merged.time_notes,
                   merged.at_words, merged.airs_words, merged.channels, merged.versus)
