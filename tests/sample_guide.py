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
]

GUIDE = Guide(channels=[ChannelGuide(channel=MSK, programmes=PROGRAMMES)])
