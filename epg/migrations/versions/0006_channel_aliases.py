"""Channel aliases: the other names documents print for a channel (issue 13).

A document naming several channels is published to the stored channels its
headings name; ``aliases`` lets ``РОССИЯ 1`` or ``Russia One`` name
``russia1.ru``. Existing channels get none.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.add_column(sa.Column("aliases", sa.JSON(), nullable=False, server_default="[]",
                                   comment="other names documents print for the channel (see epg.channelnames)"))


def downgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("aliases")
