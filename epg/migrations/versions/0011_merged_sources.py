"""Merged days: where each programme of a day several sources publish came from (issue 12).

A day that more than one source publishes is shown as their merge (see
:mod:`epg.merge`), kept as a revision of its own under the reserved source
``merged``; each of its programmes says in ``provenance`` which source it
and each field filled in came from. Existing days are left as they were
(the next publish of a day merges it); rows get no provenance (null).
Downgrading drops the column and the merged revisions, and with them the
``days`` pointers to them: each day shows its highest-priority source again.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from epg.migrations.sqlite_fts import restore_triggers

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("programmes") as batch:
        batch.add_column(sa.Column("provenance", sa.JSON(), nullable=True, comment=(
            "epg.models.Provenance, on a merged day's programmes only: the source of it and of each field")))


def downgrade() -> None:
    op.execute("DELETE FROM days WHERE source = 'merged'")
    op.execute("DELETE FROM programmes WHERE revision_id IN (SELECT id FROM revisions WHERE source = 'merged')")
    op.execute("DELETE FROM revisions WHERE source = 'merged'")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("provenance")
    restore_triggers()  # SQLite rebuilt the table, and lost its full-text triggers with the old one
