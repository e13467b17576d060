"""Remember a client's Idempotency-Key with its upload.

A publish whose client timed out still commits; the client's retry carries
the same key and gets the first publish's result instead of a second
revision. Existing uploads have no key.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("uploads") as batch:
        batch.add_column(sa.Column(
            "idempotency_key", sa.String(255), nullable=True,
            comment="the client's Idempotency-Key: a retry with it answers this upload's result again"))
    op.create_index("ux_uploads_author_key", "uploads", ["author", "idempotency_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_uploads_author_key", table_name="uploads")
    with op.batch_alter_table("uploads") as batch:
        batch.drop_column("idempotency_key")
