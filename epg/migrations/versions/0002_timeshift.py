"""Timeshift channels: a channel can repeat another one N hours later.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.add_column(sa.Column("shift_of", sa.String(253), nullable=True,
                                   comment="timeshift: the channel this one repeats"))
        batch.add_column(sa.Column("shift_hours", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("shift_hours")
        batch.drop_column("shift_of")
