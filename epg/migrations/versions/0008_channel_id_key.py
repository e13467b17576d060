"""Channel ids kept as their source wrote them, found ignoring case.

Until now ids were lowercased on the way in, so a guide's ``DasErste.de``
came out as ``daserste.de`` and playlists holding the original stopped
matching. Ids are now stored verbatim; ``id_key`` (``epg.models.id_key``:
the id in lowercase) is what typed ids are looked up by, and its unique
constraint keeps two channels from differing only by case. Existing ids
are already lowercase, so their key is the id itself.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.add_column(sa.Column("id_key", sa.String(253), nullable=True,
                                   comment="epg.models.id_key(id): how typed ids find the channel, ignoring case"))
    table = sa.table("channels", sa.column("id", sa.String), sa.column("id_key", sa.String))
    bind = op.get_bind()
    for (channel_id,) in bind.execute(sa.select(table.c.id)).all():
        bind.execute(sa.update(table).where(table.c.id == channel_id).values(id_key=channel_id.strip().lower()))
    with op.batch_alter_table("channels") as batch:
        batch.alter_column("id_key", existing_type=sa.String(253), nullable=False)
        batch.create_unique_constraint("uq_channels_id_key", ["id_key"])


def downgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.drop_constraint("uq_channels_id_key", type_="unique")
        batch.drop_column("id_key")
