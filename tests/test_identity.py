"""Stable programme ids: what a calendar subscriber sees when a day is published again."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epg.diff import diff_grids
from epg.identity import MAX_MOVE_SECONDS, MatchWork, assign_ids
from epg.models import Programme
from epg.schedule import read_schedule

MSK = ZoneInfo("Europe/Moscow")
DAY = date(2022, 1, 7)
FIRST = datetime(2022, 1, 6, 12, tzinfo=UTC)
SECOND = datetime(2022, 1, 6, 18, tzinfo=UTC)

BASE = "16:55 История дракона 12+\n17:00 Китайская панорама 12+\n17:15 Жажда странствий. Иордания 12+\n18:00 Новости\n"


def published(text: str, previous: list[Programme] | None = None, now: datetime = FIRST) -> list[Programme]:
    found = read_schedule(text, DAY, MSK).programmes
    return assign_ids(previous or [], found, lambda i: f"new-{now:%H}-{i}", now)


def ids_by_title(items: list[Programme]) -> dict[str, tuple[str | None, int]]:
    return {p.title: (p.id, p.sequence) for p in items}


def test_publishing_the_same_text_again_changes_nothing() -> None:
    first = published(BASE)
    again = published(BASE, first, SECOND)
    assert again == first


def test_a_moved_programme_keeps_its_id_and_its_sequence_rises() -> None:
    first = published(BASE)
    moved = published(BASE.replace("17:15 Жажда", "17:20 Жажда"), first, SECOND)
    before, after = ids_by_title(first), ids_by_title(moved)
    assert after["Жажда странствий"] == (before["Жажда странствий"][0], 1)
    assert next(p for p in moved if p.title == "Жажда странствий").modified == SECOND
    # The programme before it now ends later: same id, also a new sequence.
    assert after["Китайская панорама"] == (before["Китайская панорама"][0], 1)
    assert after["История дракона"] == before["История дракона"]


def test_an_inserted_programme_is_new_and_the_others_keep_their_ids() -> None:
    first = published(BASE)
    inserted = published(BASE.replace("18:00 Новости", "17:50 Погода\n18:00 Новости"), first, SECOND)
    before, after = ids_by_title(first), ids_by_title(inserted)
    assert after["Погода"][0] == "new-18-3"
    assert {t: v[0] for t, v in after.items() if t != "Погода"} == {t: v[0] for t, v in before.items()}


def test_a_deleted_programme_is_gone_and_shows_as_removed() -> None:
    first = published(BASE)
    fewer = published(BASE.replace("17:00 Китайская панорама 12+\n", ""), first, SECOND)
    assert "Китайская панорама" not in ids_by_title(fewer)
    changes = diff_grids(first, fewer)
    assert [p.title for p in changes.removed] == ["Китайская панорама"]
    assert changes.added == []


def test_a_retitled_programme_at_the_same_start_keeps_its_id() -> None:
    first = published(BASE)
    retitled = published(BASE.replace("Новости", "Вести"), first, SECOND)
    assert ids_by_title(retitled)["Вести"] == (ids_by_title(first)["Новости"][0], 1)
    change = diff_grids(first, retitled).changed
    assert [(c.after.title, c.changes) for c in change] == [("Вести", ["retitled"])]


def test_moved_and_re_rated_show_in_the_diff() -> None:
    first = published(BASE)
    later = published(BASE.replace("17:15 Жажда странствий. Иордания 12+", "17:20 Жажда странствий. Иордания 16+"),
                      first, SECOND)
    kinds = {c.after.title: c.changes for c in diff_grids(first, later).changed}
    assert kinds["Жажда странствий"] == ["moved", "re-rated"]


def test_two_programmes_with_the_same_title_swap_nothing() -> None:
    text = "09:00 Новости\n10:00 Кино\n12:00 Новости\n13:00 Кино 2\n"
    first = published(text)
    shifted = published(text.replace("12:00 Новости", "12:10 Новости"), first, SECOND)
    news = [p for p in shifted if p.title == "Новости"]
    assert [p.id for p in news] == [p.id for p in first if p.title == "Новости"]
    assert [p.sequence for p in news] == [0, 1]


def test_rollback_restores_removed_programmes_with_their_old_ids() -> None:
    first = published(BASE)
    fewer = published(BASE.replace("17:00 Китайская панорама 12+\n", ""), first, SECOND)
    restored = assign_ids(fewer, first, lambda i: f"never-{i}", datetime(2022, 1, 6, 20, tzinfo=UTC))
    assert [p.id for p in restored] == [p.id for p in first]
    assert diff_grids(first, restored).empty


# Issue 14: matching is O(N log N). Work is counted (candidate pairs the matcher examines), never timed.

BEFORE = datetime(2022, 1, 6, 21, tzinfo=UTC)  # 00:00 in Moscow


def day_of(count: int, titles: int | None, shift: timedelta = timedelta(0)) -> list[Programme]:
    """``count`` programmes filling a day in Moscow, titled from ``titles`` in turn (None: all titles differ)."""
    every = timedelta(days=1) / count
    return [Programme(start=(start := (BEFORE + i * every + shift).astimezone(MSK)), stop=start + every,
                      title=f"Programme {i if titles is None else i % titles}") for i in range(count)]


def work_republishing_shifted(count: int, titles: int | None) -> int:
    old = assign_ids([], day_of(count, titles), lambda i: f"old-{i}", FIRST)
    work = MatchWork()
    shifted = assign_ids(old, day_of(count, titles, timedelta(minutes=2)), lambda i: f"new-{i}", SECOND, work)
    # Moved, not new (with one title the nearest old programme can be a later one, and the last few are left over).
    assert len({p.id for p in shifted} & {p.id for p in old}) >= 0.99 * count
    return work.pairs


@pytest.mark.parametrize("titles", [None, 40, 1], ids=["all titles differ", "40 titles in turn", "one title"])
def test_republishing_a_shifted_day_costs_n_log_n_not_n_squared(titles: int | None) -> None:
    small, large = work_republishing_shifted(500, titles), work_republishing_shifted(5000, titles)
    assert large / small <= 15  # 10× the programmes; comparing every pair would be 100×
    assert large <= 4 * 5000 * math.log2(5000)


# The rules as written, comparing every new programme with every old one: what matching did before issue 14.

def reference_ids(old: list[Programme], new: list[Programme], new_id: Callable[[int], str],
                  now: datetime) -> list[Programme]:
    matched: dict[int, int] = {}
    free_old = set(range(len(old)))

    def take(pairs: list[tuple[float, int, int]]) -> None:
        for _, n, o in sorted(pairs):
            if n not in matched and o in free_old:
                matched[n] = o
                free_old.discard(o)

    def apart(p: Programme, q: Programme) -> float:
        return abs((p.start - q.start).total_seconds())

    pairs = [(n, p, o, q) for n, p in enumerate(new) for o, q in enumerate(old)]
    take([(0, n, o) for n, p, o, q in pairs if p.id is not None and p.id == q.id])
    take([(0, n, o) for n, p, o, q in pairs if p.title == q.title and p.start == q.start])
    take([(apart(p, q), n, o) for n, p, o, q in pairs if p.title == q.title and apart(p, q) <= MAX_MOVE_SECONDS])
    take([(0, n, o) for n, p, o, q in pairs if p.start == q.start])
    taken = {old[o].id for o in matched.values()}
    out: list[Programme] = []
    for n, p in enumerate(new):
        if n in matched:
            before = old[matched[n]]
            same = p.same_content(before)
            out.append(p.model_copy(update={"id": before.id, "sequence": before.sequence + (not same),
                                            "modified": (before.modified or now) if same else now}))
        elif p.id is not None and p.id not in taken:
            out.append(p.model_copy(update={"sequence": p.sequence + 1, "modified": now}))
        else:
            out.append(p.model_copy(update={"id": new_id(n), "sequence": 0, "modified": now}))
    return out


LONDON = ZoneInfo("Europe/London")
FALL_BACK = datetime(2022, 10, 29, 12, tzinfo=UTC)  # clocks go back at 01:00 UTC the next night


@st.composite
def programmes(draw: st.DrawFn, zones: st.SearchStrategy[tzinfo]) -> list[Programme]:
    """A few programmes, starts every half hour over 30 hours (so some are more than 12 hours apart),
    titles, ids and sub-titles from small sets so that ties and collisions are common."""
    items = draw(st.lists(st.tuples(st.integers(0, 60), st.sampled_from("ABC"), st.sampled_from([None, "x", "y"]),
                                    st.sampled_from([None, "a", "b", "c", "d"]), st.integers(0, 2), zones),
                          max_size=12))
    return [Programme(start=(start := (FALL_BACK + timedelta(minutes=30 * slot)).astimezone(zone)),
                      stop=start + timedelta(minutes=30), title=title, sub_title=sub, id=uid, sequence=sequence,
                      modified=FIRST if uid else None)
            for slot, title, sub, uid, sequence, zone in items]


def same_as_reference(old: list[Programme], new: list[Programme]) -> None:
    expected = reference_ids(old, new, lambda i: f"new-{i}", SECOND)
    got = assign_ids(old, new, lambda i: f"new-{i}", SECOND)
    assert [(p.id, p.sequence, p.modified) for p in got] == [(p.id, p.sequence, p.modified) for p in expected]
    assert got == expected


@settings(max_examples=250, deadline=None)
@given(programmes(st.just(LONDON)), programmes(st.just(LONDON)))
def test_matching_is_the_rules_as_written_in_one_zone_across_a_clock_change(
        old: list[Programme], new: list[Programme]) -> None:
    same_as_reference(old, new)


@settings(max_examples=150, deadline=None)
@given(*[programmes(st.sampled_from([UTC, timezone(timedelta(hours=3)), MSK]))] * 2)
def test_matching_is_the_rules_as_written_across_fixed_offset_zones(
        old: list[Programme], new: list[Programme]) -> None:
    same_as_reference(old, new)


def test_matching_nothing_examines_nothing() -> None:
    work = MatchWork()
    assert assign_ids([], [], lambda i: f"new-{i}", SECOND, work) == []
    assert work.pairs == 0
