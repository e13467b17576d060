"""Rendered feed pieces kept in the database.

Each channel-day's XMLTV piece is rendered once, at publish time or on the
first read, and kept here under a key naming everything that decides its
bytes, so a fresh process or another replica serves a cold feed by reading
pieces instead of rendering every programme again.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from epg.tables import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pieces",
        sa.Column("key", sa.String(64), nullable=False, comment=(
            "sha256 of what decides the bytes: the feed, the channel-day's revisions, the writer's code")),
        sa.Column("body", sa.LargeBinary(), nullable=False, comment="the rendered piece, zlib-compressed"),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_pieces")),
    )
    op.create_index("ix_pieces_created", "pieces", ["created"])


def downgrade() -> None:
    op.drop_index("ix_pieces_created", table_name="pieces")
    op.drop_table("pieces")
