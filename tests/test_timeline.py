"""The time line on its own: entries with clock times → aware programmes, one rule per test."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from epg.models import Diagnostic
from epg.parser import Entry
from epg.timeline import LAST_PROGRAMME_MINUTES, build_timeline
from epg.titles import TitleParts

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
LONDON = ZoneInfo("Europe/London")
DAY = date(2022, 1, 10)


def entry(clock: str, title: str = "Новости", line: int = 1, **fields: object) -> Entry:
    """An entry at ``HH:MM[:SS]`` (hours may pass 24)."""
    pieces = [int(p) for p in clock.split(":")] + [0]
    return Entry(line=line, start=pieces[0] * 3600 + pieces[1] * 60 + pieces[2], parts=TitleParts(title=title),
                 **fields)  # type: ignore[arg-type]


def entries(*clocks: str) -> list[Entry]:
    return [entry(c, f"#{i}", line=i + 1) for i, c in enumerate(clocks)]


def starts(items: list[Entry], tz: ZoneInfo = MSK, day: date = DAY) -> list[str]:
    return [p.start.strftime("%d %H:%M") for p in build_timeline(items, day, tz).programmes]


def test_a_step_back_of_under_twelve_hours_is_past_midnight() -> None:
    timeline = build_timeline(entries("23:40", "00:15", "01:50"), DAY, MSK)
    assert [p.start.strftime("%d %H:%M") for p in timeline.programmes] == ["10 23:40", "11 00:15", "11 01:50"]
    assert [(d.line, d.severity) for d in timeline.diagnostics if "midnight" in d.message] == [(2, "warning")]


def test_a_big_step_back_is_a_typo_on_the_same_day() -> None:
    timeline = build_timeline(entries("18:00", "17:50", "19:00"), DAY, MSK)
    assert [p.start.strftime("%d %H:%M") for p in timeline.programmes] == ["10 18:00", "10 17:50", "10 19:00"]
    assert any(d.line == 2 and "typo" in d.message and d.severity == "warning" for d in timeline.diagnostics)


def test_hours_past_24_are_the_next_day_without_a_rollover_warning() -> None:
    timeline = build_timeline(entries("23:00", "24:10", "25:30"), DAY, MSK)
    assert [p.start.strftime("%d %H:%M") for p in timeline.programmes] == ["10 23:00", "11 00:10", "11 01:30"]
    assert not [d for d in timeline.diagnostics if "midnight" in d.message or "typo" in d.message]


def test_seconds_are_kept() -> None:
    programme = build_timeline([entry("14:59:45")], DAY, MSK).programmes[0]
    assert programme.start == datetime(2022, 1, 10, 14, 59, 45, tzinfo=MSK)


def test_a_day_header_restarts_the_sequence() -> None:
    items = [entry("23:00", line=1), entry("06:00", line=2, day=date(2022, 1, 11))]
    assert starts(items) == ["10 23:00", "11 06:00"]


def test_listed_times_follow_their_list_not_the_sequence() -> None:
    items = [entry("05:00", line=1), entry("09:00", line=1), entry("12:00", line=1, listed=True),
             entry("15:00", line=1, listed=True), entry("09:20", line=2)]
    timeline = build_timeline(items, DAY, MSK)
    assert sorted(p.start.strftime("%d %H:%M") for p in timeline.programmes) == [
        "10 05:00", "10 09:00", "10 09:20", "10 12:00", "10 15:00"]
    assert not [d for d in timeline.diagnostics if "typo" in d.message or "midnight" in d.message]


def test_the_stop_is_the_next_later_start_in_text_order() -> None:
    programmes = build_timeline(entries("18:00", "17:50", "19:00"), DAY, MSK).programmes
    assert [p.stop.strftime("%H:%M") for p in programmes] == ["19:00", "19:00", "20:00"]


def test_the_last_stop_is_assumed_and_said() -> None:
    timeline = build_timeline(entries("18:00"), DAY, MSK)
    [programme] = timeline.programmes
    assert programme.stop_estimated and programme.stop - programme.start == timedelta(minutes=LAST_PROGRAMME_MINUTES)
    assert [d.severity for d in timeline.diagnostics] == ["warning"]


def test_an_explicit_stop_past_midnight_ends_the_next_day() -> None:
    programme = build_timeline([entry("23:45", stop=3600)], DAY, MSK).programmes[0]
    assert programme.stop == datetime(2022, 1, 11, 1, 0, tzinfo=MSK) and not programme.stop_estimated


def test_an_explicit_stop_after_the_next_start_is_an_overlap_warning() -> None:
    items = [entry("10:00", "Фильм", line=1, stop=12 * 3600), entry("11:00", "Новости", line=2)]
    timeline = build_timeline(items, DAY, MSK)
    assert [(d.line, d.severity) for d in timeline.diagnostics if "overlap" in d.message] == [(1, "warning")]


def test_two_programmes_at_one_instant_are_flagged() -> None:
    timeline = build_timeline(entries("10:00", "10:00"), DAY, MSK)
    assert any(d.line == 2 and "same time" in d.message for d in timeline.diagnostics)


def test_a_wall_time_in_the_spring_gap_lands_on_a_real_instant() -> None:
    programme = build_timeline([entry("02:30")], date(2022, 3, 27), BERLIN).programmes[0]
    # 02:30 never happened that night: read with the offset before the change, it is 03:30 summer time.
    assert programme.start.strftime("%H:%M") == "03:30" and programme.start.utcoffset() == timedelta(hours=2)


def test_a_repeated_wall_time_in_autumn_is_the_first_one() -> None:
    programme = build_timeline([entry("01:30")], date(2022, 10, 30), LONDON).programmes[0]
    assert programme.start.utcoffset() == timedelta(hours=1)


def test_an_offset_change_between_days_is_followed() -> None:
    almaty = ZoneInfo("Asia/Almaty")
    offsets = [p.start.utcoffset() for p in build_timeline(entries("22:30", "00:30"), date(2024, 2, 29),
                                                               almaty).programmes]
    assert offsets == [timedelta(hours=6), timedelta(hours=5)]


def test_listing_days_group_the_programmes() -> None:
    items = [entry("23:00", line=1), entry("01:00", line=2), entry("06:00", line=3, day=date(2022, 1, 11))]
    assert build_timeline(items, DAY, MSK).days == [DAY, DAY, date(2022, 1, 11)]


# --- the spring-forward gap -----------------------------------------------------------------------------------------

SPRING = date(2022, 3, 27)  # Berlin: at 02:00 CET the clocks jump to 03:00 CEST


def gap_warnings(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if "does not exist" in d.message]


def test_a_start_in_the_spring_gap_is_a_warning_naming_the_line_and_what_it_was_read_as() -> None:
    """Regression: 02:30 on a night with no 02:00–03:00 became 03:30 without a word."""
    items = [entry("01:00", "Nachtkino", line=7), entry("02:30", "Tatort", line=8), entry("04:00", "Sport", line=9)]
    timeline = build_timeline(items, SPRING, BERLIN)
    [warning] = gap_warnings(timeline.diagnostics)
    assert (warning.line, warning.severity) == (8, "warning")
    assert "“Tatort” starts at 02:30 on 2022-03-27" in warning.message
    assert "does not exist in Europe/Berlin" in warning.message
    assert "Read as 03:30 (CEST, UTC+02:00)" in warning.message
    assert "next programme" not in warning.message  # 03:30 is still before 04:00
    assert timeline.programmes[1].start == datetime(2022, 3, 27, 3, 30, tzinfo=BERLIN)


def test_a_stop_in_the_spring_gap_is_a_warning_too() -> None:
    timeline = build_timeline([entry("01:15", "Film", line=4, stop=2 * 3600 + 45 * 60)], SPRING, BERLIN)
    [warning] = gap_warnings(timeline.diagnostics)
    assert warning.line == 4
    assert "“Film” ends at 02:45 on 2022-03-27" in warning.message and "Read as 03:45" in warning.message


def test_a_gap_time_read_at_or_after_the_next_programme_says_so() -> None:
    items = [entry("02:30", "Tatort", line=8), entry("03:15", "Sport", line=9)]
    [warning] = gap_warnings(build_timeline(items, SPRING, BERLIN).diagnostics)
    assert warning.line == 8
    assert "not before the next programme, “Sport” (line 9, 03:15)" in warning.message


def test_a_gap_time_past_24_and_a_skipped_day_are_flagged_with_the_date() -> None:
    [late] = gap_warnings(build_timeline([entry("23:00", line=1), entry("26:30", "Spät", line=2)],
                                         date(2022, 3, 26), BERLIN).diagnostics)
    assert late.line == 2 and "02:30 on 2022-03-27" in late.message and "Read as 03:30" in late.message
    # Samoa skipped 30 December 2011 altogether.
    [skipped] = gap_warnings(build_timeline([entry("10:00", "Fa'asalalauga", line=3)], date(2011, 12, 30),
                                            ZoneInfo("Pacific/Apia")).diagnostics)
    assert "10:00 on 2011-12-30" in skipped.message and "Read as 2011-12-31 10:00" in skipped.message


def test_times_that_exist_are_not_flagged_as_in_the_gap() -> None:
    ordinary = build_timeline(entries("01:30", "01:59", "03:00", "03:30"), SPRING, BERLIN)
    repeated = build_timeline(entries("01:30", "02:30", "03:30"), date(2022, 10, 30), BERLIN)
    moscow = build_timeline(entries("02:30"), SPRING, MSK)
    assert not gap_warnings(ordinary.diagnostics + repeated.diagnostics + moscow.diagnostics)
