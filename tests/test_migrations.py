"""Migrations bring an existing database forward without losing what it holds."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect

from epg import migrations
from epg.service import Service
from epg.store import Store
from tests.conftest import BIGASIA, Clock


def test_upgrading_from_the_first_schema_keeps_the_data(store_url: str) -> None:
    store = Store(store_url)
    migrations.upgrade(store.engine, "0001")
    assert "shift_of" not in {c["name"] for c in inspect(store.engine).get_columns("channels")}
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO channels (id, name, tz, lang, day_start, sources, max_gap_minutes, block_on_warnings,"
            " created) VALUES ('bigasia.ru', 'Большая Азия', 'Europe/Moscow', 'ru', 300, '[\"text\"]', 180,"
            " false, '2022-01-01 00:00:00')")
    store.create_schema()
    service = Service(store, clock=Clock())
    assert service.channel("bigasia.ru").name == BIGASIA.name
    assert service.channel("bigasia.ru").shift_hours == 0
    service.publish_text("bigasia.ru", date(2022, 1, 7), b"18:00 News\n", principal=None)
    store.create_schema()  # running it again is harmless
    assert service.day("bigasia.ru", date(2022, 1, 7)).programmes[0].title == "News"
    store.close()
