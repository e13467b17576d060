"""Programme and channel details: everything an XMLTV guide says beyond the typed core (issue 12).

One JSON column on ``programmes`` and one on ``channels`` hold
:class:`epg.details.ProgrammeDetails` and :class:`epg.details.ChannelDetails`.
Existing rows get none (null): what earlier imports dropped was never stored,
and programmes read from text have no details; their feeds stay as they were.
Downgrading drops the columns and with them only what imports since kept.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from epg.migrations.sqlite_fts import restore_triggers

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("programmes") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True, comment=(
            "epg.details.ProgrammeDetails: everything else an imported guide said; null for text")))
    with op.batch_alter_table("channels") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True,
                                   comment="epg.details.ChannelDetails: what an imported guide said"))


def downgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("details")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("details")
    restore_triggers()  # SQLite rebuilt the table, and lost its full-text triggers with the old one
