"""A fixed guide for golden-file tests of every feed: the founding example plus hostile text."""

from __future__ import annotations

from datetime import UTC, datetime

from epg.models import Channel, ChannelGuide, Guide, Programme, Rating

MODIFIED = datetime(2022, 1, 6, 12, 0, tzinfo=UTC)
MSK = Channel(id="bigasia.ru", name="Большая Азия", tz="Europe/Moscow", lang="ru", number="7",
              url="https://bigasia.ru")


def _p(n: int, start: str, stop: str, title: str, **fields: object) -> Programme:
    return Programme(id=f"00000000-0000-4000-8000-{n:012d}", start=datetime.fromisoformat(start),
                     stop=datetime.fromisoformat(stop), title=title, modified=MODIFIED, **fields)  # type: ignore[arg-type]


RU12 = Rating(system="RU", value="12+", min_age=12)

PROGRAMMES = [
    _p(1, "2022-01-07T16:55:00+03:00", "2022-01-07T17:00:00+03:00", "История дракона", rating=RU12, line=15),
    _p(2, "2022-01-07T17:00:00+03:00", "2022-01-07T17:15:00+03:00", "Китайская панорама", rating=RU12, line=16),
    _p(3, "2022-01-07T17:15:00+03:00", "2022-01-07T18:00:00+03:00", "Жажда странствий", sub_title="Иордания",
       rating=RU12, line=17),
    _p(4, "2022-01-07T18:00:00+03:00", "2022-01-07T19:00:00+03:00", "Новости", rating=RU12, line=18,
       stop_estimated=True),
    _p(5, "2022-01-07T19:00:00+03:00", "2022-01-07T21:00:00+03:00", "Ирония судьбы, или С лёгким паром!",
       categories=["Художественный фильм"], year=1975, country="СССР", repeat=True,
       rating=Rating(system="RU", value="12+", min_age=12), sequence=2),
    _p(6, "2022-01-07T21:00:00+03:00", "2022-01-07T22:00:00+03:00", "Метод", season=2, episode=3,
       categories=["Телесериал"], premiere=True, rating=Rating(system="RU", value="18+", min_age=18)),
    _p(7, "2022-01-07T22:00:00+03:00", "2022-01-08T00:30:00+03:00", "Футбол. Лига чемпионов", live=True,
       subtitles=True, description="Трансляция из Мадрида.\nКомментирует: «Иванов & Петров» <в студии>"),
    _p(8, "2022-01-08T00:30:00+03:00", "2022-01-08T01:00:00+03:00",
       "Comma, semicolon; backslash \\ and a very long Cyrillic title: Приключения Электроника в стране "
       "бесконечных понедельников и коротких пятниц 📺",
       sub_title="line one\nline two", rating=Rating(system="VCHIP", value="TV-14", min_age=14)),
    _p(9, "2022-01-08T01:00:00+03:00", "2022-01-08T01:25:00+03:00", "Смешарики", sub_title="Начало",
       categories=["Мультсериал"], season=1, episode=1, premiere=True,
       rating=Rating(system="RU", value="0+", min_age=0)),
]

GUIDE = Guide(channels=[ChannelGuide(channel=MSK, programmes=PROGRAMMES)])

#: A channel in a zone with daylight saving time, for the nights it switches.
BERLIN = Channel(id="daserste.de", name="Das Erste", tz="Europe/Berlin", lang="de", number="1",
                 icon="https://example.org/logos/daserste.png")


def _b(n: int, start: str, stop: str, title: str, **fields: object) -> Programme:
    return _p(100 + n, start, stop, title, **fields)


BERLIN_PROGRAMMES = [
    # 2022-03-27: at 02:00 CET the clocks jump to 03:00 CEST.
    _b(1, "2022-03-26T23:15:00+01:00", "2022-03-27T00:45:00+01:00", "Tagesthemen", categories=["Nachrichten"]),
    _b(2, "2022-03-27T00:45:00+01:00", "2022-03-27T03:30:00+02:00", 'Tatort: "Kalter Engel"; Teil 1, 2 \\ 3',
       categories=["Spielfilm"], year=2013, country="Deutschland", rating=Rating(system="FSK", value="FSK 12",
                                                                                   min_age=12)),
    _b(3, "2022-03-27T03:30:00+02:00", "2022-03-27T05:00:00+02:00", "Sportschau", live=True,
       description="Fußball-Bundesliga, 27. Spieltag\nZusammenfassung"),
    # 2022-10-30: at 03:00 CEST the clocks go back to 02:00 CET; 02:00-03:00 happens twice.
    _b(4, "2022-10-30T01:30:00+02:00", "2022-10-30T02:30:00+01:00", "Die lange Nacht", sub_title="Teil 1",
       description="Runs across the switch: two hours long, though the wall clock moves only one."),
    _b(5, "2022-10-30T02:30:00+01:00", "2022-10-30T04:00:00+01:00", "Die lange Nacht", sub_title="Teil 2",
       description="Starts in the repeated hour (the second 02:30)."),
    _b(6, "2022-10-30T23:30:00+01:00", "2022-10-31T00:15:00+01:00", "Nachtmagazin", repeat=True),
]
BERLIN_GUIDE = Guide(channels=[ChannelGuide(channel=BERLIN, programmes=BERLIN_PROGRAMMES)])
