"""Import speed against an earlier commit: ``python -m bench.import_ab --against REV``.

    python -m bench.import_ab --against 331dd2e^ [--channels 100] [--days 7] [--per-day 40] [--rounds 5]

Issue 12 asks that the lossless model leave the XMLTV import within 10 % of
what it cost before. Timing two trees in separate runs on a shared two-core
machine says little, so this checks ``REV`` out into a temporary worktree,
writes one synthetic guide (:func:`bench.export_bench.build_guide`) and
imports it with each tree in turn, round after round (so load falls on both
alike), each import a fresh process on a fresh SQLite store:
``feeds.xmltv_reader.read_xmltv`` then ``Service.import_guide``, as ``epg
import`` does, without rendering feed pieces after the publish (issue 14
added that work on purpose; it is measured in the export section).

The figure is CPU time of the process (``time.process_time``), which load
from other processes disturbs less than wall time; each tree's minimum and
median over the rounds, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.10

#: Run with the tree under test first on sys.path: read then store one guide, print CPU seconds as JSON.
_PHASE = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from feeds.xmltv_reader import read_xmltv
from epg.service import Service
from epg.store import Store
data = open(sys.argv[2], "rb").read()
store = Store("sqlite:///" + sys.argv[3])
store.create_schema()
service = Service(store)
t0 = time.process_time()
guide = read_xmltv(data)
t1 = time.process_time()
service.import_guide(guide.channels, guide.programmes, guide.repairs, raw=data, principal=None,
                     source="xmltv", content_type="application/xml")
t2 = time.process_time()
print(json.dumps({"read": t1 - t0, "store": t2 - t1, "total": t2 - t0}))
"""


def _once(tree: Path, guide: Path, workdir: Path) -> dict[str, float]:
    database = workdir / "ab.sqlite3"
    for leftover in workdir.glob("ab.sqlite3*"):
        leftover.unlink()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _PHASE, str(tree), str(guide), str(database)], env=env,
                          capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_ab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", required=True, help="the commit to compare with (git revision)")
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--per-day", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    from bench.export_bench import build_guide
    from feeds.xmltv import write_xmltv

    with tempfile.TemporaryDirectory(prefix="epg-import-ab-") as tmp:
        workdir = Path(tmp)
        base = workdir / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--quiet", "--detach", str(base), args.against],
                       check=True)
        try:
            guide = workdir / "guide.xml"
            guide.write_bytes(write_xmltv(build_guide(args.channels, args.days, args.per_day)))
            runs: dict[str, list[dict[str, float]]] = {"before": [], "now": []}
            for _ in range(args.rounds):
                runs["before"].append(_once(base, guide, workdir))
                runs["now"].append(_once(ROOT, guide, workdir))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    programmes = args.channels * args.days * args.per_day
    print(f"{programmes:,} programmes, {args.rounds} interleaved rounds, CPU seconds; load {os.getloadavg()}")
    print(f"{'tree':<24} {'read min':>9} {'store min':>10} {'total min':>10} {'total median':>13}")
    for name, label in (("before", args.against), ("now", "this tree")):
        items = runs[name]
        print(f"{label:<24} {min(r['read'] for r in items):>9.2f} {min(r['store'] for r in items):>10.2f} "
              f"{min(r['total'] for r in items):>10.2f} {statistics.median(r['total'] for r in items):>13.2f}")
    ratio = min(r["total"] for r in runs["now"]) / min(r["total"] for r in runs["before"])
    verdict = "met" if ratio <= GOAL else "missed"
    print(f"this tree ÷ {args.against}: {ratio:.3f} (minimum against minimum); goal ≤ {GOAL:.2f} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
