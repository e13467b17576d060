"""Stable programme ids: what a calendar subscriber sees when a day is published again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from epg.diff import diff_grids
from epg.identity import assign_ids
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
