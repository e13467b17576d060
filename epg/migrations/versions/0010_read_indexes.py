"""Indexes for reading a 10,000-channel guide: what is on at an instant, and which day shows a revision.

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


def upgrade() -> None:
    op.create_index("ix_days_revision_id", "days", ["revision_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_programmes_span ON programmes USING gist ({SPAN})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_programmes_span")
    op.drop_index("ix_days_revision_id", table_name="days")
