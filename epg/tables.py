"""The database schema, as SQLAlchemy Core tables (migrations in ``epg/migrations`` create it).

Uploads, revisions and programmes are written once and never changed; the
``days`` table points each (channel, day, source) at its newest revision.
An upload (the bytes an operator sent) is kept once, however many days and
channels it publishes.
Full-text search lives beside ``programmes`` in a dialect-specific form:
an FTS5 table on SQLite, an expression GIN index on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

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
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC: ``timestamptz`` on PostgreSQL, naive UTC on SQLite."""

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


metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

channels = Table(
    "channels", metadata,
    Column("id", String(253), primary_key=True, comment="as the source wrote it: playlists match it exactly"),
    Column("id_key", String(253), nullable=False, unique=True,
           comment="epg.models.id_key(id): how typed ids find the channel, ignoring case"),
    Column("name", Text, nullable=False),
    Column("tz", String(64), nullable=False),
    Column("lang", String(16), nullable=False),
    Column("day_start", Integer, nullable=False, comment="minutes after midnight"),
    Column("number", String(16)),
    Column("icon", Text),
    Column("url", Text),
    Column("stream_url", Text),
    Column("sources", JSON, nullable=False, comment="source names in priority order"),
    Column("max_gap_minutes", Integer, nullable=False),
    Column("block_on_warnings", Boolean, nullable=False),
    Column("shift_of", String(253), nullable=True, comment="timeshift: the channel this one repeats"),
    Column("shift_hours", Integer, nullable=False, server_default="0"),
    Column("aliases", JSON, nullable=False, server_default="[]",
           comment="other names documents print for the channel (see epg.channelnames)"),
    Column("details", JSON, nullable=True, comment="epg.details.ChannelDetails: what an imported guide said"),
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

uploads = Table(
    "uploads", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created", UTCDateTime, nullable=False),
    Column("author", String(100)),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("raw", LargeBinary, nullable=False, comment="the upload, byte for byte"),
    Column("idempotency_key", String(255), nullable=True,
           comment="the client's Idempotency-Key: a retry with it answers this upload's result again"),
)

revisions = Table(
    "revisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel_id", String(253), ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("source", String(64), nullable=False),
    Column("number", Integer, nullable=False),
    Column("author", String(100)),
    Column("created", UTCDateTime, nullable=False),
    Column("upload_id", Integer, ForeignKey("uploads.id"), nullable=False, comment="one upload, many days"),
    Column("diagnostics", JSON, nullable=False),
    UniqueConstraint("channel_id", "day", "number"),
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
    # none_as_null: None is SQL NULL, not the JSON text 'null' (no encoder call for each programme without them).
    Column("details", JSON(none_as_null=True), nullable=True,
           comment="epg.details.ProgrammeDetails: everything else an imported guide said; null for text"),
    Column("provenance", JSON(none_as_null=True), nullable=True,
           comment="epg.models.Provenance, on a merged day's programmes only: the source of it and of each field"),
)
pieces = Table(
    "pieces", metadata,
    Column("key", String(64), primary_key=True,
           comment="sha256 of what decides the bytes: the feed, the channel-day's revisions, the writer's code"),
    Column("body", LargeBinary, nullable=False, comment="the rendered piece, zlib-compressed"),
    Column("created", UTCDateTime, nullable=False),
)
# Pruned by age (Store.store_pieces), so read by created too.
Index("ix_pieces_created", pieces.c.created)

# One upload per author and key: a retried request finds the first one instead of publishing twice.
Index("ux_uploads_author_key", uploads.c.author, uploads.c.idempotency_key, unique=True)
Index("ix_programmes_revision_start", programmes.c.revision_id, programmes.c.start)
Index("ix_programmes_id", programmes.c.id)
Index("ix_programmes_start_pk", programmes.c.start, programmes.c.pk)

days = Table(
    "days", metadata,
    Column("channel_id", String(253), ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("revision_id", Integer, ForeignKey("revisions.id"), nullable=False),
    Column("updated", UTCDateTime, nullable=False),
)
Index("ix_days_day", days.c.day, days.c.channel_id)
# Search joins each hit to the day pointer showing its revision (see migration 0010, which also adds the
# GiST range index PostgreSQL finds what is on air with).
Index("ix_days_revision_id", days.c.revision_id)
