"""Parser rules found on real text (``tests/data/corpus/dev``), each named after what it read wrong.

The inputs are short pieces in the forms real pages print; each rule's
measure is the corpus score (``python -m bench.score``), these tests pin
the rule itself.
"""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from epg.lexicon import FLAGS, lexicon
from epg.prose import mentions
from epg.schedule import read_schedule
from epg.titles import GENRE_PREFIXES, split_title
from feeds.jsonfeed import parse_output

DAY = date(2020, 5, 22)
ROME = ZoneInfo("Europe/Rome")


def _read(text: str, tz: ZoneInfo = ROME):  # type: ignore[no-untyped-def]
    return read_schedule(text.encode(), DAY, tz)


def test_a_running_time_gives_the_stop_and_leaves_the_title() -> None:
    schedule = _read("06:10 Text Aktuell (50 Min.) (VPS: 06:10)\n07:00 Wetter-Panorama (120 Min.) (HDTV, UT)\n")

    first, second = schedule.programmes
    assert (first.title, first.stop.strftime("%H:%M")) == ("Text Aktuell", "07:00")
    assert (second.title, second.stop.strftime("%H:%M"), second.subtitles) == ("Wetter-Panorama", "09:00", True)
    assert not first.stop_estimated and not second.stop_estimated


@pytest.mark.parametrize("text, minutes", [("1 h 30 min", 90), ("(90 Min.)", 90), ("1 ч 20 мин", 80), ("45'", 45),
                                            ("(2h10)", 130), ("25 dk", 25)])
def test_durations_in_several_languages(text: str, minutes: int) -> None:
    assert split_title(f"Sendung {text}").duration == minutes * 60


def test_a_number_and_apostrophe_glued_to_a_word_is_not_a_running_time() -> None:
    # Regression: "0'F" was read as a 0-minute running time and left as "F", so a sub-title read from its
    # own line came out otherwise when written back on the title's line (the canonical round trip broke).
    assert (split_title("7'Oclock").title, split_title("7'Oclock").duration) == ("7'Oclock", None)
    assert split_title("Sendung 45'.").duration == 45 * 60


def test_a_clock_time_is_not_a_duration() -> None:
    assert split_title("Journal de 20h15").duration is None
    assert (split_title("Le journal de 8h30").duration, split_title("Le journal de 8h30").title) == (
        None, "Le journal de 8h30")


def test_a_time_with_only_a_running_time_and_genres_takes_its_title_from_the_next_line() -> None:
    schedule = _read("06:30 - 1 h 30 min - Magazine, Services\nTélématin\n08:00 - 15 min - Information, Journal\n"
                     "Journal 08h00\n", ZoneInfo("Europe/Paris"))

    assert [(p.title, p.categories) for p in schedule.programmes] == [
        ("Télématin", ["Magazine", "Services"]), ("Journal 08h00", ["Information", "Journal"])]
    assert schedule.programmes[0].stop.strftime("%H:%M") == "08:00"


def test_a_joined_em_dash_parts_series_and_episode() -> None:
    parts = split_title("Great British Menu—Series 12, London and South East Dessert")
    assert (parts.title, parts.sub_title, parts.season) == ("Great British Menu", "London and South East Dessert", 12)
    assert (split_title("Countryfile—Warwickshire").sub_title, split_title("Flog It!—2017, Cheshire").sub_title) == (
        "Warwickshire", "Cheshire")
    assert split_title("Москва — Кассиопея").title == "Москва — Кассиопея"  # a spaced dash is part of a title


def test_a_time_after_a_dash_starts_a_programme() -> None:
    assert [p.title for p in _read("– 05:30 – Chile Conectado\n– 06:30 – Pueblos Originarios\n").programmes] == [
        "Chile Conectado", "Pueblos Originarios"]


def test_a_description_standing_as_a_sub_title_becomes_the_description() -> None:
    parts = split_title("Purenimai. Pokalbių laida")
    assert (parts.title, parts.sub_title, parts.description) == ("Purenimai", None, "Pokalbių laida")


NEWSPAPER = """Stasera in tv su Rai Uno
20:00 - Tg1
21:25 - Felicia Impastato
23:25 - TV7
Stasera in tv su Rai Tre
19:00 - TG3
20:00 - Blob
00:00 - TG3 Linea notte
Stasera in tv su Canale 5
20:00 - TG5
21:20 - Amici Speciali
"""


def test_several_channels_one_after_another_are_read_as_blocks() -> None:
    schedule = _read(NEWSPAPER)

    got = json.loads(parse_output(schedule.programmes, schedule.diagnostics, schedule.channels))["programmes"]
    by_channel: dict[str, list[str]] = {}
    for item in got:
        by_channel.setdefault(item["channel"], []).append(f"{item['start'][11:16]} {item['title']}")
    assert by_channel == {
        "Stasera in tv su Rai Uno": ["20:00 Tg1", "21:25 Felicia Impastato", "23:25 TV7"],
        "Stasera in tv su Rai Tre": ["19:00 TG3", "20:00 Blob", "00:00 TG3 Linea notte"],
        "Stasera in tv su Canale 5": ["20:00 TG5", "21:20 Amici Speciali"],
    }
    tg1 = next(p for p in schedule.programmes if p.title == "Tg1")
    assert tg1.stop.strftime("%H:%M") == "21:25"  # its own channel's next programme, not another's
    linea = next(p for p in schedule.programmes if p.title == "TG3 Linea notte")
    assert linea.start.date() == date(2020, 5, 23)


def test_a_heading_before_a_night_is_no_new_channel() -> None:
    schedule = _read("Evening\n20:00 News\n23:00 Film\nNight\n00:30 Late Show\n02:00 Close\n")
    assert set(schedule.channels) == {None}
    assert schedule.programmes[2].start.date() == date(2020, 5, 23)


def test_one_channel_of_a_several_channel_text_is_published_to_it(client: TestClient, auth: dict[str, str]) -> None:
    text = ("ПЕРВЫЙ КАНАЛ\n06:00 Доброе утро\n09:00 Новости\n"
            "БОЛЬШАЯ АЗИЯ\n06:00 История дракона\n07:00 Китайская панорама\n")

    published = client.put("/api/channels/bigasia.ru/days/2022-01-07", content=text.encode(), headers=auth)

    assert published.status_code == 200, published.text
    assert [p["title"] for p in published.json()["programmes"]] == ["История дракона", "Китайская панорама"]


def test_a_several_channel_text_naming_none_of_the_channel_is_refused(client: TestClient,
                                                                      auth: dict[str, str]) -> None:
    text = "ПЕРВЫЙ КАНАЛ\n06:00 Доброе утро\n09:00 Новости\nРОССИЯ 1\n06:00 Утро России\n07:00 Вести\n"

    refused = client.put("/api/channels/bigasia.ru/days/2022-01-07", content=text.encode(), headers=auth)

    assert refused.status_code == 422
    assert "ПЕРВЫЙ КАНАЛ" in refused.json()["detail"] and "РОССИЯ 1" in refused.json()["detail"]


@pytest.mark.parametrize("word", sorted(GENRE_PREFIXES))
def test_every_genre_word_of_the_lexicons_leaves_the_title(word: str) -> None:
    parts = split_title(f"{word}: «Название»" if "/" not in word else f"{word} «Название»")
    assert parts.title == "Название" and parts.categories == (GENRE_PREFIXES[word],)


@pytest.mark.parametrize("flag, word", [(f, w) for f in FLAGS for w in lexicon().flags[f]])
def test_every_flag_of_the_lexicons_sets_its_flag(flag: str, word: str) -> None:
    parts = split_title(f"Название {word}")
    assert getattr(parts, flag) and parts.title == "Название"


@pytest.mark.parametrize("mark", lexicon().marks)
def test_every_technical_mark_of_the_lexicons_leaves_the_title(mark: str) -> None:
    assert split_title(f"Название ({mark})").title == "Название"


def test_the_line_below_a_series_names_its_episode() -> None:
    text = ("06:30 Ein Schüler verklagt den Staat (45 Min.)\nNenad und das Recht auf Bildung\n\n"
            "07:15 Durch die Wildnis (25 Min.)\nFolge 17 von 20\nAbenteuerserie Deutschland, 2019\n\n"
            "08:00 Bargain Hunt\nTwo teams buy items to sell for profit in Builth Wells\n")

    first, second, third = _read(text, ZoneInfo("Europe/Berlin")).programmes

    assert (first.title, first.sub_title) == ("Ein Schüler verklagt den Staat", "Nenad und das Recht auf Bildung")
    assert (second.title, second.sub_title, second.episode) == ("Durch die Wildnis", None, 17)
    assert (third.title, third.sub_title) == ("Bargain Hunt", None)  # a sentence without its full stop


def test_a_heading_right_below_a_block_heads_the_next_block_not_an_episode() -> None:
    schedule = _read("Rai Uno\n20:00 Tg1\n23:25 TV7\nRai Tre\n19:00 TG3\n20:00 Blob\n")

    assert [(p.title, p.sub_title, c) for p, c in zip(schedule.programmes, schedule.channels, strict=True)
            if p.title in ("TV7", "TG3")] == [("TG3", None, "Rai Tre"), ("TV7", None, "Rai Uno")]


def test_a_widgets_now_next_labels_are_no_titles_episodes_or_headings() -> None:
    text = "Programme en cours\n06:30 Télématin\nProgramme à suivre\n08:00 Journal 08h00\n"

    schedule = _read(text, ZoneInfo("Europe/Paris"))

    assert [(p.title, p.sub_title) for p in schedule.programmes] == [("Télématin", None), ("Journal 08h00", None)]
    assert sum("now/next label" in d.message for d in schedule.diagnostics) == 2


@pytest.mark.parametrize("header, day", [
    ("czwartek 11 czerwca", date(2020, 6, 11)), ("birželio 1, pirmadienis", date(2020, 6, 1)),
    ("Cumartesi 19 Kasım", date(2020, 11, 19)), ("viernes 20 de septiembre", date(2020, 9, 20)),
    ("2020-06-01 (Monday)", date(2020, 6, 1)), ("Понедельник (2020-06-01)", date(2020, 6, 1)),
])
def test_day_headers_in_every_cldr_language_and_iso(header: str, day: date) -> None:
    schedule = _read(f"{header}\n10:00 Notiziario\n")
    assert schedule.programmes[0].start.date() == day


def test_a_line_that_names_its_channel_before_the_time() -> None:
    text = ("Rai 1: 21.25 – Il meglio di Viva Rai Play. Il programma più rivoluzionario di Fiorello arriva su Rai 1.\n"
            "Rai 2: 21.05 – Petrolio Files 2020. Appuntamento dedicato all’emergenza Coronavirus in prima serata.\n"
            "NPO 2 – 19.15\nRandland\n")

    schedule = _read(text)

    assert [(c, p.start.strftime("%H:%M"), p.title) for p, c in
            sorted(zip(schedule.programmes, schedule.channels, strict=True), key=lambda pc: pc[0].line or 0)] == [
        ("Rai 1", "21:25", "Il meglio di Viva Rai Play"), ("Rai 2", "21:05", "Petrolio Files 2020"),
        ("NPO 2", "19:15", "Randland")]
    rai = next(p for p in schedule.programmes if p.title == "Il meglio di Viva Rai Play")
    assert (rai.description or "").startswith("Il programma più rivoluzionario")


def test_a_title_line_listing_times_is_no_channel_prefix() -> None:
    schedule = _read("Новости ИТА: 6.00 (Ост.), 9.00 (Ост.), 15.00 (Ост.).\n")
    assert set(schedule.channels) <= {None}


@pytest.mark.parametrize("text, rating", [
    ("Film déconseillé aux moins de 12 ans", ("-12", "CSA", 12)), ("Serialas N-14", ("N-14", "LT", 14)),
    ("Film (od 16 lat)", ("16", "PL", 16)), ("Hostel (interdit aux moins de 18 ans)", ("-18", "CSA", 18)),
])
def test_national_ratings_in_words_and_marks(text: str, rating: tuple[str, str, int]) -> None:
    [programme] = _read(f"20:00 {text}\n").programmes
    assert programme.rating is not None
    assert (programme.rating.value, programme.rating.system, programme.rating.min_age) == rating


def test_a_lone_named_line_is_no_several_channel_text(client: TestClient, auth: dict[str, str]) -> None:
    text = "Tipp des Tages: 20:15 Der Alte\n21:15 Heute-Journal\n"

    published = client.put("/api/channels/bigasia.ru/days/2022-01-07", content=text.encode(), headers=auth)

    assert published.status_code == 200, published.text


def test_a_channel_a_line_names_stays_when_headings_follow() -> None:
    schedule = _read("NPO 2 – 19.15\nRandland\n20:00 Journaal\nRai 2\n06:30 Tg2\n")
    assert dict(zip([p.title for p in schedule.programmes], schedule.channels, strict=True))["Randland"] == "NPO 2"


def test_marks_at_the_end_are_taken_word_by_word() -> None:
    assert split_title("Tagesschau HD 16:9").title == "Tagesschau"
    assert split_title("News Sign Language").title == "News"
    assert split_title("Show" + " HD" * 5000).title == "Show"


def test_a_title_in_straight_quotes_with_a_note_in_brackets() -> None:
    """The opening straight quote closed the title at once, so "Бизнес-класс" (Ост.) kept its quotes."""
    parts = split_title('"Бизнес-класс" (Ост.)')
    assert (parts.title, parts.sub_title, parts.description) == ("Бизнес-класс", None, "Ост.")
    assert split_title('"Series. Part". "Episode"').title == "Series. Part"


def test_hours_words_after_a_time_belong_to_the_time() -> None:
    schedule = _read("- 08:30 horas - 'La hora de La 1'\n- 10:35 horas - 'Mañaneros 360'\n", ZoneInfo("Europe/Madrid"))
    assert [p.title for p in schedule.programmes] == ["La hora de La 1", "Mañaneros 360"]


def test_a_repeat_mark_in_capitals_after_a_dash() -> None:
    parts = split_title("28 MINUTES - REDIFFUSION")
    assert (parts.title, parts.repeat) == ("28 MINUTES", True)


BUDAPEST = ZoneInfo("Europe/Budapest")


def _starts(schedule) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(p.start.strftime("%H:%M"), p.title) for p in schedule.programmes]


def test_a_tip_names_the_programme_then_when_and_where_it_airs() -> None:
    schedule = _read("Szent Péter esernyője (Duna TV, 14:10)\n\nEgri csillagok (ATV 06:20, Magyar Mozi TV, 09:00)\n",
                     BUDAPEST)

    assert _starts(schedule) == [("06:20", "Egri csillagok"), ("09:00", "Egri csillagok"),
                                 ("14:10", "Szent Péter esernyője")]


@pytest.mark.parametrize("line, start, title", [
    ('"Ostatnia misja" - TVN Fabuła, godz. 20:00', "20:00", "Ostatnia misja"),
    ("Soliariumas – trečiadienį 19:30 per TV3!", "19:30", "Soliariumas"),
    ("The Newspaperman : The Life and Times of Ben Bradlee, HBO Canada, 20 h", "20:00", "The Newspaperman"),
    ('* "Evening Shade" (8-8:30 p.m., WBAL, Channel 11) -- Returning to prime-time regularity, CBS begins', "20:00",
     "Evening Shade"),
])
def test_a_tip_in_several_languages(line: str, start: str, title: str) -> None:
    assert _starts(_read(line + "\n"))[:1] == [(start, title)]


def test_a_tip_listing_several_times_keeps_its_name_and_runs_past_midnight_along_the_line() -> None:
    schedule = _read("Новости ИТА: 6.00 (Ост.), 9.00 (Ост.), 21.00 (Ост.), 0.00 (Ост.).\n"
                     '"Вести": 8.00 (Рос.), 14.00 (Рос.).\n', ZoneInfo("Europe/Moscow"))

    assert [(p.start.strftime("%d %H:%M"), p.title) for p in schedule.programmes] == [
        ("22 06:00", "Новости ИТА"), ("22 08:00", "Вести"), ("22 09:00", "Новости ИТА"), ("22 14:00", "Вести"),
        ("22 21:00", "Новости ИТА"), ("23 00:00", "Новости ИТА")]


def test_a_tip_naming_its_day_is_on_that_day() -> None:
    schedule = _read("Parijs-Roubaix, zondag 14 april, 13.10-17.50 uur, NPO 1\n", ZoneInfo("Europe/Amsterdam"))

    (programme,) = schedule.programmes
    assert (programme.title, programme.start.isoformat(), programme.stop.strftime("%H:%M")) == (
        "Parijs-Roubaix", "2020-04-14T13:10:00+02:00", "17:50")


@pytest.mark.parametrize("line", [
    "Su RAI 1, alle 20.45, andrà in onda l’evento calcistico della Coppa Italia.",  # a clause goes on: prose
    "Москва, 14:35 — сообщает агентство",  # a dateline
    "TF1 - 21h05",  # a channel and its time: the title comes next
    "Alle Angaben ohne Gewähr. Stand: 12.06.2023, 08:00 Uhr",  # a publication stamp
    "Weather: London 24C, sunny spells. Sunrise 4.58am, sunset 9.12pm.",
    "Сейчас в эфире: «Давай поженимся!» (до 16:00)",  # an end, not a start
    "Новости культуры. Эфир от 15.07.2021 (19:30)",  # a video's caption
])
def test_what_only_looks_like_a_tip_is_no_programme(line: str) -> None:
    assert _read(line + "\n").programmes == []


def test_a_line_saying_only_when_and_where_takes_the_name_above_it() -> None:
    schedule = _read("GARDENING AUSTRALIA: SPRING SPECIAL\n★★\n7.30pm, ABC\nThe keenly anticipated spring special is "
                     "here at last, bursting with tips for green thumbs.\nANIMAL TALES\n★★★\nNoon, 9Gem\n",
                     ZoneInfo("Australia/Brisbane"))

    assert [(s, t, p.sub_title) for (s, t), p in zip(_starts(schedule), schedule.programmes, strict=True)] == [
        ("12:00", "ANIMAL TALES", None), ("19:30", "GARDENING AUSTRALIA", "SPRING SPECIAL")]


def test_a_lone_time_with_a_paragraph_below_takes_the_name_above() -> None:
    schedule = _read("RAI 1 – Pooh amici per sempre\n\n21.25\n\nUno speciale di oltre due ore, condotto da Carlo "
                     "Conti, interamente dedicato ai cinquant’anni di storia della band.\n\nRAI 2 – Earth – Un giorno "
                     "straordinario\n\n21.20\n\nUn viaggio stupefacente che rivela l’eccezionale potenza della natura "
                     "nel corso di una sola giornata.\n")

    assert sorted(_starts(schedule)) == [("21:20", "Earth – Un giorno straordinario"),
                                         ("21:25", "Pooh amici per sempre")]


def test_a_headline_over_its_publication_time_is_no_programme() -> None:
    # Once in a text, a name above a time reads as a news headline and its stamp.
    schedule = _read("Україна – Німеччина: про трансляцію матчу\n\n20:57\n\nЗбірна України прийме Німеччину у "
                     "матчі третього туру групового етапу Ліги націй, повідомляє прес-служба.\n",
                     ZoneInfo("Europe/Kyiv"))

    assert schedule.programmes == []


def test_a_prime_time_column_in_12_hour_style_is_read_as_evening() -> None:
    schedule = read_schedule(b"ABC's lineup is fully premiering this week except for Sunday 8pm.\n\nMONDAY\n"
                             b"8:00 Dancing with the Stars\n10:00 The Good Doctor (Season Premiere)\n\nTUESDAY\n"
                             b"8:00 The Conners (Season Premiere)\n", date(2019, 9, 23), ZoneInfo("America/New_York"))

    assert [(p.start.strftime("%a %H:%M"), p.title) for p in schedule.programmes] == [
        ("Mon 20:00", "Dancing with the Stars"), ("Mon 22:00", "The Good Doctor"), ("Tue 20:00", "The Conners")]


def test_times_stay_morning_when_the_text_also_marks_am() -> None:
    schedule = _read("Breakfast from 6am, news at 1pm.\n6.00 Breakfast\n9.15 Homes Under the Hammer\n",
                     ZoneInfo("Europe/London"))

    assert [p.start.strftime("%H:%M") for p in schedule.programmes] == ["06:00", "09:15"]


def test_a_weekday_alone_on_its_line_dates_what_follows() -> None:
    schedule = _read("WEDNESDAY\n21:00 Chi l'ha visto?\n")  # DAY is a Friday: the Wednesday after it

    assert schedule.programmes[0].start.date() == date(2020, 5, 27)


@pytest.mark.parametrize("text, title, categories, description", [
    ("Pooh amici per sempre (Show)", "Pooh amici per sempre", ("Show",), None),
    ("Karol un uomo diventato Papa (Film)", "Karol un uomo diventato Papa", ("Film",), None),
    ("Биржа труда (Рос.)", "Биржа труда", (), "Рос."),
])
def test_a_bracket_closing_the_title_is_its_genre_or_its_channel(text: str, title: str,
                                                                 categories: tuple[str, ...],
                                                                 description: str | None) -> None:
    parts = split_title(text, "it")
    assert (parts.title, parts.categories, parts.description) == (title, categories, description)


def test_a_quoted_name_followed_by_lower_case_is_part_of_a_longer_title() -> None:
    assert split_title('"Каспий" мен "Ақсу"').title == '"Каспий" мен "Ақсу"'


def test_polish_quotes_close_with_the_right_double_quote() -> None:
    assert split_title("„Gierek”").title == "Gierek"
    assert split_title("Nuotykių filmas „Pito drakonas“").title == "Pito drakonas"


def test_a_time_alone_among_lone_times_is_no_date() -> None:
    schedule = _read("RAI 1 – Europe shine a light – Accendiamo la musica (Show)\n\n20.35\n\nEurope shine a light, "
                     "una veste nuova per la musica europea con tutti i cantanti che avrebbero gareggiato.\n\n"
                     "RAI 2 – Petrolio – Antivirus (Attualità)\n\n21.05\n\nDuilio Gianmaria presenta una nuova "
                     "puntata di Petrolio, dedicata al virus e alle sue conseguenze economiche e sociali.\n")

    assert [(p.start.strftime("%d %H:%M"), p.title.split(" – ")[0]) for p in schedule.programmes] == [
        ("22 20:35", "Europe shine a light"), ("22 21:05", "Petrolio")]


def test_an_episode_line_below_a_channel_and_time_goes_with_the_name_above() -> None:
    schedule = _read("ZATERDAG 17 APRIL\n\nRandland\n\nNPO 2 – 19.15\n\nAfl. 1/6 (2021)\n\nVerhalen van mensen die "
                     "letterlijk of figuurlijk aan de rand van de samenleving staan, in zes afleveringen.\n\n"
                     "Sterren op het doek\n\nNPO 2 – 20.35\n\nAfl. 6/8\n\n", ZoneInfo("Europe/Amsterdam"))

    assert [(p.start.strftime("%d %H:%M"), p.title, p.episode) for p in schedule.programmes] == [
        ("17 19:15", "Randland", 1), ("17 20:35", "Sterren op het doek", 6)]


@pytest.mark.parametrize("text, episode", [("Odc. 2861", 2861), ("Afl. 6/8", 6), ("Part 2", 2), ("Bölüm 5", 5)])
def test_episode_markers_in_more_languages(text: str, episode: int) -> None:
    parts = split_title(f"Barwy szczęścia {text}")
    assert (parts.title, parts.episode) == ("Barwy szczęścia", episode)


def test_the_name_below_a_tip_is_the_next_tips_not_an_episode() -> None:
    schedule = _read("NOS Jaaroverzicht Bevrijding 1945\nWanneer: Donderdag 24 december, 21.25-21.55 uur, NPO 2\n"
                     "Kersttoespraak koning Willem-Alexander\nZoals altijd zendt NOS op 25 december de Kersttoespraak "
                     "van koning Willem-Alexander uit.\nWanneer: Vrijdag 25 december, 13.00-13.08 uur, NPO 1\n",
                     ZoneInfo("Europe/Amsterdam"))

    assert [(p.start.strftime("%d %H:%M"), p.title, p.sub_title) for p in schedule.programmes] == [
        ("24 21:25", "NOS Jaaroverzicht Bevrijding 1945", None),
        ("25 13:00", "Kersttoespraak koning Willem-Alexander", None)]


@pytest.mark.parametrize("line", ["2.05-4.00 (not PDC)", "13h15, le dimanche..."])
def test_a_time_with_only_a_note_or_a_clause_is_no_programme(line: str) -> None:
    assert _read(line + "\n").programmes == []


def test_a_schedule_run_together_on_one_line_is_read_by_its_names_in_capitals() -> None:
    line = ("TV Polonia Czwartek, 23.11.2023 06:00 POLONIA 24 25 min, Polska, 2023 Program newsowy skierowany do "
            "Polaków mieszkających w kraju i za granicą. 07:00 PRYWATNE ŻYCIE ZWIERZĄT - SEZON 9 - ODC. 5 - "
            "PREHISTORYCZNI Reportaż, 21 min, Polska, 2023 Reżyseria: Joanna Pawlikowska. 11:30 BARWY SZCZĘŚCIA - "
            "ODC. 2861 Serial obyczajowy TV")
    schedule = _read(line + "\n", ZoneInfo("Europe/Warsaw"))

    assert [(s, t, p.sub_title, p.season, p.episode) for (s, t), p in zip(_starts(schedule), schedule.programmes,
                                                                          strict=True)] == [
        ("06:00", "POLONIA 24", None, None, None), ("07:00", "PRYWATNE ŻYCIE ZWIERZĄT", "PREHISTORYCZNI", 9, 5),
        ("11:30", "BARWY SZCZĘŚCIA", None, None, 2861)]


def test_one_time_before_capitals_in_prose_is_no_schedule() -> None:
    line = ("Die Sitzung beginnt um 10:00 UHR im Rathaus, wie die Stadt mitteilte; danach folgt eine Pressekonferenz "
            "mit dem Bürgermeister und den Vertretern der Fraktionen, die über den Haushalt berichten werden.")
    assert _read(line + "\n").programmes == []


def test_two_times_joined_by_and_share_the_title() -> None:
    schedule = _read('11.50 и 2.10 "Пресс-экспресс" (Ост.)\n', ZoneInfo("Europe/Moscow"))

    assert [(p.start.strftime("%d %H:%M"), p.title) for p in schedule.programmes] == [
        ("22 11:50", "Пресс-экспресс"), ("23 02:10", "Пресс-экспресс")]


@pytest.mark.parametrize("text", ["3:30 p.m. a 5:00 p.\n",
                                  "- 00:01:17\nВода по графику\n- 00:14:47\nСмерть Тарелкина\n",
                                  "TONIGHT’S ALTERNATIVE: “The Thundermans,” 6, 9 and 9:30\n"])
def test_ranges_video_marks_and_hours_of_a_sentence_are_no_programmes(text: str) -> None:
    assert _read(text).programmes == []


def test_an_article_with_no_schedule_lines_gives_the_programmes_its_sentences_name() -> None:
    text = ("Цей день на Першому Національному буде особливим.\n"
            "О 9:40 – документальний фільм «7300 днів». Документальний фільм про найважливіші події.\n"
            "О 15:30 (повтор о 21:20) – «Вечори з Віталієм Коротичем». Перший випуск програми.\n")
    schedule = read_schedule(text.encode(), date(2011, 8, 24), ZoneInfo("Europe/Kyiv"))

    assert [(p.start.strftime("%d %H:%M"), p.title) for p in schedule.programmes] == [
        ("24 09:40", "7300 днів"), ("24 15:30", "Вечори з Віталієм Коротичем"),
        ("24 21:20", "Вечори з Віталієм Коротичем")]  # the repeat in brackets shares the name


@pytest.mark.parametrize("sentence", [
    "Кінастужка «Крым» мае рэйтынг 4.00 на сусветным сэрвісе IMDb і 3.035 на расійскім «Кінапошуку».",  # a number
    "Нагадаємо, з 26 лютого з 10.00 в ефірі Першого національного транслюється «Громадське телебачення».",
    "Sondaı-aq 20 cáýirde 15.00-de «Qyzyljar» (Petropavl) men «Qaısar» (Qyzylorda) oınasa.",  # another day
    "Сейчас в эфире до 16:00 «Давай поженимся!»",  # an end
])
def test_what_an_article_names_for_another_day_or_not_at_a_time_is_no_programme(sentence: str) -> None:
    assert read_schedule(sentence.encode(), date(2014, 3, 3), ZoneInfo("Europe/Kyiv")).programmes == []


def test_sentences_are_not_read_when_the_text_has_schedule_lines() -> None:
    schedule = _read("20:00 Telegiornale\nAlle 21.15 verrà trasmesso “Chi l’ha visto?”, il programma di cronaca.\n")

    assert [p.title for p in schedule.programmes] == ["Telegiornale"]


def test_a_title_then_a_colon_and_what_the_programme_is() -> None:
    schedule = _read("  • 01:20 – La noche en 24 horas: Programa de debate y actualidad.\n"
                     "  • 03:55 – Noticias 24 horas: Programa que informa de la actualidad en bloques de noticias.\n",
                     ZoneInfo("Europe/Madrid"))

    assert [(p.title, p.description) for p in schedule.programmes] == [
        ("La noche en 24 horas", "Programa de debate y actualidad"),
        ("Noticias 24 horas", "Programa que informa de la actualidad en bloques de noticias")]


def test_24_hours_in_a_name_is_no_running_time() -> None:
    assert (split_title("Noticias 24 horas").title, split_title("Noticias 24 horas").duration) == (
        "Noticias 24 horas", None)


def test_a_name_an_article_quotes_is_the_title_whole() -> None:
    schedule = _read("Su ITALIA UNO, alle 21.20, verrà trasmesso “Mission: Impossible V – Rogue Nation”. Ethan Hunt.\n")

    assert [p.title for p in schedule.programmes] == ["Mission: Impossible V – Rogue Nation"]


@pytest.mark.parametrize("text, title", [
    ("Vikings avec Alex Høgh Andersen, Marco Ilsø, Gustaf Skarsgård...", "Vikings"),
    ("Le Chant du Loup d'Antonin Baudry avec François Civil, Omar Sy, Mathieu Kassovitz...", "Le Chant du Loup"),
    ("Léo Matteï, Brigade des mineurs avec Jean-Luc Reichmann, Samira Lachhab, Florence Maury...",
     "Léo Matteï, Brigade des mineurs"),
    ("Musik mit Herz", "Musik mit Herz"),  # no cast list: "mit" is part of the name
])
def test_a_cast_list_after_the_name_leaves_the_title(text: str, title: str) -> None:
    assert split_title(text, "fr").title == title


def test_a_french_age_mark_as_guides_print_it() -> None:
    schedule = _read("CANAL+ - 21h05\nVikings avec Alex Høgh Andersen, Marco Ilsø, Gustaf Skarsgård...\n"
                     "À partir de 12 ans\n", ZoneInfo("Europe/Paris"))

    (programme,) = schedule.programmes
    assert programme.rating is not None
    assert (programme.title, programme.rating.value, programme.rating.system) == ("Vikings", "-12", "CSA")


def test_a_season_finale_mark_leaves_the_title() -> None:
    assert split_title("Celebrity Family Feud (Season Finale)", "en").title == "Celebrity Family Feud"


def test_a_long_title_in_title_case_is_no_prose() -> None:
    schedule = _read("18:20\nHawaii Five-0 : T10 EP4 - Tiny Is the Flower, Yet It Scents the Grasses Around It\n",
                     ZoneInfo("America/Sao_Paulo"))

    (programme,) = schedule.programmes
    assert (programme.title, programme.sub_title, programme.season, programme.episode) == (
        "Hawaii Five-0", "Tiny Is the Flower, Yet It Scents the Grasses Around It", 10, 4)


def test_a_guide_row_of_channel_and_times_takes_its_title_from_the_next_line() -> None:
    schedule = _read("ORF1 Kids 06:00 06:10 06:00 06:10\nMonchhichi (Wh.) ANIMATIONSSERIE Der Streiche-Wettbewerb\n"
                     "ORF1 18:00 18:10 18:00 18:10\nZIB 18 NACHRICHTEN\n", ZoneInfo("Europe/Vienna"))

    assert [(s, t, p.sub_title, p.categories, p.stop.strftime("%H:%M")) for (s, t), p in
            zip(_starts(schedule), schedule.programmes, strict=True)] == [
        ("06:00", "Monchhichi", "Der Streiche-Wettbewerb", ["Animationsserie"], "06:10"),
        ("18:00", "ZIB 18", None, ["Nachrichten"], "18:10")]


def test_a_name_all_in_capitals_keeps_a_genre_word_inside_it() -> None:
    assert split_title("NACHRICHTEN AUS DEM LAND", "de").title == "NACHRICHTEN AUS DEM LAND"


def test_a_channel_and_a_dash_before_the_time_times_the_name_above() -> None:
    # De Stentor, "Vanavond op tv" (tests/data/corpus/dev/nl-destentor-vanavond-2022-02-22): name, then
    # "Channel – HH.MM uur"; "uur" is the clock's word, not a title.
    text = ("Volle Zalen: Joop van den Ende 80 jaar\n\nNPO 2 – 20.26 uur\n\n\n\n"
            "Morgen is het tachtig jaar geleden dat Joop van den Ende werd geboren.\n\n"
            "DNA Onbekend\n\nNPO 1 – 21.21 uur\n\n\n\n"
            "Als de inmiddels 67-jarige Rob geboren wordt, is zijn moeder net achttien.\n")

    schedule = _read(text, ZoneInfo("Europe/Amsterdam"))

    assert [(s, t, p.sub_title) for (s, t), p in zip(_starts(schedule), schedule.programmes, strict=True)] == [
        ("20:26", "Volle Zalen", "Joop van den Ende 80 jaar"), ("21:21", "DNA Onbekend", None)]


def test_a_zone_or_live_mark_after_the_time_names_no_programme() -> None:
    # Arizona Daily Star, "TV best bets" (tests/data/corpus/dev/en-tucson-bestbets-2021-09-07).
    text = ("Major League Baseball: N.Y. Mets at Miami Marlins\nFS1, 6:30pm Live EST\n"
            "NL East foes begin a three-game series at Miami’s LoanDepot Park.\n"
            "America’s Got Talent: “Semifinals 2”\nNBC, 8pm Live EST\n")

    schedule = _read(text, ZoneInfo("America/New_York"))

    assert [(s, t, p.sub_title) for (s, t), p in zip(_starts(schedule), schedule.programmes, strict=True)] == [
        ("18:30", "Major League Baseball", "N.Y. Mets at Miami Marlins"),
        ("20:00", "America’s Got Talent", "Semifinals 2")]
    assert _read("FS1, 6:30pm Live EST\n", ZoneInfo("America/New_York")).programmes == []  # no name above


@pytest.mark.parametrize("note", lexicon().time_notes)
def test_every_time_note_of_the_lexicons_names_no_programme(note: str) -> None:
    # (a name above a time counts once the text does it twice: once may be a headline over its dateline)
    schedule = _read(f"Teletubbies\nTV1, 8.30pm {note}\nTweenies\nTV1, 9.15pm {note}\n")
    assert _starts(schedule) == [("20:30", "Teletubbies"), ("21:15", "Tweenies")]


def test_a_line_saying_what_kind_of_programme_is_its_category_not_its_episode() -> None:
    # Teleman, TVP 1 (tests/data/corpus/dev/pl-teleman-tvp1-2025-02-24): the time glued to the title, then
    # the genre line, then the description.
    text = ("- 20:10Sport\nmagazyn sportowy\nPrzegląd najważniejszych aktualnych wydarzeń sportowych.\n"
            "- 23:00Balans bieli\nprogram religijny\n")

    first, second = _read(text, ZoneInfo("Europe/Warsaw")).programmes

    assert (first.title, first.sub_title, first.categories) == ("Sport", None, ["magazyn sportowy"])
    assert (second.title, second.sub_title, second.categories) == ("Balans bieli", None, ["program religijny"])


def test_a_colon_before_the_first_full_stop_parts_title_from_sub_title() -> None:
    # Teleman, TVP 1 (tests/data/corpus/dev/pl-teleman-tvp1-2025-02-24): the strand, then the play's name,
    # which has a full stop of its own (quoted or not).
    def parts(text: str, lang: str) -> tuple[str, str | None]:
        found = split_title(text, lang)
        return found.title, found.sub_title

    play = "Matki. Pieśni na czas wojny"
    assert parts(f"Teatr Telewizji: {play}", "pl") == ("Teatr Telewizji", play)
    assert parts(f'Postscriptum: "{play}"', "pl") == ("Postscriptum", play)
    assert parts("Жажда странствий. Иордания: путь", "ru") == ("Жажда странствий", "Иордания: путь")


def test_times_joined_by_and_share_the_name_after_the_last() -> None:
    # Radio Kultura (tests/data/corpus/dev/be-radiokultura-2022-04-01): "у 07:05 і 14:05 – “Name”: sub;".
    text = ("Шаноўныя, 1 красавіка, пятніцу, праводзьце з намі! У эфіры канала “Культура”:\n"
            "- у 00:04 – запісы Ганны Герман і Мусліма Магамаева;\n"
            "- у 07:05 і 14:05 – “Музыка тэатра і кіно”: мелодыі Яўгена Глебава і Аляксандра Смольскага;\n"
            "- у 07:55 – “Адным штрыхом”: творчасць Алеся Разанава;\n")

    schedule = _read(text, ZoneInfo("Europe/Minsk"))

    assert sorted((s, t, p.sub_title) for (s, t), p in zip(_starts(schedule), schedule.programmes, strict=True)) == [
        ("00:04", "запісы Ганны Герман і Мусліма Магамаева", None),  # an item naming no name: its words are the title
        ("07:05", "Музыка тэатра і кіно", "мелодыі Яўгена Глебава і Аляксандра Смольскага"),
        ("07:55", "Адным штрыхом", "творчасць Алеся Разанава"),
        ("14:05", "Музыка тэатра і кіно", "мелодыі Яўгена Глебава і Аляксандра Смольскага")]


def test_times_right_after_a_quoted_name_are_its_airings() -> None:
    # Telekritika (tests/data/corpus/dev/uk-telekritika-vybory-2019-07-21): the name, "о", then its times;
    # the next clause's name is another channel's.
    text = ("Також на телеканалі «Україна» буде спеціальний випуск «Сьогодні» о 13:00, 15:00, 19:00 і 23:00, а "
            "телеканал СТБ покаже спецвипуск «Вікна-Новини. Вибори» з 21:30.\n")

    schedule = _read(text, ZoneInfo("Europe/Kyiv"))

    assert sorted(_starts(schedule)) == [("13:00", "Сьогодні"), ("15:00", "Сьогодні"), ("19:00", "Сьогодні"),
                                         ("21:30", "Вікна-Новини"), ("23:00", "Сьогодні")]
    assert [p.sub_title for p in schedule.programmes if p.title == "Вікна-Новини"] == ["Вибори"]  # "Series. Episode"
    # "instead of X at 23:15, Y airs": the name after the time, in the same clause, is the one on air
    instead = _read('Также вместо "Специального корреспондента" в 23:15 в эфир выйдет выпуск программы '
                    '"Вечер с Владимиром Соловьевым".\n', ZoneInfo("Europe/Moscow"))
    assert _starts(instead) == [("23:15", "Вечер с Владимиром Соловьевым")]


@pytest.mark.parametrize("word", lexicon().at_words)
def test_every_at_word_of_the_lexicons_puts_the_times_after_it_to_the_name_before(word: str) -> None:
    schedule = _read(f"Ce soir, «Les Nouvelles» {word} 20:00 et 23:00, puis une longue soirée de musique.\n")
    assert _starts(schedule) == [("20:00", "Les Nouvelles"), ("23:00", "Les Nouvelles")]


def test_a_programme_pages_airings_name_the_page_programme_however_far_below() -> None:
    # TVCatchup, "Channel 4 News" (tests/data/corpus/dev/en-televisioncatchup-c4news-airings-2019-09): the
    # page's heading, then each airing's date and time, a rating widget's figures and its description.
    text = ("Channel 4 News\n\nSeptember 2019\n\nThu 19 Sep, 7pm\n\n4.0 0 x\n"
            "The former Prime Minister Sir John Major sends his lawyer into the Supreme Court to argue that Boris "
            "Johnson was politically motivated in suspending Parliament\n\n"
            "Wed 18 Sep, 7pm\n\n3.0 0 x\nSaudi Arabia displays what it says is the missile and drone wreckage which "
            "proves that the Iranians were involved in attacking the heart of its oil industry at the weekend\n\n"
            "Sun 15 Sep, 6.30pm\n\n4.0 0 x\nChannel 4 News, including sport and weather\n\n"
            "Sat 14 Sep, 6.30pm\n\n4.0 1 x\nChannel 4 News, including sport and weather\n")

    schedule = read_schedule(text.encode(), date(2019, 9, 19), ZoneInfo("Europe/London"))

    assert [(p.start.strftime("%d %H:%M"), p.title) for p in schedule.programmes] == [
        ("14 18:30", "Channel 4 News"), ("15 18:30", "Channel 4 News"), ("18 19:00", "Channel 4 News"),
        ("19 19:00", "Channel 4 News")]


def test_a_tips_list_of_names_in_single_quotes_after_a_lead_in() -> None:
    # ContilNet (tests/data/corpus/dev/pt-contilnet-globo-2022-04-20): "Lead-in: ‘Name’ (time); … e ‘Name’ (time)."
    text = ("As demais regiões assistem a programação normal: ‘Que História É Essa, Porchat’ (00h05); ‘Jornal da "
            "Globo’ (00:50); ‘Conversa com Bial’ (01h40); ‘Corujão’ (02h20) e ‘Hora Um’ (04h).\n")

    schedule = _read(text, ZoneInfo("America/Sao_Paulo"))

    assert _starts(schedule) == [("00:05", "Que História É Essa, Porchat"), ("00:50", "Jornal da Globo"),
                                 ("01:40", "Conversa com Bial"), ("02:20", "Corujão"), ("04:00", "Hora Um")]


def test_a_paragraph_opening_with_a_name_in_capitals_and_ending_with_its_airing() -> None:
    # L'Orient-Le Jour's weekly picks (tests/data/corpus/dev/fr-lorientlejour-programmes-2024-08-30 and -2025-05-09):
    # the name in capitals opens the paragraph; "Channel, time" ends it, or stands on a line below.
    text = ("JUMEAUX MAIS PAS TROP Comédie de Olivier Ducray et Wilfried Méance (2022) avec Ahmed Sylla, Bertrand "
            "Usclat… À 33 ans, Anthony découvre qu’il a un frère jumeau… blanc ! M6, 22h10\n"
            "AD ASTRA Science-fiction (2019) de James Gray avec Brad Pitt, Liv Tyler, Ruth Negga… Roy McBride a "
            "choisi de marcher dans les pas de Clifford, son père, en devenant astronaute à son tour.\n\n"
            "France 5, 22h05\n\n")

    schedule = _read(text, ZoneInfo("Asia/Beirut"))

    assert sorted(_starts(schedule)) == [("22:05", "AD ASTRA"), ("22:10", "JUMEAUX MAIS PAS TROP")]


def test_names_each_above_an_until_line_start_at_the_time_the_text_states_once() -> None:
    # Landeszeitung's prime-time overview (tests/data/corpus/dev/de-landeszeitung-primetime-2020-11-26): the
    # heading says when all start; each channel, name and "bis HH.MM Uhr" stand on lines of their own.
    text = ("TV-Programm am 26.11.2020: Das läuft zur Primetime um 20.15 Uhr\n\n"
            "Das Erste\n\nDer Lissabon-Krimi: Die verlorene Tochter\n\nbis 21.45 Uhr\n\n"
            "Kabel 1\n\nRosins Restaurants – Ein Sternekoch räumt auf!\n\nbis 22.20 Uhr\n\n"
            "Vox\n\nDer Hobbit – Eine unerwartete Reise\n\nbis 00.00 Uhr\n\n"
            "Primetime in Deutschland – warum 20.15 Uhr?\n")

    schedule = read_schedule(text.encode(), date(2020, 11, 26), ZoneInfo("Europe/Berlin"))

    assert [(p.start.strftime("%H:%M"), p.title, p.sub_title, p.stop.strftime("%d %H:%M"))
            for p in schedule.programmes] == [
        ("20:15", "Der Lissabon-Krimi", "Die verlorene Tochter", "26 21:45"),
        ("20:15", "Rosins Restaurants – Ein Sternekoch räumt auf!", None, "26 22:20"),
        ("20:15", "Der Hobbit – Eine unerwartete Reise", None, "27 00:00")]


def test_a_sentence_naming_a_programme_in_single_quotes() -> None:
    # ContilNet (tests/data/corpus/dev/pt-contilnet-globo-2022-04-20): names in ‘…’, times as "18h05".
    schedule = _read("Às 18h05, a novela ‘Além da Ilusão’ entra no ar mais cedo. O que o cliente’s quer.\n",
                     ZoneInfo("America/Sao_Paulo"))
    assert _starts(schedule) == [("18:05", "Além da Ilusão")]


def test_a_range_said_with_a_word_gives_the_stop() -> None:
    # El Espectador (tests/data/corpus/dev/es-elespectador-caracol-2025-12-31): "5:30 a.m. a 9:00 a.m. – Title".
    schedule = _read("5:15 a.m. – Día a Día\n\n5:30 a.m. a 9:00 a.m. – Noticias Caracol\n\n"
                     "12:30 p.m. a 3:30 p.m. – Noticias Caracol\n\n3:30 p.m. a 5:00 p.", ZoneInfo("America/Bogota"))

    assert [(s, t, p.stop.strftime("%H:%M")) for (s, t), p in zip(_starts(schedule), schedule.programmes,
                                                                    strict=True)][1:] == [
        ("05:30", "Noticias Caracol", "09:00"), ("12:30", "Noticias Caracol", "15:30")]


def test_a_line_of_channel_name_and_until_starts_at_the_time_the_text_states_once() -> None:
    # RND's prime-time overview (tests/data/corpus/dev/de-rnd-primetime-2021-10-18): "Channel Title bis HH.MM Uhr".
    text = ("  • Die Sendungen der Primetime um 20.15 Uhr in der Übersicht.\n\nAnzeige\n"
            "Das Erste Der Liebhaber meiner Frau bis 21.45 Uhr\n"
            "ZDF Nord Nord Mord: Sievers und der schwarze Engel bis 21.45 Uhr\n"
            "Unbekannter Sender Etwas bis 22.00 Uhr\n")

    schedule = read_schedule(text.encode(), date(2021, 10, 18), ZoneInfo("Europe/Berlin"))

    assert [(p.start.strftime("%H:%M"), p.title, p.sub_title, p.stop.strftime("%H:%M"))
            for p in schedule.programmes] == [
        ("20:15", "Der Liebhaber meiner Frau", None, "21:45"),
        ("20:15", "Nord Nord Mord", "Sievers und der schwarze Engel", "21:45")]  # (a channel it does not know: no)


@pytest.mark.parametrize("channel", lexicon().channels)
def test_every_channel_name_of_the_lexicons_leaves_an_overviews_title(channel: str) -> None:
    schedule = _read(f"Das läuft um 20.15 Uhr\n{channel} Tatort bis 21.45 Uhr\n{channel} Polizeiruf bis 22.00 Uhr\n")
    assert [p.title for p in schedule.programmes] == ["Tatort", "Polizeiruf"]


def test_a_channel_name_glued_to_a_number_is_no_day_heading() -> None:
    # de-landeszeitung-primetime-2020-11-26: "Pro7" above "The Voice of Germany" was read as 7 December ("pro" is
    # Czech for December in CLDR), which moved the rest of the evening's programmes eleven days on.
    from epg.dayheaders import parse_day_header

    assert parse_day_header("Pro7") is None and parse_day_header("1er mai") is not None
    text = ("Das Erste\n\nDer Lissabon-Krimi: Die verlorene Tochter\n\nbis 21.45 Uhr\n\n"
            "Pro7\n\nThe Voice of Germany\n\nbis 23.25 Uhr\n")
    schedule = read_schedule(("Um 20.15 Uhr ist Primetime im Fernsehen.\n\n" + text).encode(), date(2020, 11, 26),
                             ZoneInfo("Europe/Berlin"))
    assert [(p.title, p.start.date().isoformat()) for p in schedule.programmes] == [
        ("Der Lissabon-Krimi", "2020-11-26"), ("The Voice of Germany", "2020-11-26")]


def test_tips_under_a_weekday_heading_are_on_that_day() -> None:
    # fr-lorientlejour-programmes-2025-05-09: the evening's picks under "Samedi" were put on the Friday.
    text = ("Vendredi\n\nAD ASTRA Science-fiction (2019) de James Gray avec Brad Pitt, Liv Tyler…\n\n"
            "France 5, 22h05\n\n"
            "Samedi\n\nLES ENFANTS DE LA TÉLÉ FÊTENT LES 50 ANS DE FRANCE 2 ! Divertissement. Pour célébrer les 50 "
            "ans de France 2, Les Enfants de la télé sortent le grand jeu.\n\nFrance 2, 22h10\n")
    schedule = read_schedule(text.encode(), date(2025, 5, 9), ZoneInfo("Asia/Beirut"))
    assert [(p.start.date().isoformat(), p.start.strftime("%H:%M")) for p in schedule.programmes] == [
        ("2025-05-09", "22:05"), ("2025-05-10", "22:10")]


def test_a_note_in_lower_case_inside_a_tips_brackets_keeps_the_run_going() -> None:
    # ru-kommersant-tv-by-genre: "(2x2, на англ. яз.)" (in English) after a time was read as the next
    # programme's name, which is no name, and the whole line was dropped.
    schedule = _read('Новости "BBC": 6.00 (2x2, на англ. яз.), 7.00 (2x2), 17.35 (2x2), 17.45 (СПб).\n'
                     'Новости "CBS": 8.00 (2x2, на англ. яз.).\n', ZoneInfo("Europe/Moscow"))

    assert _starts(schedule) == [("06:00", 'Новости "BBC"'), ("07:00", 'Новости "BBC"'), ("08:00", 'Новости "CBS"'),
                                 ("17:35", 'Новости "BBC"'), ("17:45", 'Новости "BBC"')]
    # a clause after the brackets is still the end of the tip, not more of its run
    assert _starts(_read("Vigil (9pm, BBC One) follows the crew, which is tense.\n")) == [("21:00", "Vigil")]


def test_a_match_of_two_quoted_teams_with_their_towns_is_one_title() -> None:
    # kk-baq-qazsport-2022-05-07: "20.00. «Қайрат» (Алматы) пен «Атырау»." kept only the first team; the town in
    # brackets hid that a versus word and the second team followed.
    assert split_title("«Қайрат» (Алматы) пен «Атырау»", "kk").title == "«Қайрат» (Алматы) пен «Атырау»"
    assert split_title("«Oqjetpes» (Kókshetaý) pen «Jeńis» (Astana)", "kk").title == (
        "«Oqjetpes» (Kókshetaý) pen «Jeńis» (Astana)")
    assert split_title("«Сьогодні» (Ост.)").title == "Сьогодні"  # a channel's note after a name: still no match


def test_an_article_naming_matches_of_two_teams_after_a_time_names_each_match_whole() -> None:
    # kk-qzinform-qpl-2025-04-26: each sentence gives a time, then one match or two parted by a comma.
    text = ("Osy kúni 17.00-de «Jetisý» (Taldyqorǵan) men «Elimaı» (Semeı) sheberlik baıqasady.\n"
            "Al 19.00-de «Aqtóbe» men «Ulytaý» (Jezqazǵan), «Astana» men «Atyraý» kezdesedi.\n")

    schedule = _read(text, ZoneInfo("Asia/Almaty"))

    assert sorted(_starts(schedule)) == [("17:00", "«Jetisý» (Taldyqorǵan) men «Elimaı» (Semeı)"),
                                         ("19:00", "«Aqtóbe» men «Ulytaý» (Jezqazǵan)"),
                                         ("19:00", "«Astana» men «Atyraý»")]
    assert all(p.sub_title is None for p in schedule.programmes)


@pytest.mark.parametrize("word", lexicon().versus)
def test_every_versus_word_of_the_lexicons_joins_two_teams_into_one_match(word: str) -> None:
    schedule = _read(f"Bügin 20:00-de «Alfa» {word} «Beta» oınaıdy.\n")
    assert _starts(schedule) == [("20:00", f"«Alfa» {word} «Beta»")]


def test_a_pages_publication_stamp_before_its_first_words_is_no_part_of_a_name() -> None:
    # en-irishexaminer-tvpicks-2021-09-27: the page opens " date 2021-09-27 Today", the first tip's name after the
    # stamp; the name read was "date 2021-09-27 Today".
    schedule = read_schedule(" date 2021-09-27 Today\n\nRTÉ One, 3.30pm\n\nThe Wonder Years\n\nTG4, 6.30pm\n".encode(),
                             date(2021, 9, 27), ZoneInfo("Europe/Dublin"))

    assert _starts(schedule) == [("15:30", "Today"), ("18:30", "The Wonder Years")]
    assert any("publication stamp" in d.message for d in schedule.diagnostics)
    # a stamp alone on its line is set aside too, and "date" opening a sentence is no stamp
    assert _starts(_read(" date 2016-12\n20:00 Tg1\n")) == [("20:00", "Tg1")]
    assert _starts(_read("20:00 date night\n")) == [("20:00", "date night")]


def test_a_time_in_brackets_after_a_match_is_no_town_of_its_team() -> None:
    # kk-vesti-kkfltv-2022-10-01: '"Тұран" мен "Астана" (18:00)': the bracket gives the match's time.
    from epg.prose import mentions

    assert mentions('Бүгін 17:00-де "Тобыл" мен "Шахтер" (17:00) кездеседі.', DAY)[0] == (
        17 * 3600, '"Тобыл" мен "Шахтер"', None)


def test_a_list_item_saying_in_its_own_words_what_is_on_is_the_title_whole() -> None:
    # be-radiokultura-2021-04-23 (a radio channel's day, one "- у TIME – what;" item a line): an item with no
    # quoted name was missed, and of "старонкі твора Оскара Уайльда “Партрэт Дарыяна Грэя”" only the quoted
    # book was kept; a quoted name after a word saying its kind ("пазнавальны праект “Лекторый”") is still the
    # title, as is one the item opens with.
    text = ("- у 02:00 – музыка Джорджа Гершвіна;\n"
            "- у 11:00 і 20:30 – старонкі твора Оскара Уайльда “Партрэт Дарыяна Грэя”;\n"
            "- у 11:30 – Другі скрыпічны канцэрт Сяргея Пракоф’ева;\n"
            "- у 12:10 і 18:10 – “Час на джаз”: Сэм Кук;\n"
            "- у 14:15 і 23:00 – старонкі рамана Івана Мележа “Людзі на балоце” (да 100-годдзя з дня нараджэння "
            "пісьменніка);\n"
            "- у 15:00 і ў 21:30 – пазнавальны праект “Лекторый”: “Творчасць Антоніа Гаудзі”;\n")

    schedule = read_schedule(text.encode(), date(2021, 4, 23), ZoneInfo("Europe/Minsk"))

    assert sorted((p.start.strftime("%H:%M"), p.title, p.sub_title) for p in schedule.programmes) == [
        ("02:00", "музыка Джорджа Гершвіна", None),
        ("11:00", "старонкі твора Оскара Уайльда “Партрэт Дарыяна Грэя”", None),
        ("11:30", "Другі скрыпічны канцэрт Сяргея Пракоф’ева", None),
        ("12:10", "Час на джаз", "Сэм Кук"),
        ("14:15", "старонкі рамана Івана Мележа “Людзі на балоце”", None),
        ("15:00", "Лекторый", "Творчасць Антоніа Гаудзі"),
        ("18:10", "Час на джаз", "Сэм Кук"),
        ("20:30", "старонкі твора Оскара Уайльда “Партрэт Дарыяна Грэя”", None),
        ("21:30", "Лекторый", "Творчасць Антоніа Гаудзі"),
        ("23:00", "старонкі рамана Івана Мележа “Людзі на балоце”", None)]


@pytest.mark.parametrize("word", sorted({*lexicon().descriptors, *lexicon().genres}))
def test_every_kind_word_of_the_lexicons_leaves_a_list_items_quoted_name_the_title(word: str) -> None:
    schedule = _read(f"- у 20:00 – {word} «Назва»;\n")
    assert _starts(schedule) == [("20:00", "Назва")]


def test_season_and_episode_in_words_in_a_closing_bracket_leave_the_title() -> None:
    # en-irishexaminer-tvpicks-2021-09-27: "The Golden Girls (Series One, Episode One)" above "TG4, 6pm".
    schedule = read_schedule(b"The Golden Girls (Series One, Episode One)\n\nTG4, 6pm\n\n"
                             b"The Wonder Years (Series One, Episode One)\n\nTG4, 6.30pm\n",
                             date(2021, 9, 27), ZoneInfo("Europe/Dublin"))

    assert _starts(schedule) == [("18:00", "The Golden Girls"), ("18:30", "The Wonder Years")]
    assert split_title("The Golden Girls (Part Two)", "en").title == "The Golden Girls"
    assert split_title("Doctor Who (Part of the Problem)", "en").title == "Doctor Who (Part of the Problem)"


def test_two_quoted_names_joined_by_and_after_a_time_are_two_programmes() -> None:
    # es-eltelevisero-la1-2026-01-05: "- 15:00 horas - 'Telediario 1' e 'Informativo Territorial'" was one
    # programme titled with both names and their quotes.
    schedule = _read("- 15:00 horas - 'Telediario 1' e 'Informativo Territorial'\n- 15:50 horas - 'Valle Salvaje'\n",
                     ZoneInfo("Europe/Madrid"))

    assert _starts(schedule) == [("15:00", "Telediario 1"), ("15:00", "Informativo Territorial"),
                                 ("15:50", "Valle Salvaje")]
    assert [p.stop.strftime("%H:%M") for p in schedule.programmes[:2]] == ["15:50", "15:50"]



def test_a_pipe_parts_the_title_from_what_kind_of_programme_it_is() -> None:
    # de-schattenblick-tagesschau24-2020-02-22: "05:30 buten un binnen | regionalmagazin (30 Min.)" was skipped as
    # a sentence in lower case: the words after the pipe were counted as the title's.
    [programme] = read_schedule(b"05:30 buten un binnen | regionalmagazin (30 Min.)\n", date(2020, 2, 22),
                                ZoneInfo("Europe/Berlin")).programmes

    assert (programme.title, programme.sub_title, programme.stop.strftime("%H:%M")) == (
        "buten un binnen", None, "06:00")
    assert split_title("«Вечер | Live»").title == "Вечер | Live"  # inside quotes the pipe is the name's


def test_a_repeat_in_brackets_after_a_time_shares_the_name() -> None:
    # uk-suspilne-pershyi-2011-08-24: "О 15:30 (повтор о 21:20) – «Вечори з Віталієм Коротичем»." named only the
    # repeat; an end in brackets ("до 16:00") still names nothing.
    schedule = _read("О 15:30 (повтор о 21:20) – «Вечори з Віталієм Коротичем». Перший випуск програми.\n",
                     ZoneInfo("Europe/Kyiv"))
    assert _starts(schedule) == [("15:30", "Вечори з Віталієм Коротичем"), ("21:20", "Вечори з Віталієм Коротичем")]
    ended = _read("О 15:30 (до 16:00) – «Вечори з Віталієм Коротичем». Перший випуск програми.\n",
                  ZoneInfo("Europe/Kyiv"))
    assert "16:00" not in [start for start, _ in _starts(ended)]


def test_a_number_before_a_word_that_is_no_month_is_no_day() -> None:
    # uk-mrin-tsn-1plus1-2019-08-24: "28 річниці" ("the 28th anniversary") was read as the 28th, another day, and
    # the sentence dropped; the channel's quoted name "1+1" stands between the times and the programme's.
    text = ('До 28 річниці Незалежності України, яку відзначають 24 серпня, о 8:50 та 19:30 "1+1" традиційно '
            'покаже особливий святковий спецвипуск ‒ "ТСН. Незалежність".\n')

    schedule = read_schedule(text.encode(), date(2019, 8, 24), ZoneInfo("Europe/Kyiv"))

    assert [(p.start.strftime("%d %H:%M"), p.title, p.sub_title) for p in schedule.programmes] == [
        ("24 08:50", "ТСН", "Незалежність"), ("24 19:30", "ТСН", "Незалежність")]


@pytest.mark.parametrize("sentence", [
    "Нагадаємо, 26 лютого о 10.00 в ефірі Першого національного «Громадське телебачення».",  # a month's name
    "Бүгін, 2 қазанда 17:00-де «Тобыл» ойнайды.",  # a month's name with its ending ("in October")
    # kk-qzinform-qpl-2025-04-26: a date right before its time, in a language whose months CLDR does not spell;
    # every time of the sentence is that day's.
    "Sondaı-aq 20 cáýirde 15.00-de «Qyzyljar» (Petropavl) men «Qaısar» (Qyzylorda) oınasa, 16.00-de «Ordabasy» "
    "(Shymkent) men «Turan» (Túrkistan), 17.00-de «Qaırat» (Almaty) pen «Tobyl» (Qostanaı) sheberlik baıqasady.",
])
def test_a_day_of_the_month_before_a_months_name_or_right_before_its_time_is_another_days(sentence: str) -> None:
    assert read_schedule(sentence.encode(), date(2022, 10, 1), ZoneInfo("Asia/Almaty")).programmes == []


@pytest.mark.parametrize("channel", lexicon().channels)
def test_every_channel_name_of_the_lexicons_quoted_in_a_sentence_is_the_channel_not_the_programme(
        channel: str) -> None:
    schedule = _read(f'О 20:00 "{channel}" покаже фільм «Тіні забутих предків».\n')
    assert _starts(schedule) == [("20:00", "Тіні забутих предків")]


def test_a_full_stop_inside_a_quoted_name_ends_no_sentence() -> None:
    # uk-dsnews-suspilne-debaty-2019-04-19: the full stop of "Зворотний відлік. Передмова" ended the clause before
    # the name's closing quote, so the name was never found.
    schedule = _read('Спецефир розпочнеться о 18:50 випуском ток-шоу "Зворотний відлік. Передмова".\n'
                     'В 20:40 розпочнеться фільм "Зворотний відлік. Як це було".\n', ZoneInfo("Europe/Kyiv"))

    assert [(p.start.strftime("%H:%M"), p.title, p.sub_title) for p in schedule.programmes] == [
        ("18:50", "Зворотний відлік", "Передмова"), ("20:40", "Зворотний відлік", "Як це було")]


@pytest.mark.parametrize("unit, minutes", [*((u, 120) for u in lexicon().hours), *((u, 90) for u in lexicon().minutes)])
def test_every_duration_unit_of_the_lexicons_gives_the_stop_and_leaves_the_title(unit: str, minutes: int) -> None:
    schedule = _read(f"20:00 Telegiornale ({minutes // 60 if minutes == 120 else minutes} {unit})\n")

    (programme,) = schedule.programmes
    assert programme.title == "Telegiornale"
    assert (programme.stop - programme.start).seconds == minutes * 60


@pytest.mark.parametrize("label", lexicon().labels)
def test_every_label_of_the_lexicons_is_no_title_episode_or_heading(label: str) -> None:
    schedule = _read(f"{label}\n06:30 Telegiornale\n{label}\n08:00 Tg1 Economia\n")

    assert [(p.title, p.sub_title) for p in schedule.programmes] == [("Telegiornale", None), ("Tg1 Economia", None)]


@pytest.mark.parametrize("sentence, matches", [
    ('"Тобыл" өз алаңында "Шахтерді" қабылдаса (17:00), "Қызыл-Жар" мен "Қайрат" (17:00) өзара мықтыны анықтайды.',
     [("17:00", '"Қызыл-Жар" мен "Қайрат"')]),
    ('Сонымен қатар, батыс қазақстандық дербиде "Ақжайық" пен "Ақтөбе" (17:00) кездесуі және "Тұран" мен "Астана" '
     '(18:00) арасында матч өтеді деп жоспарланған.',
     [("17:00", '"Ақжайық" пен "Ақтөбе"'), ("18:00", '"Тұран" мен "Астана"')]),
])
def test_a_match_of_two_teams_right_before_its_time_in_brackets_is_one_programme(
        sentence: str, matches: list[tuple[str, str]]) -> None:
    # kk-vesti-kkfltv-2022-10-01: the name before its time read the second team alone ('Қайрат' at 17:00, beside the
    # match), and a time before a name that has its own time in brackets took that name too. (Read as an article's
    # sentence: on its own, the tip reader reads such a line first.)
    assert [(f"{start // 3600:02}:{start % 3600 // 60:02}", name) for start, name, _ in mentions(
        sentence, date(2022, 10, 1))] == matches


def test_a_quoted_name_right_after_a_word_saying_its_kind_may_stand_further_from_its_time() -> None:
    # fr-telepro-rtbf-deuil-2021-07-20: ten and eleven words stood between the time and the quoted name, more than
    # a sentence's name is looked for, but a kind word ("la série documentaire", "au documentaire") says it is one.
    text = ("Puis en prime time, à 20h05, on change radicalement de registre avec la série documentaire «Échappées "
            "belles» à Avignon, à la place de documentaires sur les naturistes.\n"
            "Le traditionnel «Concert prélude à la Fête nationale» a été annulé. À 20h40 sur La Trois, nous aurons "
            "droit à la place au documentaire «L’Aventure météo», qui revient sur la science.\n"
            "À 21h30, les présentateurs de la chaîne publique reviennent longuement sur la journée avec «Autre "
            "chose».\n")  # (no kind word: too far)

    schedule = _read(text, ZoneInfo("Europe/Brussels"))

    assert _starts(schedule) == [("20:05", "Échappées belles"), ("20:40", "L’Aventure météo")]


@pytest.mark.parametrize("line, title", [
    # be-radiokultura-2022-04-01: the inner quotes closed the name at “Культура”, which was read alone.
    ("- у 07:25 і 23:30 – “З музычнай калекцыі канала “Культура””: запісы беларускага гітарыста Дзяніса Асімовіча;",
     "З музычнай калекцыі канала “Культура”"),
    ("О 20:00 – концерт «Зорі над «Славутичем»» у прямому ефірі.", "Зорі над «Славутичем»"),
])
def test_a_quoted_name_holding_a_name_in_the_same_quotes_is_read_whole(line: str, title: str) -> None:
    schedule = read_schedule((line + "\n").encode(), date(2022, 4, 1), ZoneInfo("Europe/Minsk"))
    assert {p.title for p in schedule.programmes} == {title}


def test_who_presents_a_quoted_name_stands_between_it_and_the_colon_before_its_sub_title() -> None:
    # be-radiokultura-node6745: "з Настассяй Ермалюк" ("with Nastassia Yermaliuk") before the colon hid the sub-title.
    line = ("- у 07:20, 13:15, 18:45 – праект «Свет мастацкага слова» з Настассяй Ермалюк: сустрэча з дзіцячай "
            "пісьменніцай Кацярынай Хадасевіч-Лісавой;\n"
            "- у 20:00 – «Вечаровы канцэрт», які вядзе Алег Вінярскі: песні;\n")  # (a clause, not a host: no sub-title)

    schedule = read_schedule(line.encode(), date(2021, 4, 23), ZoneInfo("Europe/Minsk"))

    assert [(p.start.strftime("%H:%M"), p.title, p.sub_title) for p in schedule.programmes] == [
        *((time, "Свет мастацкага слова", "сустрэча з дзіцячай пісьменніцай Кацярынай Хадасевіч-Лісавой")
          for time in ("07:20", "13:15", "18:45")), ("20:00", "Вечаровы канцэрт", None)]


def test_a_repeat_mark_after_a_tips_run_times_the_same_programme_again() -> None:
    # nl-tvgids-nos-jaaroverzichten-2020-12: "Herhaling:" after the first airing's channels (and a note in brackets)
    # was read as the start of a description, so the repeat was lost.
    text = ("Kersttoespraak koning Willem-Alexander\n"
            "Zoals altijd zendt NOS op 25 december de Kersttoespraak van koning Willem-Alexander uit.\n"
            "Wanneer: Vrijdag 25 december, 13.00-13.08 uur, NPO 1, NPO 2 (met gebarentolk). Herhaling: 18.00-18.08 "
            "uur, NPO 1\n"
            "NOS Oranje Jaaroverzicht 2020\n"
            "Wanneer: Zaterdag 26 december, 20.16-20.52 uur, NPO 2\n")

    schedule = read_schedule(text.encode(), date(2020, 12, 23), ZoneInfo("Europe/Amsterdam"))

    assert [(p.start.strftime("%d %H:%M"), p.title, p.repeat) for p in schedule.programmes] == [
        ("25 13:00", "Kersttoespraak koning Willem-Alexander", False),
        ("25 18:00", "Kersttoespraak koning Willem-Alexander", True),
        ("26 20:16", "NOS Oranje Jaaroverzicht 2020", False)]


@pytest.mark.parametrize("word", lexicon().flags["repeat"])
def test_every_repeat_mark_of_the_lexicons_times_a_tips_programme_again(word: str) -> None:
    schedule = _read(f"Telegiornale (Rai 1, 13.30). {word.strip('()')}: 23.30, Rai 2\n")
    assert [(p.start.strftime("%H:%M"), p.title, p.repeat) for p in schedule.programmes] == [
        ("13:30", "Telegiornale", False), ("23:30", "Telegiornale", True)]


@pytest.mark.parametrize("sentence, found", [
    # ru-bykhov-belarus3-luchenok-2018-08-06
    ("К 80-летию композитора Игоря Лученка 6 августа будет приурочена программа «Легенды белорусской эстрады. Игорь "
     "Лученок», которая выйдет в эфир в 15.45.", [("15:45", "Легенды белорусской эстрады", "Игорь Лученок")]),
    # uk-1927-ukraina-futbol1-2020-10-10: the name after the first time, its clause before the second
    ("Поєдинок можна дивитися на каналах «Україна» і «Футбол 1», починаючи з 21:35. Перед грою там же о 20:30 стартує "
     "студія «Головна команда», яка продовжить ефір о 23:40.",
     [("20:30", "Головна команда", None), ("23:40", "Головна команда", None)]),
    ("О 19:00 – «Новини», а потім серіал о 20:00.", [("19:00", "Новини", None)]),  # another programme's kind word
])
def test_a_quoted_name_then_a_clause_on_it_ending_in_an_at_word_airs_at_the_time_after(
        sentence: str, found: list[tuple[str, str, str | None]]) -> None:
    schedule = read_schedule(sentence.encode(), date(2018, 8, 6), ZoneInfo("Europe/Kyiv"))
    assert [(p.start.strftime("%H:%M"), p.title, p.sub_title) for p in schedule.programmes] == found


@pytest.mark.parametrize("sentence, found", [
    # en-deccanherald-tvtalks-2012-06-08: a paragraph opens with the name, then "airs", the day and the time.
    ("Balika Vadhu airs on June 8 at 8 pm on Colors. Jagya gets a call from the administration staff of SNG.",
     [("20:00", "Balika Vadhu")]),
    ("Rhodes Across India’ airs on June 8 at 1 pm on Discovery Channel. Gary Rhodes and a team take the trip.",
     [("13:00", "Rhodes Across India")]),  # (its opening quote lost)
    ("‘Think Big’ airs  on June 8 at 4 pm.", [("16:00", "Think Big")]),
    ("It airs on June 8 at 4 pm.", []), ("The series airs on June 8 at 4 pm.", []),  # no name
    ("Balika Vadhu airs on June 9 at 8 pm on Colors.", []),  # another day
])
def test_a_sentence_opening_with_a_name_that_airs_at_a_time(sentence: str, found: list[tuple[str, str]]) -> None:
    schedule = read_schedule(sentence.encode(), date(2012, 6, 8), ZoneInfo("Asia/Kolkata"))
    assert _starts(schedule) == found


@pytest.mark.parametrize("word", lexicon().airs_words)
def test_every_airs_word_of_the_lexicons_times_the_name_before_it(word: str) -> None:
    assert _starts(_read(f"Il Commissario Ricciardi {word} tonight at 9.30 pm.\n")) == [
        ("21:30", "Il Commissario Ricciardi")]


@pytest.mark.parametrize("text, found", [
    # fr-tendanceouest-soiree-2011-10-19
    ('Ce soir vous découvrirez sur TF1 "Chase". Les deux premiers épisodes seront diffusés dès 23h40 ce soir.',
     [("23:40", "Chase")]),
    # be-nashaniva-ant-krym-2018-03-17
    ("Беларускі АНТ таксама меў у праграме перадач «Крым». Ён мусіў быць паказаны ў 23:50.", [("23:50", "Крым")]),
    # uk-protv-ictv-2009-02-22: the sentence before names two programmes, neither the one the time is for
    ("Темами стануть сюжети програм «Факти тижня» та «Максимум в Україні». Програма виходитиме щонеділі о 11:30.", []),
])
def test_a_time_whose_sentence_names_nothing_takes_the_one_name_closing_the_sentence_before(
        text: str, found: list[tuple[str, str]]) -> None:
    assert _starts(read_schedule(text.encode(), date(2011, 10, 19), ZoneInfo("Europe/Paris"))) == found


@pytest.mark.parametrize("text, found", [
    # fr-tendanceouest-soiree-2011-10-19
    ("Sur France 2 à 20h35, diffusion du biopic sur Brassens à l'occasion du 30ème anniversaire de sa disparition. "
     '"Brassens, la mauvaise réputation" vous fera revivre la première partie de la vie de l\'artiste.',
     [("20:35", "Brassens, la mauvaise réputation")]),
    ('Sur France 2 à 20h35, un biopic. Puis un débat. "Brassens" vous fera revivre sa vie.', []),  # two sentences on
])
def test_a_time_whose_sentence_names_nothing_takes_the_quoted_name_opening_the_sentence_after(
        text: str, found: list[tuple[str, str]]) -> None:
    assert _starts(read_schedule(text.encode(), date(2011, 10, 19), ZoneInfo("Europe/Paris"))) == found


def test_a_last_time_with_its_name_above_and_nothing_below_takes_the_name() -> None:
    # it-culturaacolori-stasera-2020-04-21: the page ends right below the last time, which was dropped.
    text = ("RETE 4 – Fuori dal coro (Rubrica)\n\n21.25\n\nGli appuntamenti le inchieste i fatti e l’interpretazione "
            "dei temi più caldi dell’attualità politica e di cronaca.\n\n"
            "CANALE 5 – Karol un uomo diventato Papa (Film)\n\n21.21\n")

    assert _starts(_read(text, ROME)) == [("21:21", "Karol un uomo diventato Papa"), ("21:25", "Fuori dal coro")]
    assert _read("Karol un uomo diventato Papa (Film)\n\n21.21\n").programmes == []  # (no name read so before)


@pytest.mark.parametrize("label", lexicon().labels)
def test_every_label_of_the_lexicons_then_a_colon_leaves_the_name_after_it(label: str) -> None:
    # en-inews-tonight-2021-08-30: "Pick of the day: Stephen" above "9pm, ITV" was read as "Pick of the day" with
    # the episode "Stephen".
    assert split_title(f"{label}: Stephen").title == "Stephen"
    assert (split_title(f"{label}: Stephen").sub_title, split_title("Doctor Who: Flux").title) == (None, "Doctor Who")


def test_quoted_names_joined_by_and_before_as_many_times_air_each_at_its_time() -> None:
    # en-mikehughes-tvcolumn-2013-11-09: the two films were read as one title cut at its last bracket.
    schedule = _read("“Dirty Dancing” (1987) and “Grease” (1978), 6:30 and 9 p.m.,\n", ZoneInfo("America/New_York"))

    assert [(p.start.strftime("%H:%M"), p.title, p.year) for p in schedule.programmes] == [
        ("18:30", "Dirty Dancing", 1987), ("21:00", "Grease", 1978)]
    # (an "and" inside one quoted name parts nothing, nor do names unquoted: which "and" parts them is not said)
    assert _starts(_read("“Law and Order” (NBC, 8pm and 10pm)\nPride and Prejudice (BBC One, 8pm and 10pm)\n")) == [
        ("20:00", "Law and Order"), ("20:00", "Pride and Prejudice"), ("22:00", "Law and Order"),
        ("22:00", "Pride and Prejudice")]


def test_an_hour_and_a_marked_time_in_a_tip_after_a_name_quoted_with_its_comma() -> None:
    # en-mikehughes-tvcolumn-2013-11-09: the comma inside the closing quote (American style) kept the name and the
    # times in one piece, and "8 and" was read as the hours of a sentence.
    schedule = _read("“Saturday Night Live,” 8 and 11:29 p.m., NBC. Two reruns air tonight.\n",
                     ZoneInfo("America/New_York"))

    assert _starts(schedule) == [("20:00", "Saturday Night Live"), ("23:29", "Saturday Night Live")]
    assert _read("TONIGHT’S ALTERNATIVE: “The Thundermans,” 6, 9 and 9:30\n").programmes == []  # (no mark: unknown)


def test_two_numbers_that_can_be_no_day_are_a_programmes_name() -> None:
    # en-benjamonsterstv-abc-week-2019-09-23: "9:00 20/20" (ABC's news magazine) had "no letters after the time".
    assert _starts(_read("8:30 Fresh Off the Boat\n9:00 20/20\n9:30 12/10\n")) == [
        ("08:30", "Fresh Off the Boat"), ("09:00", "20/20")]  # ("12/10" may be a day: still no name)


def test_a_title_then_a_colon_and_a_description_of_several_sentences() -> None:
    # es-theobjective-la1-2025-09-26: the first full stop, in the description, was taken for the title's end, and
    # the long head read as prose ("La 1:" is no colon the sub-title rule splits at: a number before it).
    schedule = _read("  • 07:50 – La hora de La 1: Programa de análisis, debate y entrevistas, presidido por el rigor, "
                     "ágil y apartado del ruido y la polarización. Durante cada entrega, se narra la actualidad de "
                     "forma dinámica, entretenida y amena, con vocación de servicio público.\n",
                     ZoneInfo("Europe/Madrid"))

    (programme,) = schedule.programmes
    assert (programme.title, programme.sub_title) == ("La hora de La 1", None)
    assert programme.description is not None and programme.description.startswith("Programa de análisis")


def test_a_tip_after_a_columns_label_in_capitals_with_a_quoted_name_and_its_kind() -> None:
    # en-mikehughes-tvcolumn-2013-11-09: the label in capitals was read into the title, and the name, a comma and a
    # bare time were taken for a dateline ("Москва, 14:35 — …", which quotes no name).
    schedule = _read("TONIGHT’S MIGHT-SEE: “Miss Universe” pageant, 9-11 p.m.,\n", ZoneInfo("America/New_York"))

    assert [(p.start.strftime("%H:%M"), p.stop.strftime("%H:%M"), p.title, p.sub_title, p.description)
            for p in schedule.programmes] == [("21:00", "23:00", "Miss Universe", None, "pageant")]
    assert _read("Москва, 14:35 — в Кремле прошло заседание.\n").programmes == []
