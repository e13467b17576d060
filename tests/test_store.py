"""The store contract, on a real SQLite file and (with EPG_TEST_POSTGRES_URL) on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from epg import store as store_module
from epg.details import ProgrammeDetails
from epg.errors import AlreadyExists, Conflict, NotFound, StoreError
from epg.models import Channel, Programme, Rating, Revision
from epg.schedule import read_schedule
from epg.store import Store
from tests.conftest import BIGASIA, NOW

DAY = date(2022, 1, 7)
NEXT_DAY = date(2022, 1, 8)
MOSCOW = ZoneInfo("Europe/Moscow")

FOUR = (
    "16:55 История дракона 12+\n"
    "17:00 Китайская панорама 12+\n"
    "17:15 Жажда странствий. Иордания 12+\n"
    "18:00 Новости 12+\n"
)
TWO_DAYS = (
    "Пятница, 7 января\n"
    "10:00 Утренние новости\n"
    "11:00 Сериал\n"
    "Суббота, 8 января\n"
    "09:00 Мультфильмы\n"
    "10:30 Кино\n"
)

OTHER = Channel(id="tv1.demo.epg", name="Демо ТВ", tz="Europe/Moscow", number="2")


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def publish(
    store: Store,
    text: str | bytes,
    *,
    channel: Channel = BIGASIA,
    day: date = DAY,
    now: datetime = NOW,
    if_revision: dict[date, int | None] | None = None,
) -> list[tuple[Revision, list[Programme]]]:
    """Parse ``text`` as the service would and publish every day it holds."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    schedule = read_schedule(data, day, channel.zoneinfo)
    assert schedule.programmes, "the test text must hold programmes"
    return store.publish(
        channel, dict(schedule.by_day), raw=data, content_type="text/plain", source="text",
        author="tester", diagnostics=schedule.diagnostics, now=now, if_revision=if_revision,
    )


def by_title(programmes: Sequence[Programme]) -> dict[str, Programme]:
    return {p.title: p for p in programmes}


def titles(store: Store, day: date = DAY, channel: Channel = BIGASIA) -> list[str]:
    return [p.title for p in store.get_day(channel, day).programmes]


@pytest.fixture
def channel_store(store: Store) -> Store:
    store.add_channel(BIGASIA, NOW)
    return store


# -- channels -----------------------------------------------------------------


def test_added_channel_reads_back_with_every_field(store: Store) -> None:
    store.add_channel(BIGASIA, NOW)

    assert store.get_channel("bigasia.ru") == BIGASIA
    assert store.get_channel("bigasia.ru").model_fields_set == set(Channel.model_fields)  # built whole, unvalidated


def test_get_channel_ignores_case_of_the_id(channel_store: Store) -> None:
    assert channel_store.get_channel("BigAsia.RU").id == "bigasia.ru"


def test_list_channels_orders_by_number_then_id(store: Store) -> None:
    unnumbered = Channel(id="aaa.example.tv", name="Без номера", tz="UTC")
    for channel in (unnumbered, OTHER, BIGASIA):
        store.add_channel(channel, NOW)

    assert [c.id for c in store.list_channels()] == ["bigasia.ru", "tv1.demo.epg", "aaa.example.tv"]


def test_list_channels_orders_numbers_numerically(store: Store) -> None:
    tenth = Channel(id="ten.example.tv", name="Десятый", tz="UTC", number="10")
    for channel in (tenth, OTHER, BIGASIA):
        store.add_channel(channel, NOW)

    assert [c.number for c in store.list_channels()] == ["1", "2", "10"]


def test_list_channels_is_empty_on_a_new_store(store: Store) -> None:
    assert store.list_channels() == []


def test_adding_a_channel_twice_raises_already_exists(channel_store: Store) -> None:
    renamed = BIGASIA.model_copy(update={"name": "Другое имя"})

    with pytest.raises(AlreadyExists, match=r"bigasia\.ru"):
        channel_store.add_channel(renamed, later(1))

    assert channel_store.get_channel("bigasia.ru").name == BIGASIA.name


def test_update_channel_changes_its_fields(channel_store: Store) -> None:
    changed = BIGASIA.model_copy(update={"name": "Big Asia", "tz": "Asia/Tokyo", "number": "7"})

    channel_store.update_channel(changed)

    assert channel_store.get_channel("bigasia.ru") == changed


def test_update_unknown_channel_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match=r"bigasia\.ru"):
        store.update_channel(BIGASIA)

    assert store.list_channels() == []


def test_get_unknown_channel_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match=r"nowhere\.tv"):
        store.get_channel("nowhere.tv")


def test_delete_channel_removes_it_and_its_days(channel_store: Store) -> None:
    channel_store.add_channel(OTHER, NOW)
    publish(channel_store, FOUR)
    publish(channel_store, FOUR, channel=OTHER)

    channel_store.delete_channel("bigasia.ru")

    with pytest.raises(NotFound):
        channel_store.get_channel("bigasia.ru")
    assert channel_store.history("bigasia.ru", DAY) == []
    assert channel_store.days_of("bigasia.ru") == []
    assert [c.id for c in channel_store.list_channels()] == ["tv1.demo.epg"]
    assert titles(channel_store, channel=OTHER) == [
        "История дракона", "Китайская панорама", "Жажда странствий", "Новости"]


def test_deleted_channel_id_can_be_added_again_empty(channel_store: Store) -> None:
    publish(channel_store, FOUR)
    channel_store.delete_channel("bigasia.ru")

    channel_store.add_channel(BIGASIA, later(1))

    with pytest.raises(NotFound):
        channel_store.get_day(BIGASIA, DAY)


def test_delete_unknown_channel_raises_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match=r"nowhere\.tv"):
        store.delete_channel("nowhere.tv")


# -- publishing and reading days ----------------------------------------------


def test_get_day_before_publishing_raises_not_found(channel_store: Store) -> None:
    with pytest.raises(NotFound, match="2022-01-07"):
        channel_store.get_day(BIGASIA, DAY)


def test_published_day_reads_back_as_published(channel_store: Store) -> None:
    [(revision, published)] = publish(channel_store, FOUR)

    grid = channel_store.get_day(BIGASIA, DAY)

    assert grid.revision == revision
    assert grid.programmes == published
    assert [(p.start.isoformat(), p.stop.isoformat(), p.title, p.sub_title) for p in grid.programmes] == [
        ("2022-01-07T16:55:00+03:00", "2022-01-07T17:00:00+03:00", "История дракона", None),
        ("2022-01-07T17:00:00+03:00", "2022-01-07T17:15:00+03:00", "Китайская панорама", None),
        ("2022-01-07T17:15:00+03:00", "2022-01-07T18:00:00+03:00", "Жажда странствий", "Иордания"),
        ("2022-01-07T18:00:00+03:00", "2022-01-07T19:00:00+03:00", "Новости", None),
    ]
    assert all(p.start.tzinfo == MOSCOW and p.stop.tzinfo == MOSCOW for p in grid.programmes)
    assert all(p.rating is not None and p.rating.value == "12+" for p in grid.programmes)
    assert grid.programmes[-1].stop_estimated
    assert [p.line for p in grid.programmes] == [1, 2, 3, 4]


def test_every_programme_field_reads_back_as_a_whole_model(channel_store: Store) -> None:
    """Programmes are built from rows without validation: they must still be complete, equal models."""
    full = Programme(start=datetime(2022, 1, 7, 18, tzinfo=MOSCOW), stop=datetime(2022, 1, 7, 19, tzinfo=MOSCOW),
                     title="Кино", sub_title="Серия 2", description="Описание.", categories=["Movie", "Drama"],
                     rating=Rating(system="RU", value="16+", min_age=16), season=1, episode=2, premiere=True,
                     live=True, repeat=True, subtitles=True, year=1975, country="СССР", line=7, stop_estimated=True)
    [(_, published)] = channel_store.publish(BIGASIA, {DAY: [full]}, raw=b"x", source="text", author="t",
                                             diagnostics=[], now=NOW)
    [read] = channel_store.get_day(BIGASIA, DAY).programmes
    assert read == published[0]
    assert read.model_dump() == Programme.model_validate(read.model_dump()).model_dump()
    assert read.model_dump(exclude={"id", "modified", "sequence"}) == full.model_dump(
        exclude={"id", "modified", "sequence"})
    assert read.model_copy(update={"title": "Другое"}).title == "Другое" and read.title == "Кино"
    assert read.rating == Rating(system="RU", value="16+", min_age=16)
    assert read.model_fields_set == set(Programme.model_fields)


def test_a_day_of_many_programmes_reads_back_field_for_field(channel_store: Store) -> None:
    """A day past store._BULK_FROM goes to PostgreSQL by COPY: every value must survive its text form
    (tabs, new lines, backslashes, quotes, Cyrillic, JSON details, nulls) as it does through INSERT."""
    assert store_module._BULK_FROM <= 200
    start = datetime(2022, 1, 7, 5, tzinfo=MOSCOW)
    awkward = ["Tab\there", "Line\nbreak", "Back\\slash \\N", 'Quote "and" \'apostrophe\'', "Кино «Ёлки»", "\\."]
    day = [Programme(start=start + timedelta(minutes=5 * i), stop=start + timedelta(minutes=5 * i + 5),
                     title=awkward[i % len(awkward)] + f" {i}", sub_title=None if i % 3 else awkward[(i + 1) % 6],
                     description=None if i % 2 else "Описание\n\tс отступом\\", categories=["Movie", awkward[i % 6]],
                     rating=Rating(system="RU", value="16+", min_age=16) if i % 4 == 0 else None,
                     season=i if i % 5 == 0 else None, episode=i or None, premiere=i % 7 == 0, live=i % 11 == 0,
                     repeat=i % 2 == 1, subtitles=i % 3 == 1, year=1975 if i % 9 == 0 else None, country="СССР",
                     line=i + 1, stop_estimated=i == 199,
                     details=ProgrammeDetails.model_validate({"desc_lang": "ru", "keywords": [
                         {"text": awkward[i % 6], "lang": "ru"}]}) if i % 2 == 0 else None)
           for i in range(200)]
    [(_, published)] = channel_store.publish(BIGASIA, {DAY: day}, raw=b"x", source="text", author="t",
                                             diagnostics=[], now=NOW)
    read = channel_store.get_day(BIGASIA, DAY).programmes
    assert read == published
    assert [p.model_dump(exclude={"id", "modified", "sequence"}) for p in read] == [
        p.model_dump(exclude={"id", "modified", "sequence"}) for p in day]


def test_every_programme_of_a_large_publish_is_found_by_search_and_later_ones_too(channel_store: Store) -> None:
    """On SQLite a large publish fills the full-text index in one statement after its rows (migration 0012)."""
    start = datetime(2022, 1, 7, 5, tzinfo=MOSCOW)
    many = [Programme(start=start + timedelta(minutes=5 * i), stop=start + timedelta(minutes=5 * i + 5),
                      title=f"Передача word{i}", sub_title=f"sub{i}" if i % 2 else None,
                      description=f"about{i}" if i % 3 == 0 else None) for i in range(150)]
    channel_store.publish(BIGASIA, {DAY: many}, raw=b"x", source="text", author="t", diagnostics=[], now=NOW)
    channel_store.publish(BIGASIA, {NEXT_DAY: [Programme(start=datetime(2022, 1, 8, 10, tzinfo=MOSCOW),
                                                          stop=datetime(2022, 1, 8, 11, tzinfo=MOSCOW),
                                                          title="Одна передача alone")]},
                          raw=b"y", source="text", author="t", diagnostics=[], now=NOW)

    def found(word: str) -> list[str]:
        return [p.title for _, p in channel_store.search(word, [BIGASIA], None, None, limit=500)]

    assert found("word0") == ["Передача word0"] and found("word149") == ["Передача word149"]
    assert found("sub75") == ["Передача word75"] and found("about147") == ["Передача word147"]
    assert len(found("передача")) == 151 and found("alone") == ["Одна передача alone"]


def test_published_programmes_carry_ids_and_a_modified_stamp(channel_store: Store) -> None:
    [(_, published)] = publish(channel_store, FOUR)

    assert len({p.id for p in published}) == 4
    assert all(p.id and p.sequence == 0 and p.modified == NOW for p in published)


def test_revision_records_who_when_and_what(channel_store: Store) -> None:
    [(revision, _)] = publish(channel_store, "10:00 Новости\n12:00 пустая строка о погоде\n")

    assert (revision.channel_id, revision.day, revision.number) == ("bigasia.ru", DAY, 1)
    assert (revision.source, revision.author, revision.content_type) == ("text", "tester", "text/plain")
    assert revision.created == NOW
    assert [d.line for d in revision.diagnostics] == [1, 2]


def test_revisions_are_numbered_one_two_three_in_history(channel_store: Store) -> None:
    for minutes, text in enumerate([FOUR, FOUR + "19:00 Фильм\n", "16:55 История дракона\n"]):
        publish(channel_store, text, now=later(minutes))

    history = channel_store.history("bigasia.ru", DAY)

    assert [r.number for r in history] == [1, 2, 3]
    assert [r.created for r in history] == [NOW, later(1), later(2)]
    assert channel_store.get_day(BIGASIA, DAY).revision == history[-1]
    assert titles(channel_store) == ["История дракона"]


def test_history_of_an_unpublished_day_is_empty(channel_store: Store) -> None:
    assert channel_store.history("bigasia.ru", DAY) == []


def test_raw_input_is_kept_byte_for_byte(channel_store: Store) -> None:
    data = "\ufeff16:55 История дракона 12+\r\n\r\n17:00 Китайская панорама\t12+\r\n".encode()
    [(revision, _)] = publish(channel_store, data)

    assert channel_store.raw_input(revision.id) == data


def test_raw_input_keeps_bytes_that_are_not_utf8(channel_store: Store) -> None:
    data = FOUR.encode("cp1251") + b"\x00\xff\xfe\x98 trailing\n"
    [(revision, published)] = publish(channel_store, data)

    assert channel_store.raw_input(revision.id) == data
    assert published[0].title == "История дракона"


def test_every_revision_keeps_its_own_raw_input(channel_store: Store) -> None:
    [(first, _)] = publish(channel_store, FOUR)
    [(second, _)] = publish(channel_store, "18:00 Новости\n", now=later(1))

    assert channel_store.raw_input(first.id) == FOUR.encode()
    assert channel_store.raw_input(second.id) == "18:00 Новости\n".encode()


def test_raw_input_of_unknown_revision_raises_not_found(channel_store: Store) -> None:
    with pytest.raises(NotFound, match="12345"):
        channel_store.raw_input(12345)


def test_multi_day_text_publishes_every_day_in_one_call(channel_store: Store) -> None:
    results = publish(channel_store, TWO_DAYS)

    assert [(r.day, r.number) for r, _ in results] == [(DAY, 1), (NEXT_DAY, 1)]
    assert titles(channel_store, DAY) == ["Утренние новости", "Сериал"]
    assert titles(channel_store, NEXT_DAY) == ["Мультфильмы", "Кино"]
    assert channel_store.days_of("bigasia.ru") == [DAY, NEXT_DAY]
    assert channel_store.get_day(BIGASIA, NEXT_DAY).programmes[0].start == datetime(
        2022, 1, 8, 9, 0, tzinfo=MOSCOW)


# -- stable programme ids -----------------------------------------------------


def test_republishing_identical_text_keeps_ids_sequences_and_stamps(channel_store: Store) -> None:
    [(_, first)] = publish(channel_store, FOUR)

    [(revision, second)] = publish(channel_store, FOUR, now=later(30))

    assert revision.number == 2
    assert [(p.id, p.sequence, p.modified) for p in second] == [
        (p.id, p.sequence, p.modified) for p in first]
    assert channel_store.get_day(BIGASIA, DAY).programmes == first


def test_shifted_programme_keeps_its_id_with_sequence_plus_one(channel_store: Store) -> None:
    [(_, first)] = publish(channel_store, FOUR)
    shifted = FOUR.replace("17:00 Китайская", "17:05 Китайская")

    publish(channel_store, shifted, now=later(30))

    before = by_title(first)["Китайская панорама"]
    after = by_title(channel_store.get_day(BIGASIA, DAY).programmes)["Китайская панорама"]
    assert after.id == before.id
    assert after.sequence == before.sequence + 1
    assert after.modified == later(30)
    assert after.start == datetime(2022, 1, 7, 17, 5, tzinfo=MOSCOW)


def test_inserted_programme_gets_a_new_id_and_others_keep_theirs(channel_store: Store) -> None:
    [(_, first)] = publish(channel_store, FOUR)
    inserted = FOUR.replace("18:00 Новости", "17:45 Реклама\n18:00 Новости")

    publish(channel_store, inserted, now=later(30))

    after = by_title(channel_store.get_day(BIGASIA, DAY).programmes)
    assert {t: p.id for t, p in after.items() if t != "Реклама"} == {p.title: p.id for p in first}
    assert after["Реклама"].id not in {p.id for p in first}
    assert after["Реклама"].sequence == 0
    assert after["Реклама"].modified == later(30)


def test_deleted_programme_disappears_and_others_keep_their_ids(channel_store: Store) -> None:
    [(_, first)] = publish(channel_store, FOUR)

    publish(channel_store, FOUR.replace("17:00 Китайская панорама 12+\n", ""), now=later(30))

    after = channel_store.get_day(BIGASIA, DAY).programmes
    assert [p.title for p in after] == ["История дракона", "Жажда странствий", "Новости"]
    assert by_title(first)["Китайская панорама"].id not in {p.id for p in after}
    assert [p.id for p in after] == [p.id for p in first if p.title != "Китайская панорама"]


def test_retitled_programme_at_the_same_start_keeps_its_id(channel_store: Store) -> None:
    [(_, first)] = publish(channel_store, FOUR)

    publish(channel_store, FOUR.replace("Китайская панорама", "Панорама Китая"), now=later(30))

    after = by_title(channel_store.get_day(BIGASIA, DAY).programmes)["Панорама Китая"]
    before = by_title(first)["Китайская панорама"]
    assert (after.id, after.sequence, after.modified) == (before.id, before.sequence + 1, later(30))


def test_programme_ids_are_unique_across_channels_and_days(channel_store: Store) -> None:
    channel_store.add_channel(OTHER, NOW)
    ids = [p.id for _, progs in publish(channel_store, TWO_DAYS) for p in progs]
    ids += [p.id for _, progs in publish(channel_store, TWO_DAYS, channel=OTHER) for p in progs]

    assert len(set(ids)) == len(ids) == 8


# -- optimistic concurrency and atomicity -------------------------------------


def test_if_revision_matching_the_current_one_publishes(channel_store: Store) -> None:
    [(first, _)] = publish(channel_store, FOUR)

    [(second, _)] = publish(channel_store, "18:00 Новости\n", now=later(1), if_revision={DAY: first.id})

    assert second.number == 2
    assert titles(channel_store) == ["Новости"]


def test_if_revision_mismatch_raises_conflict_and_stores_nothing(channel_store: Store) -> None:
    [(first, _)] = publish(channel_store, FOUR)
    publish(channel_store, FOUR + "19:00 Фильм\n", now=later(1))
    grid = channel_store.get_day(BIGASIA, DAY)

    with pytest.raises(Conflict):
        publish(channel_store, "18:00 Новости\n", now=later(2), if_revision={DAY: first.id})

    assert len(channel_store.history("bigasia.ru", DAY)) == 2
    assert channel_store.get_day(BIGASIA, DAY) == grid


def test_if_revision_none_on_an_existing_day_raises_conflict(channel_store: Store) -> None:
    publish(channel_store, FOUR)
    grid = channel_store.get_day(BIGASIA, DAY)

    with pytest.raises(Conflict):
        publish(channel_store, "18:00 Новости\n", now=later(1), if_revision={DAY: None})

    assert len(channel_store.history("bigasia.ru", DAY)) == 1
    assert channel_store.get_day(BIGASIA, DAY) == grid


def test_conflict_on_the_second_day_leaves_the_first_day_unchanged(channel_store: Store) -> None:
    [(day_one, _), (day_two, _)] = publish(channel_store, TWO_DAYS)
    grids = [channel_store.get_day(BIGASIA, d) for d in (DAY, NEXT_DAY)]

    with pytest.raises(Conflict):
        publish(channel_store, TWO_DAYS.replace("Сериал", "Фильм"), now=later(1),
                if_revision={DAY: day_one.id, NEXT_DAY: day_two.id + 1000})

    assert [channel_store.get_day(BIGASIA, d) for d in (DAY, NEXT_DAY)] == grids
    assert [len(channel_store.history("bigasia.ru", d)) for d in (DAY, NEXT_DAY)] == [1, 1]


def test_failure_mid_publish_leaves_both_days_as_they_were(channel_store: Store) -> None:
    publish(channel_store, TWO_DAYS)
    grids = [channel_store.get_day(BIGASIA, d) for d in (DAY, NEXT_DAY)]
    schedule = read_schedule(TWO_DAYS.replace("Сериал", "Фильм").encode(), DAY, MOSCOW)
    broken = [p.model_copy(update={"title": None}) for p in schedule.by_day[NEXT_DAY]]  # NOT NULL

    with pytest.raises(StoreError, match="nothing was changed"):
        channel_store.publish(BIGASIA, {DAY: schedule.by_day[DAY], NEXT_DAY: broken}, raw=b"x",
                              content_type="text/plain", source="text", author="tester",
                              diagnostics=[], now=later(1))

    assert [channel_store.get_day(BIGASIA, d) for d in (DAY, NEXT_DAY)] == grids
    assert [len(channel_store.history("bigasia.ru", d)) for d in (DAY, NEXT_DAY)] == [1, 1]
    assert titles(channel_store, DAY) == ["Утренние новости", "Сериал"]


def test_failed_first_publish_of_a_day_leaves_no_trace(channel_store: Store) -> None:
    schedule = read_schedule(TWO_DAYS.encode(), DAY, MOSCOW)
    broken = [p.model_copy(update={"title": None}) for p in schedule.by_day[NEXT_DAY]]

    with pytest.raises(StoreError, match="nothing was changed"):
        channel_store.publish(BIGASIA, {DAY: schedule.by_day[DAY], NEXT_DAY: broken}, raw=b"x",
                              content_type="text/plain", source="text", author="tester",
                              diagnostics=[], now=NOW)

    assert channel_store.days_of("bigasia.ru") == []
    assert channel_store.history("bigasia.ru", DAY) == []
    [(revision, _), _] = publish(channel_store, TWO_DAYS)
    assert revision.number == 1


# -- reading a window ---------------------------------------------------------


def moscow(hour: int, minute: int = 0, day: int = 7) -> datetime:
    return datetime(2022, 1, day, hour, minute, tzinfo=MOSCOW)


def window_titles(store: Store, start: datetime | None, end: datetime | None) -> list[str]:
    return [p.title for p in store.programmes_between([BIGASIA], start, end)["bigasia.ru"]]


def test_programmes_between_returns_those_overlapping_the_window(channel_store: Store) -> None:
    publish(channel_store, FOUR)

    # 17:10–17:20 contains no programme entirely, but overlaps two.
    assert window_titles(channel_store, moscow(17, 10), moscow(17, 20)) == [
        "Китайская панорама", "Жажда странствий"]


def test_programmes_between_bounds_are_half_open(channel_store: Store) -> None:
    publish(channel_store, FOUR)

    # A programme ending exactly at the start, or starting exactly at the end, is outside.
    assert window_titles(channel_store, moscow(17, 0), moscow(17, 15)) == ["Китайская панорама"]


def test_programmes_between_without_bounds_returns_everything(channel_store: Store) -> None:
    publish(channel_store, TWO_DAYS)

    assert window_titles(channel_store, None, None) == [
        "Утренние новости", "Сериал", "Мультфильмы", "Кино"]
    assert window_titles(channel_store, moscow(8, 30, day=8), None) == ["Сериал", "Мультфильмы", "Кино"]
    assert window_titles(channel_store, None, moscow(10, 30)) == ["Утренние новости"]


def test_programmes_between_returns_the_channel_zone(channel_store: Store) -> None:
    publish(channel_store, FOUR)

    found = channel_store.programmes_between([BIGASIA], datetime(2022, 1, 7, tzinfo=UTC), None)
    assert [p.start.isoformat() for p in found["bigasia.ru"]][:1] == ["2022-01-07T16:55:00+03:00"]


def test_programmes_between_excludes_channels_not_asked_for(channel_store: Store) -> None:
    channel_store.add_channel(OTHER, NOW)
    publish(channel_store, FOUR)
    publish(channel_store, "17:00 Чужая передача\n", channel=OTHER)

    found = channel_store.programmes_between([BIGASIA], moscow(0), moscow(23))

    assert list(found) == ["bigasia.ru"]
    assert "Чужая передача" not in [p.title for p in found["bigasia.ru"]]
    both = channel_store.programmes_between([BIGASIA, OTHER], moscow(0), moscow(23))
    assert [p.title for p in both["tv1.demo.epg"]] == ["Чужая передача"]


def test_programmes_between_reads_only_the_current_revision(channel_store: Store) -> None:
    publish(channel_store, FOUR)
    publish(channel_store, "17:00 Новая сетка\n", now=later(1))

    assert window_titles(channel_store, None, None) == ["Новая сетка"]


def test_programmes_between_with_no_channels_is_empty(channel_store: Store) -> None:
    publish(channel_store, FOUR)

    assert channel_store.programmes_between([], None, None) == {}


def test_programmes_between_gives_the_same_result_for_the_same_instants(store: Store) -> None:
    kiribati = Channel(id="kiribati.example.tv", name="Kiribati", tz="Pacific/Kiritimati")
    store.add_channel(kiribati, NOW)
    publish(store, "00:30 Ночной фильм\n", channel=kiribati, day=NEXT_DAY)  # 2022-01-07 10:30 UTC
    start = datetime(2022, 1, 7, 10, 0, tzinfo=UTC)
    end_utc = datetime(2022, 1, 7, 11, 0, tzinfo=UTC)
    end_west = end_utc.astimezone(ZoneInfo("Etc/GMT+12"))  # the same instant, 2022-01-06 23:00-12:00

    in_utc = store.programmes_between([kiribati], start, end_utc)[kiribati.id]
    in_west = store.programmes_between([kiribati], start, end_west)[kiribati.id]

    assert [p.title for p in in_utc] == ["Ночной фильм"]
    assert in_west == in_utc


# -- tokens -------------------------------------------------------------------


def test_token_is_found_by_its_hash(store: Store) -> None:
    store.add_channel(BIGASIA, NOW)
    store.add_token("operator", "a" * 64, None, NOW)
    store.add_token("bigasia-only", "b" * 64, ["bigasia.ru"], NOW)

    assert store.token_by_hash("a" * 64) == ("operator", None)
    assert store.token_by_hash("b" * 64) == ("bigasia-only", ["bigasia.ru"])


def test_unknown_token_hash_finds_nothing(store: Store) -> None:
    store.add_token("operator", "a" * 64, None, NOW)

    assert store.token_by_hash("c" * 64) is None


def test_token_name_taken_raises_already_exists(store: Store) -> None:
    store.add_token("operator", "a" * 64, None, NOW)

    with pytest.raises(AlreadyExists, match="operator"):
        store.add_token("operator", "b" * 64, None, NOW)

    assert store.token_by_hash("b" * 64) is None


def test_ping_answers_on_a_working_store(store: Store) -> None:
    store.ping()


def test_unreachable_database_raises_store_error(tmp_path: Path) -> None:
    broken = Store(f"sqlite:///{tmp_path}/missing-dir/epg.sqlite3")
    try:
        with pytest.raises(StoreError, match="unavailable"):
            broken.ping()
    finally:
        broken.close()


def test_search_over_many_channels_keeps_only_the_channels_asked_for(
        channel_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past SEARCH_CHANNEL_FILTER channels the SQL reads every channel's hits; the others must still be dropped."""
    third = Channel(id="third.example.tv", name="Third", tz="Europe/Moscow")
    for channel in (OTHER, third):
        channel_store.add_channel(channel, NOW)
    for channel in (BIGASIA, OTHER, third):
        publish(channel_store, FOUR, channel=channel)
    monkeypatch.setattr(store_module, "SEARCH_CHANNEL_FILTER", 1)
    for asked in ([BIGASIA, third], [third]):
        hits = channel_store.search("новости", asked, None, None)
        assert sorted(cid for cid, _ in hits) == sorted(c.id for c in asked)
