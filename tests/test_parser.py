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
        "Метод", ("Телесериал",), 2, 1, True)
    film = split_title("Х/ф «Ирония судьбы» (СССР, 1975)")
    assert (film.title, film.categories, film.year, film.country) == (
        "Ирония судьбы", ("Художественный фильм",), 1975, "СССР")
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
    garbage: list[bytes | str] = [b"", b"\x00\xff\xfe", b"99:99 x\n24:60 y", b"<html><body></body></html>",
                                  "\u2028" * 5]
    for data in garbage:
        parse_text(data, DAY)


# -- rules added with the listings corpus (tests/data/listings) -------------------------------------

def starts_and_titles(text: str | bytes, day: date = DAY, tz: ZoneInfo = MSK) -> list[tuple[str, str]]:
    """(HH:MM[:SS] start, title) pairs for ``text``."""
    return [(p.start.strftime("%H:%M:%S").removesuffix(":00"), p.title)
            for p in read_schedule(text, day, tz).programmes]


def test_playout_export_keeps_seconds_and_reads_durations_by_the_column_names() -> None:
    text = "Время;Хронометраж;Название;Возраст\n23:50:00;00:45:00;Вечерний Ургант;16+\n00:35:00;01:00:00;Познер;16+\n"
    programmes = read_schedule(text, DAY, MSK).programmes
    assert [(p.start.strftime("%d %H:%M"), p.stop.strftime("%d %H:%M")) for p in programmes] == [
        ("07 23:50", "08 00:35"), ("08 00:35", "08 01:35")]  # 01:00 is a duration, not an end at 01:00
    seconds = read_schedule("14:59:45;00:15:15;Новости;\n15:15:00;00:44:30;Давай поженимся!;16+\n", DAY, MSK)
    assert seconds.programmes[0].start == datetime(2022, 1, 7, 14, 59, 45, tzinfo=MSK)


def test_end_column_is_an_end_time() -> None:
    programmes = read_schedule("Начало\tКонец\tПередача\n06:00\t06:30\tУтро\n", DAY, MSK).programmes
    assert programmes[0].stop == datetime(2022, 1, 7, 6, 30, tzinfo=MSK)


def test_a_range_joined_by_a_bare_hyphen_gives_a_stop() -> None:
    [programme] = read_schedule("06:00-07:00 Утро\n", DAY, MSK).programmes
    assert (programme.title, programme.stop.strftime("%H:%M"), programme.stop_estimated) == ("Утро", "07:00", False)


@pytest.mark.parametrize("line", [
    "06:00  Облачно, снег  −12°  ветер СЗ 4 м/с",
    "14.30 Uhr: Bundeskanzler Scholz trifft in Paris den französischen Präsidenten, meldet die dpa.",
    "14:35 — на Ленинградском шоссе в районе Химок образовалась пробка длиной 7 км.",
])
def test_weather_and_news_after_a_time_are_not_programmes(line: str) -> None:
    result = parse_text(line, DAY)
    assert result.entries == []
    assert [d.severity for d in result.diagnostics] == ["info"]


@pytest.mark.parametrize("line, title", [
    ("19:00 heute", "heute"), ("21:45 heute journal", "heute journal"), ("22:15 37 Grad", "37 Grad"),
    ("20:05 28 minutes", "28 minutes"), ("00:45 heute+", "heute+"), ("20:00 Tout le monde a son mot à dire.",
                                                                       "Tout le monde a son mot à dire"),
])
def test_short_lower_case_and_numeric_titles_are_titles(line: str, title: str) -> None:
    assert [t for _, t in titles(line)] == [title]


def test_age_mark_on_the_line_below_belongs_to_the_programme() -> None:
    schedule = read_schedule("09:55\nО самом главном\n12+\n\n11:00 Вести\n16+\n", DAY, MSK)
    assert [(p.title, p.rating and p.rating.value) for p in schedule.programmes] == [
        ("О самом главном", "12+"), ("Вести", "16+")]
    assert {d.line for d in schedule.diagnostics if d.severity == "info"} == {2, 3, 6}


def test_a_sentence_right_below_a_programme_is_its_description() -> None:
    text = ("21:25 Х/ф «Осенний марафон» (СССР, 1979) 12+\n"
            "Переводчик Андрей Бузыкин никак не может сделать выбор между женой и возлюбленной.\n"
            "23:00 Новости\n\nРеклама на сайте: звоните нам каждый день с утра до вечера, ждём вас.\n")
    schedule = read_schedule(text, DAY, MSK)
    assert schedule.programmes[0].description is not None
    assert schedule.programmes[0].description.startswith("Переводчик")
    assert schedule.programmes[1].description is None  # a blank line parts the footer from the programme


def test_times_listed_mid_line_share_the_title_and_do_not_break_the_sequence() -> None:
    text = "5.00 Доброе утро. 9.00, 12.00, 15.00 Новости.\n9.20 Доброе утро (12+). 9.50 Жить здорово! (16+).\n"
    schedule = read_schedule(text, DAY, MSK)
    assert starts_and_titles(text) == [("05:00", "Доброе утро"), ("09:00", "Новости"), ("09:20", "Доброе утро"),
                                       ("09:50", "Жить здорово!"), ("12:00", "Новости"), ("15:00", "Новости")]
    assert {p.start.date() for p in schedule.programmes} == {DAY}
    assert not [d for d in schedule.diagnostics if "typo" in d.message or "midnight" in d.message]


def test_a_time_inside_a_quoted_title_does_not_start_a_programme() -> None:
    assert titles("20:00 «Вечер в 21:00 Live» 12+") == [("20:00", "Вечер в 21:00 Live")]


def test_ukrainian_listing_spells_out_genres_in_ukrainian() -> None:
    text = "Понеділок, 10 січня\n09:00 Т/с «Кріпосна»\n12:30 Х/ф «Іван Сила» (Україна, 2013)\n21:30 М/ф «Кіт»\n"
    assert [p.categories for p in read_schedule(text, DAY, MSK).programmes] == [
        ["Телесеріал"], ["Художній фільм"], ["Мультфільм"]]
    kazakh = "Понедельник, 8 апреля\n06:00 Таңшолпан\n09:20 Т/с «Сүйе білсең»\n"
    assert read_schedule(kazakh, DAY, MSK).programmes[1].categories == ["Телесериал"]


@pytest.mark.parametrize("text, title, sub_title", [
    ('The Walking Dead S11E23 "Family"', "The Walking Dead", "Family"),
    ("Tatort: Der Mann im Keller", "Tatort", "Der Mann im Keller"),
    ("Spielfilm: Avengers: Endgame (USA, 2019)", "Avengers: Endgame", None),
    ("2001: A Space Odyssey (1968)", "2001: A Space Odyssey", None),
])
def test_episode_titles_and_colons(text: str, title: str, sub_title: str | None) -> None:
    parts = split_title(text)
    assert (parts.title, parts.sub_title) == (title, sub_title)


@pytest.mark.parametrize("text, flag", [
    ("Вечерний Ургант (повтор)", "repeat"), ("Ski alpin (En direct)", "live"), ("Capitaine Marleau (Première)",
                                                                               "premiere"),
    ("Rosenheim-Cops (Untertitel)", "subtitles"),
])
def test_flags_in_brackets_in_any_case(text: str, flag: str) -> None:
    parts = split_title(text)
    assert getattr(parts, flag) and "(" not in parts.title


def test_a_programme_named_only_by_a_marker_keeps_it_as_its_title() -> None:
    assert titles("21:00 Премьера") == [("21:00", "Премьера")]


@pytest.mark.parametrize("text, rating, rest", [
    ("«Голос 60+» 12+", "12+", "«Голос 60+»"), ("Шоу «Кино 18+»", None, "Шоу «Кино 18+»"),
    ("Т/с «Старец» «16+»", "16+", "Т/с «Старец»"),
])
def test_a_mark_inside_a_quoted_name_is_part_of_the_name(text: str, rating: str | None, rest: str) -> None:
    found, left = extract_rating(text)
    assert (found and found.value, left) == (rating, rest)


def test_a_header_whose_weekday_disagrees_is_kept_and_flagged() -> None:
    schedule = read_schedule("Вторник, 10 января\n06:00 Новости\n", DAY, MSK)
    assert schedule.programmes[0].start.date() == date(2022, 1, 10)
    assert any(d.line == 1 and d.severity == "warning" and "Tuesday" in d.message for d in schedule.diagnostics)


def test_a_table_row_naming_a_date_is_a_day_header() -> None:
    schedule = read_schedule("ЭФИРНЫЙ ЛИСТ;ПЕРВЫЙ КАНАЛ;01.02.2022\n05:00:00;04:00:00;Доброе утро;12+\n", DAY, MSK)
    assert schedule.programmes[0].start.date() == date(2022, 2, 1)


def test_decoration_and_number_cells_are_not_titles() -> None:
    assert titles("01:05\t|\tТ/с «Бригада» 18+") == [("01:05", "Бригада")]
    assert titles("06:00\t101\tНовости\t16+") == [("06:00", "Новости")]


@pytest.mark.parametrize("line", ["31.12.9999", "01.01.0001, понедельник"])
def test_placeholder_years_are_not_days(line: str) -> None:
    assert parse_day_header(line) is None


def test_a_weekday_picks_the_year_when_two_are_equally_near() -> None:
    header = parse_day_header("Sunday 30th October")
    assert header is not None
    assert header.resolve(date(2022, 5, 1)) == date(2022, 10, 30)
    assert header.resolve(date(2022, 1, 10)) == date(2021, 10, 30)  # nearest; the weekday warning says the rest


def test_a_text_table_with_pipes_has_columns() -> None:
    text = "| Время | Название | Жанр | Возраст |\n| 23:30 | Вечер | Сериал | 16+ |\n"
    [programme] = read_schedule(text, DAY, MSK).programmes
    assert (programme.title, programme.categories, programme.rating and programme.rating.value) == (
        "Вечер", ["Сериал"], "16+")


def test_a_joined_em_dash_after_the_series_full_stop_is_the_episodes_own() -> None:
    # Found by the canonical round trip: a title with the episode "0—А" (read from the line below) is written
    # "00:00 Новости. 0—А", which must read back the same.
    assert (split_title("Новости. 0—А").title, split_title("Новости. 0—А").sub_title) == ("Новости", "0—А")
    assert (split_title("Series—Episode").title, split_title("Series—Episode").sub_title) == ("Series", "Episode")
    [first] = read_schedule("00:00 Новости\n0—А\n", DAY, MSK).programmes
    [again] = read_schedule("00:00 Новости. 0—А\n", DAY, MSK).programmes
    assert (first.title, first.sub_title) == (again.title, again.sub_title) == ("Новости", "0—А")


def test_the_line_below_gives_the_sub_title_tidied_as_on_one_line() -> None:
    # Found by the canonical round trip: "F()" below "A" is the sub-title "F", as "A. F()" would give.
    [below] = read_schedule("00:00 Новости\nF()\n", DAY, MSK).programmes
    [inline] = read_schedule("00:00 Новости. F()\n", DAY, MSK).programmes
    assert (below.title, below.sub_title) == (inline.title, inline.sub_title) == ("Новости", "F")
