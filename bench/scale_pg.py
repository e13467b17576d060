"""Scale benchmark on PostgreSQL (issue 4): 10,000 channels × 14 days × ~36 programmes (~5 million).

    python -m bench.scale_pg [--channels 10000 --days 14 --per-day 36]
                             [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]

About 25 minutes at the default size on two cores. What it does, in a schema
of its own, ``epg_bench_<pid>`` (dropped at the end, also on Ctrl-C, SIGTERM
or failure; ``--keep`` keeps it for EXPLAIN work):

1. ``Store(url).create_schema()`` (the Alembic migrations) in that schema.
2. Loads deterministic, realistic data (Russian titles, RU age ratings,
   descriptions on about a third, 19 time zones, a DST change inside the
   range) two ways, reported separately:

   - **bulk (COPY)** for all channels but a sample: psycopg ``cursor.copy``
     into ``uploads``, ``revisions``, ``days`` and ``programmes`` with the
     values ``Store.publish`` writes when a channel's whole text is published
     once (one upload per channel, one revision per day, the same uuid5
     programme ids, sequence 0, JSON as SQLAlchemy writes it). Worker processes
     generate the rows; the secondary indexes and foreign keys are dropped
     before and re-created from their own definitions after (as ``pg_restore``
     loads), then ``ANALYZE``. Not a product path: it only fills the database.
   - **publish (Store.publish)** for the sample (default 200 channels), one
     transaction per channel holding all its days, into the already full
     database: the real per-publish rate. A second publish of the same
     channels (two titles changed a day) measures a new revision.

   A self-check reads one bulk and one published channel-day back through
   ``Store.get_day`` and compares them with what was generated.
3. Times the product's queries through the Store and Service API, p50/p99
   over ``--min-runs`` to ``--runs`` runs within ``--budget`` seconds each:
   a channel-day, the channel list, the 3-hour guide grid for all channels,
   a 24-hour XMLTV window for 100 channels, now/next for every channel, and
   full-text search for a common and a rare word (all channels; and 1,000
   channels, which stays under PostgreSQL's 65,535 bind parameters). One more
   call has its SQL statements timed (SQL versus total time), and its slowest
   statement is run again under ``EXPLAIN (ANALYZE, BUFFERS)`` and printed.
4. Exports everything stored as XMLTV to /dev/null in child processes:
   ``Service.guide()`` then ``iter_xmltv`` (the whole guide in memory), and
   the streamed loop of ``epg export`` (``guide([channel])`` per channel into
   ``assemble``) over the first ``--export-channels`` channels, its time
   extrapolated. Peak RSS is the kernel's ``ru_maxrss`` of each child
   (``wait4``, and ``getrusage(RUSAGE_CHILDREN)`` of the process that ran
   it). The children are started by a launcher process forked before
   anything is loaded, because Linux carries a parent's peak RSS into its
   children's ``ru_maxrss``; and they run under an address-space cap (70% of
   the memory available) so an export that does not fit fails with
   MemoryError instead of waking the OOM killer.
5. Prints the machine, the load rates, query latencies, export figures and
   the query plans.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import multiprocessing
import os
import platform
import random
import resource
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time as clock
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import FrameType
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import Engine

from epg.models import Channel, Programme, Rating
from epg.service import Service
from epg.store import ID_NAMESPACE, Store, _channel_values
from epg.tables import channels as channels_table
from epg.tables import days as days_table
from epg.tables import programmes as programmes_table
from epg.tables import revisions as revisions_table
from epg.tables import uploads as uploads_table

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parent.parent
#: The listings start on a Monday; Europe leaves winter time on the 30th, inside the range.
BASE_DAY = date(2025, 3, 24)
#: When everything was published (created, modified, updated).
PUBLISHED = datetime(2025, 3, 20, 9, 0, tzinfo=UTC)
REPUBLISHED = datetime(2025, 3, 21, 9, 0, tzinfo=UTC)
SOURCE = "text"
AUTHOR = "bench"
COMMON_WORD = "новости"
RARE_WORD = "шпицберген"
RARE_SHARE = 1 / 20_000

console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)

# --- deterministic data ---------------------------------------------------------------------------------------------

ZONES = (["Europe/Moscow"] * 8 + [
    "Europe/Kaliningrad", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk",
    "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka",
    "Europe/Minsk", "Asia/Almaty", "Europe/Kyiv", "Asia/Tbilisi", "Europe/Berlin", "Europe/London",
    "America/New_York",
])
BRANDS = ["Первый", "Россия", "НТВ", "Пятница", "Звезда", "Мир", "Спас", "Культура", "Матч", "Карусель", "ТНТ",
          "СТС", "Домашний", "Ю", "Че", "Дом кино", "Кинопоказ", "Ностальгия", "Моя планета", "Время", "Пятый",
          "Рен ТВ", "ТВ-3", "Суббота", "Большая Азия", "Живая природа", "Охота и рыбалка", "Киносерия"]
REGIONS = ["Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург", "Владивосток", "Самара",
           "Омск", "Красноярск", "Иркутск", "Якутск", "Калининград", "Магадан", "Камчатка", "Урал", "Сибирь",
           "Кубань", "Поволжье", "Дальний Восток", "Международный"]

NEWS = ["Новости", "Новости", "Новости", "Новости спорта", "Новости культуры", "Вести", "Вести. Местное время",
        "Время", "Сегодня", "Известия", "Утро России", "Доброе утро", "Погода", "Вести недели"]
SERIES = ["Тайны следствия", "Улицы разбитых фонарей", "След", "Склифосовский", "Морские дьяволы", "Ментовские войны",
          "Сваты", "Кухня", "Универ", "Интерны", "Метод", "Шерлок Холмс", "Глухарь", "Каменская", "Возвращение Мухтара",
          "Солдаты", "Папины дочки", "Воронины", "Обручальное кольцо", "Тихий Дон", "Мастер и Маргарита"]
EPISODES = ["Последний свидетель", "Двойное дно", "Чужие письма", "Старые долги", "Ночной гость", "Мёртвый сезон",
            "Северный ветер", "Игра в прятки", "Наследство", "Фальшивая нота", "Тень прошлого", "Пропавшая невеста"]
FILMS = [("Ирония судьбы, или С лёгким паром!", 1975, "СССР"), ("Москва слезам не верит", 1979, "СССР"),
         ("Бриллиантовая рука", 1968, "СССР"), ("Служебный роман", 1977, "СССР"),
         ("Джентльмены удачи", 1971, "СССР"), ("Кавказская пленница", 1967, "СССР"),
         ("Иван Васильевич меняет профессию", 1973, "СССР"), ("Брат", 1997, "Россия"),
         ("Движение вверх", 2017, "Россия"), ("Легенда №17", 2013, "Россия"), ("Экипаж", 2016, "Россия"),
         ("Титаник", 1997, "США"), ("Форрест Гамп", 1994, "США"), ("Амели", 2001, "Франция"),
         ("Белое солнце пустыни", 1970, "СССР"), ("Любовь и голуби", 1984, "СССР")]
DOCS = ["Жизнь замечательных людей", "Непутёвые заметки", "Моя планета", "Тайны века", "Секретные материалы",
        "Легенды армии", "Россия с высоты птичьего полёта", "Дикая природа Сибири", "Космос: путь к звёздам",
        "Великие реки России", "Код доступа", "История государства Российского"]
KIDS = ["Смешарики", "Маша и Медведь", "Фиксики", "Лунтик", "Барбоскины", "Три кота", "Ну, погоди!",
        "Простоквашино", "Спокойной ночи, малыши!", "Ералаш"]
TALK = ["Пусть говорят", "Время покажет", "Мужское / Женское", "Модный приговор", "Поле чудес",
        "Что? Где? Когда?", "Давай поженимся!", "Жить здорово!", "Контрольная закупка", "60 минут",
        "Андрей Малахов. Прямой эфир", "Своя игра", "Сто к одному", "Играй, гармонь любимая!"]
TEAMS = ["«Спартак»", "«Зенит»", "ЦСКА", "«Локомотив»", "«Динамо»", "«Краснодар»", "«Ростов»", "«Рубин»"]
SPORTS = ["Футбол. РПЛ", "Хоккей. КХЛ", "Биатлон. Кубок мира", "Волейбол. Суперлига", "Баскетбол. Единая лига ВТБ",
          "Теннис. Кубок Кремля", "Фигурное катание. Гран-при", "Бокс. Бой за титул чемпиона мира"]
SENTENCES = [
    "Главные события дня в России и мире.", "Репортажи корреспондентов из регионов страны.",
    "Ведущие обсуждают самые острые темы недели вместе с экспертами.", "В студии — известные артисты и музыканты.",
    "Следователи выходят на след опасного преступника.", "Семейная история, растянувшаяся на три поколения.",
    "Зрителей ждут новые испытания и неожиданные повороты сюжета.", "Фильм снят по мотивам реальных событий.",
    "Герои отправляются в далёкое путешествие на край земли.", "Лучшие моменты прошедшего тура.",
    "Прямая трансляция со стадиона.", "Прогноз погоды на ближайшие дни.", "Рассказ о людях, изменивших историю.",
    "Почему зимой в Сибири так холодно и как с этим живут местные жители?", "Мультфильм для всей семьи.",
    "Ведущий отвечает на вопросы телезрителей в прямом эфире.", "В этом выпуске — старые рецепты русской кухни.",
]
RARE_SENTENCE = "Экспедиция на Шпицберген: полярные станции, белые медведи и вечная мерзлота."
RU_AGES = [("0+", 0), ("6+", 6), ("12+", 12), ("16+", 16), ("18+", 18)]
#: Share of each kind of programme, in percent.
KINDS = ["news"] * 16 + ["series"] * 24 + ["film"] * 8 + ["doc"] * 15 + ["kids"] * 10 + ["talk"] * 20 + ["sport"] * 7


class Item(NamedTuple):
    """One generated programme: the fields a parsed programme has, start and stop in UTC."""

    start: datetime
    stop: datetime
    title: str
    sub_title: str | None
    description: str | None
    categories: list[str]
    rating: tuple[str, int] | None
    season: int | None
    episode: int | None
    premiere: bool
    live: bool
    repeat: bool
    subtitles: bool
    year: int | None
    country: str | None
    line: int


def make_channel(index: int) -> Channel:
    rng = random.Random(f"channel:{index}")
    day_start = rng.choice([time(5, 0)] * 6 + [time(6, 0)] * 3 + [time(0, 0)])
    return Channel(id=f"ch{index:05d}.bench.tv", name=f"{rng.choice(BRANDS)} {rng.choice(REGIONS)}",
                   tz=ZONES[index % len(ZONES)], lang="ru", day_start=day_start, number=str(index + 1),
                   icon=f"https://img.bench.tv/logo/{index}.png" if rng.random() < 0.7 else None)


def _description(rng: random.Random) -> str | None:
    if rng.random() < RARE_SHARE:
        return RARE_SENTENCE + " " + rng.choice(SENTENCES)
    if rng.random() < 0.35:
        return " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
    return None


def _item(rng: random.Random, start: datetime, stop: datetime, line: int) -> Item:
    kind = KINDS[int(rng.random() * len(KINDS))]
    sub_title = season = episode = year = country = None
    categories: list[str] = []
    live = premiere = False
    age = RU_AGES[rng.randint(2, 3)]
    if kind == "news":
        title, categories, live = rng.choice(NEWS), ["Новости"], rng.random() < 0.5
    elif kind == "series":
        title, categories, age = rng.choice(SERIES), ["Телесериал"], RU_AGES[3]
        season, episode = rng.randint(1, 12), rng.randint(1, 40)
        sub_title = rng.choice(EPISODES) if rng.random() < 0.4 else None
        premiere = rng.random() < 0.05
    elif kind == "film":
        title, year, country = rng.choice(FILMS)
        categories, age = ["Художественный фильм"], RU_AGES[rng.randint(1, 4)]
    elif kind == "doc":
        title, categories = rng.choice(DOCS), ["Документальный фильм"]
    elif kind == "kids":
        title, categories, age = rng.choice(KIDS), ["Мультсериал"], RU_AGES[rng.randint(0, 1)]
        episode = rng.randint(1, 200) if rng.random() < 0.5 else None
    elif kind == "talk":
        title = rng.choice(TALK)
        categories = ["Ток-шоу"] if rng.random() < 0.5 else []
    else:
        home, away = rng.sample(TEAMS, 2)
        title, categories, live = f"{rng.choice(SPORTS)}. {home} — {away}", ["Спорт"], rng.random() < 0.7
        age = RU_AGES[0]
    return Item(
        start=start, stop=stop, title=title, sub_title=sub_title, description=_description(rng),
        categories=categories, rating=age if rng.random() < 0.9 else None, season=season, episode=episode,
        premiere=premiere, live=live, repeat=not live and rng.random() < 0.12, subtitles=rng.random() < 0.05,
        year=year, country=country, line=line)


def day_items(channel: Channel, index: int, day: date, per_day: int) -> list[Item]:
    """A broadcast day from ``day_start`` to the next (23 or 25 hours on a DST change), 5-minute grid."""
    rng = random.Random(f"day:{index}:{day.isoformat()}")
    tz = channel.zoneinfo
    first = datetime.combine(day, channel.day_start, tz).astimezone(UTC)
    last = datetime.combine(day + timedelta(days=1), channel.day_start, tz).astimezone(UTC)
    ticks = int((last - first).total_seconds()) // 300
    count = max(2, min(ticks, per_day + rng.randint(-6, 6)))
    cuts = sorted(rng.sample(range(1, ticks), count - 1))
    starts, stops = [0, *cuts], [*cuts, ticks]
    return [_item(rng, first + timedelta(minutes=5 * a), first + timedelta(minutes=5 * b), n + 2)
            for n, (a, b) in enumerate(zip(starts, stops, strict=True))]


def day_text(channel: Channel, day: date, items: Sequence[Item]) -> str:
    """The schedule text an operator would paste for the day (what ``raw`` keeps)."""
    tz = channel.zoneinfo
    lines = [f"{day:%d.%m.%Y}"]
    for it in items:
        rating = f" {it.rating[0]}" if it.rating else ""
        lines.append(f"{it.start.astimezone(tz):%H:%M} {it.title}{rating}")
    return "\n".join(lines) + "\n"


def to_programme(item: Item, tz: ZoneInfo) -> Programme:
    """The Programme the parser would hand to ``Store.publish`` (times in the channel's zone)."""
    return Programme(
        start=item.start.astimezone(tz), stop=item.stop.astimezone(tz), title=item.title, sub_title=item.sub_title,
        description=item.description, categories=list(item.categories),
        rating=Rating(system="RU", value=item.rating[0], min_age=item.rating[1]) if item.rating else None,
        season=item.season, episode=item.episode, premiere=item.premiere, live=item.live, repeat=item.repeat,
        subtitles=item.subtitles, year=item.year, country=item.country, line=item.line)


def programme_id(channel_id: str, day: date, revision_id: int, index: int) -> str:
    """The id ``Store._publish_channel`` gives a programme seen for the first time."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{channel_id}/{day}/{revision_id}/{index}"))


# --- schema and connections -----------------------------------------------------------------------------------------

def schema_url(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}&application_name={schema}"


def drop_schema(admin: Engine, schema: str) -> None:
    """End this run's own sessions (by application_name) and drop its schema."""
    with admin.begin() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": schema})
    with admin.begin() as conn:
        conn.execute(text("SET lock_timeout = '60s'"))
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _worker_signals() -> None:
    """Pool workers die quietly on SIGTERM (Pool.terminate); only the parent turns it into cleanup."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console)


# --- loading --------------------------------------------------------------------------------------------------------

@dataclass
class Load:
    label: str
    channels: int = 0
    revisions: int = 0
    programmes: int = 0
    seconds: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.programmes / self.seconds if self.seconds else 0.0


def add_channels(store: Store, chosen: Sequence[Channel]) -> None:
    with store.engine.begin() as conn:
        for start in range(0, len(chosen), 2000):
            conn.execute(insert(channels_table), [{**_channel_values(c), "created": PUBLISHED}
                                                  for c in chosen[start:start + 2000]])


PROGRAMME_COPY_COLUMNS = ["revision_id", "id", "sequence", "modified", "start", "stop", "stop_estimated", "title",
                          "sub_title", "description", "categories", "rating_system", "rating_value", "min_age",
                          "season", "episode", "premiere", "live", "repeat", "subtitles", "year", "country", "line"]
REVISION_COPY_COLUMNS = ["id", "channel_id", "day", "source", "number", "author", "created", "upload_id",
                         "diagnostics"]
UPLOAD_COPY_COLUMNS = ["id", "created", "author", "content_type", "size", "sha256", "raw"]
DAY_COPY_COLUMNS = ["channel_id", "day", "source", "revision_id", "updated"]
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_PUBLISHED_TEXT = PUBLISHED.isoformat()


def _copy_field(value: object) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _copy_line(values: Sequence[object]) -> str:
    return "\t".join(map(_copy_field, values)) + "\n"


_CATEGORIES_JSON: dict[tuple[str, ...], str] = {}


def programme_copy_values(revision_id: int, pid: str, it: Item) -> tuple[object, ...]:
    """A ``programmes`` row (``PROGRAMME_COPY_COLUMNS``) with the values ``Store.publish`` writes the first time."""
    key = tuple(it.categories)
    categories = _CATEGORIES_JSON.get(key)
    if categories is None:  # as SQLAlchemy's JSON type serializes it
        categories = _CATEGORIES_JSON[key] = json.dumps(it.categories)
    rating = it.rating
    return (revision_id, pid, 0, _PUBLISHED_TEXT, it.start, it.stop, False, it.title, it.sub_title, it.description,
            categories, "RU" if rating else None, rating[0] if rating else None, rating[1] if rating else None,
            it.season, it.episode, it.premiere, it.live, it.repeat, it.subtitles, it.year, it.country, it.line)


class Batch(NamedTuple):
    programmes: bytes
    revisions: bytes
    days: bytes
    uploads: bytes
    channels: int
    programme_count: int


def render_batch(job: tuple[Sequence[int], int, int, int]) -> Batch:
    """COPY text for a run of channels, made in a worker process.

    Like ``Store.publish`` of a channel's whole text: one upload per channel
    (id = position + 1) and one revision per day (ids counted from the
    position too); programme pks come from their sequence.
    """
    indices, days, per_day, position = job
    programme_lines: list[str] = []
    revision_lines: list[str] = []
    day_lines: list[str] = []
    upload_lines: list[str] = []
    for index in indices:
        channel = make_channel(index)
        position += 1
        texts = []
        for offset in range(days):
            day = BASE_DAY + timedelta(days=offset)
            items = day_items(channel, index, day, per_day)
            texts.append(day_text(channel, day, items))
            revision_id = (position - 1) * days + offset + 1
            revision_lines.append(_copy_line((revision_id, channel.id, day, SOURCE, 1, AUTHOR, _PUBLISHED_TEXT,
                                              position, "[]")))
            day_lines.append(_copy_line((channel.id, day, SOURCE, revision_id, _PUBLISHED_TEXT)))
            programme_lines.extend(
                _copy_line(programme_copy_values(revision_id, programme_id(channel.id, day, revision_id, n), it))
                for n, it in enumerate(items))
        raw = "".join(texts).encode("utf-8")
        upload_lines.append(_copy_line((position, _PUBLISHED_TEXT, AUTHOR, "text/plain", len(raw),
                                        hashlib.sha256(raw).hexdigest(), raw)))
    return Batch("".join(programme_lines).encode("utf-8"), "".join(revision_lines).encode("utf-8"),
                 "".join(day_lines).encode("utf-8"), "".join(upload_lines).encode("utf-8"), len(indices),
                 len(programme_lines))


@dataclass
class Deferred:
    """Secondary indexes and foreign keys of the loaded tables, as ``pg_dump`` would re-create them."""

    indexes: list[tuple[str, str]]
    foreign_keys: list[tuple[str, str, str]]


def defer_constraints(cur: Any) -> Deferred:
    tables = ("programmes", "revisions", "days", "uploads")
    # Joined through the catalogs, never by casting names to regclass: PostgreSQL may evaluate such a cast
    # for rows of other schemas (TOAST indexes) before the schema filter, and fail on a fresh database.
    cur.execute("SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = current_schema() AND t.relname = ANY(%s) "
                "AND NOT x.indisprimary AND NOT x.indisunique", (list(tables),))
    indexes = [(r[0], r[1]) for r in cur.fetchall()]
    cur.execute("SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE n.nspname = current_schema() AND c.contype = 'f' AND t.relname = ANY(%s)",
                (list(tables),))
    foreign_keys = [(r[0], r[1], r[2]) for r in cur.fetchall()]
    for table, name, _ in foreign_keys:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    return Deferred(indexes, foreign_keys)


def uncovered_columns() -> list[str]:
    """Columns of the loaded tables this COPY does not fill (they get their defaults): a schema change to review."""
    covered = {"programmes": {"pk", *PROGRAMME_COPY_COLUMNS}, "revisions": set(REVISION_COPY_COLUMNS),
               "days": set(DAY_COPY_COLUMNS), "uploads": set(UPLOAD_COPY_COLUMNS)}
    return [f"{table.name}.{c.name}" for table in (programmes_table, revisions_table, days_table, uploads_table)
            for c in table.c if c.name not in covered[table.name]]


def bulk_load(store: Store, indices: Sequence[int], days: int, per_day: int, batch: int, workers: int) -> Load:
    """COPY every channel in ``indices`` (revisions, days, programmes), then indexes, foreign keys, ANALYZE.

    Worker processes generate the rows and format them as COPY text; this
    process streams them to the server.
    """
    load = Load("bulk (COPY)")
    if not indices:
        return load
    missing = uncovered_columns()
    if missing:
        console.log(f"[yellow]note: the bulk load leaves {', '.join(missing)} to their defaults[/]")
    started = clock.perf_counter()
    add_channels(store, [make_channel(i) for i in indices])
    raw_connection = store.engine.raw_connection()
    jobs = [(indices[first:first + batch], days, per_day, first) for first in range(0, len(indices), batch)]
    try:
        pg: Any = raw_connection.driver_connection
        pg.autocommit = False
        with pg.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            cur.execute("SET maintenance_work_mem = '1GB'")
            deferred = defer_constraints(cur)
        pg.commit()
        copy_started = clock.perf_counter()
        with multiprocessing.get_context("fork").Pool(workers, _worker_signals) as pool, progress() as bar:
            task = bar.add_task("bulk COPY: channels", total=len(indices))
            for done in pool.imap(render_batch, jobs):
                with pg.cursor() as cur:
                    for table, columns, data in (("programmes", PROGRAMME_COPY_COLUMNS, done.programmes),
                                                 ("uploads", UPLOAD_COPY_COLUMNS, done.uploads),
                                                 ("revisions", REVISION_COPY_COLUMNS, done.revisions),
                                                 ("days", DAY_COPY_COLUMNS, done.days)):
                        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                            copy.write(data)
                pg.commit()
                load.programmes += done.programme_count
                bar.advance(task, done.channels)
        load.extra["COPY (generate + copy)"] = clock.perf_counter() - copy_started
        load.channels, load.revisions = len(indices), len(indices) * days
        console.log(f"bulk COPY done: {load.programmes:,} programmes in {load.extra['COPY (generate + copy)']:.1f} s")
        with pg.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('revisions', 'id'), %s)", (load.revisions,))
            cur.execute("SELECT setval(pg_get_serial_sequence('uploads', 'id'), %s)", (load.channels,))
            steps: list[tuple[str, str]] = [(f"index {name}", definition) for name, definition in deferred.indexes]
            steps += [(f"foreign key {name}", f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                      for table, name, definition in deferred.foreign_keys]
            steps.append(("ANALYZE", "ANALYZE"))
            with progress() as bar:
                task = bar.add_task("bulk: indexes, foreign keys, ANALYZE", total=len(steps))
                for label, statement in steps:
                    t0 = clock.perf_counter()
                    cur.execute(statement)
                    pg.commit()
                    load.extra[label] = clock.perf_counter() - t0
                    console.log(f"{label}: {load.extra[label]:.1f} s")
                    bar.advance(task)
    finally:
        raw_connection.close()
    load.seconds = clock.perf_counter() - started
    return load


def publish_sample(store: Store, indices: Sequence[int], days: int, per_day: int, republish: bool) -> Load:
    """``Store.publish`` of each channel's days in one transaction; only the publish call is timed."""
    load = Load("publish, revision 2 (Store.publish)" if republish else "publish (Store.publish)")
    chosen = [make_channel(i) for i in indices]
    if not republish:
        add_channels(store, chosen)
    with progress() as bar:
        task = bar.add_task(f"{load.label}: channels", total=len(chosen))
        for channel, index in zip(chosen, indices, strict=True):
            tz = channel.zoneinfo
            grids: dict[date, Sequence[Programme]] = {}
            texts = []
            for offset in range(days):
                day = BASE_DAY + timedelta(days=offset)
                items = day_items(channel, index, day, per_day)
                if republish:  # an operator corrects two titles a day
                    rng = random.Random(f"fix:{index}:{day}")
                    for n in rng.sample(range(len(items)), 2):
                        items[n] = items[n]._replace(title=items[n].title + " (замена)")
                grids[day] = [to_programme(it, tz) for it in items]
                texts.append(day_text(channel, day, items))
            raw = "".join(texts).encode("utf-8")
            t0 = clock.perf_counter()
            store.publish(channel, grids, raw=raw, content_type="text/plain", source=SOURCE, author=AUTHOR,
                          diagnostics=[], now=REPUBLISHED if republish else PUBLISHED)
            elapsed = clock.perf_counter() - t0
            load.latencies.append(elapsed)
            load.seconds += elapsed
            load.revisions += len(grids)
            load.programmes += sum(len(v) for v in grids.values())
            bar.advance(task)
    load.channels = len(chosen)
    return load


def self_check(store: Store, bulk_index: int | None, published_index: int | None, per_day: int) -> None:
    """What the Store reads back equals what was generated, for one bulk and one published channel-day."""
    day = BASE_DAY + timedelta(days=1)
    ignore = {"id", "sequence", "modified"}
    for index in (bulk_index, published_index):
        if index is None:
            continue
        channel = make_channel(index)
        expected = [to_programme(it, channel.zoneinfo).model_dump(exclude=ignore)
                    for it in day_items(channel, index, day, per_day)]
        grid = store.get_day(channel, day)
        got = [p.model_dump(exclude=ignore) for p in grid.programmes]
        if got != expected:
            raise SystemExit(f"self-check failed: {channel.id} {day} reads back differently from what was loaded")
        if index == bulk_index and grid.revision is not None:
            want = [programme_id(channel.id, day, grid.revision.id, n) for n in range(len(grid.programmes))]
            if [p.id for p in grid.programmes] != want or any(p.modified != PUBLISHED for p in grid.programmes):
                raise SystemExit(f"self-check failed: ids or stamps of {channel.id} {day} differ from the store's")
    console.log("self-check: bulk and published channel-days read back as generated")


# --- queries --------------------------------------------------------------------------------------------------------

@dataclass
class Timing:
    name: str
    what: str
    seconds: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    error: str | None = None
    plans: list[tuple[float, str, str]] = field(default_factory=list)
    #: One more call with every statement timed: (call seconds, seconds in execute(), statements).
    recorded: tuple[float, float, int] | None = None

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Recorder:
    """Every SQL statement the engine runs while ``on``: (seconds, statement, parameters)."""

    def __init__(self, engine: Engine) -> None:
        self.on = False
        self.statements: list[tuple[float, str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, _conn: Any, _cursor: Any, _statement: str, _params: Any, context: Any, _many: bool) -> None:
        if self.on and context is not None:
            context._bench_started = clock.perf_counter()

    def _after(self, _conn: Any, _cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        started = getattr(context, "_bench_started", None)
        if self.on and started is not None and not many:
            self.statements.append((clock.perf_counter() - started, statement, params))


def shorten(line: str, width: int = 220) -> str:
    return line if len(line) <= width else line[:width] + f" … (+{len(line) - width} chars)"


def explain(store: Store, statement: str, params: Any) -> str:
    raw_connection = store.engine.raw_connection()
    try:
        pg: Any = raw_connection.driver_connection
        with pg.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            plan = "\n".join(shorten(r[0]) for r in cur.fetchall())
        pg.rollback()
    finally:
        raw_connection.close()
    return plan


def measure(store: Store, recorder: Recorder, timing: Timing, call: Callable[[random.Random], int], runs: int,
            min_runs: int, budget: float, seed: str, explain_top: int, bar: Progress) -> Timing:
    """One warm-up call, then timed calls (``min_runs`` to ``runs`` within ``budget`` seconds), then one call
    with its SQL statements timed, whose slowest statements are run again under EXPLAIN ANALYZE."""
    rng = random.Random(seed)
    task = bar.add_task(timing.name, total=runs)
    try:
        call(rng)
        deadline = clock.perf_counter() + budget
        while len(timing.seconds) < runs and (clock.perf_counter() < deadline or len(timing.seconds) < min_runs):
            t0 = clock.perf_counter()
            rows = call(rng)
            timing.seconds.append(clock.perf_counter() - t0)
            timing.rows.append(rows)
            bar.advance(task)
        recorder.statements.clear()
        recorder.on = True
        t0 = clock.perf_counter()
        try:
            call(rng)
        finally:
            recorder.on = False
        timing.recorded = (clock.perf_counter() - t0, sum(s[0] for s in recorder.statements), len(recorder.statements))
        if explain_top:
            seen: set[str] = set()
            for seconds, statement, params in sorted(recorder.statements, key=lambda s: -s[0]):
                shape = statement[:120]
                if shape in seen or len(timing.plans) >= explain_top:
                    continue
                seen.add(shape)
                timing.plans.append((seconds, statement, explain(store, statement, params)))
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a query that fails at this scale is a finding, not a crash
        timing.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    bar.update(task, completed=runs)
    verdict = timing.error or (f"p50 {1000 * statistics.median(timing.seconds):.1f} ms, "
                               f"p99 {1000 * timing.percentile(0.99):.1f} ms, n={len(timing.seconds)}")
    console.log(f"{timing.name}: {verdict}")
    return timing


def run_queries(store: Store, days: int, runs: int, min_runs: int, budget: float, explain_top: int) -> list[Timing]:
    service = Service(store)
    recorder = Recorder(store.engine)
    everyone = store.list_channels()
    lo = datetime.combine(BASE_DAY + timedelta(days=1), time(0), UTC)
    hi = max(lo + timedelta(hours=1), datetime.combine(BASE_DAY + timedelta(days=max(1, days - 2)), time(0), UTC))
    slots = int((hi - lo).total_seconds()) // 300

    def instant(rng: random.Random) -> datetime:
        return lo + timedelta(minutes=5 * rng.randrange(slots))

    def get_day(rng: random.Random) -> int:
        channel = everyone[rng.randrange(len(everyone))]
        return len(store.get_day(channel, BASE_DAY + timedelta(days=rng.randrange(days))).programmes)

    def grid(rng: random.Random) -> int:
        at = instant(rng)
        return sum(map(len, store.programmes_between(everyone, at, at + timedelta(hours=3)).values()))

    def xmltv_window(rng: random.Random) -> int:
        chosen = rng.sample(everyone, min(100, len(everyone)))
        start = datetime.combine(BASE_DAY + timedelta(days=rng.randrange(max(1, days - 1))), time(0), UTC)
        return sum(map(len, store.programmes_between(chosen, start, start + timedelta(days=1)).values()))

    def now_next(rng: random.Random) -> int:
        return sum(1 for n in service.now_next(instant(rng)) if n.now is not None)

    def list_channels(_rng: random.Random) -> int:
        return len(store.list_channels())

    def search(word: str, upcoming: bool, among: int = 0) -> Callable[[random.Random], int]:
        def call(rng: random.Random) -> int:
            chosen = rng.sample(everyone, among) if among else everyone
            return len(store.search(word, chosen, instant(rng) if upcoming else None, None))
        return call

    some = min(1000, len(everyone))

    kinds: list[tuple[str, str, Callable[[random.Random], int]]] = [
        ("get_day", "Store.get_day: one channel-day", get_day),
        ("list_channels", f"Store.list_channels ({len(everyone):,} channels)", list_channels),
        ("grid 3 h, all", f"Store.programmes_between: {len(everyone):,} channels, 3 h", grid),
        ("xmltv 24 h, 100 ch", "Store.programmes_between: 100 channels, 24 h (UTC day)", xmltv_window),
        ("now/next, all", f"Service.now_next(at): {len(everyone):,} channels", now_next),
        ("search common, from at", f"Store.search({COMMON_WORD!r}), all channels, from at", search(COMMON_WORD, True)),
        ("search rare, from at", f"Store.search({RARE_WORD!r}), all channels, from at", search(RARE_WORD, True)),
        ("search common, all time", f"Store.search({COMMON_WORD!r}), all channels, no window",
         search(COMMON_WORD, False)),
        ("search rare, all time", f"Store.search({RARE_WORD!r}), all channels, no window", search(RARE_WORD, False)),
        (f"search common, {some:,} ch", f"Store.search({COMMON_WORD!r}), {some:,} random channels, no window",
         search(COMMON_WORD, False, some)),
        (f"search rare, {some:,} ch", f"Store.search({RARE_WORD!r}), {some:,} random channels, no window",
         search(RARE_WORD, False, some)),
    ]
    out = []
    with progress() as bar:
        for name, what, call in kinds:
            out.append(measure(store, recorder, Timing(name, what), call, runs, min_runs, budget, f"query:{name}",
                               explain_top, bar))
    return out


# --- export (child processes) ---------------------------------------------------------------------------------------

def export_child(url: str, mode: str, limit_gb: float, sample: int) -> None:
    """Run in a child process: export every stored programme as XMLTV to /dev/null; print figures as JSON."""
    from feeds.xmltv import assemble, iter_xmltv, render_channel_day

    if limit_gb > 0:
        cap = int(limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    store = Store(url)
    service = Service(store)
    started = clock.perf_counter()
    count = size = 0
    phases: dict[str, float] = {}
    with open(os.devnull, "wb") as sink:
        if mode == "full":
            guide = service.guide()
            phases["Service.guide()"] = clock.perf_counter() - started
            phases["rss after guide() MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            for piece in iter_xmltv(guide):
                sink.write(piece)
                size += len(piece)
            count = sum(len(c.programmes) for c in guide.channels)
            phases["iter_xmltv"] = clock.perf_counter() - started - phases["Service.guide()"]
        else:
            chosen = service.channels()
            chosen = chosen[:sample] if sample else chosen

            def bodies() -> Iterator[bytes]:  # what `epg export --format xmltv` does
                nonlocal count
                for channel in chosen:
                    item = service.guide([channel.id]).channels[0]
                    count += len(item.programmes)
                    yield render_channel_day(channel, item.programmes)

            for piece in assemble(chosen, bodies()):
                sink.write(piece)
                size += len(piece)
    store.close()
    seconds = clock.perf_counter() - started
    print(json.dumps({"seconds": seconds, "programmes": count, "bytes": size, "phases": phases}))


@dataclass
class Export:
    label: str
    seconds: float = 0.0
    maxrss_kib: int = 0
    children_maxrss_kib: int = 0
    programmes: int = 0
    size: int = 0
    error: str | None = None
    phases: dict[str, float] = field(default_factory=dict)


def _run_child(command: list[str], timeout: float, parent: int) -> dict[str, Any]:
    """Run one export child to the end (or the timeout, or the parent's death) and report what the kernel saw."""
    reply: dict[str, Any] = {"error": None}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = clock.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if clock.perf_counter() - started > timeout or os.getppid() != parent:
                    proc.kill()
                    pid, status, usage = os.wait4(proc.pid, 0)
                    reply["error"] = f"killed after the {timeout:.0f} s timeout"
                    break
                clock.sleep(0.25)
        except BaseException:
            proc.kill()
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
        reply.update(returncode=proc.returncode, seconds=clock.perf_counter() - started, maxrss_kib=usage.ru_maxrss,
                     children_maxrss_kib=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        out.seek(0)
        err.seek(0)
        reply["stdout"] = out.read().decode("utf-8", "replace")
        reply["stderr"] = err.read().decode("utf-8", "replace")[-4000:]
    return reply


def launcher() -> None:
    """``--launcher``: started before anything is loaded, it runs the export children it is sent, one a line.

    Linux carries a process's peak RSS into the ``ru_maxrss`` of a child it
    forks (exec keeps the old address space's high-water mark), so a child
    forked from the benchmark after its queries would report the benchmark's
    own peak. Children forked from this small process report their own.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    parent = os.getppid()
    for line in sys.stdin:
        job = json.loads(line)
        print(json.dumps(_run_child(job["command"], job["timeout"], parent)), flush=True)


class Launcher:
    """The parent's side of :func:`launcher`."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.scale_pg", "--launcher"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, command: list[str], timeout: float, tick: Callable[[], None]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"command": command, "timeout": timeout}) + "\n")
        self.proc.stdin.flush()
        while True:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.25)
            tick()
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    raise RuntimeError("the export launcher died")
                reply: dict[str, Any] = json.loads(line)
                return reply

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait()


def available_gib() -> float:
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 2**20
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def run_export(launch: Launcher, url: str, mode: str, label: str, limit_gb: float, timeout: float,
               sample: int = 0) -> Export:
    """One export child; with no ``limit_gb``, its cap is 70% of the memory available now (the machine is shared)."""
    limit_gb = limit_gb or round(max(1.0, 0.7 * available_gib()), 1)
    result = Export(label)
    result.phases["address-space cap GiB"] = limit_gb
    command = [sys.executable, "-m", "bench.scale_pg", "--export-child", mode, "--url", url,
               "--export-mem-limit-gb", str(limit_gb), "--export-channels", str(sample)]
    with progress() as bar:
        task = bar.add_task(f"export: {label}", total=None)
        reply = launch.run(command, timeout, lambda: bar.update(task))
    result.error, result.seconds = reply["error"], reply["seconds"]
    result.maxrss_kib, result.children_maxrss_kib = reply["maxrss_kib"], reply["children_maxrss_kib"]
    lines = reply["stdout"].strip().splitlines()
    if reply["returncode"] == 0 and lines:
        figures = json.loads(lines[-1])
        result.seconds, result.programmes, result.size = figures["seconds"], figures["programmes"], figures["bytes"]
        result.phases.update(figures["phases"])
    elif result.error is None:
        tail = [line for line in reply["stderr"].strip().splitlines() if line.strip()]
        result.error = f"exit status {reply['returncode']}: {tail[-1] if tail else 'no message'}"
    console.log(f"export {label}: {result.error or f'{result.seconds:.1f} s'}, peak RSS "
                f"{result.maxrss_kib / 1024:,.0f} MiB")
    return result


# --- report ---------------------------------------------------------------------------------------------------------

def machine(store: Store) -> list[tuple[str, str]]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = 0
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    with store.engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
        settings = {name: conn.execute(text(f"SHOW {name}")).scalar()
                    for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_wal_size")}
    return [("CPU", f"{cpu}, {os.cpu_count()} cores"), ("RAM", f"{ram / 2**30:.1f} GiB"),
            ("PostgreSQL", f"{version} ({', '.join(f'{k}={v}' for k, v in settings.items())})"),
            ("Python", f"{platform.python_version()} ({platform.python_implementation()}), "
                       f"SQLAlchemy + psycopg {_psycopg_version()}")]


def _psycopg_version() -> str:
    import psycopg

    return str(psycopg.__version__)


def table_sizes(store: Store) -> list[tuple[str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid), pg_relation_size(c.oid) "
            "FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i') "
            "ORDER BY pg_total_relation_size(c.oid) DESC")).all()
    return [(r[0], f"{r[1]:,} rows, {r[3] / 2**20:,.0f} MiB" + (f" ({r[2] / 2**20:,.0f} MiB with TOAST and indexes)"
                                                                 if r[2] != r[3] else "")) for r in rows]


def report(facts: list[tuple[str, str]], loads: list[Load], timings: list[Timing], exports: list[Export],
           sizes: list[tuple[str, str]], args: argparse.Namespace, total_seconds: float) -> None:
    head = Table(title="Machine and data", show_header=False)
    for key, value in [*facts, ("Data", f"{args.channels:,} channels × {args.days} days × ~{args.per_day} "
                                        f"programmes (seed-deterministic)"), *sizes]:
        head.add_row(key, value)
    console.print(head)

    loads_table = Table(title="Load rates")
    for name in ("path", "channels", "revisions", "programmes", "seconds", "programmes/s", "per call p50 / p99"):
        loads_table.add_column(name, justify="left" if name == "path" else "right")
    for load in loads:
        per_call = (f"{1000 * statistics.median(load.latencies):.0f} / "
                    f"{1000 * sorted(load.latencies)[max(0, math.ceil(0.99 * len(load.latencies)) - 1)]:.0f} ms"
                    if load.latencies else "—")
        loads_table.add_row(load.label, f"{load.channels:,}", f"{load.revisions:,}", f"{load.programmes:,}",
                            f"{load.seconds:.1f}", f"{load.rate:,.0f}", per_call)
        for label, seconds in load.extra.items():
            loads_table.add_row(f"  {label}", "", "", "", f"{seconds:.1f}",
                                f"{load.programmes / seconds:,.0f}" if label.startswith("COPY") else "", "")
    console.print(loads_table)

    queries = Table(title="Queries (wall time through the Store/Service API, including row → model conversion)")
    for name in ("query", "what", "n", "p50 ms", "p99 ms", "max ms", "rows (mean)",
                 "one call: SQL ms / total ms (stmts)"):
        queries.add_column(name, justify="left" if name in ("query", "what") else "right")
    for t in timings:
        if t.error:
            queries.add_row(t.name, t.what, str(len(t.seconds)), "FAILED", t.error, "", "", "")
            continue
        split = (f"{1000 * t.recorded[1]:,.0f} / {1000 * t.recorded[0]:,.0f} ({t.recorded[2]})"
                 if t.recorded else "")
        queries.add_row(t.name, t.what, str(len(t.seconds)), f"{1000 * statistics.median(t.seconds):,.1f}",
                        f"{1000 * t.percentile(0.99):,.1f}", f"{1000 * max(t.seconds):,.1f}",
                        f"{statistics.mean(t.rows):,.0f}", split)
    console.print(queries)

    export_table = Table(title="XMLTV export of everything stored, to /dev/null, in a child process")
    for name in ("export", "programmes", "MiB written", "seconds", "programmes/s", "peak RSS MiB (wait4)",
                 "RUSAGE_CHILDREN MiB", "notes"):
        export_table.add_column(name, justify="left" if name in ("export", "notes") else "right")
    for e in exports:
        notes = e.error or ", ".join(f"{k} {v:,.1f}" for k, v in e.phases.items())
        export_table.add_row(e.label, f"{e.programmes:,}", f"{e.size / 2**20:,.0f}", f"{e.seconds:,.1f}",
                             f"{e.programmes / e.seconds:,.0f}" if e.programmes else "—",
                             f"{e.maxrss_kib / 1024:,.0f}", f"{e.children_maxrss_kib / 1024:,.0f}", notes)
    console.print(export_table)

    for t in timings:
        for seconds, statement, plan in t.plans:
            console.rule(f"EXPLAIN (ANALYZE, BUFFERS): {t.name} — slowest statement, {1000 * seconds:.0f} ms in the "
                         f"recorded call")
            console.print(shorten(" ".join(statement.split()), 600), markup=False)
            console.print(plan, markup=False)
    console.log(f"whole benchmark: {total_seconds / 60:.1f} min")


# --- main -----------------------------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_pg", description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--per-day", type=int, default=36, help="mean programmes per channel-day (±6)")
    parser.add_argument("--url", default=os.environ.get("EPG_BENCH_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument("--publish-sample", type=int, default=200,
                        help="channels loaded through Store.publish (at most a tenth of --channels)")
    parser.add_argument("--runs", type=int, default=200, help="timed runs per query at most")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of timed runs per query kind at most")
    parser.add_argument("--min-runs", type=int, default=3, help="timed runs per query at least, whatever the budget")
    parser.add_argument("--batch", type=int, default=50, help="channels per COPY transaction")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes generating COPY data")
    parser.add_argument("--explain", type=int, default=1, help="EXPLAIN ANALYZE the N slowest statements per query")
    parser.add_argument("--export-timeout", type=float, default=1500.0)
    parser.add_argument("--export-mem-limit-gb", type=float, default=0.0,
                        help="address-space cap of each export child (default: 70%% of the memory available "
                             "when it starts)")
    parser.add_argument("--export-channels", type=int, default=1000,
                        help="streamed export: only the first N channels (0: all), time extrapolated; its memory "
                             "stays flat, and all 10,000 would take ten minutes more")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the schema (prints its URL) for EXPLAIN work")
    parser.add_argument("--export-child", choices=["full", "per-channel"], help=argparse.SUPPRESS)
    parser.add_argument("--launcher", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.channels < 1 or args.days < 3 or args.per_day < 8:
        parser.error("need at least 1 channel, 3 days and 8 programmes a day")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.export_child:
        export_child(args.url, args.export_child, args.export_mem_limit_gb, args.export_channels)
        return 0
    if args.launcher:
        launcher()
        return 0
    launch = Launcher()  # first, while this process is small (see launcher())
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    schema = f"epg_bench_{os.getpid()}"
    url = schema_url(args.url, schema)
    admin = create_engine(args.url)
    started, started_load = clock.perf_counter(), os.getloadavg()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = Store(url)
    try:
        store.create_schema()
        console.log(f"schema {schema}: migrated; loading {args.channels:,} channels × {args.days} days")
        sample = min(args.publish_sample, max(1, args.channels // 10))
        published, bulk = list(range(sample)), list(range(sample, args.channels))
        loads = [bulk_load(store, bulk, args.days, args.per_day, args.batch, args.workers)]
        loads.append(publish_sample(store, published, args.days, args.per_day, republish=False))
        self_check(store, bulk[0] if bulk else None, published[0], args.per_day)
        loads.append(publish_sample(store, published, args.days, args.per_day, republish=True))
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        facts, sizes = machine(store), table_sizes(store)
        timings = run_queries(store, args.days, args.runs, args.min_runs, args.budget, args.explain)
        store.engine.dispose()
        exports: list[Export] = []
        if not args.skip_export:
            current = loads[0].programmes + loads[-1].programmes
            sample_note = f" (first {args.export_channels:,} channels)" if args.export_channels else ""
            streamed = run_export(launch, url, "per-channel",
                                  f"streamed like `epg export`: guide([channel]) → assemble{sample_note}",
                                  args.export_mem_limit_gb, args.export_timeout, args.export_channels)
            if args.export_channels and streamed.programmes and not streamed.error:
                streamed.phases[f"extrapolated to all {current:,} programmes, s"] = (
                    streamed.seconds * current / streamed.programmes)
            exports = [streamed, run_export(launch, url, "full", "Service.guide() → iter_xmltv",
                                            args.export_mem_limit_gb, args.export_timeout)]
        load_average = "start {:.1f} {:.1f} {:.1f}".format(*started_load) + ", end {:.1f} {:.1f} {:.1f}".format(
            *os.getloadavg())
        facts.append(("Load average (1/5/15 min)", load_average + " — other work on the machine adds noise"))
        report(facts, loads, timings, exports, sizes, args, clock.perf_counter() - started)
    except KeyboardInterrupt:
        console.log("interrupted: dropping the schema")
        return 130
    finally:
        launch.close()
        store.close()
        if args.keep:
            console.log(f"schema kept: {url}")
        else:
            drop_schema(admin, schema)
            console.log(f"schema {schema} dropped")
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
