"""The parser on the shapes of text operators paste: one rule per test, named after the rule."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from epg.dayheaders import parse_day_header
from epg.parser import parse_text
from epg.ratings import extract_rating
from epg.schedule import read_schedule
from epg.titles import split_title
from tests.conftest import FOUNDING_PAGE

MSK = ZoneInfo("Europe/Moscow")
DAY = date(2022, 1, 7)


def titles(text: str | bytes, day: date = DAY, tz: ZoneInfo = MSK) -> list[tuple[str, str]]:
    """(HH:MM start, title) pairs for ``text``."""
    return [(p.start.strftime("%H:%M"), p.title) for p in read_schedule(text, day, tz).programmes]


def test_founding_example_gives_exactly_four_programmes() -> None:
    schedule = read_schedule(FOUNDING_PAGE.read_bytes(), DAY, MSK)
    got = [(p.start.isoformat(), p.stop.isoformat(), p.title, p.sub_title, p.rating and p.rating.value)
           for p in schedule.programmes]
    assert got == [
        ("2022-01-07T16:55:00+03:00", "2022-01-07T17:00:00+03:00", "История дракона", None, "12+"),
        ("2022-01-07T17:00:00+03:00", "2022-01-07T17:15:00+03:00", "Китайская панорама", None, "12+"),
        ("2022-01-07T17:15:00+03:00", "2022-01-07T18:00:00+03:00", "Жажда странствий", "Иордания", "12+"),
        ("2022-01-07T18:00:00+03:00", "2022-01-07T19:00:00+03:00", "Новости", None, "12+"),
    ]


def test_founding_example_reports_every_skipped_line() -> None:
    data = FOUNDING_PAGE.read_bytes()
    schedule = read_schedule(data, DAY, MSK)
    text_lines = {n for n, line in enumerate(data.decode("utf-8").splitlines(), 1) if line.strip()}
    programme_lines = {p.line for p in schedule.programmes}
    reported = {d.line for d in schedule.diagnostics}
    assert text_lines - programme_lines <= reported
    assert any(d.line == 3 and "07.01.2022 ТАСС" in d.message for d in schedule.diagnostics)


def test_last_programme_stop_is_assumed_and_said() -> None:
    schedule = read_schedule("18:00 Новости 12+\n", DAY, MSK)
    assert schedule.programmes[0].stop_estimated
    assert any(d.severity == "warning" and "ends" in d.message for d in schedule.diagnostics)


@pytest.mark.parametrize("line, expected", [
    ("16:55 История", "16:55"), ("6:05 История", "06:05"), ("06.00 История", "06:00"),
    ("6.00 История", "06:00"), ("16-55 История", "16:55"), ("0:30 История", "00:30"),
    ("6.00pm История", "18:00"), ("6:00 PM История", "18:00"), ("20.15 Uhr Tagesschau", "20:15"),
    ("20h15 Journal", "20:15"), ("18:00\tНовости", "18:00"), ("18:00 – Новости", "18:00"),
    ("18:00 | Новости", "18:00"), ("  18:00   Новости", "18:00"),
])
def test_time_forms(line: str, expected: str) -> None:
    assert [start for start, _ in titles(line)] == [expected]


def test_past_midnight_notation_is_the_next_day() -> None:
    programmes = read_schedule("23:00 Кино\n25:30 Ночной эфир\n", DAY, MSK).programmes
    assert programmes[1].start == datetime(2022, 1, 8, 1, 30, tzinfo=MSK)


def test_range_gives_an_explicit_stop() -> None:
    programmes = read_schedule("22:25 - 22:55 Новости\nс 23:00 до 23:40 Кино\n", DAY, MSK).programmes
    assert [(p.start.strftime("%H:%M"), p.stop.strftime("%H:%M")) for p in programmes] == [
        ("22:25", "22:55"), ("23:00", "23:40")]
    assert not programmes[1].stop_estimated


def test_time_alone_takes_its_title_from_the_next_line() -> None:
    assert titles("18:00\nНовости\n18:30\nПогода\n") == [("18:00", "Новости"), ("18:30", "Погода")]


def test_several_programmes_on_one_line() -> None:
    assert titles("06:00 Новости 06:10 Доброе утро 09:00 Контрольная закупка") == [
        ("06:00", "Новости"), ("06:10", "Доброе утро"), ("09:00", "Контрольная закупка")]


def test_newspaper_time_list_shares_one_title() -> None:
    assert titles("9.00, 12.00, 15.00 Новости") == [("09:00", "Новости"), ("12:00", "Новости"), ("15:00", "Новости")]


def test_rollover_past_midnight_is_the_next_day_with_a_warning() -> None:
    schedule = read_schedule("23:40 Кино\n00:15 Новости\n01:50 Музыка\n", DAY, MSK)
    assert [p.start.date() for p in schedule.programmes] == [DAY, date(2022, 1, 8), date(2022, 1, 8)]
    assert any(d.line == 2 and d.severity == "warning" for d in schedule.diagnostics)


def test_small_backwards_step_is_a_typo_not_a_new_day() -> None:
    schedule = read_schedule("18:00 Новости\n17:50 Погода\n19:00 Кино\n", DAY, MSK)
    assert {p.start.date() for p in schedule.programmes} == {DAY}
    assert any(d.line == 2 and "typo" in d.message for d in schedule.diagnostics)


def test_day_headers_date_what_follows() -> None:
    text = "Понедельник, 10 января\n06:00 Новости\nВторник, 11 января\n06:00 Утро\n"
    schedule = read_schedule(text, DAY, MSK)
    assert [p.start.date() for p in schedule.programmes] == [date(2022, 1, 10), date(2022, 1, 11)]
    assert list(schedule.by_day) == [date(2022, 1, 10), date(2022, 1, 11)]


@pytest.mark.parametrize("header", ["Понедельник, 10 января", "ПН 10.01", "10.01.2022, понедельник",
                                    "Monday 10 January", "Mo., 10.01.", "Lundi 10 janvier", "Понеділок, 10 січня"])
def test_day_header_forms(header: str) -> None:
    found = parse_day_header(header)
    assert found is not None and found.resolve(DAY) == date(2022, 1, 10)


@pytest.mark.parametrize("line", ["07.01.2022 ТАСС 1", "Новости", "Обновлено в 12:30", "к утру 7 января"])
def test_prose_is_not_a_day_header(line: str) -> None:
    assert parse_day_header(line) is None


@pytest.mark.parametrize("text, system, value, age", [
    ("Кино 12+", "RU", "12+", 12), ("(16+) Кино", "RU", "16+", 16), ("Кино [18+]", "RU", "18+", 18),
    ("Кино «6+»", "RU", "6+", 6), ("Кино 0 +", "RU", "0+", 0), ("Show TV-14", "VCHIP", "TV-14", 14),
    ("Show TV-MA", "VCHIP", "TV-MA", 17), ("Movie PG-13", "MPA", "PG-13", 13), ("Tatort FSK 12", "FSK", "FSK 12", 12),
    ("Tatort ab 16", "FSK", "FSK 16", 16), ("Film -12", "CSA", "-12", 12), ("Film (15)", "BBFC", "15", 15),
])
def test_rating_systems(text: str, system: str, value: str, age: int) -> None:
    rating, rest = extract_rating(text)
    assert rating is not None
    assert (rating.system, rating.value, rating.min_age) == (system, value, age)
    assert rest in {"Кино", "Show", "Movie", "Tatort", "Film"}


@pytest.mark.parametrize("text", ["Москва +5°", "+7 (495) 123-45-67", "Серия 12", "1 200 руб."])
def test_things_that_are_not_ratings(text: str) -> None:
    assert extract_rating(text)[0] is None


@pytest.mark.parametrize("text, title, sub_title", [
    ("Жажда странствий. Иордания", "Жажда странствий", "Иордания"),
    ("Д.Е.Л.О.", "Д.Е.Л.О.", None),
    ("Mr. Bean", "Mr. Bean", None),
    ("«Кухня». Новый шеф", "Кухня", "Новый шеф"),
])
def test_sub_title_split(text: str, title: str, sub_title: str | None) -> None:
    parts = split_title(text)
    assert (parts.title, parts.sub_title) == (title, sub_title)


def test_title_structure_goes_to_fields() -> None:
    parts = split_title("Премьера. Т/с «Метод» 2 сезон, 1-я и 2-я серии")
    assert (parts.title, parts.categories, parts.season, parts.episode, parts.premiere) == (
        "Метод", ["Телесериал"], 2, 1, True)
    film = split_title("Х/ф «Ирония судьбы» (СССР, 1975)")
    assert (film.title, film.categories, film.year, film.country) == (
        "Ирония судьбы", ["Художественный фильм"], 1975, "СССР")
    assert split_title("Футбол. Прямая трансляция").live
    assert split_title("Доброе утро (R)").repeat


@pytest.mark.parametrize("data, encoding", [
    ("18:00 Новости 12+\r\n19:00 Кино\r\n".encode("cp1251"), "cp1251"),
    ("18:00 Новости 12+\r\n19:00 Кино\r\n".encode("utf-16"), "utf-16"),
    ("\ufeff18:00 Новости 12+\n19:00 Кино\n".encode(), None),
    (b"18:00 \xd0\x9d\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xb8\r19:00 Kino\r", None),
])
def test_encodings_and_line_ends(data: bytes, encoding: str | None) -> None:
    schedule = read_schedule(data, DAY, MSK)
    assert [p.title for p in schedule.programmes] == ["Новости", "Кино"] if b"Kino" not in data else [
        "Новости", "Kino"]
    if encoding:
        assert any(encoding in d.message for d in schedule.diagnostics)


def test_html_page_reads_visible_text_and_keeps_source_lines() -> None:
    html = ("<html><head><style>.a{}</style><script>var t='18:00 Fake';</script></head><body>\n"
            "<nav><a>Главная</a></nav>\n<table>\n<tr><td>18:00</td><td>Новости</td><td>12+</td></tr>\n"
            "<tr><td>18:30</td><td>&laquo;Кино&raquo;</td><td>16+</td></tr>\n</table></body></html>")
    schedule = read_schedule(html, DAY, MSK)
    assert [(p.title, p.rating and p.rating.value, p.line) for p in schedule.programmes] == [
        ("Новости", "12+", 4), ("Кино", "16+", 5)]


@pytest.mark.parametrize("noise", [
    "12:30 по московскому времени президент провёл совещание",
    "Встреча начнётся в 15:00 в Кремле.",
    "Обновлено в 12:30", "07.01.2022 ТАСС", "Цена: 1 200 руб.", "+7 (495) 123-45-67",
])
def test_noise_yields_no_programme_and_a_diagnostic(noise: str) -> None:
    result = parse_text(noise, DAY)
    assert result.entries == []
    assert [d.line for d in result.diagnostics] == [1]


def test_parser_never_raises_on_garbage() -> None:
    for data in [b"", b"\x00\xff\xfe", b"99:99 x\n24:60 y", b"<html><body></body></html>", "\u2028" * 5]:
        parse_text(data, DAY)
