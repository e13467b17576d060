"""CLI start-up: ``epg --help`` and ``epg channels list`` against ``python -c "import click"``.

    python -m bench.cli_start [--runs 30]

Each command is a fresh process, run to its exit with its output thrown
away; the rounds interleave the commands, so load from anything else on the
machine falls on all of them alike. The figure is each command's minimum
over the runs (the median beside it): start-up has a floor that noise only
adds to. ``channels list`` reads a SQLite store at the newest migration
holding three channels, as a user's would.

Then one ``-X importtime`` run of ``channels list`` says where the time goes:
the import time of each package (with the standard library it pulls in).

Baseline, measured in the same run: ``python -c "import click"``, the least
any click program can cost. Goal (issue 14): within 3× of it.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOAL = 3.0
#: Where ``channels list``'s import time goes: module name prefixes per package (the rest is the standard library).
PACKAGES = {"click": ("click",), "sqlalchemy": ("sqlalchemy",), "alembic": ("alembic",),
            "pydantic": ("pydantic", "pydantic_core", "annotated_types", "typing_inspection", "typing_extensions"),
            "epg (its own modules)": ("epg",)}


def epg_command() -> list[str]:
    """The installed ``epg`` script beside this Python, else the same entry point through ``-c``."""
    script = Path(sys.executable).with_name("epg")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from epg.cli import main; main()"]


def prepare(folder: Path) -> str:
    """A SQLite store at the newest migration with three channels; its URL."""
    from epg.models import Channel
    from epg.service import Service
    from epg.store import Store

    url = f"sqlite:///{folder / 'epg.sqlite3'}"
    store = Store(url)
    try:
        store.create_schema()
        service = Service(store)
        for n, zone in enumerate(("Europe/Moscow", "Europe/London", "Asia/Tokyo")):
            service.add_channel(Channel(id=f"ch{n}.bench.tv", name=f"Channel {n}", tz=zone))
    finally:
        store.close()
    return url


def _run(command: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
    return time.perf_counter() - t0


def _package(name: str) -> str | None:
    return next((p for p, names in PACKAGES.items() if name.split(".")[0] in names), None)


def imports(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds of import time per package of :data:`PACKAGES`, one run.

    Each module's own time counts for its package; a standard-library
    module's for the nearest package that imported it (``asyncio`` under
    ``sqlalchemy``), else for "the rest".
    """
    python = [sys.executable, "-X", "importtime"]
    argv = python + (["-c", "from epg.cli import main; main()", *command[1:]] if command[0] != sys.executable
                     else command[1:])
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    found = dict.fromkeys([*PACKAGES, "the rest"], 0.0)
    owners: list[str | None] = []  # by depth: the package owning the module being imported there
    for line in reversed(done.stderr.splitlines()):  # a module's line comes after those it imported
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|( +)(\S+)$", line)
        if not match:
            continue
        depth = (len(match.group(2)) - 1) // 2
        del owners[depth:]
        owner = _package(match.group(3)) or next((o for o in reversed(owners) if o), None)
        owners.append(owner)
        found[owner or "the rest"] += int(match.group(1)) / 1e6
    return found


def measure(runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="epg-cli-") as folder:
        env = {**os.environ, "EPG_DATABASE_URL": prepare(Path(folder))}
        epg = epg_command()
        commands = {"python -c 'import click'": [sys.executable, "-c", "import click"],
                    "epg --help": [*epg, "--help"],
                    "epg channels list": [*epg, "channels", "list"]}
        for command in commands.values():  # warm the page cache and the bytecode
            _run(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(_run(command, env))
        breakdown = imports(commands["epg channels list"], env)
    base = min(times["python -c 'import click'"])
    return {"runs": runs, "load": os.getloadavg(), "base": base, "breakdown": breakdown,
            "bytecode": not (sys.dont_write_bytecode or os.environ.get("PYTHONDONTWRITEBYTECODE")),
            "commands": {name: {"min": min(t), "median": statistics.median(t), "ratio": min(t) / base}
                         for name, t in times.items()}}


def report(result: dict[str, Any]) -> str:
    lines = [f"{result['runs']} runs each, interleaved; load average at the end "
             f"{', '.join(f'{x:.2f}' for x in result['load'])}",
             "epg's own modules: " + ("compiled once, then read from __pycache__" if result["bytecode"] else
                                      "compiled at every start (PYTHONDONTWRITEBYTECODE is set; tens of ms)"),
             f"{'command':28} {'min ms':>8} {'median ms':>10} {'÷ click':>8}  goal ≤ {GOAL:g}×"]
    for name, t in result["commands"].items():
        verdict = "baseline" if t["ratio"] == 1 else "met" if t["ratio"] <= GOAL else "missed"
        lines.append(f"{name:28} {t['min'] * 1e3:8.1f} {t['median'] * 1e3:10.1f} {t['ratio']:7.2f}×  {verdict}")
    lines.append("`epg channels list`: import time by package (with the standard library each pulls in; one "
                 f"-X importtime run, {sum(result['breakdown'].values()) * 1e3:.0f} ms in all):")
    lines += [f"  {name:22} {seconds * 1e3:7.1f} ms" for name, seconds in result["breakdown"].items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    print(report(measure(parser.parse_args().runs)))


if __name__ == "__main__":
    main()
