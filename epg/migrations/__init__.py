"""Alembic migrations; :func:`upgrade` brings any database to the current schema.

Every command of the CLI and every server start calls :func:`upgrade`, and
importing Alembic costs a fifth of a second: so a database already at the
newest revision is recognized by one query, and Alembic is loaded only when
there is something to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

HERE = Path(__file__).resolve().parent


def head() -> str:
    """The newest revision: versions are numbered ``0001_…``, ``0002_…`` in one line, each naming the one before."""
    return max(path.name[:4] for path in (HERE / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None when it has none yet (or cannot say)."""
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision in ("head", head()) and current(engine) == head():
        return
    from alembic import command

    command.upgrade(config(engine), revision)
