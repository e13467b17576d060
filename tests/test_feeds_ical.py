"""iCal as calendars read it: two independent parsers agree, bytes are stable, times are zoned."""

from __future__ import annotations

import io

import icalendar
import vobject
from ical.calendar_stream import IcsCalendarStream

from feeds.ical import write_ical
from tests.golden import assert_golden
from tests.sample_guide import GUIDE, MSK, PROGRAMMES


def _feed() -> bytes:
    return write_ical(MSK, PROGRAMMES)


def test_sample_feed_matches_golden_file() -> None:
    assert_golden("bigasia.ics", _feed())


def test_same_data_gives_the_same_bytes() -> None:
    assert _feed() == write_ical(MSK, [p.model_copy() for p in PROGRAMMES])


def test_icalendar_reads_every_title_with_zoned_times() -> None:
    calendar = icalendar.Calendar.from_ical(_feed())
    events = calendar.walk("VEVENT")
    assert [e.decoded("SUMMARY") if isinstance(e.get("SUMMARY"), bytes) else str(e["SUMMARY"]) for e in events] == [
        f"{p.title}. {p.sub_title}" if p.sub_title else p.title for p in PROGRAMMES]
    for event, programme in zip(events, PROGRAMMES, strict=True):
        assert event["DTSTART"].params["TZID"] == "Europe/Moscow"
        assert event.decoded("DTSTART") == programme.start
        assert event.decoded("DTEND") == programme.stop
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Moscow"]


def test_the_independent_ical_parser_reads_the_same_events() -> None:
    calendar = IcsCalendarStream.calendar_from_ics(_feed().decode("utf-8"))
    assert len(calendar.events) == len(PROGRAMMES)
    assert [e.summary for e in calendar.events] == [
        f"{p.title}. {p.sub_title}" if p.sub_title else p.title for p in PROGRAMMES]
    assert [e.dtstart for e in calendar.events] == [p.start for p in PROGRAMMES]


def test_vobject_reads_the_same_events() -> None:
    parsed = vobject.readOne(io.StringIO(_feed().decode("utf-8")))
    assert [str(e.summary.value) for e in parsed.vevent_list] == [
        f"{p.title}. {p.sub_title}" if p.sub_title else p.title for p in PROGRAMMES]


def test_uid_sequence_and_stamps_come_from_the_stored_programme() -> None:
    events = icalendar.Calendar.from_ical(_feed()).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"{p.id}@epg" for p in PROGRAMMES]
    assert [int(e["SEQUENCE"]) for e in events] == [p.sequence for p in PROGRAMMES]
    assert {e.decoded("DTSTAMP") for e in events} == {PROGRAMMES[0].modified}


def test_lines_are_crlf_and_at_most_75_octets() -> None:
    data = _feed()
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        assert b"\n" not in line
        line.decode("utf-8")  # a fold never splits a UTF-8 character


def test_calendar_refresh_properties_are_typed() -> None:
    text = _feed().decode("utf-8")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text
    assert "X-PUBLISHED-TTL:PT6H\r\n" in text
    assert "METHOD:" not in text


def test_an_empty_channel_is_still_a_valid_calendar() -> None:
    calendar = icalendar.Calendar.from_ical(write_ical(MSK, []))
    assert calendar.walk("VEVENT") == []
    assert GUIDE.channels[0].channel == MSK
