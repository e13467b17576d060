"""The layering the design relies on: the core imports no edge; the pure modules do no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PURE = ["models", "parser", "timeline", "schedule", "ratings", "titles", "dayheaders", "decoding", "identity"]
IO_MODULES = {"sqlalchemy", "fastapi", "starlette", "httpx", "requests", "socket", "urllib", "os", "pathlib",
              "subprocess", "io"}


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_epg_core_never_imports_the_edges() -> None:
    for path in (ROOT / "epg").glob("*.py"):
        if path.name == "cli.py":  # the entry point is an edge itself
            continue
        assert not imported(path) & {"api", "feeds"}, path.name


def test_parser_time_line_and_models_do_no_io() -> None:
    for name in PURE:
        assert not imported(ROOT / "epg" / f"{name}.py") & IO_MODULES, name


def test_feeds_do_not_reach_the_store_or_the_web() -> None:
    for path in (ROOT / "feeds").glob("*.py"):
        assert not imported(path) & {"api", "sqlalchemy", "fastapi"}, path.name
