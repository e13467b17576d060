"""Identity matching (issue 14): re-publishing a day with every programme shifted, at several sizes.

    python -m bench.identity_bench [--sizes 500,1000,5000] [--repeat 3]

For each size N a broadcast day of N programmes is published, then the same
day with every programme two minutes later is matched against it with
:func:`epg.identity.assign_ids` (what a publish does for each day), three
ways: every title different, 40 titles in turn, and one title for all (the
worst case for "same title, nearest start"). It prints the best of
``--repeat`` runs in CPU seconds of this process (so other work on a shared
machine skews it less) and the candidate pairs the matcher examined, and the
ratio of each to the smallest size: O(N log N) matching gives about 10× for
10× the programmes, comparing every pair gave 100×. Not run in CI; the tests
count the work instead (tests/test_identity.py).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from epg.identity import MatchWork, assign_ids
from epg.models import Programme

ZONE = ZoneInfo("Europe/Moscow")
DAY_START = datetime(2024, 1, 1, 2, tzinfo=UTC)  # 05:00 in Moscow
SHIFT = timedelta(minutes=2)
TITLES = {"all titles differ": None, "40 titles in turn": 40, "one title": 1}


def day(count: int, titles: int | None, shift: timedelta = timedelta(0)) -> list[Programme]:
    every = timedelta(days=1) / count
    out = []
    for i in range(count):
        start = (DAY_START + i * every + shift).astimezone(ZONE)
        out.append(Programme(start=start, stop=start + every,
                             title=f"Programme {i if titles is None else i % titles}"))
    return out


def measure(count: int, titles: int | None, repeat: int) -> tuple[float, int]:
    """(best CPU seconds of one matching, candidate pairs examined)."""
    now = datetime.now(UTC)
    old = assign_ids([], day(count, titles), lambda i: f"old-{i}", now)
    new = day(count, titles, SHIFT)
    best, pairs = float("inf"), 0
    for _ in range(repeat):
        work = MatchWork()
        began = time.process_time()
        assign_ids(old, new, lambda i: f"new-{i}", now, work)
        best = min(best, time.process_time() - began)
        pairs = work.pairs
    return best, pairs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,1000,5000", help="programmes per day, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best is shown")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'titles':<18} {'programmes':>10} {'seconds':>9} {'×':>6} {'pairs':>9} {'×':>6}")
    for label, titles in TITLES.items():
        base: tuple[float, int] | None = None
        for count in sizes:
            seconds, pairs = measure(count, titles, args.repeat)
            base = base or (seconds, pairs)
            print(f"{label:<18} {count:>10,} {seconds:>9.4f} {seconds / base[0]:>6.1f} "
                  f"{pairs:>9,} {pairs / base[1]:>6.1f}")


if __name__ == "__main__":
    main()
