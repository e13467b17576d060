"""The read paths built for 10,000 channels say what the plain ones say (issue 14).

Now/next reads only the head of each channel's window, and search asks the
day pointers only about the days its hits fall on; both are compared here
with the plain way of working them out from the guide, on awkward grids: a
gap longer than now/next's first look ahead, a programme running past
midnight, stops the text did not give, overlapping days, two sources and a
timeshift channel. Behaviour only: how fast is ``bench.scale_pg``'s.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from epg import store as store_module
from epg.models import Channel, Programme
from epg.service import NEXT_WITHIN_HOURS, Service
from epg.store import Store
from tests.conftest import NOW, Clock

MOSCOW = ZoneInfo("Europe/Moscow")
DAY = date(2022, 1, 7)
NEXT = DAY + timedelta(days=1)
MAIN = Channel(id="main.example.tv", name="Main", tz="Europe/Moscow")
OTHER = Channel(id="other.example.tv", name="Other", tz="UTC", sources=["xmltv", "text"])
SHIFTED = Channel(id="plus2.example.tv", name="Main +2", tz="Asia/Yekaterinburg", shift_of=MAIN.id, shift_hours=2)


def at(day: date, hhmm: str, tz: ZoneInfo = MOSCOW) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def show(title: str, start: datetime, stop: datetime, estimated: bool = False, description: str | None = None
         ) -> Programme:
    return Programme(title=title, start=start, stop=stop, stop_estimated=estimated, description=description)


def publish(store: Store, channel: Channel, day: date, items: list[Programme], source: str = "text") -> None:
    store.publish(channel, {day: items}, raw=f"{channel.id} {day} {source} {len(items)}".encode(), source=source,
                  author=None, diagnostics=[], now=NOW)


@pytest.fixture
def guide(store: Store) -> Service:
    service = Service(store, clock=Clock())
    for channel in (MAIN, OTHER, SHIFTED):
        service.add_channel(channel)
    publish(store, MAIN, DAY, [
        show("Утро", at(DAY, "05:00"), at(DAY, "06:00")),
        show("Новости", at(DAY, "06:00"), at(DAY, "06:30"), estimated=True),  # closed to 07:00
        show("Фильм", at(DAY, "07:00"), at(DAY, "08:00"), description="Новости кино"),
        # 08:00–13:00: nothing, longer than now/next's first look ahead
        show("Дневник", at(DAY, "13:00"), at(DAY, "14:00")),
        show("Сериал", at(DAY, "14:00"), at(DAY, "15:00"), estimated=True),  # closed to 15:10
        show("Короткое", at(DAY, "15:10"), at(DAY, "15:20")),
        show("Длинное", at(DAY, "15:20"), at(DAY, "18:00"), description="В эфире"),
        show("Вставка", at(DAY, "15:30"), at(DAY, "15:40")),  # inside "Длинное"
        show("Ночное кино", at(DAY, "23:30"), at(NEXT, "01:30"), description="В эфире"),  # past midnight
        show("Музыка", at(NEXT, "04:00"), at(NEXT, "05:00"), estimated=True),  # closed by the next day
    ])
    publish(store, MAIN, NEXT, [
        show("Ранние вести", at(NEXT, "04:30"), at(NEXT, "05:30")),  # before its day's start, over "Музыка"
        show("Погода", at(NEXT, "05:30"), at(NEXT, "06:00"), estimated=True),  # nothing follows: stays
    ])
    publish(store, MAIN, NEXT, [show("Из другого источника", at(NEXT, "05:00"), at(NEXT, "09:00"))], source="xmltv")
    utc = ZoneInfo("UTC")
    publish(store, OTHER, DAY, [show("Xmltv", at(DAY, "00:00", utc), at(DAY, "12:00", utc)),
                                show("Xmltv поздно", at(DAY, "12:00", utc), at(DAY, "20:00", utc), estimated=True)],
            source="xmltv")
    publish(store, OTHER, DAY, [show("Текст", at(DAY, "10:00", utc), at(DAY, "11:00", utc))], source="text")
    publish(store, OTHER, NEXT, [show("Текст завтра", at(NEXT, "09:00", utc), at(NEXT, "10:00", utc))],
            source="text")
    return service


def plain_now_next(service: Service, moment: datetime) -> dict[str, tuple[Programme | None, Programme | None]]:
    """Now/next worked out from the whole guide over the windows, as the service did before (issue 14)."""
    near = service.guide(start=moment, end=moment + timedelta(hours=NEXT_WITHIN_HOURS))
    found = {item.channel.id: item for item in near.channels}
    quiet = [c for c, item in found.items() if not any(p.start > moment for p in item.programmes)]
    if quiet:
        found.update((item.channel.id, item) for item in service.guide(quiet, moment, moment + timedelta(days=2))
                     .channels)
    return {c: (next((p for p in item.programmes if p.start <= moment < p.stop), None),
                next((p for p in item.programmes if p.start > moment), None)) for c, item in found.items()}


def test_now_next_is_what_the_whole_guide_says_at_every_moment(guide: Service) -> None:
    moment = datetime(2022, 1, 6, 18, 0, tzinfo=UTC)
    seen: set[str | None] = set()
    while moment < datetime(2022, 1, 9, 3, 0, tzinfo=UTC):
        got = {item.channel.id: (item.now, item.next) for item in guide.now_next(moment)}
        assert got == plain_now_next(guide, moment), moment
        assert list(got) == [MAIN.id, OTHER.id, SHIFTED.id]
        seen.update(p.title for pair in got.values() for p in pair if p)
        moment += timedelta(minutes=5)
    # the sweep met every awkward case: closed stops, the gap, midnight, the inserted programme, the other source
    assert {"Новости", "Дневник", "Ночное кино", "Музыка", "Вставка", "Погода", "Xmltv поздно", "Текст завтра"} <= seen


def test_the_range_index_reads_what_the_revision_index_reads(guide: Service, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Many channels are read through the range index (PostgreSQL); here every window is, against the plain way."""
    channels = guide.store.list_channels()
    moment = datetime(2022, 1, 6, 20, 0, tzinfo=UTC)
    while moment < datetime(2022, 1, 9, 3, 0, tzinfo=UTC):
        window = guide.store.programmes_between(channels, moment, moment + timedelta(hours=3))
        plain = plain_now_next(guide, moment)
        monkeypatch.setattr(store_module, "SPAN_REVISIONS", 0)
        assert guide.store.programmes_between(channels, moment, moment + timedelta(hours=3)) == window, moment
        assert {item.channel.id: (item.now, item.next) for item in guide.now_next(moment)} == plain, moment
        monkeypatch.undo()
        moment += timedelta(minutes=20)


def test_now_next_closes_stops_the_text_did_not_give(guide: Service) -> None:
    def titles(moment: datetime) -> dict[str, tuple[str | None, str | None]]:
        return {i.channel.id: (i.now.title if i.now else None, i.next.title if i.next else None)
                for i in guide.now_next(moment)}

    # "Новости" had no stop: it runs until "Фильм" starts, and says so
    [main] = [i for i in guide.now_next(at(DAY, "06:20")) if i.channel.id == MAIN.id]
    assert main.now is not None and main.now.title == "Новости" and main.now.stop == at(DAY, "07:00")
    assert main.now.stop.tzinfo == MOSCOW
    # in the gap nothing is on, and "next" is found beyond the first four hours
    assert titles(at(DAY, "08:30"))[MAIN.id] == (None, "Дневник")
    # past midnight the film is still on
    assert titles(at(NEXT, "00:15"))[MAIN.id] == ("Ночное кино", "Музыка")
    # the first listed of two programmes on air wins, as in the guide
    assert titles(at(DAY, "15:35"))[MAIN.id] == ("Длинное", "Ночное кино")


def test_now_next_of_a_channel_list_without_programmes(store: Store) -> None:
    service = Service(store, clock=Clock())
    service.add_channel(MAIN)
    [item] = service.now_next(NOW)
    assert (item.channel.id, item.now, item.next) == (MAIN.id, None, None)
    assert store.now_next([], NOW, NOW + timedelta(hours=4)) == {}


def words(p: Programme) -> list[str]:
    return re.findall(r"\w+", " ".join(t for t in (p.title, p.sub_title, p.description) if t).lower())


def plain_search(service: Service, query: str, start: datetime | None, end: datetime | None
                 ) -> list[tuple[str, str | None]]:
    """Search worked out from the whole guide: every word a prefix of one of the programme's, in start order."""
    asked = re.findall(r"\w+", query.lower())
    hits = [(p.start, c.channel.id, p.id) for c in service.guide(start=start, end=end).channels
            if not c.channel.shift_of for p in c.programmes
            if all(any(w.startswith(a) for w in words(p)) for a in asked)]
    return [(channel_id, pid) for _, channel_id, pid in sorted(hits, key=lambda h: h[0])]


@pytest.mark.parametrize("query", ["новост", "вести", "xmltv", "текст", "кино", "нет такого"])
@pytest.mark.parametrize("window", [(None, None), ("05:50", None), ("15:25", None), ("06:10", "23:45")])
def test_search_finds_what_the_whole_guide_holds_in_start_order(guide: Service, query: str,
                                                                 window: tuple[str | None, str | None]) -> None:
    start, end = (at(DAY, w) if w else None for w in window)
    got = [(c.id, p.id) for c, p in guide.search(query, start=start, end=end)]
    assert got == plain_search(guide, query, start, end)


def test_search_stops_at_its_limit_across_programmes_on_air_and_later(guide: Service) -> None:
    everything = [(c.id, p.id) for c, p in guide.search("в", start=at(DAY, "15:25"))]
    assert len(everything) >= 3
    for limit in range(1, len(everything) + 1):
        assert [(c.id, p.id) for c, p in guide.search("в", start=at(DAY, "15:25"), limit=limit)] == everything[:limit]
