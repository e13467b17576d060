"""XMLTV as players read it: DTD-valid (lxml and tv_validate_file), read by the Perl tools without a warning,
exact bytes, right times, the categories players classify by."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from epg.categories import classify
from epg.models import Channel, ChannelGuide, Guide, Programme, Rating
from epg.ratings import make_rating
from feeds.xmltv import (
    NO_TITLE,
    assemble,
    channel_xml,
    iter_xmltv,
    programme_xml,
    render_channel_day,
    write_xmltv,
)
from tests.conftest import XMLTV_DTD
from tests.golden import assert_golden
from tests.sample_guide import BERLIN_GUIDE, GUIDE, MSK, PROGRAMMES

DTD_ORDER = ["title", "sub-title", "desc", "credits", "date", "category", "keyword", "language", "orig-language",
             "length", "icon", "url", "country", "episode-num", "video", "audio", "previously-shown", "premiere",
             "last-chance", "new", "subtitles", "rating", "star-rating", "review", "image"]


def validate_dtd(data: bytes) -> None:
    dtd = etree.DTD(str(XMLTV_DTD))
    doc = etree.fromstring(data)
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()


def perl_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one of Debian's xmltv-util tools; it must succeed."""
    tool = shutil.which(name)
    if tool is None:
        pytest.fail(f"{name} is missing: install Debian's xmltv-util (make system-deps)")
    result = subprocess.run([tool, *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def tv_validate(path: Path) -> str:
    """Run Debian's tv_validate_file with the local DTD (without it, it tries the network)."""
    result = perl_tool("tv_validate_file", "--dtd-file", str(XMLTV_DTD), str(path))
    return result.stdout + result.stderr


def tv_validate_keeping_ids(path: Path, source_ids: set[str]) -> list[str]:
    """Run tv_validate_file on a guide whose channel ids came from a source; the one complaint allowed is an
    id that is not DNS-like, as that source wrote it (issue 12: playlists match ids verbatim, so epg keeps them).
    Returns the ids complained about."""
    tool = shutil.which("tv_validate_file")
    if tool is None:
        pytest.fail("tv_validate_file is missing: install Debian's xmltv-util (make system-deps)")
    result = subprocess.run([tool, "--dtd-file", str(XMLTV_DTD), str(path)], capture_output=True, text=True,
                            timeout=300)
    complaints = [line for line in result.stdout.splitlines() if line.startswith("Line ")]
    ids = [m.group(1) for line in complaints if (m := re.search(r"Invalid channel-id '(.*)'$", line))]
    assert len(ids) == len(complaints) and set(ids) <= source_ids, result.stdout + result.stderr
    assert result.returncode == 0 or ids, result.stdout + result.stderr
    return ids


def programme(**fields: object) -> Programme:
    base: dict[str, object] = {"start": datetime.fromisoformat("2022-01-07T21:00:00+03:00"),
                               "stop": datetime.fromisoformat("2022-01-07T22:00:00+03:00"), "title": "Передача"}
    return Programme.model_validate(base | fields)


def element(p: Programme, channel: Channel = MSK) -> etree._Element:
    return etree.fromstring(programme_xml(p, channel))


def one_programme_guide(p: Programme) -> Guide:
    return Guide(channels=[ChannelGuide(channel=MSK, programmes=[p])])


def categories(e: etree._Element) -> list[tuple[str | None, str | None]]:
    return [(c.text, c.get("lang")) for c in e.findall("category")]


MULTI = Guide(channels=[*GUIDE.channels, *BERLIN_GUIDE.channels])


def test_sample_guide_matches_golden_file() -> None:
    assert_golden("guide.xml", write_xmltv(GUIDE))


def test_dst_guide_matches_golden_file() -> None:
    assert_golden("berlin.xml", write_xmltv(BERLIN_GUIDE))


@pytest.mark.parametrize("guide", [GUIDE, BERLIN_GUIDE, MULTI], ids=["moscow", "berlin", "both"])
def test_guides_are_valid_against_the_dtd(guide: Guide) -> None:
    validate_dtd(write_xmltv(guide))


def test_sample_guides_pass_tv_validate_file(tmp_path: Path) -> None:
    path = tmp_path / "guide.xml"
    path.write_bytes(write_xmltv(MULTI))
    assert "Validated ok" in tv_validate(path)


def test_tv_sort_reads_every_programme_without_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "guide.xml"
    path.write_bytes(write_xmltv(MULTI))
    result = perl_tool("tv_sort", str(path))
    assert result.stderr == ""
    sorted_doc = etree.fromstring(result.stdout.encode("utf-8"))
    expected = sum(len(c.programmes) for c in MULTI.channels)
    assert len(sorted_doc.findall("programme")) == expected
    # tv_sort keeps what it read: every title and every rating survive its round trip through Perl.
    assert sorted(p.findtext("title") or "" for p in sorted_doc.findall("programme")) == sorted(
        " ".join(p.title.split()) for c in MULTI.channels for p in c.programmes)


@pytest.mark.parametrize("channel_id,count", [("bigasia.ru", len(PROGRAMMES)),
                                              ("daserste.de", len(BERLIN_GUIDE.channels[0].programmes))])
def test_tv_grep_by_channel_keeps_that_channels_programmes(tmp_path: Path, channel_id: str, count: int) -> None:
    path = tmp_path / "guide.xml"
    path.write_bytes(write_xmltv(MULTI))
    result = perl_tool("tv_grep", "--channel-id", channel_id, str(path))
    assert result.stderr == ""
    found = etree.fromstring(result.stdout.encode("utf-8")).findall("programme")
    assert len(found) == count
    assert {p.get("channel") for p in found} == {channel_id}


def test_times_carry_numeric_offsets_and_every_programme_has_a_stop() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    programmes = doc.findall("programme")
    assert len(programmes) == len(GUIDE.channels[0].programmes)
    assert programmes[0].get("start") == "20220107165500 +0300"
    assert all(p.get("stop") for p in programmes)


def test_times_follow_daylight_saving_in_the_channel_zone() -> None:
    doc = etree.fromstring(write_xmltv(BERLIN_GUIDE))
    spans = [(p.get("start"), p.get("stop")) for p in doc.findall("programme")]
    assert spans[1] == ("20220327004500 +0100", "20220327033000 +0200")  # across the spring switch
    assert spans[3] == ("20221030013000 +0200", "20221030023000 +0100")  # ends in the repeated hour
    assert spans[4] == ("20221030023000 +0100", "20221030040000 +0100")


def test_rating_is_written_the_way_players_read_it() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    rating = doc.find("programme/rating")
    assert rating is not None and rating.get("system") == "RU"
    assert rating.findtext("value") == "12+"


@pytest.mark.parametrize("system,value,written", [
    ("RU", "16", "16+"), ("VCHIP", "TV-MA", "TV-MA"), ("MPA", "PG-13", "PG-13"), ("FSK", "16", "FSK 16"),
    ("CSA", "12", "-12"), ("BBFC", "15", "15")])
def test_every_rating_system_keeps_its_name(system: str, value: str, written: str) -> None:
    rating = element(programme(rating=make_rating(system, value))).find("rating")
    assert rating is not None
    assert (rating.get("system"), rating.findtext("value")) == (system, written)


def test_episode_numbers_in_xmltv_ns_are_zero_based() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    method = next(p for p in doc.findall("programme") if p.findtext("title") == "Метод")
    numbers = {e.get("system"): e.text for e in method.findall("episode-num")}
    assert numbers == {"xmltv_ns": "1.2.", "onscreen": "S02E03"}


@pytest.mark.parametrize("season,episode,expected", [
    (None, 4, {"xmltv_ns": ".3.", "onscreen": "E04"}), (3, None, {"xmltv_ns": "2..", "onscreen": "S03"}),
    (0, None, {}), (None, None, {})])
def test_partial_or_impossible_episode_numbers(season: int | None, episode: int | None,
                                               expected: dict[str, str]) -> None:
    e = element(programme(season=season, episode=episode))
    assert {n.get("system"): n.text for n in e.findall("episode-num")} == expected


def test_the_sample_guide_gets_the_categories_players_classify_by() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    got = {p.findtext("title"): categories(p) for p in doc.findall("programme")}
    assert got["История дракона"] == []
    assert got["Новости"] == [("News", "en")]
    assert got["Ирония судьбы, или С лёгким паром!"] == [("Художественный фильм", "ru"), ("Movie", "en")]
    assert got["Метод"] == [("Телесериал", "ru"), ("Series", "en")]
    assert got["Футбол. Лига чемпионов"] == [("Sports", "en"), ("Live", "en")]
    assert got["Смешарики"] == [("Мультсериал", "ru"), ("Kids", "en")]


@pytest.mark.parametrize("fields,expected", [
    ({"categories": ["Художественный фильм"]}, "Movie"),
    ({"title": "Х/ф Брат"}, "Movie"),
    ({"categories": ["Spielfilm"]}, "Movie"),
    ({"categories": ["Film"]}, "Movie"),
    ({"categories": ["Телесериал"]}, "Series"),
    ({"categories": ["Сериал"], "season": 2}, "Series"),
    ({"title": "Т/с Склифосовский"}, "Series"),
    ({"episode": 5}, "Series"),
    ({"title": "Новости"}, "News"),
    ({"title": "Вести. Местное время"}, "News"),
    ({"title": "Nachrichten"}, "News"),
    ({"title": "News at Ten"}, "News"),
    ({"title": "Футбол. РПЛ. «Спартак» — «Зенит»", "live": True}, "Sports"),
    ({"title": "Хоккей. КХЛ"}, "Sports"),
    ({"title": "Fußball-Bundesliga"}, "Sports"),
    ({"title": "Sportschau"}, "Sports"),
    ({"categories": ["Мультфильм"]}, "Kids"),
    ({"categories": ["Мультсериал"], "season": 1, "episode": 3}, "Kids"),
    ({"title": "Время покажет"}, None),
    ({"title": "Новостройки Москвы"}, None),
    ({"categories": ["Документальный фильм"]}, None),
    ({"title": "Film Club"}, None),
])
def test_classification(fields: dict[str, object], expected: str | None) -> None:
    assert classify(programme(**fields)) == expected


def test_no_duplicate_category_when_the_programme_already_says_it() -> None:
    assert categories(element(programme(categories=["movie"]))) == [("movie", "ru")]
    assert categories(element(programme(title="Новости", categories=["News", "news"]))) == [("News", "ru")]
    assert categories(element(programme(categories=["Live"], live=True))) == [("Live", "ru")]


def test_new_marks_only_the_premiere_of_a_new_series() -> None:
    def flags(**fields: object) -> tuple[bool, bool]:
        e = element(programme(**fields))
        return e.find("premiere") is not None, e.find("new") is not None

    assert flags(categories=["Телесериал"], season=1, episode=1, premiere=True) == (True, True)
    assert flags(categories=["Телесериал"], episode=1, premiere=True) == (True, True)
    assert flags(categories=["Телесериал"], season=2, episode=3, premiere=True) == (True, False)  # new season
    assert flags(categories=["Телесериал"], season=1, episode=1) == (False, False)  # not a premiere
    assert flags(categories=["Художественный фильм"], premiere=True) == (True, False)  # a film, not a show
    assert flags(categories=["Телесериал"], premiere=True) == (True, False)  # which episode is unknown


def test_repeats_are_previously_shown() -> None:
    assert element(programme(repeat=True)).find("previously-shown") is not None
    assert element(programme()).find("previously-shown") is None


def test_year_and_countries() -> None:
    e = element(programme(year=1975, country="СССР"))
    assert e.findtext("date") == "1975"
    assert [(c.text, c.get("lang")) for c in e.findall("country")] == [("СССР", "ru")]
    several = element(programme(country="США, Франция"))
    assert [c.text for c in several.findall("country")] == ["США", "Франция"]


def test_a_programme_with_every_field_keeps_the_dtd_child_order() -> None:
    full = programme(sub_title="Серия", description="Описание", year=2020, categories=["Телесериал"],
                     country="Россия", season=1, episode=1, repeat=True, premiere=True, live=True, subtitles=True,
                     rating=make_rating("RU", "16"))
    tags = [child.tag for child in element(full)]
    assert tags == ["title", "sub-title", "desc", "date", "category", "category", "category", "country",
                    "episode-num", "episode-num", "previously-shown", "premiere", "new", "subtitles", "rating"]
    assert [DTD_ORDER.index(t) for t in tags] == sorted(DTD_ORDER.index(t) for t in tags)
    validate_dtd(write_xmltv(one_programme_guide(full)))


def test_hostile_text_is_escaped_and_read_back_unchanged() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    titles = [p.findtext("title") for p in doc.findall("programme")]
    assert titles == [p.title for p in GUIDE.channels[0].programmes]
    assert doc.findall("programme")[6].findtext("desc") == GUIDE.channels[0].programmes[6].description


def test_control_characters_are_dropped_not_fatal() -> None:
    p = programme(title="Bad\x00\x07 title\x1f\x85\x9f", description="a\x0bb\r\nc\rd", sub_title="\x01")
    data = write_xmltv(one_programme_guide(p))
    validate_dtd(data)
    e = etree.fromstring(data).find("programme")
    assert e is not None
    assert e.findtext("title") == "Bad title"
    assert e.findtext("desc") == "ab\nc\nd"
    assert e.find("sub-title") is None  # nothing left of it: no empty element
    assert re.search(rb"\xc2[\x80-\x9f]", data) is None  # no C1 control left (UTF-8 C2 80..C2 9F)


def test_line_breaks_only_survive_in_descriptions() -> None:
    p = programme(title="Две\nстроки", sub_title="line one\r\nline two", categories=["Док\nументальный"],
                  description="Первая строка.\nВторая строка.")
    e = element(p)
    assert e.findtext("title") == "Две строки"
    assert e.findtext("sub-title") == "line one line two"
    assert e.findtext("category") == "Док ументальный"
    assert e.findtext("desc") == "Первая строка.\nВторая строка."


def test_empty_text_is_not_written_and_a_title_is_never_empty(tmp_path: Path) -> None:
    p = programme(title=" \x00 ", sub_title="  ", description="\n", categories=["", " "], country=" , ")
    data = write_xmltv(one_programme_guide(p))
    e = etree.fromstring(data).find("programme")
    assert e is not None
    assert [child.tag for child in e] == ["title"]
    assert e.findtext("title") == NO_TITLE
    path = tmp_path / "guide.xml"
    path.write_bytes(data)
    assert "Validated ok" in tv_validate(path)


def test_one_element_per_line() -> None:
    for line in write_xmltv(MULTI).decode("utf-8").splitlines()[3:-1]:
        stripped = line.strip()
        opening = stripped.count("<") - stripped.count("</")
        assert opening <= 1, line


def test_programme_xml_is_pure_and_deterministic() -> None:
    for p in PROGRAMMES:
        before = p.model_dump()
        first = programme_xml(p, MSK)
        assert programme_xml(p.model_copy(deep=True), MSK.model_copy(deep=True)) == first
        assert programme_xml(p, MSK) == first
        assert p.model_dump() == before


def test_cached_channel_days_assemble_into_the_same_document() -> None:
    pieces: dict[tuple[str, str], bytes] = {}
    for item in MULTI.channels:
        days = sorted({p.start.astimezone(item.channel.zoneinfo).date() for p in item.programmes})
        for day in days:
            of_day = [p for p in item.programmes if p.start.astimezone(item.channel.zoneinfo).date() == day]
            pieces[(item.channel.id, day.isoformat())] = render_channel_day(item.channel, of_day)
    assembled = b"".join(assemble([c.channel for c in MULTI.channels], pieces.values()))
    assert assembled == write_xmltv(MULTI)


def test_iter_xmltv_takes_a_caching_renderer() -> None:
    cache: dict[str, bytes] = {}
    calls: list[str] = []

    def cached(p: Programme, channel: Channel) -> bytes:
        key = f"{channel.id}/{p.id}/{p.sequence}"
        if key not in cache:
            calls.append(key)
            cache[key] = programme_xml(p, channel)
        return cache[key]

    first = b"".join(iter_xmltv(GUIDE, render=cached))
    second = b"".join(iter_xmltv(GUIDE, render=cached))
    assert first == second == write_xmltv(GUIDE)
    assert len(calls) == len(PROGRAMMES)


_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)  # control characters, breaks, U+FFFE included


@settings(max_examples=200, deadline=None)
@given(title=_ANY_TEXT, sub_title=_ANY_TEXT, description=_ANY_TEXT, categories=st.lists(_ANY_TEXT, max_size=3),
       country=_ANY_TEXT, system=_ANY_TEXT, value=_ANY_TEXT, lang=_ANY_TEXT, name=_ANY_TEXT)
def test_pieces_are_exactly_what_lxml_would_serialize(title: str, sub_title: str, description: str,
                                                       categories: list[str], country: str, system: str,
                                                       value: str, lang: str, name: str) -> None:
    channel = MSK.model_copy(update={"lang": lang, "name": name or "x", "url": description, "icon": title})
    p = programme(title=title, sub_title=sub_title, description=description, categories=categories,
                  country=country, rating=Rating(system=system, value=value), season=2, repeat=True)
    for piece in (programme_xml(p, channel), channel_xml(channel)):
        element = etree.fromstring(piece)  # well-formed whatever the text held
        etree.indent(element, space="  ", level=1)
        assert b"  " + etree.tostring(element, encoding="utf-8") + b"\n" == piece
    validate_dtd(write_xmltv(Guide(channels=[ChannelGuide(channel=channel, programmes=[p])])))


def test_a_channel_whose_language_was_not_given_tags_no_text_with_one() -> None:
    # Issue 12: a language is never invented (the channel's lang used to default to "ru").
    unset = Channel(id="news.example", name="Some News", tz="Europe/London")
    assert unset.lang is None
    london = unset.zoneinfo
    guide = Guide(channels=[ChannelGuide(channel=unset, programmes=[Programme(
        start=datetime(2022, 1, 7, 18, 0, tzinfo=london), stop=datetime(2022, 1, 7, 19, 0, tzinfo=london),
        title="Evening News", sub_title="Headlines")])])
    document = etree.fromstring(write_xmltv(guide))
    assert etree.DTD(str(XMLTV_DTD)).validate(document)
    texts = document.xpath("//title | //sub-title | //display-name")
    assert [t.text for t in texts] == ["Some News", "Evening News", "Headlines"]
    assert all(t.get("lang") is None for t in texts)
    tagged = Guide(channels=[ChannelGuide(channel=unset.model_copy(update={"lang": "en"}),
                                          programmes=guide.channels[0].programmes)])
    assert etree.fromstring(write_xmltv(tagged)).xpath("//title/@lang") == ["en"]
