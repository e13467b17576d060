"""Alembic environment: runs on the engine the store hands over (no alembic.ini, no URL here)."""

from __future__ import annotations

from alembic import context

from epg.tables import metadata

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by copying it; with foreign keys enforced, dropping the
        # old copy would fail on every row that points at it. The pragma only takes
        # effect outside a transaction, so it goes straight to the driver before any BEGIN.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    with connection.begin():
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
