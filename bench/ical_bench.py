"""iCal benchmark: a channel's 14-day feed (``/ical/{id}.ics?days=14``) from a real server, cold and warm.

    python -m bench.ical_bench [--database URL]

A synthetic channel with 14 broadcast days of 40 programmes is imported
into the store (into the guide the other benchmarks built, when given one:
the feed is then read from a store of realistic size), ``epg serve`` is
started on it, and the feed is fetched: the first request is cold (a fresh
process), the second warm, then a few more warm ones and a conditional one.
iCal feeds are not cached as pieces: every 200 renders the calendar again.

Baseline, measured in the same run: ``feeds.ical.write_ical`` alone on the
same programmes already in memory — what the endpoint would cost with no
store, no HTTP and no framework around the writer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx

from bench.export_bench import FIRST_DAY, channel_days
from bench.http_load import RssSampler, epg_serve

DAYS = 14
PER_DAY = 40
#: Far above the indexes of the export guide's channels, so the channel is new in its store.
CHANNEL_INDEX = 9000


def prepare(database_url: str) -> tuple[str, int]:
    """Import the 14-day channel into the store at ``database_url``; (its id, its programme count)."""
    from epg.models import ChannelGuide, Guide
    from epg.service import Service
    from epg.store import Store
    from feeds.xmltv import write_xmltv

    channel, by_day = channel_days(CHANNEL_INDEX, DAYS, PER_DAY)
    items = [p for day in by_day for p in day]
    raw = write_xmltv(Guide(channels=[ChannelGuide(channel=channel, programmes=items)]))
    store = Store(database_url)
    try:
        store.create_schema()
        Service(store).import_guide([channel], {channel.id: items}, [], raw=raw, principal=None)
    finally:
        store.close()
    return channel.id, len(items)


def writer_baseline(database_url: str, channel_id: str, repeats: int = 5) -> dict[str, Any]:
    """``write_ical`` on the feed's programmes, loaded once from the store (not timed)."""
    from epg.service import Service
    from epg.store import Store
    from feeds.ical import write_ical

    store = Store(database_url)
    try:
        start = datetime.combine(FIRST_DAY, clock_time(0), tzinfo=UTC)
        item = Service(store).guide([channel_id], start, start + timedelta(days=DAYS)).channels[0]
    finally:
        store.close()
    times = []
    body = b""
    for _ in range(repeats):
        t0 = time.perf_counter()
        body = write_ical(item.channel, item.programmes, name=item.channel.name)
        times.append(time.perf_counter() - t0)
    return {"first_seconds": times[0], "median_seconds": statistics.median(times), "bytes": len(body),
            "events": body.count(b"BEGIN:VEVENT")}


def _get(client: httpx.Client, url: str, headers: dict[str, str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    response = client.get(url, headers=headers)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "status": response.status_code, "bytes": len(response.content),
            "events": response.content.count(b"BEGIN:VEVENT"), "etag": response.headers.get("etag", "")}


def measure_ical(database_url: str, workdir: Path, step: Callable[[str], None] = lambda _text: None,
                 repeats: int = 5) -> dict[str, Any]:
    step("importing a 14-day channel for the iCal feed")
    channel_id, programmes = prepare(database_url)
    step("write_ical alone (baseline)")
    results: dict[str, Any] = {"channel": channel_id, "programmes": programmes,
                               "writer": writer_baseline(database_url, channel_id)}
    step("starting epg serve for the iCal feed")
    server = epg_serve(database_url, workdir / "serve-ical.log")
    path = f"/ical/{channel_id}.ics?from={FIRST_DAY.isoformat()}&days={DAYS}"
    results["url"] = path
    plain = {"Accept-Encoding": "identity"}
    try:
        with httpx.Client(base_url=server.url, timeout=120.0) as client, RssSampler(server.process.pid) as rss:
            step("GET the iCal feed, cold (first request)")
            results["cold"] = _get(client, path, plain)
            step("GET the iCal feed, warm (second request)")
            results["warm"] = _get(client, path, plain)
            more = [_get(client, path, plain)["seconds"] for _ in range(repeats)]
            results["warm_median_seconds"] = statistics.median(more)
            results["not_modified"] = _get(client, path, plain | {"If-None-Match": results["warm"]["etag"]})
        results["peak_kib"] = rss.peak_kib
    finally:
        server.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ical_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL of a store to add the channel to (default: a new one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="epg-ical-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'ical.sqlite3'}"
        results = measure_ical(url, Path(folder), lambda text: print(text, file=sys.stderr))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
