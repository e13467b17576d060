"""The store: channels, tokens, and every published revision of every channel-day.

SQLAlchemy 2 Core on SQLite (the default, a single file in WAL mode) or
PostgreSQL. Nothing is ever updated in place except the ``days`` pointer to
a channel-day's newest revision: an upload is kept byte for byte with its
diagnostics and programmes, so any earlier state can be read back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

from epg.errors import AlreadyExists, Conflict, NotFound, StoreError
from epg.identity import assign_ids
from epg.models import Channel, DayGrid, Diagnostic, Programme, Rating, Revision

#: Namespace for programme ids: uuid5 of "channel/day/revision/index" at first sight.
ID_NAMESPACE = uuid.UUID("6f1d6c3e-9a57-4b8e-a1c2-0e5b7f3d2a10")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC: ``timestamptz`` on PostgreSQL, naive UTC text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

channels = Table(
    "channels", metadata,
    Column("id", String(253), primary_key=True),
    Column("name", Text, nullable=False),
    Column("tz", String(64), nullable=False),
    Column("lang", String(16), nullable=False, default="ru"),
    Column("day_start", Integer, nullable=False, default=300, comment="minutes after midnight"),
    Column("number", String(16)),
    Column("icon", Text),
    Column("url", Text),
    Column("created", UTCDateTime, nullable=False),
)

tokens = Table(
    "tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("channels", JSON, nullable=True, comment="null: every channel"),
    Column("created", UTCDateTime, nullable=False),
    Column("revoked", UTCDateTime, nullable=True),
)

revisions = Table(
    "revisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel_id", String(253), ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("number", Integer, nullable=False),
    Column("source", String(64), nullable=False),
    Column("author", String(100)),
    Column("created", UTCDateTime, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("diagnostics", JSON, nullable=False),
    UniqueConstraint("channel_id", "day", "number", name="uq_revisions_channel_day_number"),
)

programmes = Table(
    "programmes", metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("revision_id", Integer, ForeignKey("revisions.id", ondelete="CASCADE"), nullable=False),
    Column("id", String(36), nullable=False, comment="stable programme id"),
    Column("sequence", Integer, nullable=False),
    Column("modified", UTCDateTime, nullable=False),
    Column("start", UTCDateTime, nullable=False),
    Column("stop", UTCDateTime, nullable=False),
    Column("stop_estimated", Boolean, nullable=False),
    Column("title", Text, nullable=False),
    Column("sub_title", Text),
    Column("description", Text),
    Column("categories", JSON, nullable=False),
    Column("rating_system", String(16)),
    Column("rating_value", String(16)),
    Column("min_age", Integer),
    Column("season", Integer),
    Column("episode", Integer),
    Column("premiere", Boolean, nullable=False),
    Column("live", Boolean, nullable=False),
    Column("repeat", Boolean, nullable=False),
    Column("subtitles", Boolean, nullable=False),
    Column("year", Integer),
    Column("country", Text),
    Column("line", Integer),
)
Index("ix_programmes_revision_start", programmes.c.revision_id, programmes.c.start)

days = Table(
    "days", metadata,
    Column("channel_id", String(253), ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("revision_id", Integer, ForeignKey("revisions.id"), nullable=False),
    Column("updated", UTCDateTime, nullable=False),
)
Index("ix_days_day", days.c.day)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings epg relies on (WAL and foreign keys on SQLite)."""
    engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _channel(row: Row[Any]) -> Channel:
    return Channel(
        id=row.id, name=row.name, tz=row.tz, lang=row.lang,
        day_start=time(row.day_start // 60, row.day_start % 60),
        number=row.number, icon=row.icon, url=row.url,
    )


def _programme(row: Row[Any], channel: Channel) -> Programme:
    tz = channel.zoneinfo
    rating = (Rating(system=row.rating_system, value=row.rating_value, min_age=row.min_age)
              if row.rating_system else None)
    return Programme(
        id=row.id, sequence=row.sequence, modified=row.modified,
        start=row.start.astimezone(tz), stop=row.stop.astimezone(tz), stop_estimated=row.stop_estimated,
        title=row.title, sub_title=row.sub_title, description=row.description,
        categories=list(row.categories or []), rating=rating, season=row.season, episode=row.episode,
        premiere=row.premiere, live=row.live, repeat=row.repeat, subtitles=row.subtitles,
        year=row.year, country=row.country, line=row.line,
    )


def _programme_values(p: Programme, revision_id: int) -> dict[str, Any]:
    return {
        "revision_id": revision_id, "id": p.id, "sequence": p.sequence, "modified": p.modified,
        "start": p.start, "stop": p.stop, "stop_estimated": p.stop_estimated,
        "title": p.title, "sub_title": p.sub_title, "description": p.description,
        "categories": list(p.categories),
        "rating_system": p.rating.system if p.rating else None,
        "rating_value": p.rating.value if p.rating else None,
        "min_age": p.rating.min_age if p.rating else None,
        "season": p.season, "episode": p.episode, "premiere": p.premiere, "live": p.live,
        "repeat": p.repeat, "subtitles": p.subtitles, "year": p.year, "country": p.country, "line": p.line,
    }


def _revision(row: Row[Any]) -> Revision:
    return Revision(
        id=row.id, channel_id=row.channel_id, day=row.day, number=row.number, source=row.source,
        author=row.author, created=row.created, content_type=row.content_type,
        diagnostics=[Diagnostic.model_validate(d) for d in row.diagnostics],
    )


_REVISION_COLUMNS = [c for c in revisions.c if c.name != "raw"]


class Store:
    """Persistence for epg. Every method is one transaction; errors leave the data as it was."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    def create_schema(self) -> None:
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreError(f"the database is unavailable: {exc.orig}") from exc

    # -- channels ---------------------------------------------------------

    def add_channel(self, channel: Channel, now: datetime) -> None:
        values = channel.model_dump(exclude={"day_start"})
        values["day_start"] = channel.day_start.hour * 60 + channel.day_start.minute
        try:
            with self._begin() as conn:
                conn.execute(insert(channels).values(**values, created=now))
        except IntegrityError as exc:
            raise AlreadyExists(f"channel {channel.id!r} already exists", field="id") from exc

    def update_channel(self, channel: Channel) -> None:
        values = channel.model_dump(exclude={"day_start", "id"})
        values["day_start"] = channel.day_start.hour * 60 + channel.day_start.minute
        with self._begin() as conn:
            result = conn.execute(update(channels).where(channels.c.id == channel.id).values(**values))
            if result.rowcount == 0:
                raise NotFound(f"no channel {channel.id!r}", field="channel")

    def delete_channel(self, channel_id: str) -> None:
        with self._begin() as conn:
            revision_ids = select(revisions.c.id).where(revisions.c.channel_id == channel_id)
            conn.execute(days.delete().where(days.c.channel_id == channel_id))
            conn.execute(programmes.delete().where(programmes.c.revision_id.in_(revision_ids)))
            conn.execute(revisions.delete().where(revisions.c.channel_id == channel_id))
            if conn.execute(channels.delete().where(channels.c.id == channel_id)).rowcount == 0:
                raise NotFound(f"no channel {channel_id!r}", field="channel")

    def get_channel(self, channel_id: str) -> Channel:
        with self._begin() as conn:
            row = conn.execute(select(channels).where(channels.c.id == channel_id.lower())).first()
        if row is None:
            raise NotFound(f"no channel {channel_id!r}", field="channel")
        return _channel(row)

    def list_channels(self) -> list[Channel]:
        with self._begin() as conn:
            rows = conn.execute(select(channels).order_by(channels.c.number.is_(None), channels.c.number,
                                                          channels.c.id)).all()
        return [_channel(r) for r in rows]

    # -- tokens -----------------------------------------------------------

    def add_token(self, name: str, token_hash: str, channel_ids: list[str] | None, now: datetime) -> None:
        try:
            with self._begin() as conn:
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

    # -- days and revisions ----------------------------------------------

    def publish(
        self,
        channel: Channel,
        grids: dict[date, Sequence[Programme]],
        *,
        raw: bytes,
        content_type: str,
        source: str,
        author: str | None,
        diagnostics: Sequence[Diagnostic],
        now: datetime,
        if_revision: dict[date, int | None] | None = None,
    ) -> list[tuple[Revision, list[Programme]]]:
        """Store a new revision of each of ``channel``'s days in ``grids``, all in one transaction.

        Programme ids carry over from each day's current revision (see
        :mod:`epg.identity`). ``if_revision`` maps a day to the revision id
        the caller last saw (None: the day must not exist yet); if another
        publish happened since, :class:`Conflict` is raised and nothing changes.
        """
        out = []
        with self._begin() as conn:
            for day, new in grids.items():
                expected = (if_revision or {}).get(day, -1)
                out.append(self._publish_day(conn, channel, day, new, raw=raw, content_type=content_type,
                                             source=source, author=author, diagnostics=diagnostics, now=now,
                                             expected=expected))
        return out

    def _publish_day(
        self, conn: Connection, channel: Channel, day: date, new: Sequence[Programme], *, raw: bytes,
        content_type: str, source: str, author: str | None, diagnostics: Sequence[Diagnostic],
        now: datetime, expected: int | None,
    ) -> tuple[Revision, list[Programme]]:
        current = conn.execute(
            select(days.c.revision_id).where(days.c.channel_id == channel.id, days.c.day == day).with_for_update()
        ).scalar()
        if expected != -1 and current != expected:
            raise Conflict(f"{channel.id} {day} has changed: revision {current} is current, not {expected}",
                           field="If-Match")
        old = self._programmes_of(conn, [current], channel) if current else []
        number = (conn.execute(select(func.max(revisions.c.number)).where(
            revisions.c.channel_id == channel.id, revisions.c.day == day)).scalar() or 0) + 1
        revision_id = conn.execute(insert(revisions).values(
            channel_id=channel.id, day=day, number=number, source=source, author=author, created=now,
            content_type=content_type, raw=raw, diagnostics=[d.model_dump() for d in diagnostics],
        ).returning(revisions.c.id)).scalar_one()

        def new_id(index: int) -> str:
            return str(uuid.uuid5(ID_NAMESPACE, f"{channel.id}/{day}/{revision_id}/{index}"))

        stored = assign_ids(old, list(new), new_id, now)
        if stored:
            conn.execute(insert(programmes), [_programme_values(p, revision_id) for p in stored])
        try:
            if current is None:
                conn.execute(insert(days).values(channel_id=channel.id, day=day, revision_id=revision_id,
                                                 updated=now))
                moved = 1
            else:
                moved = conn.execute(update(days).where(
                    days.c.channel_id == channel.id, days.c.day == day, days.c.revision_id == current,
                ).values(revision_id=revision_id, updated=now)).rowcount
        except IntegrityError as exc:
            raise Conflict(f"{channel.id} {day} was published by someone else at the same time") from exc
        if moved != 1:
            raise Conflict(f"{channel.id} {day} was published by someone else at the same time")
        row = conn.execute(select(*_REVISION_COLUMNS).where(revisions.c.id == revision_id)).one()
        return _revision(row), stored

    def _programmes_of(self, conn: Connection, revision_ids: Sequence[int], channel: Channel) -> list[Programme]:
        rows = conn.execute(select(programmes).where(programmes.c.revision_id.in_(revision_ids))
                            .order_by(programmes.c.start, programmes.c.pk)).all()
        return [_programme(r, channel) for r in rows]

    def get_day(self, channel: Channel, day: date) -> DayGrid:
        with self._begin() as conn:
            row = conn.execute(select(*_REVISION_COLUMNS).join(days, days.c.revision_id == revisions.c.id)
                               .where(days.c.channel_id == channel.id, days.c.day == day)).first()
            if row is None:
                raise NotFound(f"nothing published for {channel.id} on {day.isoformat()}", field="date")
            progs = self._programmes_of(conn, [row.id], channel)
        return DayGrid(channel=channel, day=day, programmes=progs, revision=_revision(row))

    def history(self, channel_id: str, day: date) -> list[Revision]:
        with self._begin() as conn:
            rows = conn.execute(select(*_REVISION_COLUMNS).where(
                revisions.c.channel_id == channel_id, revisions.c.day == day).order_by(revisions.c.number)).all()
        return [_revision(r) for r in rows]

    def raw_input(self, revision_id: int) -> bytes:
        with self._begin() as conn:
            raw = conn.execute(select(revisions.c.raw).where(revisions.c.id == revision_id)).scalar()
        if raw is None:
            raise NotFound(f"no revision {revision_id}", field="revision")
        return bytes(raw)

    def programmes_between(
        self, channel_list: Sequence[Channel], start: datetime | None, end: datetime | None
    ) -> dict[str, list[Programme]]:
        """Current programmes of each channel overlapping [start, end), in start order.

        ``None`` bounds mean "everything stored". The day filter (a programme
        belongs to a day no more than a day before it starts) lets the
        ``days`` index narrow the scan before programmes are read.
        """
        by_id = {c.id: c for c in channel_list}
        out: dict[str, list[Programme]] = {c.id: [] for c in channel_list}
        if not by_id:
            return out
        conditions: list[ColumnElement[bool]] = [days.c.channel_id.in_(list(by_id))]
        if start is not None:
            conditions += [programmes.c.stop > start, days.c.day >= (start - timedelta(days=2)).date()]
        if end is not None:
            conditions += [programmes.c.start < end, days.c.day <= (end + timedelta(days=1)).date()]
        query = (select(days.c.channel_id.label("channel_id"), programmes)
                 .join(programmes, programmes.c.revision_id == days.c.revision_id)
                 .where(and_(*conditions))
                 .order_by(days.c.channel_id, programmes.c.start, programmes.c.pk))
        with self._begin() as conn:
            for row in conn.execute(query):
                out[row.channel_id].append(_programme(row, by_id[row.channel_id]))
        return out

    def days_of(self, channel_id: str) -> list[date]:
        with self._begin() as conn:
            return list(conn.execute(select(days.c.day).where(days.c.channel_id == channel_id)
                                     .order_by(days.c.day)).scalars())

    def ping(self) -> None:
        with self._begin() as conn:
            conn.execute(select(1))


__all__ = ["Store", "make_engine", "metadata"]
