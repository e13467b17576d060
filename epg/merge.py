"""Merging a channel-day's sources programme by programme (issue 12).

A channel lists its sources in priority order (``Channel.sources``). When
more than one has published a day, what the day shows is their merge:

1. every programme of the highest-priority source is shown;
2. a lower source's programme with the same start and the same title (folded
   as channel names are: case, ё/е, punctuation and spaces ignored) is the
   same broadcast: it fills in the fields the shown one lacks (the text
   upload's times and titles with the guide's poster, cast and description);
3. any other programme of a lower source is shown where it overlaps nothing
   already shown: it fills a gap. Where only a stop that was assumed (the
   last line of a text) overlaps, that programme ends where the next one
   starts, whichever source either comes from;
4. a lower source's programme that overlaps a shown one otherwise is left
   out, and the merge says so.

Each merged programme carries its :class:`~epg.models.Provenance`: the
source it came from and the source of every field filled in. Pure: no I/O.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from epg.channelnames import name_key
from epg.details import ProgrammeDetails
from epg.models import Programme, Provenance

#: The reserved source name of a merged day's revisions: no upload or import may use it.
MERGED = "merged"

#: Fields that say who a programme is, when, or what a text line said of it: never filled in from another source.
_OWN = frozenset({"start", "title", "line", "id", "sequence", "modified", "provenance", "stop_estimated",
                  "details"})

#: Programme fields a lower source can fill in: every other field of the model, except yes/no flags
#: (a text that does not say "premiere" has not said it is not one, but neither has it said it is).
FILLABLE = tuple(name for name, field in Programme.model_fields.items()
                 if name not in _OWN and field.annotation is not bool)

#: Details that describe a core field: they come along with it, or not at all.
_TIED = {"sub_title_lang": "sub_title", "desc_lang": "description", "ratings": "rating",
         "episode_nums": "season"}


@dataclass(frozen=True)
class Layer:
    """One source's programmes for the day, in start order."""

    source: str
    programmes: Sequence[Programme]


@dataclass(frozen=True)
class Merged:
    """The day as shown, and why each left-out programme was left out."""

    programmes: list[Programme]
    left_out: list[str]


def _lacks(value: object) -> bool:
    """Nothing said: no value, an empty text or list, or a detail's flag left unset."""
    return value is None or value is False or (isinstance(value, str | list | tuple) and not value)


def _fill(shown: Programme, other: Programme, source: str) -> Programme:
    """``shown`` with the fields it lacks taken from ``other``, the same broadcast from ``source``."""
    assert shown.provenance is not None
    taken = {name: getattr(other, name) for name in FILLABLE
             if name != "stop" and _lacks(getattr(shown, name)) and not _lacks(getattr(other, name))}
    if shown.stop_estimated and not other.stop_estimated:
        taken["stop"] = other.stop
        taken["stop_estimated"] = False
    details = _filled_details(shown, other, taken)
    if details != shown.details:
        taken["details"] = details
    if not taken:
        return shown
    filled = dict(shown.provenance.filled)
    filled.update({name: source for name in taken if name != "stop_estimated"})
    return shown.model_copy(update={**taken, "provenance": Provenance(source=shown.provenance.source,
                                                                      filled=filled)})


def _filled_details(shown: Programme, other: Programme, taken: dict[str, object]) -> ProgrammeDetails | None:
    """``shown``'s details with the parts it lacks taken from ``other``'s; the parts that describe a core
    field (its language, its rating marks, its episode numbers) only when that field was taken too."""
    if other.details is None:
        return shown.details
    mine = shown.details or ProgrammeDetails()
    update = {}
    for name in ProgrammeDetails.model_fields:
        theirs = getattr(other.details, name)
        if not _lacks(getattr(mine, name)) or _lacks(theirs):
            continue
        if name == "title_lang" and other.title != shown.title:
            continue
        tied = _TIED.get(name)
        if tied is not None and tied not in taken and not _lacks(getattr(shown, tied)):
            continue
        update[name] = theirs
    if not update:
        return shown.details
    return mine.model_copy(update=update)


def _overlaps(a: Programme, b: Programme) -> bool:
    return a.start < b.stop and b.start < a.stop


def merge(layers: Sequence[Layer]) -> Merged:
    """The day as shown from ``layers``, highest priority first (see the module docstring).

    Each lower layer is swept once against what is shown so far, looking candidates up by start
    (bisecting starts and the running latest stop), so a day costs O(N log N), not N × M.
    """
    if not layers:
        return Merged([], [])
    top = layers[0]
    shown = sorted((p.model_copy(update={"provenance": Provenance(source=top.source)}) for p in top.programmes),
                   key=lambda p: p.start)
    left_out: list[str] = []
    for layer in layers[1:]:
        starts = [p.start for p in shown]
        latest = list(itertools.accumulate((p.stop for p in shown), max))
        by_key = {(p.start, name_key(p.title)): i for i, p in reversed(list(enumerate(shown)))}
        added: list[Programme] = []
        for programme in layer.programmes:
            same = by_key.get((programme.start, name_key(programme.title)))
            if same is not None:
                shown[same] = _fill(shown[same], programme, layer.source)
                continue
            # Shown programmes that may overlap: started before this one stops, and not all over before it starts.
            first = bisect.bisect_right(latest, programme.start)
            clashes = [i for i in range(first, bisect.bisect_left(starts, programme.stop))
                       if _overlaps(shown[i], programme)]
            if len(clashes) == 1 and _gives_way(shown[clashes[0]], programme):
                shown[clashes[0]] = shown[clashes[0]].model_copy(update={"stop": programme.start})
                clashes = []
            if clashes and programme.stop_estimated and all(programme.start < shown[i].start for i in clashes):
                programme = programme.model_copy(update={"stop": min(shown[i].start for i in clashes)})
                clashes = []
            if clashes:
                held = shown[clashes[0]]
                assert held.provenance is not None
                left_out.append(f"{layer.source} {programme.start:%H:%M} {programme.title!r} left out: "
                                f"it overlaps {held.provenance.source} {held.start:%H:%M} {held.title!r}")
                continue
            added.append(programme.model_copy(update={"provenance": Provenance(source=layer.source)}))
        shown = sorted(shown + added, key=lambda p: p.start)
    return Merged(shown, left_out)


def _gives_way(held: Programme, programme: Programme) -> bool:
    """A shown programme whose stop was assumed ends where a lower source's later programme starts."""
    return held.stop_estimated and held.start < programme.start
