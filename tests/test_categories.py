"""One category mapping for every feed: what XMLTV files a programme under, JSON and iCal list and filter by.

Regression (issue 15, item 14): XMLTV added Movie/Series/News/Sports for players while JSON and iCal did not,
so a calendar subscription with ``?category=Movie`` found nothing a player showed as a film.
"""

from __future__ import annotations

import json
from datetime import date

import icalendar
from lxml import etree

from epg.categories import category_names
from epg.models import ChannelGuide, Guide, Programme
from epg.schedule import read_schedule
from feeds.ical import filter_programmes, write_ical
from feeds.jsonfeed import write_json
from feeds.xmltv import write_xmltv
from tests.sample_guide import MSK

TEXT = ("06:00 Новости\n"
        "06:30 Х/ф «Ирония судьбы» 12+\n"
        "09:00 Т/с «Метод» (5-я серия) 16+\n"
        "10:00 Футбол. Лига чемпионов. Прямая трансляция\n"
        "12:00 Жажда странствий. Иордания\n")


def _programmes() -> list[Programme]:
    return read_schedule(TEXT, date(2022, 1, 7), MSK.zoneinfo).programmes


def test_every_feed_gives_each_programme_the_same_categories() -> None:
    programmes = _programmes()
    guide = Guide(channels=[ChannelGuide(channel=MSK, programmes=programmes)])

    xmltv = [[c.text for c in p.iter("category")] for p in etree.fromstring(write_xmltv(guide)).iter("programme")]
    as_json = [p["feed_categories"] for p in json.loads(write_json(guide))["channels"][0]["programmes"]]
    ical = [[str(c) for c in e["CATEGORIES"].cats] if "CATEGORIES" in e else []
            for e in icalendar.Calendar.from_ical(write_ical(MSK, programmes)).walk("VEVENT")]

    assert xmltv == as_json == ical
    assert [("News" in c, "Movie" in c, "Series" in c, "Sports" in c) for c in xmltv] == [
        (True, False, False, False), (False, True, False, False), (False, False, True, False),
        (False, False, False, True), (False, False, False, False)]


def test_a_calendar_filtered_by_a_players_category_finds_what_players_file_under_it() -> None:
    programmes = _programmes()

    films = filter_programmes(programmes, category="movie")
    sport = filter_programmes(programmes, category="Sports")

    assert [p.title for p in films] == [programmes[1].title]
    assert [p.title for p in sport] == [programmes[3].title]
    assert all("Movie" in category_names(p) for p in films)
