"""The store: channels, tokens, and every published revision of every channel-day.

SQLAlchemy 2 Core on SQLite (the default, one file in WAL mode) or
PostgreSQL. Revisions are written once, with the upload kept byte for byte;
only the ``days`` pointer to the newest revision of each (channel, day,
source) moves. Every public method is one transaction: an error leaves the
data as it was.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from pydantic_core import from_json, to_json
from sqlalchemy import (
    JSON,
    Integer,
    String,
    any_,
    bindparam,
    column,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.schema import Column

from epg import migrations
from epg.details import ChannelDetails, ProgrammeDetails
from epg.errors import AlreadyExists, Conflict, NotFound, StoreError, ValidationError
from epg.identity import assign_ids
from epg.merge import MERGED, Layer, merge
from epg.models import (
    MAX_PROGRAMME_LENGTH,
    STREAM_SCHEMES,
    WEB_SCHEMES,
    Channel,
    DayGrid,
    Diagnostic,
    Programme,
    Provenance,
    Rating,
    Revision,
    closed_stop,
    id_key,
    shown_url,
    trusted,
)
from epg.tables import UTCDateTime, channels, days, metadata, pieces, programmes, revisions, tokens, uploads

#: Times an unconditional publish that lost a race is tried again.
RACE_RETRIES = 3

#: Namespace for programme ids: uuid5 of "channel/day/revision/index" when first seen.
ID_NAMESPACE = uuid.UUID("6f1d6c3e-9a57-4b8e-a1c2-0e5b7f3d2a10")


#: Searches over more channels than this read every channel's hits and keep the asked-for ones in Python.
SEARCH_CHANNEL_FILTER = 1000

#: Revisions past which a time window is found through the range index, not revision by revision (see
#: ``Store._shown_between``): the days around a window of some 400 channels.
SPAN_REVISIONS = 2000

#: Values bound per ``IN (...)`` list on SQLite (PostgreSQL takes any number as one array parameter).
IN_CHUNK = 5000


#: How long a SQLite writer waits for another to finish before giving up, in milliseconds
#: (``Settings.sqlite_busy_timeout_ms``, EPG_SQLITE_BUSY_TIMEOUT_MS).
SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_connect(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def connect(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 would otherwise open transactions only before DML, leaving DDL
        # (migrations) outside them; SQLAlchemy's "begin" event below issues BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
    return connect


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock up front: a deferred transaction that reads and
    # then writes can fail at once with "database is locked" when another writer
    # committed in between, whatever the busy timeout.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("epg_write") else "BEGIN")


class _Serialized(str):
    """JSON text already written (by pydantic's serializer, in Rust): stored as it is, not encoded again."""


def _json(value: object) -> str:
    """The store's JSON encoder: pydantic-core's (five times as fast as ``json.dumps`` on a programme's
    categories; compact UTF-8), except for text that is JSON already (programme details)."""
    return value if type(value) is _Serialized else to_json(value).decode()


def make_engine(url: str, sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for ``url`` with the settings epg relies on (on SQLite: WAL, foreign keys, real transactions)."""
    # JSON read by pydantic-core's parser, ten times as fast as json.loads: listing 10,000 channels (three
    # JSON columns each) took 280 ms with json.loads and 238 ms with it; every programme has one too.
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"), json_serializer=_json,
                           json_deserializer=from_json)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect(sqlite_busy_timeout_ms))
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_connect)
    return engine


def _postgres_connect(dbapi_connection: Any, _record: Any) -> None:
    # No JIT: compiling a plan costs more than epg's queries run (at 10,000 channels PostgreSQL spent 580 ms
    # compiling now/next's 530 ms query). Set outside a transaction, so that no rollback undoes it.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.autocommit = autocommit


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _channel_values(channel: Channel) -> dict[str, Any]:
    values = channel.model_dump(exclude={"day_start", "details"})
    values["id_key"] = id_key(channel.id)
    values["lang"] = channel.lang or ""  # the column predates unset languages: "" stores none
    values["day_start"] = _minutes(channel.day_start)
    values["details"] = _details(channel.details)
    return values


def _channel(row: Row[Any]) -> Channel:
    return trusted(
        Channel, id=row.id, name=row.name, tz=row.tz, lang=row.lang or None,
        day_start=time(row.day_start // 60, row.day_start % 60), number=row.number,
        # Links stored before they were checked (an old import's javascript: icon) are never served.
        icon=shown_url(row.icon, WEB_SCHEMES), url=shown_url(row.url, WEB_SCHEMES),
        stream_url=shown_url(row.stream_url, STREAM_SCHEMES), sources=list(row.sources),
        max_gap_minutes=row.max_gap_minutes,
        block_on_warnings=row.block_on_warnings, shift_of=row.shift_of, shift_hours=row.shift_hours,
        aliases=list(row.aliases or []),
        details=None if row.details is None else ChannelDetails.model_validate(row.details),
    )


def _details(details: ChannelDetails | ProgrammeDetails | None) -> _Serialized | None:
    """Details as stored: JSON without the defaults, written by pydantic (twice as fast as a dict through
    ``json.dumps``, which an import of many programmes feels); None (SQL null) when there are none."""
    return None if details is None else _Serialized(details.model_dump_json(exclude_defaults=True))


#: Programme fields stored as they are, one column each under the field's name: every column of the table
#: the model also has, so a new typed field is a model field and a column. The rest are coded below:
#: start and stop (to the channel's zone), rating (three columns) and details (JSON).
_CODED = {"start", "stop", "rating", "details", "provenance"}
_PLAIN = tuple(c.name for c in programmes.c if c.name in Programme.model_fields and c.name not in _CODED)


def _programme(row: Row[Any], channel: Channel) -> Programme:
    tz = channel.zoneinfo
    values = row._mapping
    rating = (trusted(Rating, system=row.rating_system, value=row.rating_value, min_age=row.min_age)
              if row.rating_system else None)
    return trusted(
        Programme, **{name: values[name] for name in _PLAIN},
        start=row.start.astimezone(tz), stop=row.stop.astimezone(tz), rating=rating,
        details=None if row.details is None else ProgrammeDetails.model_validate(row.details),
        provenance=None if row.provenance is None else Provenance.model_validate(row.provenance),
    )


def _closed(p: Programme, stop: datetime) -> Programme:
    """``p`` with the stop :func:`closed_stop` gave it, in its own zone."""
    return p if stop == p.stop else p.model_copy(update={"stop": stop.astimezone(p.start.tzinfo)})


#: Each programme's [start, stop) as a range, the expression PostgreSQL's GiST index ix_programmes_span
#: (migration 0010) holds: what overlaps a window, across every channel at once.
_SPAN = func.tstzrange(programmes.c.start, func.greatest(programmes.c.start, programmes.c.stop))
#: The words of a programme's title, sub-title and description, stored on PostgreSQL (migration 0010) and
#: searched through the GIN index ix_programmes_search; SQLite's are in the FTS5 table programmes_fts.
_SEARCH: ColumnElement[Any] = literal_column("programmes.search")


#: Details already written during one publish, by identity (each kept with its JSON, so no id is reused): an
#: imported guide's programmes mostly share a few details instances (languages only), written once each.
_Written = dict[int, tuple[ProgrammeDetails, _Serialized | None]]


def _programme_values(p: Programme, revision_id: int, written: _Written) -> dict[str, Any]:
    fields = p.__dict__  # pydantic keeps a model's fields there: cheaper than a getattr per field
    values = {name: fields[name] for name in _PLAIN}
    details = None
    if p.details is not None:
        seen = written.get(id(p.details))
        if seen is None:
            seen = written[id(p.details)] = (p.details, _details(p.details))
        details = seen[1]
    values.update(revision_id=revision_id, start=p.start, stop=p.stop, details=details,
                  provenance=None if p.provenance is None else _Serialized(p.provenance.model_dump_json()),
                  rating_system=p.rating.system if p.rating else None,
                  rating_value=p.rating.value if p.rating else None,
                  min_age=p.rating.min_age if p.rating else None)
    return values


#: From this many rows a publish writes its programmes in bulk: to PostgreSQL by ``COPY`` (one stream, where an
#: INSERT costs a round of the pipeline per row: an import of 28,000 programmes waited 3.8 of its 7.8 s on them),
#: and on SQLite with the full-text index filled by one statement after them (see migration 0012).
_BULK_FROM = 100
#: How each column's value is written in a COPY stream: JSON as its text, times in UTC, the rest as they are.
_COPY_AS: dict[str, Callable[[Any], Any]] = {
    column.name: (_json if isinstance(column.type, JSON) else
                  (lambda value: value.astimezone(UTC)) if isinstance(column.type, UTCDateTime) else
                  (lambda value: value))
    for column in programmes.c}


def _insert_programmes(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Store a publish's programme rows (as :func:`_programme_values` makes them), in the transaction of
    ``conn``: one INSERT of them all, or when there are many, in bulk (see :data:`_BULK_FROM`)."""
    if not rows:
        return
    if len(rows) < _BULK_FROM or conn.dialect.name not in ("postgresql", "sqlite"):
        conn.execute(insert(programmes), rows)
    elif conn.dialect.name == "sqlite":
        # The writer's lock is held (BEGIN IMMEDIATE), so the new rows are the ones above the highest pk.
        highest = conn.execute(select(func.coalesce(func.max(programmes.c.pk), 0))).scalar_one()
        conn.execute(text("INSERT INTO fts_deferred VALUES (1)"))
        conn.execute(insert(programmes), rows)
        conn.execute(text("DELETE FROM fts_deferred"))
        conn.execute(text("INSERT INTO programmes_fts(rowid, title, sub_title, description) "
                          "SELECT pk, title, sub_title, description FROM programmes WHERE pk > :highest"),
                     {"highest": highest})
    else:
        _copy_programmes(conn, rows)


def _copy_programmes(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Programme rows to PostgreSQL by COPY, in the transaction of ``conn``."""
    names = list(rows[0])
    write = [(name, _COPY_AS[name]) for name in names]
    columns = ", ".join(f'"{name}"' for name in names)
    driver: Any = conn.connection.driver_connection  # psycopg's, in the transaction of ``conn``
    with driver.cursor() as cursor, cursor.copy(f"COPY programmes ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([None if row[name] is None else as_written(row[name]) for name, as_written in write])


def _revision(row: Row[Any]) -> Revision:
    return Revision(
        id=row.id, channel_id=row.channel_id, day=row.day, number=row.number, source=row.source,
        author=row.author, created=row.created, content_type=row.content_type, upload_id=row.upload_id,
        diagnostics=[Diagnostic.model_validate(d) for d in row.diagnostics],
    )


def _revisions() -> Select[Any]:
    """Revisions with the content type of their upload (never its bytes)."""
    return select(*revisions.c, uploads.c.content_type).join(uploads, uploads.c.id == revisions.c.upload_id)


def _changed_since(conn: Connection, channel_id: str, day: date, seen: int | None, now: int | None) -> str:
    """Why a precondition failed, in the revision numbers ``epg history`` shows (ids are internal)."""
    found = {row.id: row for row in conn.execute(
        select(revisions.c.id, revisions.c.number, revisions.c.author, revisions.c.created)
        .where(revisions.c.id.in_([i for i in (seen, now) if i is not None]))).all()}
    if now is None:
        return f"{channel_id} {day} holds nothing any more; reload the day and publish again"
    latest = found[now]
    current = (f"revision {latest.number} by {latest.author or 'unknown'} "
               f"at {latest.created:%Y-%m-%d %H:%M} UTC is current")
    if seen is None:
        return f"{channel_id} {day} is no longer empty: {current}"
    was = f"revision {found[seen].number}" if seen in found else "the revision you read"
    return f"{channel_id} {day} has changed since {was}: {current}; reload the day and publish again"


#: How long a rendered piece is kept in the database (see :meth:`Store.store_pieces`).
PIECE_LIFETIME = timedelta(days=14)


class Winner(NamedTuple):
    """The revision a channel-day shows: its source's newest, of the highest-priority source."""

    source: str
    revision_id: int
    updated: datetime | None


#: One channel's part of a publish: its days' grids and the findings to keep with them.
Batch = tuple[Channel, Mapping[date, Sequence[Programme]], Sequence[Diagnostic]]


def _sources_by_day(conn: Connection, channel_id: str, first: date, last: date, lock: bool = False
                    ) -> dict[date, dict[str, int]]:
    """Each day's current revision of each source (merges included) on a channel from ``first`` to ``last``;
    with ``lock``, the day pointers are locked for the rest of the transaction (PostgreSQL)."""
    query = select(days.c.day, days.c.source, days.c.revision_id).where(
        days.c.channel_id == channel_id, days.c.day.between(first, last))
    held: dict[date, dict[str, int]] = {}
    for row in conn.execute(query.with_for_update() if lock else query).all():
        held.setdefault(row.day, {})[row.source] = row.revision_id
    return held


def _new_ids(channel_id: str, day: date, revision_id: int) -> Callable[[int], str]:
    """Ids for a revision's new programmes (see :data:`ID_NAMESPACE`): the same inputs give the same id."""
    return lambda index: str(uuid.uuid5(ID_NAMESPACE, f"{channel_id}/{day}/{revision_id}/{index}"))


def _moved(moment: datetime, by: timedelta) -> datetime | None:
    """``moment + by`` in UTC, or None (no bound) when that falls off the calendar, as year 1 minus a day does."""
    try:
        return moment.astimezone(UTC) + by
    except OverflowError:
        return None


def source_rank(channel: Channel, source: str) -> tuple[int, str]:
    """Sort key: a merged day first (it holds all the others, see :mod:`epg.merge`), then the channel's
    listed sources in order, then any other source by name."""
    if source == MERGED:
        return (-1, source)
    return (channel.sources.index(source) if source in channel.sources else len(channel.sources), source)


def fts_query(query: str, dialect: str) -> str | None:
    """A prefix query for every word of ``query`` (search as you type), or None if it has no word."""
    words = re.findall(r"\w+", query.lower())
    if not words:
        return None
    if dialect == "sqlite":
        return " AND ".join(f'"{w}"*' for w in words)
    return " & ".join(f"{w}:*" for w in words)


class Store:
    """Persistence for epg over one database URL."""

    def __init__(self, url: str, sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
        self.url = url
        self.engine = make_engine(url, sqlite_busy_timeout_ms)
        self._busy_timeout_ms = sqlite_busy_timeout_ms
        self._writes = itertools.count(1)
        #: Bumped after every write this process commits: read caches compare it to know they are current.
        self.generation = 0

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def create_schema(self) -> None:
        """Bring the database to the current schema (Alembic migrations; safe to repeat)."""
        try:
            migrations.upgrade(self.engine)
        except OperationalError as exc:
            raise StoreError(f"the database is unavailable: {exc.orig}") from exc

    def drop_schema(self) -> None:
        """Remove every epg table (tests and benchmarks that need a clean database)."""
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                conn.execute(text("DROP TABLE IF EXISTS programmes_fts"))
                conn.execute(text("DROP TABLE IF EXISTS fts_deferred"))
            metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))

    def close(self) -> None:
        self.engine.dispose()

    @property
    def shared(self) -> bool:
        """Whether another process opening :attr:`url` sees this database (not so SQLite in memory)."""
        if self.dialect != "sqlite":
            return True
        return self.engine.url.database not in (None, "", ":memory:") and "mode=memory" not in self.url

    def written(self) -> None:
        """Move :attr:`generation` on: a write was committed (here, or for this process by one it waited for)."""
        self.generation = next(self._writes)

    @contextmanager
    def _begin(self, write: bool = False, content: bool = True, wait: bool = True) -> Iterator[Connection]:
        """A transaction; ``write`` takes the writer's lock (SQLite), and a ``content`` write moves
        :attr:`generation` on (a rendered piece kept for later changes nothing a reader sees). Without
        ``wait``, a SQLite writer that finds the lock taken fails at once (:class:`StoreError`) instead of
        waiting up to the busy timeout for it."""
        try:
            with self.engine.connect() as conn:
                if write:
                    conn.execution_options(epg_write=True)
                driver: Any = conn.connection.driver_connection if not wait and self.dialect == "sqlite" else None
                if driver is not None:
                    driver.execute("PRAGMA busy_timeout = 0")
                try:
                    with conn.begin():
                        yield conn
                finally:
                    if driver is not None:
                        driver.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            if write and content:
                self.written()
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, IntegrityError):
                raise
            raise StoreError(f"the database is unavailable or failed: {exc.orig}") from exc

    def _among(self, col: Column[Any], values: Sequence[Any]) -> list[ColumnElement[bool]]:
        """Conditions that together select ``col IN values``, one query each.

        PostgreSQL takes the whole list as one array parameter (one plan, no
        parameter limit); SQLite gets ``IN`` lists of at most ``IN_CHUNK``.
        """
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import ARRAY  # here: SQLite never needs it (a CLI's start)

            kind = Integer if isinstance(col.type, Integer) else String
            return [col == any_(bindparam(None, list(values), type_=ARRAY(kind)))]
        return [col.in_(values[at:at + IN_CHUNK]) for at in range(0, len(values), IN_CHUNK)]

    # -- rendered feed pieces ---------------------------------------------

    def stored_pieces(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored (compressed) pieces among ``keys``."""
        found: dict[str, bytes] = {}
        if not keys:
            return found
        with self._begin() as conn:
            for among in self._among(pieces.c.key, list(keys)):
                found.update((row.key, row.body) for row in conn.execute(select(pieces.c.key, pieces.c.body)
                                                                         .where(among)))
        return found

    def store_pieces(self, items: Mapping[str, bytes], now: datetime, wait: bool = True) -> None:
        """Keep compressed pieces under their keys (a key already stored keeps its bytes: they are the same),
        and let go of pieces older than ``PIECE_LIFETIME``: a piece no feed asks for any more is never read
        again, and one still wanted is rendered again on its next read. Without ``wait``, fail at once
        (:class:`StoreError`) if SQLite's writer's lock is taken."""
        with self._begin(write=True, content=False, wait=wait) as conn:
            conn.execute(pieces.delete().where(pieces.c.created < now - PIECE_LIFETIME))
            if not items:
                return
            rows = [{"key": key, "body": body, "created": now} for key, body in items.items()]
            if self.dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as pg_insert

                conn.execute(pg_insert(pieces).on_conflict_do_nothing(index_elements=["key"]), rows)
            else:
                conn.execute(insert(pieces).prefix_with("OR IGNORE"), rows)

    def ping(self) -> None:
        with self._begin() as conn:
            conn.execute(select(1))

    # -- channels ---------------------------------------------------------

    def add_channel(self, channel: Channel, now: datetime) -> None:
        try:
            with self._begin(write=True) as conn:
                conn.execute(insert(channels).values(**_channel_values(channel), created=now))
        except IntegrityError as exc:
            raise AlreadyExists(f"channel {channel.id!r} already exists (ids are compared ignoring case)",
                                field="id") from exc

    def update_channel(self, channel: Channel, now: datetime | None = None) -> None:
        """Store ``channel``'s settings; when its source priorities changed, merge its merged days again
        (as new revisions stamped ``now``, each kept with the upload of the merge it replaces)."""
        values = _channel_values(channel)
        values.pop("id")
        values.pop("id_key")
        with self._begin(write=True) as conn:
            was = conn.execute(select(channels.c.sources).where(channels.c.id == channel.id)).scalar()
            if conn.execute(update(channels).where(channels.c.id == channel.id).values(**values)).rowcount == 0:
                raise NotFound(f"no channel {channel.id!r}", field="channel")
            if list(was or []) == channel.sources:
                return
            merged = conn.execute(select(days.c.day, revisions.c.upload_id)
                                  .join(revisions, revisions.c.id == days.c.revision_id)
                                  .where(days.c.channel_id == channel.id, days.c.source == MERGED)).all()
            for row in merged:
                self._merge_days(conn, channel, [row.day], source=MERGED, upload_id=row.upload_id, author=None,
                                 now=now or datetime.now(UTC), before={})

    def delete_channel(self, channel_id: str) -> None:
        """Delete a channel with its whole history; ``channel_id`` as stored (see :meth:`get_channel`)."""
        with self._begin(write=True) as conn:
            revision_ids = select(revisions.c.id).where(revisions.c.channel_id == channel_id)
            conn.execute(days.delete().where(days.c.channel_id == channel_id))
            conn.execute(programmes.delete().where(programmes.c.revision_id.in_(revision_ids)))
            conn.execute(revisions.delete().where(revisions.c.channel_id == channel_id))
            # Uploads stay: one may hold other channels' days, and none is ever lost.
            if conn.execute(channels.delete().where(channels.c.id == channel_id)).rowcount == 0:
                raise NotFound(f"no channel {channel_id!r}", field="channel")

    def get_channel(self, channel_id: str) -> Channel:
        with self._begin() as conn:
            row = conn.execute(select(channels).where(channels.c.id_key == id_key(channel_id))).first()
        if row is None:
            raise NotFound(f"no channel {channel_id!r}", field="channel")
        return _channel(row)

    def list_channels(self) -> list[Channel]:
        order = (channels.c.number.is_(None), func.length(channels.c.number), channels.c.number, channels.c.id)
        with self._begin() as conn:
            rows = conn.execute(select(channels).order_by(*order)).all()
        return [_channel(r) for r in rows]

    # -- tokens -----------------------------------------------------------

    def add_token(self, name: str, token_hash: str, channel_ids: list[str] | None, now: datetime) -> None:
        try:
            with self._begin(write=True) as conn:
                conn.execute(insert(tokens).values(name=name, token_hash=token_hash, channels=channel_ids,
                                                   created=now))
        except IntegrityError as exc:
            raise AlreadyExists(f"a token named {name!r} already exists", field="name") from exc

    def token_by_hash(self, token_hash: str) -> tuple[str, list[str] | None] | None:
        """(name, channel ids or None for all) of a live token, or None."""
        with self._begin() as conn:
            row = conn.execute(select(tokens.c.name, tokens.c.channels).where(
                tokens.c.token_hash == token_hash, tokens.c.revoked.is_(None))).first()
        return (row.name, row.channels) if row else None

    def list_tokens(self) -> list[dict[str, Any]]:
        with self._begin() as conn:
            rows = conn.execute(select(tokens.c.name, tokens.c.channels, tokens.c.created, tokens.c.revoked)
                                .order_by(tokens.c.name)).all()
        return [dict(r._mapping) for r in rows]

    def revoke_token(self, name: str, now: datetime) -> None:
        with self._begin(write=True) as conn:
            done = conn.execute(update(tokens).where(tokens.c.name == name, tokens.c.revoked.is_(None))
                                .values(revoked=now)).rowcount
        if not done:
            raise NotFound(f"no live token named {name!r}", field="name")

    # -- publishing -------------------------------------------------------

    def publish(
        self,
        channel: Channel,
        grids: Mapping[date, Sequence[Programme]],
        *,
        raw: bytes | None = None,
        upload_id: int | None = None,
        content_type: str = "text/plain",
        source: str,
        author: str | None,
        diagnostics: Sequence[Diagnostic],
        now: datetime,
        if_revision: dict[date, int | None] | None = None,
        idempotency_key: str | None = None,
    ) -> list[tuple[Revision, list[Programme]]]:
        """Store a new revision of each of ``channel``'s days in ``grids``, all in one transaction.

        The upload is ``raw`` (kept byte for byte, once) or an earlier upload
        by id (a rollback). Programme ids carry over from the current
        revision of the same source (see :mod:`epg.identity`).
        ``if_revision`` maps a day to the revision id the caller last saw
        (None: the day must not exist yet); if another publish happened
        since, :class:`Conflict` is raised and nothing changes. ``idempotency_key`` is kept
        with the upload (see :meth:`keyed_upload`). Returns each new revision with its programmes as
        stored, in start order.
        """
        return self.publish_many([(channel, grids, diagnostics)], raw=raw, upload_id=upload_id,
                                 content_type=content_type, source=source, author=author, now=now,
                                 if_revision=if_revision, idempotency_key=idempotency_key)

    def publish_many(
        self,
        batches: Sequence[Batch],
        *,
        raw: bytes | None = None,
        upload_id: int | None = None,
        content_type: str = "text/plain",
        source: str,
        author: str | None,
        now: datetime,
        if_revision: dict[date, int | None] | None = None,
        idempotency_key: str | None = None,
    ) -> list[tuple[Revision, list[Programme]]]:
        """:meth:`publish` for several channels from one upload (an XMLTV guide): all or nothing."""
        if (raw is None) == (upload_id is None):
            raise ValueError("publish needs either the raw upload or an upload id")
        if source == MERGED:
            raise ValidationError(f"the source name {MERGED!r} is reserved for days merged from several sources; "
                                  "name the source otherwise", field="source")
        for attempt in range(RACE_RETRIES + 1):
            try:
                return self._publish_many(batches, raw=raw, upload_id=upload_id, content_type=content_type,
                                          source=source, author=author, now=now, if_revision=if_revision,
                                          idempotency_key=idempotency_key)
            except Conflict as exc:
                # Two first publishes of a day race for its revision number; without a
                # precondition the caller asked for "publish this", so publish it again on top.
                if if_revision is not None or exc.field is not None or attempt == RACE_RETRIES:
                    raise
        raise AssertionError("unreachable")

    def _publish_many(
        self, batches: Sequence[Batch], *, raw: bytes | None, upload_id: int | None, content_type: str,
        source: str, author: str | None, now: datetime, if_revision: dict[date, int | None] | None,
        idempotency_key: str | None,
    ) -> list[tuple[Revision, list[Programme]]]:
        out = []
        try:
            with self._begin(write=True) as conn:
                if raw is not None:
                    try:
                        upload_id = conn.execute(insert(uploads).values(
                            created=now, author=author, content_type=content_type, size=len(raw),
                            sha256=hashlib.sha256(raw).hexdigest(), raw=raw, idempotency_key=idempotency_key,
                        ).returning(uploads.c.id)).scalar_one()
                    except IntegrityError as exc:  # the same key's first request committed meanwhile
                        raise Conflict("a request with this Idempotency-Key was published at the same time; "
                                       "send it again to get its result", field="Idempotency-Key") from exc
                else:  # a rollback: the revision comes from the upload it names
                    content_type = conn.execute(select(uploads.c.content_type)
                                                .where(uploads.c.id == upload_id)).scalar_one()
                assert upload_id is not None
                for channel, grids, diagnostics in batches:
                    if grids:
                        out += self._publish_channel(conn, channel, grids, upload=(upload_id, content_type),
                                                     source=source, author=author, diagnostics=diagnostics,
                                                     now=now, if_revision=if_revision)
        except IntegrityError as exc:
            raise StoreError(f"the database refused the publish, nothing was changed: {exc.orig}") from exc
        return out

    def _publish_channel(
        self, conn: Connection, channel: Channel, grids: Mapping[date, Sequence[Programme]], *,
        upload: tuple[int, str], source: str, author: str | None, diagnostics: Sequence[Diagnostic],
        now: datetime, if_revision: dict[date, int | None] | None,
    ) -> list[tuple[Revision, list[Programme]]]:
        """New revisions of a channel's days from one source: a few statements, however many days."""
        upload_id, content_type = upload
        day_list = sorted(grids)
        first, last = day_list[0], day_list[-1]
        race = Conflict(f"{channel.id} was published by someone else at the same time; try again")
        held = _sources_by_day(conn, channel.id, first, last, lock=True)  # read once, for the merge too
        current = {day: by_source[source] for day, by_source in held.items() if source in by_source and day in grids}
        if if_revision is not None:
            # The day's ETag names what it shows: this source's revision, or the merge that holds it.
            shown = {day: by_source[MERGED] for day, by_source in held.items() if MERGED in by_source}
            for day in day_list:
                if day in if_revision and if_revision[day] not in (current.get(day), shown.get(day, current.get(day))):
                    raise Conflict(_changed_since(conn, channel.id, day, if_revision[day], current.get(day)),
                                   field="If-Match")
        old = self._programmes_by_revision(conn, dict.fromkeys(current.values(), channel)) if current else {}
        numbers: dict[date, int] = {row.day: row.number for row in conn.execute(
            select(revisions.c.day, func.max(revisions.c.number).label("number")).where(
                revisions.c.channel_id == channel.id, revisions.c.day.between(first, last))
            .group_by(revisions.c.day)).all()}
        found = [d.model_dump() for d in diagnostics]
        made: list[dict[str, Any]] = [
            {"channel_id": channel.id, "day": day, "source": source, "number": numbers.get(day, 0) + 1,
             "author": author, "created": now, "upload_id": upload_id, "diagnostics": found} for day in day_list]
        try:  # a concurrent publish took one of these revision numbers first
            ids = list(conn.execute(insert(revisions).returning(revisions.c.id, sort_by_parameter_order=True),
                                    made).scalars())
        except IntegrityError as exc:
            raise race from exc
        out: list[tuple[Revision, list[Programme]]] = []
        rows: list[dict[str, Any]] = []
        written: _Written = {}
        for day, revision_id, values in zip(day_list, ids, made, strict=True):
            previous = current.get(day)
            # In start order (stable: programmes at one start keep theirs), as the store reads them back.
            stored = sorted(assign_ids(old[previous] if previous else [], list(grids[day]),
                                       _new_ids(channel.id, day, revision_id), now), key=lambda p: p.start)
            rows += [_programme_values(p, revision_id, written) for p in stored]
            revision = Revision.model_construct(
                id=revision_id, channel_id=channel.id, day=day, number=values["number"], source=source,
                author=author, created=now.astimezone(UTC), content_type=content_type, upload_id=upload_id,
                diagnostics=list(diagnostics))
            out.append((revision, stored))
        _insert_programmes(conn, rows)
        fresh = [{"channel_id": channel.id, "day": day, "source": source, "revision_id": revision_id, "updated": now}
                 for day, revision_id in zip(day_list, ids, strict=True) if day not in current]
        if fresh:
            try:  # a concurrent first publish of one of these days got there first
                conn.execute(insert(days), fresh)
            except IntegrityError as exc:
                raise race from exc
        # Each day already published moves to its new revision, unless another publish moved it first: one
        # statement run for all of them (compiled once; a 1,000-day upload had compiled one per day).
        moved = [{"pointer_day": day, "was": current[day], "becomes": revision_id}
                 for day, revision_id in zip(day_list, ids, strict=True) if day in current]
        if moved and conn.execute(update(days).where(
                days.c.channel_id == channel.id, days.c.day == bindparam("pointer_day"), days.c.source == source,
                days.c.revision_id == bindparam("was")).values(revision_id=bindparam("becomes"), updated=now),
                moved).rowcount != len(moved):
            raise race
        for day, revision_id in zip(day_list, ids, strict=True):
            held.setdefault(day, {})[source] = revision_id
        self._merge_days(conn, channel, day_list, source=source, upload_id=upload_id, author=author, now=now,
                         held=held,
                         before={day: old[current[day]] for day in current},
                         fresh={revision.id: stored for revision, stored in out})
        return out

    def _merge_days(self, conn: Connection, channel: Channel, day_list: Sequence[date], *, source: str,
                    upload_id: int, author: str | None, now: datetime, before: Mapping[date, list[Programme]],
                    fresh: Mapping[int, list[Programme]] | None = None,
                    held: dict[date, dict[str, int]] | None = None) -> None:
        """Merge again each of ``day_list`` that more than one source publishes, as a new revision of
        :data:`MERGED` (see :mod:`epg.merge`); ``before`` holds ``source``'s programmes the publish replaced,
        ``fresh`` the programmes of the revisions it stored (by id, in start order), which are not read back;
        ``held``, when the caller has it, each day's revision of each source as it stands, merges included.

        Its programmes keep the ids of what the day showed before (the previous merge, or before the
        first one the day's winning source), so a calendar sees them move, not a second copy.
        """
        if held is None:
            held = _sources_by_day(conn, channel.id, day_list[0], day_list[-1])
        todo = [day for day in day_list if len(set(held.get(day, ())) - {MERGED}) > 1]
        if not todo:
            return
        race = Conflict(f"{channel.id} was published by someone else at the same time; try again")
        fresh = fresh or {}
        found = {**self._programmes_by_revision(conn, {r: channel for day in todo for r in held[day].values()
                                                       if r not in fresh}), **fresh}
        numbers = {row.id: row.number for row in conn.execute(select(revisions.c.id, revisions.c.number).where(
            revisions.c.id.in_([r for day in todo for r in held[day].values()]))).all()}
        latest: dict[date, int] = {row.day: row.number for row in conn.execute(
            select(revisions.c.day, func.max(revisions.c.number).label("number")).where(
                revisions.c.channel_id == channel.id, revisions.c.day.between(todo[0], todo[-1]))
            .group_by(revisions.c.day)).all()}
        for day in todo:
            sources = sorted(set(held[day]) - {MERGED}, key=lambda s: source_rank(channel, s))
            merged = merge([Layer(s, found[held[day][s]]) for s in sources])
            if MERGED in held[day]:
                shown = found[held[day][MERGED]]
            else:  # the first merge of the day: it showed its best source before this publish
                was = min((s for s in sources if s != source or day in before), key=lambda s: source_rank(channel, s))
                shown = before[day] if was == source else found[held[day][was]]
            parts = ", ".join(f"{s} revision {numbers[held[day][s]]}" for s in sources)
            notes = [Diagnostic(line=0, severity="info", message=f"Shown as the merge of {parts}."),
                     *(Diagnostic(line=0, severity="info", message=m) for m in merged.left_out)]
            try:
                revision_id = conn.execute(insert(revisions).values(
                    channel_id=channel.id, day=day, source=MERGED, number=latest.get(day, 0) + 1, author=author,
                    created=now, upload_id=upload_id, diagnostics=[d.model_dump() for d in notes],
                ).returning(revisions.c.id)).scalar_one()
            except IntegrityError as exc:
                raise race from exc

            stored = assign_ids(shown, merged.programmes, _new_ids(channel.id, day, revision_id), now)
            _insert_programmes(conn, [_programme_values(p, revision_id, {}) for p in stored])
            if MERGED in held[day]:
                moved = conn.execute(update(days).where(
                    days.c.channel_id == channel.id, days.c.day == day, days.c.source == MERGED,
                    days.c.revision_id == held[day][MERGED]).values(revision_id=revision_id, updated=now))
                if moved.rowcount != 1:
                    raise race
            else:
                try:
                    conn.execute(insert(days).values(channel_id=channel.id, day=day, source=MERGED,
                                                     revision_id=revision_id, updated=now))
                except IntegrityError as exc:
                    raise race from exc

    # -- reading ----------------------------------------------------------

    def _programmes_by_revision(self, conn: Connection, channel_of: Mapping[int, Channel]
                                ) -> dict[int, list[Programme]]:
        """The programmes of each revision id in ``channel_of``, in start order, in its channel's zone."""
        out: dict[int, list[Programme]] = {revision_id: [] for revision_id in channel_of}
        for among in self._among(programmes.c.revision_id, list(channel_of)):
            query = (select(programmes).where(among)
                     .order_by(programmes.c.revision_id, programmes.c.start, programmes.c.pk))
            for row in conn.execute(query).all():
                out[row.revision_id].append(_programme(row, channel_of[row.revision_id]))
        return out

    def _winners(self, conn: Connection, channel_list: Sequence[Channel], first: date | None,
                 last: date | None) -> dict[tuple[str, date], Winner]:
        """(channel id, day) → the current revision of the highest-priority source with a grid."""
        by_id = {c.id: c for c in channel_list}
        query = select(days.c.channel_id, days.c.day, days.c.source, days.c.revision_id, days.c.updated)
        if first is not None:
            query = query.where(days.c.day >= first)
        if last is not None:
            query = query.where(days.c.day <= last)
        rows = [row for among in self._among(days.c.channel_id, list(by_id))
                for row in conn.execute(query.where(among)).all()]
        best: dict[tuple[str, date], Winner] = {}
        for row in rows:
            key = (row.channel_id, row.day)
            held = best.get(key)
            channel = by_id[row.channel_id]
            if held is None or source_rank(channel, row.source) < source_rank(channel, held.source):
                best[key] = Winner(row.source, row.revision_id, row.updated)
        return best

    def current_days(self, channel_list: Sequence[Channel], first: date, last: date
                     ) -> dict[tuple[str, date], Winner]:
        """The revision each channel-day from ``first`` to ``last`` shows (the winning source's newest)."""
        if not channel_list:
            return {}
        with self._begin() as conn:
            return self._winners(conn, channel_list, first, last)

    def revision_programmes(self, channel_of: Mapping[int, Channel]) -> dict[int, list[Programme]]:
        """The programmes of each revision id in ``channel_of``, in start order, in its channel's zone."""
        with self._begin() as conn:
            return self._programmes_by_revision(conn, channel_of)

    def get_day(self, channel: Channel, day: date, source: str | None = None) -> DayGrid:
        """The current grid of a channel-day: the winning source's, or ``source``'s when given."""
        with self._begin() as conn:
            if source is None:
                winner = self._winners(conn, [channel], day, day).get((channel.id, day))
            else:
                revision_id = conn.execute(select(days.c.revision_id).where(
                    days.c.channel_id == channel.id, days.c.day == day, days.c.source == source)).scalar()
                winner = Winner(source, revision_id, None) if revision_id else None
            if winner is None:
                raise NotFound(f"nothing published for {channel.id} on {day.isoformat()}", field="date")
            row = conn.execute(_revisions().where(revisions.c.id == winner.revision_id)).one()
            found = self._programmes_by_revision(conn, {row.id: channel})[row.id]
        return DayGrid(channel=channel, day=day, programmes=found, revision=_revision(row), source=winner.source)

    def source_days(self, channel: Channel, first: date, last: date, source: str, read: Sequence[date] = ()
                    ) -> dict[date, list[Programme] | None]:
        """The days from ``first`` to ``last`` that ``source`` published on ``channel``, with its current
        programmes for those in ``read`` (None for the others: reading a day is what costs)."""
        with self._begin() as conn:
            held = {row.day: row.revision_id for row in conn.execute(select(days.c.day, days.c.revision_id).where(
                days.c.channel_id == channel.id, days.c.source == source, days.c.day.between(first, last))).all()}
            wanted = {held[day]: channel for day in read if day in held}
            found = self._programmes_by_revision(conn, wanted) if wanted else {}
        return {day: found.get(revision_id) for day, revision_id in sorted(held.items())}

    def keyed_upload(self, author: str | None, key: str) -> tuple[str, list[tuple[Revision, list[Programme]]]] | None:
        """The SHA-256 of ``author``'s upload sent with Idempotency-Key ``key`` and the revisions it made
        (as they were then, whatever has been published since), or None when no such upload exists."""
        with self._begin() as conn:
            upload = conn.execute(select(uploads.c.id, uploads.c.sha256).where(
                uploads.c.author == author, uploads.c.idempotency_key == key)).first()
            if upload is None:
                return None
            # The merges a publish made are not its result: they are made again whenever a source changes.
            rows = conn.execute(_revisions().where(revisions.c.upload_id == upload.id, revisions.c.source != MERGED)
                                .order_by(revisions.c.channel_id, revisions.c.day, revisions.c.id)).all()
            channel_of = {row.id: _channel(conn.execute(select(channels).where(
                channels.c.id == row.channel_id)).one()) for row in rows}
            found = self._programmes_by_revision(conn, channel_of) if rows else {}
        return upload.sha256, [(_revision(row), found[row.id]) for row in rows]

    def upload_digest(self, revision_id: int) -> str | None:
        """The SHA-256 of the upload a revision was read from."""
        with self._begin() as conn:
            return conn.execute(select(uploads.c.sha256).join(revisions, revisions.c.upload_id == uploads.c.id)
                                .where(revisions.c.id == revision_id)).scalar()

    def history(self, channel_id: str, day: date, offset: int = 0, limit: int | None = None) -> list[Revision]:
        """A channel-day's revisions, oldest first: ``limit`` of them from the ``offset``-th (None: all)."""
        with self._begin() as conn:
            rows = conn.execute(_revisions().where(
                revisions.c.channel_id == channel_id, revisions.c.day == day).order_by(revisions.c.number)
                .offset(offset).limit(limit)).all()
        return [_revision(r) for r in rows]

    def revision(self, channel: Channel, day: date, number: int) -> tuple[Revision, list[Programme]]:
        with self._begin() as conn:
            row = conn.execute(_revisions().where(
                revisions.c.channel_id == channel.id, revisions.c.day == day, revisions.c.number == number)).first()
            if row is None:
                raise NotFound(f"{channel.id} {day.isoformat()} has no revision {number}", field="revision")
            return _revision(row), self._programmes_by_revision(conn, {row.id: channel})[row.id]

    def raw_input(self, revision_id: int) -> bytes:
        """The bytes of the upload a revision was read from."""
        with self._begin() as conn:
            raw = conn.execute(select(uploads.c.raw).join(revisions, revisions.c.upload_id == uploads.c.id)
                               .where(revisions.c.id == revision_id)).scalar()
        if raw is None:
            raise NotFound(f"no revision {revision_id}", field="revision")
        return bytes(raw)

    def days_of(self, channel_id: str) -> list[date]:
        with self._begin() as conn:
            return list(conn.execute(select(days.c.day).where(days.c.channel_id == channel_id)
                                     .distinct().order_by(days.c.day)).scalars())

    def day_span(self, channel_ids: Sequence[str]) -> tuple[date, date] | None:
        """The first and last day any of these channels has published (any source), or None."""
        found: list[date] = []
        with self._begin() as conn:
            for among in self._among(days.c.channel_id, list(channel_ids)):
                found += [d for d in conn.execute(select(func.min(days.c.day), func.max(days.c.day))
                                                  .where(among)).one() if d is not None]
        return (min(found), max(found)) if found else None

    @staticmethod
    def _day_bounds(start: datetime | None, end: datetime | None) -> tuple[date | None, date | None]:
        """Listing days that can hold programmes overlapping [start, end), with room for any zone."""
        first = _moved(start, -timedelta(days=2)) if start else None
        last = _moved(end, timedelta(days=2)) if end else None
        return first.date() if first else None, last.date() if last else None

    def _shown_between(self, revision_ids: Sequence[int], start: datetime | None, end: datetime | None,
                       *columns: Any) -> Iterator[Select[Any]]:
        """Queries (one on PostgreSQL) for ``columns`` of the programmes of ``revision_ids`` overlapping
        [start, end); ``None`` bounds mean "everything stored".

        None runs longer than ``MAX_PROGRAMME_LENGTH``, which bounds a start from below, so the (revision,
        start) index reads only the window's rows. Over thousands of channels that is still a day of rows
        each, so for a bounded window over more than ``SPAN_REVISIONS`` revisions PostgreSQL finds the
        programmes overlapping it in the range index (migration 0010), across all channels, and keeps the
        shown revisions' among them by a join (an ``= ANY`` list of tens of thousands of ids is searched row
        by row, and the planner would AND it with the revision index). A few channels, or a window open at
        its end, are cheaper read revision by revision.
        """
        if self.dialect == "postgresql" and start is not None and end is not None \
                and len(revision_ids) > SPAN_REVISIONS:
            from sqlalchemy.dialects.postgresql import ARRAY

            stamp = programmes.c.start.type
            window = func.tstzrange(bindparam(None, start, type_=stamp), bindparam(None, end, type_=stamp))
            ids = bindparam(None, list(revision_ids), type_=ARRAY(Integer))
            shown = func.unnest(ids).table_valued("id").render_derived()
            yield (select(*columns).join_from(programmes, shown, shown.c.id == programmes.c.revision_id)
                   .where(_SPAN.op("&&")(window)))
            return
        conditions: list[ColumnElement[bool]] = []
        if start is not None:
            conditions.append(programmes.c.stop > start)
            if earliest := _moved(start, -MAX_PROGRAMME_LENGTH):
                conditions.append(programmes.c.start > earliest)
        if end is not None:
            conditions.append(programmes.c.start < end)
        for among in self._among(programmes.c.revision_id, list(revision_ids)):
            yield select(*columns).where(among, *conditions)

    def programmes_between(
        self, channel_list: Sequence[Channel], start: datetime | None, end: datetime | None
    ) -> dict[str, list[Programme]]:
        """Current programmes of each channel overlapping [start, end), in start order.

        ``None`` bounds mean "everything stored". A programme belongs to a
        day no more than two days before it starts, which lets the ``days``
        index narrow the scan before any programme is read (see
        :meth:`_shown_between` for the programmes).
        """
        by_id = {c.id: c for c in channel_list}
        out: dict[str, list[Programme]] = {c.id: [] for c in channel_list}
        if not by_id:
            return out
        with self._begin() as conn:
            winners = self._winners(conn, channel_list, *self._day_bounds(start, end))
            revision_channel = {w.revision_id: channel_id for (channel_id, _), w in winners.items()}
            if not revision_channel:
                return out
            for query in self._shown_between(list(revision_channel), start, end, programmes):
                for row in conn.execute(query).all():
                    channel_id = revision_channel[row.revision_id]
                    out[channel_id].append(_programme(row, by_id[channel_id]))
        for items in out.values():
            items.sort(key=lambda p: p.start)
        return out

    def now_next(self, channel_list: Sequence[Channel], at: datetime, end: datetime
                 ) -> dict[str, tuple[Programme | None, Programme | None]]:
        """What is on at ``at`` on each channel and what starts next (before ``end``), as
        ``programmes_between(channel_list, at, end)`` followed by ``close_estimated_stops`` would say: the
        first programme there on air at ``at`` once closed, and the first starting after it.

        Deciding that reads only the head of each channel's list (the programmes started by ``at``, then
        the next two: a stop left open is closed by the programme after it, see :func:`closed_stop`), so
        the database ranks each revision's programmes and returns that head, only the times of it; then
        only the programmes chosen are read whole and become models.
        """
        by_id = {c.id: c for c in channel_list}
        out: dict[str, tuple[Programme | None, Programme | None]] = dict.fromkeys(by_id, (None, None))
        if not by_id:
            return out
        heads: dict[str, list[Row[Any]]] = {}
        timing = (programmes.c.pk, programmes.c.revision_id, programmes.c.start, programmes.c.stop,
                  programmes.c.stop_estimated)
        with self._begin() as conn:
            winners = self._winners(conn, channel_list, *self._day_bounds(at, end))
            revision_channel = {w.revision_id: channel_id for (channel_id, _), w in winners.items()}
            for near in self._shown_between(list(revision_channel), at, end, *timing):
                near_rows = near.subquery()
                later = near_rows.c.start > bindparam(None, at, type_=programmes.c.start.type)
                ranked = select(near_rows, func.row_number().over(
                    partition_by=(near_rows.c.revision_id, later),
                    order_by=(near_rows.c.start, near_rows.c.pk)).label("n"), later.label("later")).subquery()
                query = select(*(ranked.c[c.name] for c in timing)).where(
                    or_(ranked.c.later.is_(False), ranked.c.n <= 2))
                for row in conn.execute(query).all():
                    heads.setdefault(revision_channel[row.revision_id], []).append(row)
            chosen: dict[int, tuple[str, int, datetime]] = {}  # pk → (channel id, 0 now or 1 next, stop)
            for channel_id, rows in heads.items():
                rows.sort(key=lambda r: (r.start, r.pk))
                started = [r for r in rows if r.start <= at]
                head = started + [r for r in rows if r.start > at][:2]
                stops = [closed_stop(r, following) for r, following in itertools.pairwise(head)]
                stops.append(head[-1].stop)
                if (now := next((i for i, r in enumerate(started) if at < stops[i]), None)) is not None:
                    chosen[head[now].pk] = (channel_id, 0, stops[now])
                if len(head) > len(started):
                    chosen[head[len(started)].pk] = (channel_id, 1, stops[len(started)])
            pairs: dict[str, list[Programme | None]] = {}
            for among in self._among(programmes.c.pk, list(chosen)):
                for row in conn.execute(select(programmes).where(among)).all():
                    channel_id, slot, stop = chosen[row.pk]
                    pairs.setdefault(channel_id, [None, None])[slot] = _closed(_programme(row, by_id[channel_id]),
                                                                               stop)
        out.update((channel_id, (now_on, coming)) for channel_id, (now_on, coming) in pairs.items())
        return out

    def programme(self, programme_id: str) -> tuple[str, Programme]:
        """(channel id, programme) of the current programme with this stable id."""
        channel, _, found = self.programme_day(programme_id)
        return channel.id, found

    def programme_day(self, programme_id: str) -> tuple[Channel, date, Programme]:
        """The channel, broadcast day and current programme with this stable id."""
        with self._begin() as conn:
            rows = conn.execute(
                select(days.c.channel_id, days.c.day, days.c.source, programmes)
                .join(programmes, programmes.c.revision_id == days.c.revision_id)
                .where(programmes.c.id == programme_id)).all()
            for row in rows:
                channel = _channel(conn.execute(select(channels).where(channels.c.id == row.channel_id)).one())
                winner = self._winners(conn, [channel], row.day, row.day).get((channel.id, row.day))
                if winner and winner.source == row.source:
                    return channel, row.day, _programme(row, channel)
        raise NotFound(f"no current programme {programme_id!r}", field="programme")

    def search(self, query: str, channel_list: Sequence[Channel], start: datetime | None, end: datetime | None,
               limit: int = 100) -> list[tuple[str, Programme]]:
        """Current programmes whose title, sub-title or description match every word of ``query``."""
        match = fts_query(query, self.dialect)
        by_id = {c.id: c for c in channel_list}
        if match is None or not by_id:
            return []
        # A bound off the calendar (a year-1 instant east of UTC) is no bound, as in the day bounds.
        start, end = (_moved(t, timedelta(0)) if t else None for t in (start, end))
        first, last = self._day_bounds(start, end)
        with self._begin() as conn:
            if self.dialect == "sqlite":
                fts = text("SELECT rowid FROM programmes_fts WHERE programmes_fts MATCH :q")
                rowids = fts.bindparams(q=match).columns(column("rowid", Integer))
                condition: ColumnElement[bool] = programmes.c.pk.in_(rowids)
            else:
                condition = _SEARCH.bool_op("@@")(func.to_tsquery("simple", match))
            # Joining the day pointers (ix_days_revision_id) keeps every source's current revision and says
            # whose channel-day it is; the few hits from a source that does not win its day are dropped below.
            # A long channel list only misleads the planner (PostgreSQL, given 10,000 ids, walked every
            # programme in start order): past SEARCH_CHANNEL_FILTER channels, hits of channels not asked
            # about are read and dropped below with the losing sources'.
            found = (select(days.c.channel_id, days.c.day, programmes)
                     .join(days, days.c.revision_id == programmes.c.revision_id))
            if len(by_id) <= SEARCH_CHANNEL_FILTER:
                found = found.where(days.c.channel_id.in_(list(by_id)))
            if first is not None:
                found = found.where(days.c.day >= first)
            if last is not None:
                found = found.where(days.c.day <= last)
            if end is not None:
                found = found.where(programmes.c.start < end)
            if start is None:
                parts = [found.where(condition)]
            elif self.dialect == "postgresql":
                # Those on air at ``start`` come first, then those starting later. Read together, in start
                # order, they made PostgreSQL walk a whole day of finished programmes before ``start``; apart,
                # the range index finds the first (each tested against its stored words: a common word's
                # GIN bitmap costs more) and the start index or the GIN index the others.
                stamp = bindparam(None, start, type_=programmes.c.start.type)
                on_air = select(programmes.c.pk, _SEARCH.label("search")).where(_SPAN.op("@>")(stamp)) \
                    .cte("on_air").prefix_with("MATERIALIZED")
                parts = [found.where(programmes.c.pk.in_(select(on_air.c.pk).where(
                             on_air.c.search.bool_op("@@")(func.to_tsquery("simple", match))))),
                         found.where(condition, programmes.c.start > stamp)]
            else:
                found = found.where(condition, programmes.c.stop > start)
                if earliest := _moved(start, -MAX_PROGRAMME_LENGTH):
                    found = found.where(programmes.c.start > earliest)
                parts = [found]
            hits: list[tuple[str, Programme]] = []
            for part in parts:
                offset = 0
                while len(hits) < limit:
                    page = conn.execute(part.order_by(programmes.c.start, programmes.c.pk)
                                        .limit(limit * 2).offset(offset)).all()
                    asked = [r for r in page if r.channel_id in by_id]
                    # Which source each channel-day shows is asked only of the days hits fall on.
                    winners = self._winners(conn, [by_id[c] for c in {r.channel_id for r in asked}],
                                            min(r.day for r in asked), max(r.day for r in asked)) if asked else {}
                    hits += [(r.channel_id, _programme(r, by_id[r.channel_id])) for r in asked
                             if (w := winners.get((r.channel_id, r.day))) and w.revision_id == r.revision_id]
                    if len(page) < limit * 2:
                        break
                    offset += len(page)
        return hits[:limit]


__all__ = ["Store", "make_engine", "source_rank"]
