"""iCal as calendars read it: three independent parsers agree, bytes are stable, times are zoned and exact
across daylight saving switches (also read the way ical.js resolves a repeated hour, and through the file's own
VTIMEZONE, which is the same whatever dates a feed covers), reminders, single events and filters."""

from __future__ import annotations

import importlib.resources
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from dateutil import tz as dateutil_tz
from ical.calendar_stream import IcsCalendarStream

import feeds.ical
from epg.categories import category_names
from epg.models import Channel, Programme
from epg.schedule import read_schedule
from feeds.ical import filter_programmes, one_event, vtimezone, write_ical
from tests.golden import assert_golden
from tests.sample_guide import BERLIN, BERLIN_PROGRAMMES, GUIDE, MODIFIED, MSK, PROGRAMMES


def _feed() -> bytes:
    return write_ical(MSK, PROGRAMMES)


def _berlin() -> bytes:
    return write_ical(BERLIN, BERLIN_PROGRAMMES, remind_minutes=10)


def summaries(items: list[Programme]) -> list[str]:
    """``Title S2E5. Sub-title`` (the episode code only when the programme has one)."""
    def title(p: Programme) -> str:
        code = (f"S{p.season}" if p.season else "") + (f"E{p.episode}" if p.episode else "")
        return f"{p.title} {code}" if code else p.title
    return [f"{title(p)}. {p.sub_title}" if p.sub_title else title(p) for p in items]


def unfolded(data: bytes) -> list[str]:
    """Content lines with folds undone (RFC 5545 §3.1), as text."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def check_bytes(data: bytes) -> None:
    """What RFC 5545 §3.1 asks of the octets: CRLF lines of at most 75 octets, folds between characters."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a UTF-8 character
    assert b"\r\n\r\n" not in data


def instants_match(got: list[datetime], want: list[datetime]) -> None:
    # Compare instants: == between datetimes sharing a tzinfo ignores fold and would hide a lost hour.
    assert [d.timestamp() for d in got] == [d.timestamp() for d in want]


# --- the sample feed ------------------------------------------------------------------------------------------------

def test_sample_feed_matches_golden_file() -> None:
    assert_golden("bigasia.ics", _feed())


def test_dst_feed_with_reminders_matches_golden_file() -> None:
    assert_golden("berlin.ics", _berlin())


def test_same_data_gives_the_same_bytes() -> None:
    assert _feed() == write_ical(MSK, [p.model_copy() for p in PROGRAMMES])
    assert _berlin() == _berlin()


def test_icalendar_reads_every_title_with_zoned_times() -> None:
    calendar = icalendar.Calendar.from_ical(_feed())
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == summaries(PROGRAMMES)
    for event, programme in zip(events, PROGRAMMES, strict=True):
        assert event["DTSTART"].params["TZID"] == "Europe/Moscow"
        assert event.decoded("DTSTART") == programme.start
        assert event.decoded("DTEND") == programme.stop
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Moscow"]


@pytest.mark.parametrize("data", [_feed(), write_ical(BERLIN, BERLIN_PROGRAMMES[:3])], ids=["moscow", "berlin"])
def test_every_dtstart_names_a_zone_the_file_defines(data: bytes) -> None:
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        for key in ("DTSTART", "DTEND"):
            assert event[key].params["TZID"] in zones


def test_the_independent_ical_parser_reads_the_same_events() -> None:
    calendar = IcsCalendarStream.calendar_from_ics(_feed().decode("utf-8"))
    assert len(calendar.events) == len(PROGRAMMES)
    assert [e.summary for e in calendar.events] == summaries(PROGRAMMES)
    assert [e.dtstart for e in calendar.events] == [p.start for p in PROGRAMMES]


def test_vobject_reads_and_validates_the_same_events() -> None:
    parsed = vobject.readOne(io.StringIO(_feed().decode("utf-8")))
    parsed.validate()
    assert [str(e.summary.value) for e in parsed.vevent_list] == summaries(PROGRAMMES)
    assert [e.description.value.split("\n")[0] for e in parsed.vevent_list] == [MSK.name] * len(PROGRAMMES)


def test_uid_sequence_and_stamps_come_from_the_stored_programme() -> None:
    events = icalendar.Calendar.from_ical(_feed()).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{p.id}@epg" for p in PROGRAMMES]
    assert [int(e["SEQUENCE"]) for e in events] == [p.sequence for p in PROGRAMMES]
    assert {e.decoded("DTSTAMP") for e in events} == {PROGRAMMES[0].modified}


def test_unpublished_programmes_still_get_unique_stable_uids() -> None:
    unpublished = [p.model_copy(update={"id": None}) for p in PROGRAMMES]
    first = [str(e["UID"]) for e in icalendar.Calendar.from_ical(write_ical(MSK, unpublished)).walk("VEVENT")]
    again = [str(e["UID"]) for e in icalendar.Calendar.from_ical(write_ical(MSK, unpublished)).walk("VEVENT")]
    assert len(set(first)) == len(PROGRAMMES)
    assert first == again
    assert not any(uid.startswith("None") for uid in first)


@pytest.mark.parametrize("data", [_feed(), _berlin(), one_event(PROGRAMMES[7], MSK)], ids=["moscow", "berlin",
                                                                                           "one"])
def test_octets_crlf_75_and_folds_between_characters(data: bytes) -> None:
    check_bytes(data)
    uids = [line for line in unfolded(data) if line.startswith("UID:")]
    assert len(uids) == len(set(uids))


def test_text_is_escaped() -> None:
    lines = unfolded(_feed()) + unfolded(_berlin())
    assert ("SUMMARY:Comma\\, semicolon\\; backslash \\\\ and a very long Cyrillic title: Приключения Электроника "
            "в стране бесконечных понедельников и коротких пятниц 📺. line one\\nline two") in lines
    assert 'SUMMARY:Tatort: "Kalter Engel"\\; Teil 1\\, 2 \\\\ 3' in lines
    assert "DESCRIPTION:Das Erste\\nFußball-Bundesliga\\, 27. Spieltag\\nZusammenfassung" in lines
    assert "CATEGORIES:" not in lines  # a programme without categories gets no empty property


def test_calendar_name_is_escaped_text() -> None:
    name = "Азия, «Большая»; a\\b\nc"
    data = write_ical(MSK, PROGRAMMES, name=name)
    check_bytes(data)
    lines = unfolded(data)
    assert "NAME:Азия\\, «Большая»\\; a\\\\b\\nc" in lines
    assert "X-WR-CALNAME:Азия\\, «Большая»\\; a\\\\b\\nc" in lines
    parsed = vobject.readOne(io.StringIO(data.decode("utf-8")))
    assert parsed.contents["name"][0].value == name
    assert parsed.contents["x-wr-calname"][0].value == name


def test_calendar_refresh_properties_are_typed() -> None:
    text = _feed().decode("utf-8")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text
    assert "X-PUBLISHED-TTL:PT6H\r\n" in text
    assert "METHOD:" not in text


def test_an_empty_channel_is_still_a_valid_calendar() -> None:
    calendar = icalendar.Calendar.from_ical(write_ical(MSK, []))
    assert calendar.walk("VEVENT") == []
    assert GUIDE.channels[0].channel == MSK


@pytest.mark.parametrize("channel", [MSK, BERLIN], ids=["moscow", "berlin"])
def test_a_filtered_feed_with_no_events_passes_icalendars_validation(channel: Channel) -> None:
    """Regression: with no VEVENT a calendar had no component at all ("Calendar must contain at least one")."""
    data = write_ical(channel, filter_programmes(PROGRAMMES, title="нет такой передачи"), name="nothing")
    calendar = icalendar.Calendar.from_ical(data)
    calendar.validate()
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [channel.tz]
    vobject.readOne(io.StringIO(data.decode("utf-8"))).validate()
    assert IcsCalendarStream.calendar_from_ics(data.decode("utf-8")).events == []
    check_bytes(data)


# --- what an event says --------------------------------------------------------------------------------------------

def test_season_and_episode_are_in_summary_and_description() -> None:
    """Regression: a programme's season and episode numbers were written nowhere."""
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(_feed()).walk("VEVENT")}
    method, kids = events[f"{PROGRAMMES[5].id}@epg"], events[f"{PROGRAMMES[8].id}@epg"]
    assert str(method["SUMMARY"]) == "Метод S2E3"
    assert str(method["DESCRIPTION"]).split("\n")[:2] == [MSK.name, "Season 2, episode 3"]
    assert str(kids["SUMMARY"]) == "Смешарики S1E1. Начало"
    assert "Season 1, episode 1" in str(kids["DESCRIPTION"]).split("\n")
    only_episode = PROGRAMMES[5].model_copy(update={"season": None, "episode": 7})
    only_season = PROGRAMMES[5].model_copy(update={"season": 4, "episode": None})
    [episode, season] = icalendar.Calendar.from_ical(write_ical(MSK, [only_episode, only_season])).walk("VEVENT")
    assert (str(episode["SUMMARY"]), str(season["SUMMARY"])) == ("Метод E7", "Метод S4")
    assert "Episode 7" in str(episode["DESCRIPTION"]) and "Season 4" in str(season["DESCRIPTION"])
    unknown = PROGRAMMES[5].model_copy(update={"season": 0, "episode": 0})  # numbers below 1 are unknown
    [event] = icalendar.Calendar.from_ical(write_ical(MSK, [unknown])).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Метод" and "pisode" not in str(event["DESCRIPTION"])


def test_an_episode_read_from_the_text_reaches_the_calendar() -> None:
    schedule = read_schedule("21:00 Метод (5-я серия) 16+\n22:00 Новости\n", date(2022, 1, 7), MSK.zoneinfo)
    assert schedule.programmes[0].episode == 5
    [event, _] = icalendar.Calendar.from_ical(write_ical(MSK, schedule.programmes)).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Метод E5"
    assert "Episode 5" in str(event["DESCRIPTION"]).split("\n")
    parsed = vobject.readOne(io.StringIO(write_ical(MSK, schedule.programmes).decode("utf-8")))
    assert parsed.vevent_list[0].summary.value == "Метод E5"


def test_the_age_rating_is_described_but_is_no_category() -> None:
    """Regression: "12+" was written as a CATEGORIES value, as if it were a genre."""
    events = [*icalendar.Calendar.from_ical(_feed()).walk("VEVENT"),
              *icalendar.Calendar.from_ical(_berlin()).walk("VEVENT")]
    for event, programme in zip(events, PROGRAMMES + BERLIN_PROGRAMMES, strict=True):
        categories = [str(c) for c in event["CATEGORIES"].cats] if "CATEGORIES" in event else []
        assert categories == category_names(programme)
        if programme.rating:
            assert str(event["X-EPG-AGE-RATING"]) == programme.rating.value
            assert event["X-EPG-AGE-RATING"].params["X-EPG-SYSTEM"] == programme.rating.system
            assert str(event["DESCRIPTION"]).split("\n")[-1] in {programme.rating.value,
                                                                 f"{programme.rating.system} {programme.rating.value}"}
        else:
            assert "X-EPG-AGE-RATING" not in event
    assert "X-EPG-AGE-RATING;X-EPG-SYSTEM=RU:12+" in unfolded(_feed())
    assert "CATEGORIES:Spielfilm,Movie" in unfolded(_berlin())


# --- daylight saving time -------------------------------------------------------------------------------------------

def test_the_berlin_time_zone_has_both_standard_and_daylight_time() -> None:
    calendar = icalendar.Calendar.from_ical(_berlin())
    [tz] = calendar.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Berlin"
    kinds = [(c.name, c["TZOFFSETFROM"].to_ical(), c["TZOFFSETTO"].to_ical()) for c in tz.subcomponents]
    assert ("DAYLIGHT", "+0100", "+0200") in kinds
    assert ("STANDARD", "+0200", "+0100") in kinds


def test_instants_across_both_switches_parse_back_exactly_in_three_parsers() -> None:
    data = _berlin()
    starts = [p.start for p in BERLIN_PROGRAMMES]
    stops = [p.stop for p in BERLIN_PROGRAMMES]
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    instants_match([e.decoded("DTSTART") for e in events], starts)
    instants_match([e.decoded("DTEND") for e in events], stops)
    stream = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert len(stream.events) == len(BERLIN_PROGRAMMES)
    instants_match([e.dtstart for e in stream.events], starts)
    instants_match([e.dtend for e in stream.events], stops)
    parsed = vobject.readOne(io.StringIO(data.decode("utf-8")))
    parsed.validate()
    instants_match([e.dtstart.value for e in parsed.vevent_list], starts)
    instants_match([e.dtend.value for e in parsed.vevent_list], stops)


def test_local_times_are_written_in_the_zone_except_the_repeated_hour() -> None:
    lines = unfolded(_berlin())
    assert "DTSTART;TZID=Europe/Berlin:20220327T004500" in lines  # before the spring switch…
    assert "DTEND;TZID=Europe/Berlin:20220327T033000" in lines  # …and after it
    assert "DTSTART;TZID=Europe/Berlin:20221030T013000" in lines  # 01:30 summer time happens once
    assert "DTEND:20221030T013000Z" in lines  # the second 02:30 (winter time) is ambiguous locally: UTC
    assert "DTSTART:20221030T013000Z" in lines
    assert "DTEND;TZID=Europe/Berlin:20221031T001500" in lines  # across midnight


def _programme(n: int, start: str, stop: str, title: str, **fields: Any) -> Programme:
    return Programme(id=f"00000000-0000-4000-8000-{900 + n:012d}", start=datetime.fromisoformat(start),
                     stop=datetime.fromisoformat(stop), title=title, modified=MODIFIED, **fields)


#: Both nights Berlin switches, with every start and stop that can be ambiguous: 02:30 summer time (the first
#: 02:30) and 02:30 winter time (the second) on 2022-10-30, and starts on either side of the spring gap.
SWITCH_NIGHTS = [
    _programme(1, "2022-03-27T01:30:00+01:00", "2022-03-27T03:30:00+02:00", "Across the gap"),
    _programme(2, "2022-10-30T00:30:00+02:00", "2022-10-30T02:30:00+02:00", "Until the first 02:30"),
    _programme(3, "2022-10-30T02:30:00+02:00", "2022-10-30T02:30:00+01:00", "The first 02:30 to the second"),
    _programme(4, "2022-10-30T02:30:00+01:00", "2022-10-30T03:30:00+01:00", "From the second 02:30"),
    _programme(5, "2022-10-30T02:00:00+02:00", "2022-10-30T03:00:00+01:00", "The whole repeated hour twice"),
]


def read_like_ical_js(data: bytes, *, through_vtimezone: bool = True) -> list[tuple[datetime, datetime]]:
    """Each event's (start, end) as ical.js, node-ical and khal read them: a local time that the zone repeats is
    the *second* occurrence (``fold=1``); zones from the file's own VTIMEZONE (or, if not, the tz database)."""
    calendar = icalendar.Calendar.from_ical(data)
    zones: dict[str, tzinfo] = {
        str(tz["TZID"]): dateutil_tz.tzical(io.StringIO(tz.to_ical().decode())).get() if through_vtimezone
        else ZoneInfo(str(tz["TZID"])) for tz in calendar.walk("VTIMEZONE")}

    def instant(prop: Any) -> datetime:
        if "TZID" in prop.params:
            return prop.dt.replace(tzinfo=zones[prop.params["TZID"]], fold=1)
        assert prop.dt.utcoffset() == timedelta(0)
        return prop.dt

    return [(instant(e["DTSTART"]), instant(e["DTEND"])) for e in calendar.walk("VEVENT")]


@pytest.mark.parametrize("through_vtimezone", [True, False], ids=["vtimezone", "tz-database"])
def test_the_first_of_a_repeated_hour_reads_back_exactly_where_local_times_mean_the_second(
        through_vtimezone: bool) -> None:
    """Regression: the first 02:30 was written as local time, which ical.js and friends read as the second."""
    data = write_ical(BERLIN, SWITCH_NIGHTS)
    read = read_like_ical_js(data, through_vtimezone=through_vtimezone)
    instants_match([start for start, _ in read], [p.start for p in SWITCH_NIGHTS])
    instants_match([end for _, end in read], [p.stop for p in SWITCH_NIGHTS])
    durations = [end.timestamp() - start.timestamp() for start, end in read]  # not end - start: one tzinfo
    assert durations == [(p.stop - p.start).total_seconds() for p in SWITCH_NIGHTS]


def test_every_instant_in_a_repeated_hour_is_written_in_utc_both_occurrences() -> None:
    lines = unfolded(write_ical(BERLIN, SWITCH_NIGHTS))
    assert "DTSTART;TZID=Europe/Berlin:20220327T013000" in lines  # before the gap: one instant
    assert "DTEND;TZID=Europe/Berlin:20220327T033000" in lines
    assert "DTSTART;TZID=Europe/Berlin:20221030T003000" in lines
    assert "DTEND:20221030T003000Z" in lines  # the first 02:30
    assert "DTSTART:20221030T003000Z" in lines
    assert "DTEND:20221030T013000Z" in lines  # the second 02:30
    assert "DTSTART:20221030T000000Z" in lines  # the first 02:00
    assert "DTEND;TZID=Europe/Berlin:20221030T030000" in lines  # 03:00 winter time happens once
    # Every local time written names one instant whichever occurrence a reader picks.
    for line in lines:
        if line.startswith(("DTSTART;TZID=", "DTEND;TZID=")):
            wall = datetime.strptime(line.rsplit(":", 1)[1], "%Y%m%dT%H%M%S")
            assert wall.replace(tzinfo=BERLIN.zoneinfo).astimezone(UTC) == \
                   wall.replace(tzinfo=BERLIN.zoneinfo, fold=1).astimezone(UTC), line


def test_an_instant_before_the_vtimezone_starts_is_written_in_utc() -> None:
    old = _programme(6, "1965-05-01T20:00:00+03:00", "1965-05-01T21:00:00+03:00", "Archive")
    lines = unfolded(write_ical(MSK, [old]))
    assert "DTSTART:19650501T170000Z" in lines and "DTEND:19650501T180000Z" in lines


# --- the VTIMEZONE: one block per zone, whatever the feed's dates ---------------------------------------------------

WINTER = [_programme(11, "2023-01-15T20:15:00+01:00", "2023-01-15T21:45:00+01:00", "Tatort")]
SUMMER = [_programme(12, "2023-07-16T20:15:00+02:00", "2023-07-16T21:45:00+02:00", "Tatort")]


def vtimezones(data: bytes) -> list[bytes]:
    return [tz.to_ical() for tz in icalendar.Calendar.from_ical(data).walk("VTIMEZONE")]


def test_feeds_of_one_channel_for_different_months_carry_the_same_vtimezone() -> None:
    """Regression: the VTIMEZONE covered only the feed's own dates, so each month's feed had another block."""
    blocks = {tuple(vtimezones(data)) for data in (write_ical(BERLIN, WINTER), write_ical(BERLIN, SUMMER),
                                                   _berlin(), one_event(SUMMER[0], BERLIN), write_ical(BERLIN, []))}
    assert len(blocks) == 1
    [[block]] = blocks
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n" in block  # the rule Berlin follows now…
    assert b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n" in block
    assert b"COMMENT" not in block  # …not "only works from … to …"
    assert len({tuple(vtimezones(write_ical(MSK, items))) for items in (PROGRAMMES, PROGRAMMES[:1], [])}) == 1


@pytest.mark.parametrize("reader", ["dateutil", "icalendar"])
def test_times_read_through_one_feeds_vtimezone_are_right_in_summer_and_winter(reader: str) -> None:
    """What vobject does: keep the first VTIMEZONE of a TZID and read every later calendar with it."""
    [block] = icalendar.Calendar.from_ical(write_ical(BERLIN, WINTER)).walk("VTIMEZONE")
    zone = dateutil_tz.tzical(io.StringIO(block.to_ical().decode())).get() if reader == "dateutil" \
        else block.to_tz(lookup_tzid=False)
    for items in (WINTER, SUMMER, BERLIN_PROGRAMMES):
        for event, programme in zip(icalendar.Calendar.from_ical(write_ical(BERLIN, items)).walk("VEVENT"), items,
                                    strict=True):
            for key, want in (("DTSTART", programme.start), ("DTEND", programme.stop)):
                value = event[key].dt
                got = value.replace(tzinfo=zone) if "TZID" in event[key].params else value
                assert got.timestamp() == want.timestamp(), (key, programme.title)


def test_vobject_reads_a_summer_feed_right_after_a_winter_one() -> None:
    registry = vars(vobject.icalendar)["__tzidMap"]  # vobject's cache of the first VTIMEZONE seen per TZID
    saved = registry.pop(BERLIN.tz, None)
    try:
        vobject.readOne(io.StringIO(write_ical(BERLIN, WINTER).decode("utf-8")))
        summer = vobject.readOne(io.StringIO(write_ical(BERLIN, SUMMER).decode("utf-8")))
        instants_match([summer.vevent.dtstart.value, summer.vevent.dtend.value], [SUMMER[0].start, SUMMER[0].stop])
    finally:
        registry.pop(BERLIN.tz, None)
        if saved is not None:
            registry[BERLIN.tz] = saved


#: Zones whose rules take every form a VTIMEZONE has to say: the two hemispheres, a rule that names the day after
#: a weekday (Jerusalem, Gaza), one whose day runs into the next month (Cairo) or starts the evening before
#: (Nuuk), quarter-hour and half-hour offsets and changes (Chatham, Lord Howe), daylight time in winter (Dublin),
#: a skipped day (Apia), changes listed far ahead (Casablanca), a zone with no changes, and Moscow's history.
ZONES = ["Europe/Berlin", "Europe/Moscow", "America/New_York", "Australia/Sydney", "Asia/Jerusalem", "Asia/Gaza",
         "Africa/Cairo", "America/Nuuk", "America/Santiago", "Pacific/Chatham", "Australia/Lord_Howe",
         "Europe/Dublin", "Pacific/Apia", "Africa/Casablanca", "Asia/Kolkata", "UTC"]


def assert_reads_like(zone: ZoneInfo, block: str, years: range = range(1970, 2050)) -> None:
    """Every unambiguous local time in ``years`` reads, through the VTIMEZONE ``block``, as ``zone`` says.

    Sampled every 20 days (an offset that lasts less could go unchecked); wherever the offset changes between
    samples, the change is found to the second and the times just before and after it are checked as well.
    """
    read = dateutil_tz.tzical(io.StringIO(block)).get()

    def check(instant: datetime) -> None:
        local = instant.astimezone(zone)
        wall = local.replace(tzinfo=None)
        if wall.replace(tzinfo=zone, fold=0).astimezone(UTC) != wall.replace(tzinfo=zone, fold=1).astimezone(UTC):
            return  # a repeated hour: written in UTC
        assert wall.replace(tzinfo=read).utcoffset() == local.utcoffset(), (str(zone), instant)

    step = timedelta(days=20)
    moment, end = datetime(years.start, 1, 2, tzinfo=UTC), datetime(years.stop, 1, 1, tzinfo=UTC)
    while moment < end:
        check(moment)
        following = moment + step
        if following.astimezone(zone).utcoffset() != moment.astimezone(zone).utcoffset():
            low, high = moment, following  # the change is in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if middle.astimezone(zone).utcoffset() == low.astimezone(
                    zone).utcoffset() else (low, middle)
            for around in (-3600, -1, 0, 3600):
                check(high + timedelta(seconds=around))
        moment = following


@pytest.mark.parametrize("key", ZONES)
def test_the_vtimezone_reads_as_the_tz_database_from_1970_on(key: str) -> None:
    assert_reads_like(ZoneInfo(key), vtimezone(key).component.to_ical().decode())


@pytest.fixture()
def slim_tzif(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Zone files as the tzdata package ships them ("slim": the closing rule instead of changes until 2037)."""
    monkeypatch.setattr(feeds.ical, "_tzif", lambda key: importlib.resources.files("tzdata.zoneinfo").joinpath(
        key).read_bytes())
    vtimezone.cache_clear()
    yield
    vtimezone.cache_clear()


@pytest.mark.parametrize("key", ["Europe/Berlin", "Europe/Riga", "America/Nuuk", "Africa/Cairo", "Asia/Jerusalem"])
def test_the_vtimezone_of_a_slim_zone_file_reads_as_that_file(slim_tzif: None, key: str) -> None:
    data = importlib.resources.files("tzdata.zoneinfo").joinpath(key).read_bytes()
    assert_reads_like(ZoneInfo.from_file(io.BytesIO(data), key=key), vtimezone(key).component.to_ical().decode(),
                      range(1970, 2040))


# --- reminders, single events, filters ------------------------------------------------------------------------------

def test_reminders_are_display_alarms_before_the_start() -> None:
    events = icalendar.Calendar.from_ical(write_ical(MSK, PROGRAMMES, remind_minutes=15)).walk("VEVENT")
    for event, programme in zip(events, PROGRAMMES, strict=True):
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(minutes=-15)
        assert str(alarm["DESCRIPTION"]) == summaries([programme])[0]
    assert "TRIGGER:-PT15M" in unfolded(write_ical(MSK, PROGRAMMES, remind_minutes=15))
    assert icalendar.Calendar.from_ical(_feed()).walk("VALARM") == []
    with pytest.raises(ValueError, match="remind_minutes"):
        write_ical(MSK, PROGRAMMES, remind_minutes=-5)


def test_one_event_is_an_add_to_calendar_file() -> None:
    programme = BERLIN_PROGRAMMES[1]
    data = one_event(programme, BERLIN, remind_minutes=5)
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    feed_event = icalendar.Calendar.from_ical(_berlin()).walk("VEVENT")[1]
    assert str(event["UID"]) == str(feed_event["UID"])  # the same event as in the subscription
    assert str(calendar["UID"]) != str(icalendar.Calendar.from_ical(_berlin())["UID"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [event["DTSTART"].params["TZID"]]
    assert event.decoded("DTSTART") == programme.start and event.decoded("DTEND") == programme.stop
    assert len(event.walk("VALARM")) == 1
    assert len(IcsCalendarStream.calendar_from_ics(data.decode("utf-8")).events) == 1
    parsed = vobject.readOne(io.StringIO(data.decode("utf-8")))
    parsed.validate()
    assert parsed.vevent.summary.value == programme.title
    assert parsed.contents["x-wr-calname"][0].value == programme.title


def titles_of(items: list[Programme]) -> list[str]:
    return [p.title for p in items]


@pytest.mark.parametrize("kwargs,expected", [
    ({"title": "  метод "}, ["Метод"]),
    ({"title": "Мет"}, []),
    ({"q": "мадрид"}, ["Футбол. Лига чемпионов"]),  # in the description
    ({"q": "ИОРДАН"}, ["Жажда странствий"]),  # in the sub-title
    ({"q": "панорам"}, ["Китайская панорама"]),
    ({"category": "телесериал"}, ["Метод"]),
    ({"category": "фильм"}, []),  # whole categories only
    ({"title": "метод", "max_age": 16}, []),  # both must hold
])
def test_filter_programmes(kwargs: dict[str, Any], expected: list[str]) -> None:
    assert titles_of(filter_programmes(PROGRAMMES, **kwargs)) == expected


def ids(items: list[Programme]) -> list[int]:
    return [int(p.id[-3:]) for p in items if p.id]


def test_filter_by_age_keeps_unrated_programmes_only_for_adults() -> None:
    assert ids(filter_programmes(PROGRAMMES, max_age=0)) == [9]
    assert ids(filter_programmes(PROGRAMMES, max_age=12)) == [1, 2, 3, 4, 5, 9]
    assert ids(filter_programmes(PROGRAMMES, max_age=16)) == [1, 2, 3, 4, 5, 8, 9]  # TV-14 is 14
    assert ids(filter_programmes(PROGRAMMES, max_age=18)) == [1, 2, 3, 4, 5, 6, 7, 8, 9]  # 7 is unrated
    assert ids(filter_programmes(PROGRAMMES)) == list(range(1, 10))


def test_filter_is_pure_and_keeps_order() -> None:
    before = [p.model_dump() for p in PROGRAMMES]
    result = filter_programmes(iter(PROGRAMMES), q="а")
    assert [p.model_dump() for p in PROGRAMMES] == before
    assert result == [p for p in PROGRAMMES if re.search("а", " ".join(
        filter(None, [p.title, p.sub_title, p.description])), re.I)]


def _berlin_with_footer(footer: str) -> bytes:
    """The tzdata package's Europe/Berlin with its closing rule replaced by ``footer``."""
    data = importlib.resources.files("tzdata.zoneinfo").joinpath("Europe/Berlin").read_bytes()
    return data[:data.rstrip(b"\n").rindex(b"\n") + 1] + footer.encode("ascii") + b"\n"


# (Zero-based day numbers, "85/2", are left out: CPython's zoneinfo counts them from 31 December.)
@pytest.mark.parametrize("footer", ["CET-1CEST,J86/2,J303/3", "CET-1CEST,M2.4.0/72,M10.5.0/3"],
                         ids=["julian", "february-spill"])
def test_a_rule_no_rrule_can_say_is_spelled_out(monkeypatch: pytest.MonkeyPatch, footer: str) -> None:
    data = _berlin_with_footer(footer)
    monkeypatch.setattr(feeds.ical, "_tzif", lambda key: data)
    vtimezone.cache_clear()
    try:
        zone = vtimezone("Europe/Berlin")
        assert zone.until == datetime(2200, 1, 1, tzinfo=UTC)
        block = zone.component.to_ical().decode()
        assert "RRULE" not in block
        assert_reads_like(ZoneInfo.from_file(io.BytesIO(data), key="Europe/Berlin"), block, range(2020, 2060))
    finally:
        vtimezone.cache_clear()


def test_without_a_zone_file_the_vtimezone_is_probed_until_2038(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds.ical, "_tzif", lambda key: None)
    vtimezone.cache_clear()
    try:
        block = vtimezone("Europe/Berlin").component.to_ical().decode()
        assert "COMMENT" not in block
        assert_reads_like(ZoneInfo("Europe/Berlin"), block, range(2000, 2037))
        late = _programme(7, "2040-07-01T20:00:00+02:00", "2040-07-01T21:00:00+02:00", "Later")
        lines = unfolded(write_ical(BERLIN, [*SUMMER, late]))
        assert "DTSTART;TZID=Europe/Berlin:20230716T201500" in lines
        assert "DTSTART:20400701T180000Z" in lines  # past what the block covers: UTC
    finally:
        vtimezone.cache_clear()
