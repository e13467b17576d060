"""What changed between two versions of a day grid, programme by programme.

Programmes are paired by their stable id (see :mod:`epg.identity`), so a
moved programme shows as moved, not as one removed and one added.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from epg.models import Programme


class Change(BaseModel):
    before: Programme
    after: Programme
    changes: list[str] = Field(description="moved, retitled, re-rated, changed")


class GridDiff(BaseModel):
    added: list[Programme] = Field(default_factory=list)
    removed: list[Programme] = Field(default_factory=list)
    changed: list[Change] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _kinds(before: Programme, after: Programme) -> list[str]:
    kinds = []
    if (before.start, before.stop) != (after.start, after.stop):
        kinds.append("moved")
    if (before.title, before.sub_title) != (after.title, after.sub_title):
        kinds.append("retitled")
    if before.rating != after.rating:
        kinds.append("re-rated")
    if not kinds and not before.same_content(after):
        kinds.append("changed")
    return kinds


def diff_grids(before: list[Programme], after: list[Programme]) -> GridDiff:
    """Added, removed and changed programmes from ``before`` to ``after``."""
    old = {p.id: p for p in before}
    new = {p.id: p for p in after}
    result = GridDiff(
        added=[p for p in after if p.id not in old],
        removed=[p for p in before if p.id not in new],
    )
    for programme in after:
        previous = old.get(programme.id)
        if previous is not None:
            kinds = _kinds(previous, programme)
            if kinds:
                result.changed.append(Change(before=previous, after=programme, changes=kinds))
    return result
