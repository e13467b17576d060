"""Indexes for reading a 10,000-channel guide: what is on in a window, words, and which day shows a revision.

- ``ix_programmes_span`` (PostgreSQL): a GiST index on each programme's
  ``[start, stop)`` range. Now/next and the grid ask which programmes overlap
  a window; the (revision, start) index answers that only by reading every
  programme of every shown channel-day from a day before the window (and
  PostgreSQL, given tens of thousands of revisions, read the whole table
  instead). The range index finds the few thousand programmes on air across
  all channels directly; the shown revisions are then kept among them.
  ``greatest`` keeps the range valid (never lower above upper) whatever a row
  holds; the store refuses such rows anyway. SQLite keeps the (revision,
  start) index: its guides are small.
- ``programmes.search`` (PostgreSQL): the words of title, sub-title and
  description as a stored ``tsvector`` (a generated column, so every insert
  and ``COPY`` fills it), with the GIN index ``ix_programmes_search`` in place
  of the expression index ``ix_programmes_fts``. A common word matches too
  many rows for the GIN index to pay: search then walks programmes in start
  order (or those on air, through the range index) and tests each, which
  the stored vector makes cheap instead of parsing three texts a row.
- ``ix_days_revision_id``: search joins each hit to the day pointer that
  shows its revision; without an index that join read all of ``days`` for
  every hit.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: The indexed expression; ``epg.store`` queries the same one (``_SPAN``).
SPAN = "tstzrange(start, greatest(start, stop))"
#: What search matches (as the expression index of 0001 held it).
DOCUMENT = ("to_tsvector('simple', "
            "coalesce(title, '') || ' ' || coalesce(sub_title, '') || ' ' || coalesce(description, ''))")


def upgrade() -> None:
    op.create_index("ix_days_revision_id", "days", ["revision_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_programmes_span ON programmes USING gist ({SPAN})")
        op.execute(f"ALTER TABLE programmes ADD COLUMN search tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED")
        op.execute("CREATE INDEX ix_programmes_search ON programmes USING gin (search)")
        op.execute("DROP INDEX ix_programmes_fts")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_programmes_fts ON programmes USING gin ({DOCUMENT})")
        op.execute("ALTER TABLE programmes DROP COLUMN search")  # and its index
        op.execute("DROP INDEX ix_programmes_span")
    op.drop_index("ix_days_revision_id", table_name="days")
