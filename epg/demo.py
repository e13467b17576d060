"""Demo data, so a newcomer's first ``make run`` shows a working guide with something on now."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from importlib import resources

from epg.errors import NotFound
from epg.models import Channel
from epg.service import Service

#: The founding example: Big Asia's page of 7 January 2022.
FOUNDING_DAY = date(2022, 1, 7)

CHANNELS = [
    Channel(id="bigasia.ru", name="Большая Азия", tz="Europe/Moscow", lang="ru", number="1",
            url="https://bigasia.ru"),
    Channel(id="tv1.demo.epg", name="Демо ТВ", tz="Europe/Moscow", lang="ru", number="2"),
    Channel(id="news24.demo.epg", name="Demo News 24", tz="Europe/London", lang="en", number="3",
            day_start=time(6, 0)),
]

#: (channel id, file, which days): "founding" or each of yesterday, today and tomorrow.
DAYS = [
    ("bigasia.ru", "bigasia-page.txt", "founding"),
    ("bigasia.ru", "bigasia-day.txt", "rolling"),
    ("tv1.demo.epg", "demo-tv-day.txt", "rolling"),
    ("news24.demo.epg", "news-24-day.txt", "rolling"),
]


def demo_text(name: str) -> bytes:
    return resources.files("epg").joinpath("demo", name).read_bytes()


def load_demo(service: Service, today: date | None = None) -> list[str]:
    """Create the demo channels and publish the days they lack; return what was done.

    Idempotent: run it every start and only missing days are published, so
    "today" is always in the guide without piling up revisions.
    """
    done: list[str] = []
    for channel in CHANNELS:
        try:
            service.channel(channel.id)
        except NotFound:
            service.add_channel(channel)
            done.append(f"channel {channel.id}")
    for channel_id, name, which in DAYS:
        channel = service.channel(channel_id)
        local_today = today or datetime.now(channel.zoneinfo).date()
        wanted = [FOUNDING_DAY] if which == "founding" else [local_today + timedelta(days=n) for n in (-1, 0, 1)]
        have = set(service.store.days_of(channel_id))
        for day in wanted:
            if day not in have:
                service.publish_text(channel_id, day, demo_text(name), principal=None)
                done.append(f"{channel_id} {day.isoformat()}")
    return done
