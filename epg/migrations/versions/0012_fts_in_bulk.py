"""SQLite's full-text index filled in bulk by a large publish (issue 14), and its triggers made whole.

The trigger that copied each new programme into ``programmes_fts`` ran a
statement per row, and cost more than a third of an import's writing (1.1 of
3.0 s for 28,000 programmes, where one ``INSERT … SELECT`` of the same rows
takes 0.06 s). It now stands aside while the one-row table ``fts_deferred``
holds a row: a large publish puts that row in, inserts its programmes, takes
it out and indexes them in one statement, all in its own transaction, so no
other connection ever sees the table filled or a programme unindexed. Every
other insert is indexed by the trigger as before.

Downgrading 0011 or 0007 rebuilt ``programmes`` (SQLite drops a column by
copying the table) and lost both triggers with the old table, so a database
taken down and up again stopped indexing new programmes. This migration
creates both triggers whatever it finds and rebuilds the index from the
table; those two downgrades now put the triggers back themselves.
PostgreSQL keeps a stored ``tsvector`` (0010) and needs none of this.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

from epg.migrations.sqlite_fts import restore_triggers

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_DEFERRING_INSERT = """CREATE TRIGGER programmes_fts_insert AFTER INSERT ON programmes
           WHEN NOT EXISTS (SELECT 1 FROM fts_deferred) BEGIN
           INSERT INTO programmes_fts(rowid, title, sub_title, description)
           VALUES (new.pk, new.title, new.sub_title, new.description);
       END"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE fts_deferred (deferred INTEGER PRIMARY KEY CHECK (deferred = 1))")
    restore_triggers()
    op.execute("DROP TRIGGER programmes_fts_insert")
    op.execute(_DEFERRING_INSERT)
    op.execute("INSERT INTO programmes_fts(programmes_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    restore_triggers()
    op.execute("DROP TABLE fts_deferred")
