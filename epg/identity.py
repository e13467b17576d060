"""Stable programme identity across re-publishing.

Calendars key events by UID and players by (channel, start); when an operator
re-publishes a corrected day, each new programme must keep the id of the one
it replaces, or every subscriber sees a duplicate. Matching, in order:

0. same id — a rollback republishes programmes that already have ids;
1. same title and same start — unchanged (or changed only in details);
2. same title, nearest start — moved;
3. same start — retitled;
4. otherwise a new programme with a new id.

Each step is greedy over what the steps before it left unmatched. In steps
0, 1 and 3 the new programmes are taken in order and each gets the first (in
the old order) free old programme that fits. In step 2 the closest pair of
the same title goes first, then the next closest among those left, and so on
(a programme more than :data:`MAX_MOVE_SECONDS` from its old start is not
moved but new); equally close pairs go in the order of the new programme,
then of the old one.

That is what comparing every new programme with every old one gives, but in
O(N log N) (issue 14: a 4,000-programme day took a minute): steps 0, 1 and 3
look a programme up by its id, (title, start) or start; step 2 walks each
title's programmes in start order and keeps only neighbouring pairs in a heap,
because the closest pair left always has nothing left between them (anything
between would be closer to one of the two).

"Same start" and "how far" are what comparing and subtracting the datetimes
gives, as before: when all starts carry the one time zone object (what the
store and every reader give a channel's day), by the wall clock, as Python
compares datetimes of one zone (so 01:30 before and after clocks go back is
the same start); otherwise by the instant (Python differs from that only for
two starts of one zone with daylight saving beside its change, next to
starts of another zone: a mix nothing here produces).

A matched programme whose content differs gets ``sequence + 1`` and a new
``modified`` stamp (iCal SEQUENCE and LAST-MODIFIED); an unchanged one keeps
both, so re-publishing the same text changes no byte of any feed.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from epg.models import Programme

#: A programme more than this far from its old start is not "moved" but new.
MAX_MOVE_SECONDS = 12 * 3600

_MICROSECOND = timedelta(microseconds=1)
_MAX_MOVE = MAX_MOVE_SECONDS * 1_000_000
_WALL_EPOCH = datetime(1970, 1, 1)
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class MatchWork:
    """How much matching looked at: pass one to :func:`assign_ids` to have it counted (tests, benchmarks)."""

    #: (new, old) candidate pairs examined: looked up, or pushed onto or popped off step 2's heap.
    pairs: int = 0


def assign_ids(
    old: list[Programme], new: list[Programme], new_id: Callable[[int], str], now: datetime,
    work: MatchWork | None = None,
) -> list[Programme]:
    """``new`` with ids, sequences and modified stamps carried over from ``old``."""
    matched, examined = _match(old, new)
    if work is not None:
        work.pairs += examined
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


def _match(old: list[Programme], new: list[Programme]) -> tuple[dict[int, int], int]:
    """(index in new → index in old, candidate pairs examined), by the steps in the module's docstring."""
    starts = [p.start for p in old] + [p.start for p in new]
    zone = starts[0].tzinfo if starts else None
    if all(s.tzinfo is zone for s in starts):
        # One zone object: Python compares and subtracts these by the wall clock.
        key = [(s.replace(tzinfo=None) - _WALL_EPOCH) // _MICROSECOND for s in starts]
    else:
        key = [(s - _UTC_EPOCH) // _MICROSECOND for s in starts]
    old_at, new_at = key[:len(old)], key[len(old):]

    matched: dict[int, int] = {}  # index in new → index in old
    free = [True] * len(old)
    examined = 0

    def first_free(buckets: dict[Hashable, list[int]], wanted: Iterable[tuple[int, Hashable]]) -> None:
        """Each wanted new programme, in order, takes the first free old one of its bucket."""
        nonlocal examined
        cursor: dict[Hashable, int] = {}
        for n, k in wanted:
            bucket = buckets.get(k)
            if bucket is None:
                continue
            i = cursor.get(k, 0)
            while i < len(bucket):
                o = bucket[i]
                examined += 1
                i += 1  # taken now or before: never free again
                if free[o]:
                    matched[n] = o
                    free[o] = False
                    break
            cursor[k] = i

    def buckets_of(keys: Iterable[tuple[int, Hashable]]) -> dict[Hashable, list[int]]:
        out: dict[Hashable, list[int]] = {}
        for o, k in keys:
            out.setdefault(k, []).append(o)
        return out

    def unmatched(keys: Callable[[int], Hashable]) -> Iterable[tuple[int, Hashable]]:
        return ((n, keys(n)) for n in range(len(new)) if n not in matched)

    # 0. Same id.
    first_free(buckets_of((o, q.id) for o, q in enumerate(old) if q.id is not None),
               ((n, p.id) for n, p in enumerate(new) if p.id is not None))
    # 1. Same title and same start.
    first_free(buckets_of((o, (q.title, old_at[o])) for o, q in enumerate(old) if free[o]),
               unmatched(lambda n: (new[n].title, new_at[n])))
    # 2. Same title, nearest start.
    by_title: dict[str, tuple[list[int], list[int]]] = {}
    for n, p in enumerate(new):
        if n not in matched:
            by_title.setdefault(p.title, ([], []))[0].append(n)
    for o, q in enumerate(old):
        if free[o] and q.title in by_title:
            by_title[q.title][1].append(o)
    for title_new, title_old in by_title.values():
        if title_old:
            pairs, looked_at = _nearest(title_new, new_at, title_old, old_at)
            examined += looked_at
            for n, o in pairs:
                matched[n] = o
                free[o] = False
    # 3. Same start.
    first_free(buckets_of((o, old_at[o]) for o in range(len(old)) if free[o]), unmatched(lambda n: new_at[n]))
    return matched, examined


def _nearest(
    new: list[int], new_at: list[int], old: list[int], old_at: list[int],
) -> tuple[list[tuple[int, int]], int]:
    """Step 2 for one title: (pairs (new, old) closest first, candidate pairs examined)."""
    # A node: the programmes of one side at one start, in index order, the first `head` of them gone.
    # Nodes are kept in start order (new before old at the same start) as a doubly linked list.
    nodes: dict[tuple[int, bool], list[int]] = {}
    for n in new:
        nodes.setdefault((new_at[n], False), []).append(n)
    for o in old:
        nodes.setdefault((old_at[o], True), []).append(o)
    order = sorted(nodes)
    at = [a for a, _ in order]
    is_old = [side for _, side in order]
    members = [nodes[k] for k in order]
    head = [0] * len(order)
    prev = list(range(-1, len(order) - 1))
    nxt = list(range(1, len(order) + 1))
    last = len(order)
    heap: list[tuple[int, int, int, int, int]] = []  # (distance, new, old, left node, right node)
    examined = 0

    def offer(left: int, right: int) -> None:
        nonlocal examined
        if left < 0 or right >= last or is_old[left] == is_old[right]:
            return
        distance = at[right] - at[left]
        if distance > _MAX_MOVE:
            return
        a, b = (left, right) if is_old[right] else (right, left)
        examined += 1
        heapq.heappush(heap, (distance, members[a][head[a]], members[b][head[b]], left, right))

    for i in range(len(order) - 1):
        offer(i, i + 1)
    pairs: list[tuple[int, int]] = []
    while heap:
        _, n, o, left, right = heapq.heappop(heap)
        examined += 1
        if nxt[left] != right or head[left] >= len(members[left]) or head[right] >= len(members[right]):
            continue  # no longer neighbours, or one side is used up
        a, b = (left, right) if is_old[right] else (right, left)
        if members[a][head[a]] != n or members[b][head[b]] != o:
            continue  # stale: the node's first programme was taken; its new pair was offered then
        pairs.append((n, o))
        for node in (left, right):
            head[node] += 1
        # Unlink the used-up nodes, then offer again every pair whose ends changed or that became neighbours:
        # each of them starts at the node before `left`, at `left` or at `right`.
        alive = [head[node] < len(members[node]) for node in (left, right)]
        for node, kept in zip((left, right), alive, strict=True):
            if not kept:
                p, q = prev[node], nxt[node]
                if p >= 0:
                    nxt[p] = q
                if q < last:
                    prev[q] = p
        for node, kept in zip((prev[left], left, right), [prev[left] >= 0, *alive], strict=True):
            if kept:
                offer(node, nxt[node])
    return pairs, examined
