"""Initial schema: channels, tokens, revisions, programmes, days, and full-text search.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from epg.migrations.sqlite_fts import TRIGGERS
from epg.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


SQLITE_FTS = [
    """CREATE VIRTUAL TABLE programmes_fts USING fts5(
           title, sub_title, description, content='programmes', content_rowid='pk',
           tokenize='unicode61 remove_diacritics 2')""",
    *TRIGGERS,
]
POSTGRES_FTS = [
    """CREATE INDEX ix_programmes_fts ON programmes USING gin (to_tsvector('simple',
           coalesce(title, '') || ' ' || coalesce(sub_title, '') || ' ' || coalesce(description, '')))""",
]


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("id", sa.String(length=253), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("day_start", sa.Integer(), nullable=False, comment="minutes after midnight"),
        sa.Column("number", sa.String(length=16), nullable=True),
        sa.Column("icon", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("stream_url", sa.Text(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False, comment="source names in priority order"),
        sa.Column("max_gap_minutes", sa.Integer(), nullable=False),
        sa.Column("block_on_warnings", sa.Boolean(), nullable=False),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=True, comment="null: every channel"),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("revoked", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("name", name=op.f("uq_tokens_name")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_tokens_token_hash")),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(length=253), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=True),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("diagnostics", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_revisions_channel_id_channels"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
        sa.UniqueConstraint("channel_id", "day", "number", name=op.f("uq_revisions_channel_id_day_number")),
    )
    op.create_table(
        "days",
        sa.Column("channel_id", sa.String(length=253), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("updated", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_days_channel_id_channels"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["revision_id"], ["revisions.id"], name=op.f("fk_days_revision_id_revisions")),
        sa.PrimaryKeyConstraint("channel_id", "day", "source", name=op.f("pk_days")),
    )
    with op.batch_alter_table("days", schema=None) as batch_op:
        batch_op.create_index("ix_days_day", ["day", "channel_id"], unique=False)

    op.create_table(
        "programmes",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False, comment="stable programme id"),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("modified", UTCDateTime(), nullable=False),
        sa.Column("start", UTCDateTime(), nullable=False),
        sa.Column("stop", UTCDateTime(), nullable=False),
        sa.Column("stop_estimated", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sub_title", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("rating_system", sa.String(length=16), nullable=True),
        sa.Column("rating_value", sa.String(length=16), nullable=True),
        sa.Column("min_age", sa.Integer(), nullable=True),
        sa.Column("season", sa.Integer(), nullable=True),
        sa.Column("episode", sa.Integer(), nullable=True),
        sa.Column("premiere", sa.Boolean(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("repeat", sa.Boolean(), nullable=False),
        sa.Column("subtitles", sa.Boolean(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revisions.id"], name=op.f("fk_programmes_revision_id_revisions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_programmes")),
    )
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.create_index("ix_programmes_id", ["id"], unique=False)
        batch_op.create_index("ix_programmes_revision_start", ["revision_id", "start"], unique=False)

    statements = SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else POSTGRES_FTS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS programmes_fts")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_index("ix_programmes_revision_start")
        batch_op.drop_index("ix_programmes_id")

    op.drop_table("programmes")
    with op.batch_alter_table("days", schema=None) as batch_op:
        batch_op.drop_index("ix_days_day")

    op.drop_table("days")
    op.drop_table("revisions")
    op.drop_table("tokens")
    op.drop_table("channels")
