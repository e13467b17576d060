"""Migrations bring an existing database forward without losing what it holds."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from epg import migrations
from epg.models import MAX_PROGRAMME_LENGTH
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


def test_uploads_move_out_of_revisions_byte_for_byte(store_url: str) -> None:
    store = Store(store_url)
    migrations.upgrade(store.engine, "0002")
    raw = "18:00 Новости\r\n".encode("cp1251") + b"\xff"
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO channels (id, name, tz, lang, day_start, sources, max_gap_minutes, block_on_warnings,"
            " created, shift_hours) VALUES ('bigasia.ru', 'BA', 'Europe/Moscow', 'ru', 300, '[\"text\"]', 180,"
            " false, '2022-01-01 00:00:00', 0)")
        conn.execute(text("INSERT INTO revisions (channel_id, day, source, number, author, created, content_type,"
                          " raw, diagnostics) VALUES ('bigasia.ru', '2022-01-07', 'text', 1, 'op',"
                          " '2022-01-01 00:00:00', 'text/plain', :raw, '[]')"), {"raw": raw})
        # Rows pointing at the revision: SQLite rebuilds the table under them.
        conn.exec_driver_sql(
            "INSERT INTO programmes (revision_id, id, sequence, modified, start, stop, stop_estimated, title,"
            " categories, premiere, live, repeat, subtitles) VALUES (1, 'p1', 0, '2022-01-01 00:00:00',"
            " '2022-01-07 15:00:00', '2022-01-07 16:00:00', false, 'Новости', '[]', false, false, false, false)")
        conn.exec_driver_sql("INSERT INTO days (channel_id, day, source, revision_id, updated) VALUES"
                             " ('bigasia.ru', '2022-01-07', 'text', 1, '2022-01-01 00:00:00')")
    store.create_schema()
    (revision,) = store.history("bigasia.ru", date(2022, 1, 7))
    assert store.raw_input(revision.id) == raw
    assert store.get_day(store.get_channel("bigasia.ru"), date(2022, 1, 7)).programmes[0].title == "Новости"
    assert revision.content_type == "text/plain" and revision.upload_id is not None
    store.close()


def test_a_multi_day_upload_is_kept_once(store: Store) -> None:
    service = Service(store, clock=Clock())
    service.add_channel(BIGASIA)
    text_ = "Пятница, 7 января\n18:00 Новости\nСуббота, 8 января\n18:00 Вести\n".encode()
    published = service.publish_text("bigasia.ru", date(2022, 1, 7), text_, principal=None)
    uploads = {g.revision.upload_id for g in published.grids if g.revision}
    assert len(published.grids) == 2 and len(uploads) == 1
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM uploads")).scalar() == 1


def test_sqlite_schema_changes_roll_back_with_their_transaction(sqlite_store: Store) -> None:
    """Regression: pysqlite ran DDL outside transactions, so a failed migration left half a schema."""
    with pytest.raises(RuntimeError), sqlite_store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
        raise RuntimeError("fail after the DDL")
    assert "scratch" not in inspect(sqlite_store.engine).get_table_names()


def _published_then_downgraded(store_url: str, text: bytes, revision: str) -> tuple[Store, Service]:
    """A store holding ``text`` published for BIGASIA on 2022-01-07, then taken down to ``revision``."""
    from alembic import command

    store = Store(store_url)
    store.create_schema()
    service = Service(store, clock=Clock())
    service.add_channel(BIGASIA)
    service.publish_text("bigasia.ru", date(2022, 1, 7), text, principal=None)
    command.downgrade(migrations.config(store.engine), revision)
    return store, service


def test_every_migration_can_be_undone_and_redone(store_url: str) -> None:
    store, _ = _published_then_downgraded(store_url, b"18:00 News\n", "0001")
    assert "uploads" not in inspect(store.engine).get_table_names()
    store.create_schema()
    (revision,) = store.history("bigasia.ru", date(2022, 1, 7))
    assert store.raw_input(revision.id) == b"18:00 News\n"
    store.close()


def test_search_finds_what_is_published_after_the_migrations_are_undone_and_redone(store_url: str) -> None:
    # Regression: downgrading 0011 rebuilt SQLite's programmes table and dropped its full-text triggers, so
    # after upgrading again nothing newly published was found by search.
    store, service = _published_then_downgraded(store_url, b"18:00 Before\n", "0006")
    store.create_schema()
    many = "".join(f"{5 + i // 12:02d}:{i % 12 * 5:02d} After {i}\n" for i in range(150))  # a bulk publish
    service.publish_text("bigasia.ru", date(2022, 1, 8), many.encode(), principal=None)
    service.publish_text("bigasia.ru", date(2022, 1, 9), b"18:00 Alone\n", principal=None)

    def found(word: str) -> int:
        return len(store.search(word, [BIGASIA], None, None, limit=500))

    assert (found("before"), found("after"), found("alone")) == (1, 150, 1)
    store.close()


def test_programmes_longer_than_a_day_are_cut_to_one_when_upgrading(store_url: str) -> None:
    """0004 bounds programme length: a 30-hour programme an older version stored now stops after 24 hours."""
    store = Store(store_url)
    migrations.upgrade(store.engine, "0003")
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO channels (id, name, tz, lang, day_start, sources, max_gap_minutes, block_on_warnings,"
            " created, shift_hours) VALUES ('bigasia.ru', 'BA', 'UTC', 'ru', 0, '[\"text\"]', 180,"
            " false, '2022-01-01 00:00:00', 0)")
        conn.exec_driver_sql("INSERT INTO uploads (created, content_type, size, sha256, raw) VALUES"
                             " ('2022-01-01 00:00:00', 'text/plain', 0, '', '')")
        conn.exec_driver_sql("INSERT INTO revisions (channel_id, day, source, number, created, upload_id,"
                             " diagnostics) VALUES ('bigasia.ru', '2022-01-07', 'text', 1, '2022-01-01 00:00:00',"
                             " 1, '[]')")
        for pk, start, stop in ((1, "2022-01-07 06:00:00", "2022-01-08 12:00:00"),
                                (2, "2022-01-08 12:00:00", "2022-01-08 13:00:00")):
            conn.exec_driver_sql(
                "INSERT INTO programmes (pk, revision_id, id, sequence, modified, start, stop, stop_estimated,"
                " title, categories, premiere, live, repeat, subtitles) VALUES"
                f" ({pk}, 1, 'p{pk}', 0, '2022-01-01 00:00:00', '{start}', '{stop}', false, 'T{pk}', '[]',"
                " false, false, false, false)")
        conn.exec_driver_sql("INSERT INTO days (channel_id, day, source, revision_id, updated) VALUES"
                             " ('bigasia.ru', '2022-01-07', 'text', 1, '2022-01-01 00:00:00')")
    store.create_schema()
    long_one, short_one = store.get_day(store.get_channel("bigasia.ru"), date(2022, 1, 7)).programmes
    assert long_one.stop - long_one.start == MAX_PROGRAMME_LENGTH
    assert short_one.stop - short_one.start == timedelta(hours=1)
    assert "ix_programmes_start_pk" in {i["name"] for i in inspect(store.engine).get_indexes("programmes")}
    store.close()


def test_channels_keep_their_data_and_gain_no_aliases_when_upgrading(store_url: str) -> None:
    """0006 adds channel aliases: existing channels keep everything and have none; downgrading drops them."""
    store = Store(store_url)
    migrations.upgrade(store.engine, "0005")
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO channels (id, name, tz, lang, day_start, sources, max_gap_minutes, block_on_warnings,"
            " created, shift_hours) VALUES ('bigasia.ru', 'Большая Азия', 'Europe/Moscow', 'ru', 300,"
            " '[\"text\"]', 180, false, '2022-01-01 00:00:00', 0)")
    store.create_schema()
    service = Service(store, clock=Clock())
    channel = service.channel("bigasia.ru")
    assert (channel.name, channel.aliases, channel.sources) == ("Большая Азия", [], ["text"])
    service.change_aliases("bigasia.ru", add=["Big Asia"])
    service.publish_text("bigasia.ru", date(2022, 1, 7), b"18:00 News\n", principal=None)
    from alembic import command

    command.downgrade(migrations.config(store.engine), "0005")
    assert "aliases" not in {c["name"] for c in inspect(store.engine).get_columns("channels")}
    store.create_schema()
    assert service.channel("bigasia.ru").aliases == []  # the column came back empty
    assert service.day("bigasia.ru", date(2022, 1, 7)).programmes[0].title == "News"
    store.close()


def test_the_newest_version_file_is_alembics_head() -> None:
    """``migrations.head`` reads the head off the file names (so a current database needs no Alembic): it must
    agree with Alembic's own reading of the chain."""
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(migrations.config(None)).get_current_head() == migrations.head()  # type: ignore[arg-type]


def test_a_database_at_the_newest_revision_is_opened_without_loading_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    Store(url).create_schema()
    probe = ("import sys; from epg.store import Store; Store(sys.argv[1]).create_schema(); "
             "print('alembic' in sys.modules)")

    loaded = subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True, check=True)

    assert loaded.stdout.strip() == "False"


def test_programmes_and_channels_gain_empty_details_when_upgrading_and_lose_only_them_when_downgrading(
        store_url: str) -> None:
    """0007 adds the details an imported guide carries (issue 12): rows stored before have none and read as
    before; downgrading drops the details and keeps every programme."""
    from feeds.xmltv import write_xmltv
    from feeds.xmltv_reader import read_xmltv

    store = Store(store_url)
    migrations.upgrade(store.engine, "0006")
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO channels (id, name, tz, lang, day_start, sources, max_gap_minutes, block_on_warnings,"
            " created, shift_hours, aliases) VALUES ('bigasia.ru', 'Большая Азия', 'Europe/Moscow', 'ru', 300,"
            " '[\"text\"]', 180, false, '2022-01-01 00:00:00', 0, '[]')")
    store.create_schema()
    service = Service(store, clock=Clock())
    assert service.channel("bigasia.ru").details is None
    service.publish_text("bigasia.ru", date(2022, 1, 7), b"18:00 News\n", principal=None)
    guide = (b'<tv><channel id="film.example.com"><display-name lang="en">Films</display-name></channel>'
             b'<programme start="20220107180000 +0000" stop="20220107200000 +0000" channel="film.example.com">'
             b'<title lang="en">Heat</title><title lang="de">Heat (de)</title>'
             b'<image type="poster">https://example.com/heat.jpg</image></programme></tv>')
    found = read_xmltv(guide)
    service.import_guide(found.channels, found.programmes, found.repairs, raw=guide, principal=None)
    [film] = service.day("film.example.com", date(2022, 1, 7)).programmes
    assert film.details is not None and film.details.images[0].url == "https://example.com/heat.jpg"
    assert service.day("bigasia.ru", date(2022, 1, 7)).programmes[0].details is None
    from alembic import command

    command.downgrade(migrations.config(store.engine), "0006")
    assert "details" not in {c["name"] for c in inspect(store.engine).get_columns("programmes")}
    assert "details" not in {c["name"] for c in inspect(store.engine).get_columns("channels")}
    store.create_schema()
    [film] = service.day("film.example.com", date(2022, 1, 7)).programmes
    assert (film.title, film.details) == ("Heat", None)
    written = write_xmltv(service.guide())
    assert b"<title lang=\"en\">Heat</title>" in written and b"<image" not in written
    assert service.day("bigasia.ru", date(2022, 1, 7)).programmes[0].title == "News"
    store.close()


def test_merged_days_come_with_0011_and_go_with_it_leaving_each_source_as_it_was(store_url: str) -> None:
    """0011 adds where a merged day's programmes came from (issue 12): days stored before keep showing their
    best source until a source publishes them again; downgrading drops the merges, never a source's revision."""
    from tests.test_merge import GUIDE, TEXT, import_guide

    store = Store(store_url)
    migrations.upgrade(store.engine, "0010")
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO channels (id, id_key, name, tz, lang, day_start, sources, max_gap_minutes,"
            " block_on_warnings, created, shift_hours, aliases) VALUES ('bigasia.ru', 'bigasia.ru', 'Большая Азия',"
            " 'Europe/Moscow', 'ru', 300, '[\"text\", \"xmltv\"]', 180, false, '2022-01-01 00:00:00', 0, '[]')")
    store.create_schema()
    service = Service(store, clock=Clock())
    day = date(2022, 1, 7)
    service.publish_text("bigasia.ru", day, TEXT.encode(), principal=None)
    assert service.day("bigasia.ru", day).programmes[0].provenance is None
    import_guide(service, GUIDE)
    merged = service.day("bigasia.ru", day)
    assert merged.source == "merged" and len(merged.programmes) == 5
    from alembic import command

    command.downgrade(migrations.config(store.engine), "0010")
    assert "provenance" not in {c["name"] for c in inspect(store.engine).get_columns("programmes")}
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM revisions WHERE source = 'merged'").scalar() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM days WHERE source = 'merged'").scalar() == 0
    store.create_schema()  # and up again: the text shows, as before any merge
    shown = service.day("bigasia.ru", day)
    assert (shown.source, [p.title for p in shown.programmes]) == ("text", ["Новости", "Шерлок Холмс", "Погода"])
    assert [r.source for r in service.history("bigasia.ru", day)] == ["text", "xmltv"]
    store.close()
