"""A quick CLI (issue 14): each command loads only what it uses; timing is ``python -m bench.cli_start``'s job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from epg.service import Service
from epg.store import Store
from tests.conftest import BIGASIA, ROOT

#: Runs the real entry point in a fresh interpreter, then names every module it loaded after a marker line.
PROBE = """import sys
from epg.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("--- modules ---")
print("\\n".join(sorted(sys.modules)))
"""


def loaded(*args: str, database: Path) -> tuple[str, set[str]]:
    """What ``epg ARGS`` printed, and the modules it imported."""
    env = {**os.environ, "EPG_DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True, timeout=60)
    output, _, modules = done.stdout.partition("--- modules ---\n")
    return output, set(modules.split())


def packages(modules: set[str], *names: str) -> set[str]:
    """The modules that are one of ``names`` or inside one."""
    return {m for m in modules if any(m == n or m.startswith(n + ".") for n in names)}


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A store at the newest migration with one channel, as a user's is between commands."""
    path = tmp_path / "epg.sqlite3"
    store = Store(f"sqlite:///{path}")
    store.create_schema()
    Service(store).add_channel(BIGASIA)
    store.close()
    return path


def test_help_loads_no_database_layer_models_or_feeds(database: Path) -> None:
    output, modules = loaded("--help", database=database)

    assert "channels" in output and "export" in output
    assert packages(modules, "sqlalchemy", "pydantic", "alembic", "feeds", "api", "epg.store", "epg.models") == set()


def test_listing_channels_loads_the_store_but_not_the_service_parser_feeds_or_alembic(database: Path) -> None:
    output, modules = loaded("channels", "list", database=database)

    assert output.startswith(f"{BIGASIA.id}\t{BIGASIA.name}")
    assert "epg.store" in modules
    assert packages(modules, "alembic", "feeds", "api", "epg.service", "epg.parser", "epg.documents",
                    "sqlalchemy.dialects.postgresql") == set()
