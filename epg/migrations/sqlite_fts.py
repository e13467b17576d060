"""SQLite's full-text triggers as migration 0001 made them, for the migrations that must put them back.

SQLite drops a column by rebuilding the table, and a table's triggers go with
the old one: 0007's and 0011's downgrades rebuild ``programmes``, so they
restore these, and 0012 restores them before it replaces the insert trigger.
"""

from __future__ import annotations

from alembic import op

#: 0001's triggers keeping ``programmes_fts`` (external content, rowid = ``programmes.pk``) in step.
TRIGGERS = [
    """CREATE TRIGGER programmes_fts_insert AFTER INSERT ON programmes BEGIN
           INSERT INTO programmes_fts(rowid, title, sub_title, description)
           VALUES (new.pk, new.title, new.sub_title, new.description);
       END""",
    """CREATE TRIGGER programmes_fts_delete AFTER DELETE ON programmes BEGIN
           INSERT INTO programmes_fts(programmes_fts, rowid, title, sub_title, description)
           VALUES ('delete', old.pk, old.title, old.sub_title, old.description);
       END""",
]


def restore_triggers() -> None:
    """Both of 0001's triggers, whatever a table rebuild left (on SQLite; nothing elsewhere)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS programmes_fts_insert")
        op.execute("DROP TRIGGER IF EXISTS programmes_fts_delete")
        for statement in TRIGGERS:
            op.execute(statement)
