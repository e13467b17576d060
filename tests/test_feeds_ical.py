"""iCal as calendars read it: three independent parsers agree, bytes are stable, times are zoned and exact
across daylight saving switches, reminders, single events and filters."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from typing import Any

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from epg.models import Programme
from feeds.ical import filter_programmes, one_event, write_ical
from tests.golden import assert_golden
from tests.sample_guide import BERLIN, BERLIN_PROGRAMMES, GUIDE, MSK, PROGRAMMES


def _feed() -> bytes:
    return write_ical(MSK, PROGRAMMES)


def _berlin() -> bytes:
    return write_ical(BERLIN, BERLIN_PROGRAMMES, remind_minutes=10)


def summaries(items: list[Programme]) -> list[str]:
    return [f"{p.title}. {p.sub_title}" if p.sub_title else p.title for p in items]


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
    assert "DTSTART;TZID=Europe/Berlin:20221030T013000" in lines  # the first 01:30, summer time
    assert "DTEND:20221030T013000Z" in lines  # the second 02:30 (winter time) is ambiguous locally: UTC
    assert "DTSTART:20221030T013000Z" in lines
    assert "DTEND;TZID=Europe/Berlin:20221031T001500" in lines  # across midnight


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
