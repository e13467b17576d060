"""Keep each upload once: a multi-day text or an XMLTV guide no longer repeats its bytes per day.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from epg.tables import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created", UTCDateTime(), nullable=False),
        sa.Column("author", sa.String(100), nullable=True),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False, comment="the upload, byte for byte"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
    )
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("upload_id", sa.Integer(), nullable=True, comment="one upload, many days"))

    # Move every revision's bytes into an upload of its own; nothing is lost.
    bind = op.get_bind()
    old = sa.table("revisions", sa.column("id", sa.Integer), sa.column("created", UTCDateTime()),
                   sa.column("author", sa.String), sa.column("content_type", sa.String),
                   sa.column("raw", sa.LargeBinary), sa.column("upload_id", sa.Integer))
    new = sa.table("uploads", sa.column("id", sa.Integer), sa.column("created", UTCDateTime()),
                   sa.column("author", sa.String), sa.column("content_type", sa.String), sa.column("size", sa.Integer),
                   sa.column("sha256", sa.String), sa.column("raw", sa.LargeBinary))
    for row in bind.execute(sa.select(old.c.id, old.c.created, old.c.author, old.c.content_type, old.c.raw)).all():
        raw = bytes(row.raw)
        upload_id = bind.execute(sa.insert(new).values(
            created=row.created, author=row.author, content_type=row.content_type, size=len(raw),
            sha256=hashlib.sha256(raw).hexdigest(), raw=raw).returning(new.c.id)).scalar_one()
        bind.execute(sa.update(old).where(old.c.id == row.id).values(upload_id=upload_id))

    with op.batch_alter_table("revisions") as batch:
        batch.alter_column("upload_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(op.f("fk_revisions_upload_id_uploads"), "uploads", ["upload_id"], ["id"])
        batch.drop_column("raw")
        batch.drop_column("content_type")


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("content_type", sa.String(100), nullable=True))
        batch.add_column(sa.Column("raw", sa.LargeBinary(), nullable=True))
    op.execute("UPDATE revisions SET raw = (SELECT raw FROM uploads WHERE uploads.id = revisions.upload_id), "
               "content_type = (SELECT content_type FROM uploads WHERE uploads.id = revisions.upload_id)")
    with op.batch_alter_table("revisions") as batch:
        batch.alter_column("content_type", existing_type=sa.String(100), nullable=False)
        batch.alter_column("raw", existing_type=sa.LargeBinary(), nullable=False)
        batch.drop_constraint(op.f("fk_revisions_upload_id_uploads"), type_="foreignkey")
        batch.drop_column("upload_id")
    op.drop_table("uploads")
