"""Stable programme identity across re-publishing.

Calendars key events by UID and players by (channel, start); when an operator
re-publishes a corrected day, each new programme must keep the id of the one
it replaces, or every subscriber sees a duplicate. Matching, in order:

0. same id — a rollback republishes programmes that already have ids;
1. same title and same start — unchanged (or changed only in details);
2. same title, nearest start — moved;
3. same start — retitled;
4. otherwise a new programme with a new id.

A matched programme whose content differs gets ``sequence + 1`` and a new
``modified`` stamp (iCal SEQUENCE and LAST-MODIFIED); an unchanged one keeps
both, so re-publishing the same text changes no byte of any feed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from epg.models import Programme

#: A programme more than this far from its old start is not "moved" but new.
MAX_MOVE_SECONDS = 12 * 3600


def assign_ids(
    old: list[Programme], new: list[Programme], new_id: Callable[[int], str], now: datetime
) -> list[Programme]:
    """``new`` with ids, sequences and modified stamps carried over from ``old``."""
    matched: dict[int, int] = {}  # index in new → index in old
    free_old = set(range(len(old)))

    def take(pairs: list[tuple[float, int, int]]) -> None:
        for _, n, o in sorted(pairs):
            if n not in matched and o in free_old:
                matched[n] = o
                free_old.discard(o)

    take([(0, n, o) for n, p in enumerate(new) for o, q in enumerate(old) if p.id is not None and p.id == q.id])
    take([(0, n, o) for n, p in enumerate(new) for o, q in enumerate(old)
          if p.title == q.title and p.start == q.start])
    take([(abs((p.start - q.start).total_seconds()), n, o) for n, p in enumerate(new) for o, q in enumerate(old)
          if p.title == q.title and abs((p.start - q.start).total_seconds()) <= MAX_MOVE_SECONDS])
    take([(0, n, o) for n, p in enumerate(new) for o, q in enumerate(old) if p.start == q.start])

    taken = {old[o].id for o in matched.values()}
    out: list[Programme] = []
    for n, programme in enumerate(new):
        if n in matched:
            before = old[matched[n]]
            if programme.same_content(before):
                out.append(programme.model_copy(update={
                    "id": before.id, "sequence": before.sequence, "modified": before.modified or now}))
            else:
                out.append(programme.model_copy(update={
                    "id": before.id, "sequence": before.sequence + 1, "modified": now}))
        elif programme.id is not None and programme.id not in taken:
            # Restored by a rollback after it had been removed: same UID, a newer version of it.
            out.append(programme.model_copy(update={"sequence": programme.sequence + 1, "modified": now}))
        else:
            out.append(programme.model_copy(update={"id": new_id(n), "sequence": 0, "modified": now}))
    return out
