"""JSON views of the domain models: the ``epg parse`` contract and the API bodies.

The programme shape here is the contract the CLI and the HTTP API share;
add fields, never rename them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from epg.categories import category_names
from epg.details import ProgrammeDetails
from epg.diff import GridDiff
from epg.models import Channel, ChannelGuide, DayGrid, Diagnostic, Guide, Programme, Provenance, Revision


class ProgrammeOut(BaseModel):
    """A programme as the JSON feeds and ``epg parse`` show it."""

    id: str | None = Field(default=None, description="Stable programme id (absent before publishing).")
    start: datetime
    stop: datetime
    title: str
    sub_title: str | None
    description: str | None = None
    age_rating: str | None = Field(description="The mark as printed, normalized: 12+, TV-14, FSK 12…")
    rating_system: str | None = Field(default=None, description="RU, VCHIP, MPA, FSK, CSA, BBFC, LT or PL.")
    min_age: int | None
    categories: list[str] = Field(description="The programme's own categories, as read.")
    feed_categories: list[str] = Field(default_factory=list, description=(
        "What every feed files it under: its own categories, then the class players sort by (Movie, Series, "
        "News, Sports, Kids) and Live. XMLTV and iCal write this list, and `?category=` filters match it."))
    season: int | None
    episode: int | None
    premiere: bool
    live: bool
    repeat: bool = False
    subtitles: bool = False
    year: int | None = None
    country: str | None = None
    stop_estimated: bool = Field(default=False, description="True when the source gave no stop.")
    sequence: int = 0
    line: int | None = Field(description="1-based line of the source text.")
    details: ProgrammeDetails | None = Field(default=None, description=(
        "Everything else an imported guide said, as it said it: titles, sub-titles and descriptions in other "
        "languages (and the language of the ones above, null when the source gave none), credits, the full date, "
        "keywords, icons, images, urls, every episode number with its system, video, audio, subtitles, every "
        "rating and star rating, reviews, clumpidx. Null for programmes read from text."))
    provenance: Provenance | None = Field(default=None, description=Programme.model_fields["provenance"].description)

    @classmethod
    def of(cls, p: Programme) -> ProgrammeOut:
        return cls(
            id=p.id, start=p.start, stop=p.stop, title=p.title, sub_title=p.sub_title, description=p.description,
            age_rating=p.rating.value if p.rating else None, rating_system=p.rating.system if p.rating else None,
            min_age=p.rating.min_age if p.rating else None, categories=p.categories,
            feed_categories=category_names(p), season=p.season,
            episode=p.episode, premiere=p.premiere, live=p.live, repeat=p.repeat, subtitles=p.subtitles,
            year=p.year, country=p.country, stop_estimated=p.stop_estimated, sequence=p.sequence, line=p.line,
            details=p.details, provenance=p.provenance,
        )


class ChangeOut(BaseModel):
    before: ProgrammeOut
    after: ProgrammeOut
    changes: list[str] = Field(description="moved, retitled, re-rated, changed")


class DiffOut(BaseModel):
    """What changed between two revisions of a channel-day, programmes in the feed shape."""

    added: list[ProgrammeOut]
    removed: list[ProgrammeOut]
    changed: list[ChangeOut]

    @classmethod
    def of(cls, diff: GridDiff) -> DiffOut:
        return cls(added=[ProgrammeOut.of(p) for p in diff.added], removed=[ProgrammeOut.of(p) for p in diff.removed],
                   changed=[ChangeOut(before=ProgrammeOut.of(c.before), after=ProgrammeOut.of(c.after),
                                      changes=c.changes) for c in diff.changed])


class ParseOut(BaseModel):
    """What ``epg parse`` prints."""

    programmes: list[ProgrammeOut]
    diagnostics: list[Diagnostic]


class DayOut(BaseModel):
    """A channel-day grid."""

    channel: Channel
    date: date
    revision: Revision | None
    programmes: list[ProgrammeOut]
    diagnostics: list[Diagnostic] = Field(default_factory=list)

    @classmethod
    def of(cls, grid: DayGrid, diagnostics: list[Diagnostic] | None = None) -> DayOut:
        return cls(channel=grid.channel, date=grid.day, revision=grid.revision,
                   programmes=[ProgrammeOut.of(p) for p in grid.programmes], diagnostics=diagnostics or [])


class ChannelProgrammesOut(BaseModel):
    channel: Channel
    programmes: list[ProgrammeOut]


class GuideOut(BaseModel):
    channels: list[ChannelProgrammesOut]

    @classmethod
    def of(cls, guide: Guide) -> GuideOut:
        return cls(channels=[ChannelProgrammesOut(channel=c.channel, programmes=[ProgrammeOut.of(p)
                                                                                 for p in c.programmes])
                             for c in guide.channels])


def parse_output(programmes: list[Programme], diagnostics: list[Diagnostic],
                 channels: Sequence[str | None] | None = None) -> bytes:
    """The ``epg parse`` JSON document (contract fields first, stable key order).

    ``channels`` gives each programme's channel as printed (a heading of a
    several-channel text); each programme's ``channel`` is null without it.
    """
    body = ParseOut(programmes=[ProgrammeOut.of(p) for p in programmes], diagnostics=diagnostics)
    data: dict[str, Any] = body.model_dump(mode="json")
    for index, item in enumerate(data["programmes"]):
        item.pop("id")
        item.pop("sequence")
        item["channel"] = channels[index] if channels else None
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def write_json(guide: Guide) -> bytes:
    return b"".join(iter_json(guide.channels))


def iter_json(channels: Iterable[ChannelGuide]) -> Iterator[bytes]:
    """The ``GuideOut`` document (pydantic's two-space layout) a channel at a time, so no guide is held whole."""
    opened = False
    for item in channels:
        body = ChannelProgrammesOut(channel=item.channel, programmes=[ProgrammeOut.of(p) for p in item.programmes])
        # A JSON string holds no raw line break, so indenting every line moves the object into the list.
        yield (b",\n    " if opened else b'{\n  "channels": [\n    ') + \
            body.model_dump_json(indent=2).replace("\n", "\n    ").encode("utf-8")
        opened = True
    yield b"\n  ]\n}\n" if opened else b'{\n  "channels": []\n}\n'
