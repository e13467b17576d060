"""XMLTV import benchmark: ``epg import FILE`` into a fresh SQLite store, against tv_cat reading the same file.

    python -m bench.import_bench GUIDE.xml [--database sqlite:///x.sqlite3]

The import runs in its own subprocess, through the command line's own code
(``epg.cli.main(["import", FILE])``: ``feeds.xmltv_reader.read_xmltv`` then
``Service.import_guide``, one transaction), timed from the call to its
return, so interpreter start-up is left out but the schema check, the
reading, the identity matching and every insert are in. A second subprocess
times ``read_xmltv`` alone, to show where the time goes. Peak RSS of each is
its own (GNU ``time``, see :func:`bench.export_bench.measure`).

``tv_cat`` (Perl XMLTV) parses the same file and writes it back out; the
benchmark driver runs it once and passes its figures in, since both the
export and the import are compared with it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.export_bench import measure


def _phase_import(guide: str, database_url: str) -> dict[str, Any]:
    import contextlib
    import io
    import os

    os.environ["EPG_DATABASE_URL"] = database_url
    from epg.cli import main

    said = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(said):
        main(["import", guide], standalone_mode=False)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "said": said.getvalue().strip()}


def _phase_read(guide: str) -> dict[str, Any]:
    from feeds.xmltv_reader import read_xmltv

    data = Path(guide).read_bytes()
    t0 = time.perf_counter()
    found = read_xmltv(data)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "channels": len(found.channels),
            "programmes": sum(len(p) for p in found.programmes.values()), "repairs": len(found.repairs)}


def stored_counts(database_url: str) -> dict[str, int]:
    """What the store holds after the import: channels, channel-days, revisions, programmes."""
    from sqlalchemy import func, select

    from epg.store import Store
    from epg.tables import channels, days, programmes, revisions

    store = Store(database_url)
    try:
        with store.engine.connect() as conn:
            return {name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                    for name, table in (("channels", channels), ("days", days), ("revisions", revisions),
                                        ("programmes", programmes))}
    finally:
        store.close()


def measure_import(guide: Path, database_url: str,
                   step: Callable[[str], None] = lambda _text: None) -> dict[str, Any]:
    """Import ``guide`` into ``database_url`` (which should be empty) and read it once more without storing."""
    results: dict[str, Any] = {"guide_bytes": guide.stat().st_size}
    base = [sys.executable, "-m", "bench.import_bench", str(guide), "--database", database_url]
    step(f"epg import of the {guide.stat().st_size / 1e6:.1f} MB guide into SQLite")
    seconds, peak, stdout = measure([*base, "--phase", "import"])
    results["import"] = json.loads(stdout.strip().splitlines()[-1]) | {"process_seconds": seconds,
                                                                        "peak_kib": peak}
    step("read_xmltv alone (no store)")
    seconds, peak, stdout = measure([*base, "--phase", "read"])
    results["read"] = json.loads(stdout.strip().splitlines()[-1]) | {"process_seconds": seconds, "peak_kib": peak}
    results["stored"] = stored_counts(database_url)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("guide", help="an XMLTV file (python -m bench.export_bench --dir DIR writes DIR/cold.xml)")
    parser.add_argument("--database", help="SQLAlchemy URL of an empty store (default: a temporary SQLite file)")
    parser.add_argument("--phase", choices=["import", "read"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "import":
        print(json.dumps(_phase_import(args.guide, args.database)))
        return 0
    if args.phase == "read":
        print(json.dumps(_phase_read(args.guide)))
        return 0
    with tempfile.TemporaryDirectory(prefix="epg-import-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'import.sqlite3'}"
        results = measure_import(Path(args.guide), url, lambda text: print(text, file=sys.stderr))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
