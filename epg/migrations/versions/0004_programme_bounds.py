"""Bound programme length and index programmes by start.

Time-window reads now bound a programme's start from below by the window's
start minus ``MAX_PROGRAMME_LENGTH`` (24 hours), so the store no longer
keeps longer programmes: the few an older version stored have their stop cut
to 24 hours after their start (the upload they came from is kept as it was).
The (start, pk) index serves searches ordered by start.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from epg.tables import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LONGEST = timedelta(hours=24)


def upgrade() -> None:
    bind = op.get_bind()
    table = sa.table("programmes", sa.column("pk", sa.Integer), sa.column("start", UTCDateTime()),
                     sa.column("stop", UTCDateTime()))
    if bind.dialect.name == "sqlite":
        too_long = sa.func.julianday(table.c.stop) - sa.func.julianday(table.c.start) > LONGEST / timedelta(days=1)
    else:
        too_long = table.c.stop > table.c.start + sa.literal(LONGEST, sa.Interval())
    for row in bind.execute(sa.select(table.c.pk, table.c.start).where(too_long)).all():
        bind.execute(sa.update(table).where(table.c.pk == row.pk).values(stop=row.start + LONGEST))
    op.create_index(op.f("ix_programmes_start_pk"), "programmes", ["start", "pk"])


def downgrade() -> None:
    op.drop_index(op.f("ix_programmes_start_pk"), table_name="programmes")
