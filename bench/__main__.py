"""Every benchmark in one run, written to BENCHMARKS.md: ``python -m bench [--quick] [--only NAME]``.

Each benchmark measures epg and its baseline in the same run on the same
machine, and reports the absolute figures, the ratio and the goal of issue 7
with met or missed. The machine (CPU, memory, OS, load when the run began,
database and tool versions) heads the file, since figures from a shared
two-core machine mean little without it.

Benchmarks (``--only`` takes these names, comma-separated):

- ``parse``: ``python -m bench.parse_bench`` (typed parsing against a bare
  regex scan), its printed output included;
- ``export``: a synthetic 500 channels × 7 days × 40 guide served as
  ``/xmltv.xml`` by a real ``epg serve`` over the SQLite store the guide was
  imported into (first request cold, second warm), and the pure writer
  (``write_xmltv``, cached pieces), against ``tv_cat`` on the same file;
- ``import``: ``epg import`` of that file into an empty SQLite store against
  ``tv_cat`` reading it;
- ``ical``: a 14-day channel feed, cold and warm, against ``write_ical`` alone;
- ``http``: ``wrk`` with 64 connections against ``/api/now``, a warm
  one-channel XMLTV download and a conditional request, against a bare
  FastAPI endpoint;
- ``loaded``: ``python -m bench.loaded``: ``/api/now`` and the warm
  ``/xmltv.xml`` under ``wrk`` with 8 connections while 2 MB uploads (dry
  runs, then real publishes) run back to back against the same one-worker
  server, against the same reads with no upload;
- ``cli``: ``python -m bench.cli_start`` (``epg --help`` and ``epg channels
  list`` against ``python -c "import click"``, each the minimum of many runs);
- ``scale_pg``: ``python -m bench.scale_pg`` (not with ``--quick``).

``--quick`` uses small sizes (20 channels, 100,000 parse lines, 10-second
load runs) for CI smoke runs and development; its figures are not the ones
the goals are about.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from bench import machine

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("parse", "export", "import", "ical", "http", "loaded", "cli", "scale_pg")
MIB = 1024


@dataclass(frozen=True)
class Sizes:
    channels: int
    days: int
    per_day: int
    parse_lines: int
    load_seconds: int
    connections: int = 64

    @property
    def programmes(self) -> int:
        return self.channels * self.days * self.per_day


FULL = Sizes(channels=500, days=7, per_day=40, parse_lines=1_000_000, load_seconds=30)
QUICK = Sizes(channels=20, days=7, per_day=40, parse_lines=100_000, load_seconds=10)


@dataclass
class Goal:
    what: str
    target: str
    measured: str
    met: bool | None  # None: could not be measured


@dataclass
class Section:
    name: str
    title: str
    body: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    seconds: float = 0.0


Step = Callable[[str], None]


def verdict(met: bool | None) -> str:
    return "**met**" if met else "not measured" if met is None else "**missed**"


def mib(kib: float | None) -> str:
    return f"{kib / MIB:,.0f}" if kib else "—"


def secs(value: float) -> str:
    return f"{value:,.3f}" if value < 100 else f"{value:,.1f}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def fence(text: str) -> list[str]:
    return ["```", text.rstrip().replace("```", "ʼʼʼ"), "```", ""]


def run_module(module: str, args: list[str], timeout: float) -> tuple[int | None, str, float]:
    """``python -m module args`` from the repository root; (exit status or None on timeout, output, seconds)."""
    t0 = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, env={"COLUMNS": "160", "TERM": "dumb", **_environ()}, check=False)
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return None, out, time.perf_counter() - t0
    return done.returncode, done.stdout + (("\n" + done.stderr) if done.returncode else ""), time.perf_counter() - t0


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


# --- (1) parsing ----------------------------------------------------------------------------------------------------

def bench_parse(sizes: Sizes, _work: Workspace, step: Step) -> Section:
    section = Section("parse", "Parsing: read_schedule against a bare regex scan")
    if not (ROOT / "bench" / "parse_bench.py").exists():
        section.body.append("`bench/parse_bench.py` does not exist yet, so this benchmark was not run.")
        section.goals.append(Goal("typed parsing ÷ bare scan (lines/s)", "≥ 0.5×", "not run", None))
        return section
    step(f"python -m bench.parse_bench --lines {sizes.parse_lines:,}")
    status, output, seconds = run_module("bench.parse_bench", ["--lines", str(sizes.parse_lines)], 3600)
    section.body.append(f"`python -m bench.parse_bench --lines {sizes.parse_lines}` "
                        f"(owned by the parser work; run as a subprocess, {seconds:.0f} s), its output verbatim:")
    section.body.append("")
    section.body += fence(output or "(no output)")
    found = re.search(r"ratio \(b\)/\(a\) by lines/s:\s*([\d.]+)", output)
    if status is None:
        section.body.append("**It did not finish within an hour and was stopped.**")
    elif status != 0:
        section.body.append(f"**It failed (exit status {status}); the output above says why.**")
    if found:
        ratio = float(found.group(1))
        section.goals.append(Goal("typed parsing ÷ bare scan (lines/s)", "≥ 0.5×", f"{ratio:.3f}×", ratio >= 0.5))
    else:
        section.goals.append(Goal("typed parsing ÷ bare scan (lines/s)", "≥ 0.5×", "no ratio printed", None))
    return section


# --- shared guide: written, tv_cat'ed, imported -------------------------------------------------------------------

class Workspace:
    """The synthetic guide and what is derived from it, each made once and shared by the benchmarks."""

    def __init__(self, sizes: Sizes, folder: Path) -> None:
        self.sizes = sizes
        self.folder = folder
        self._writer: dict[str, Any] | None = None
        self._import: dict[str, Any] | None = None
        self.import_seconds = 0.0

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.folder / 'guide.sqlite3'}"

    def writer(self, step: Step) -> dict[str, Any]:
        if self._writer is None:
            from bench.export_bench import measure_writer

            s = self.sizes
            self._writer = measure_writer(s.channels, s.days, s.per_day, self.folder, step)
        return self._writer

    def imported(self, step: Step) -> dict[str, Any]:
        if self._import is None:
            from bench.import_bench import measure_import

            guide = Path(self.writer(step)["guide"])
            t0 = time.perf_counter()
            self._import = measure_import(guide, self.database_url, step)
            self.import_seconds = time.perf_counter() - t0
        return self._import


def _ratio(reference: float | None, seconds: float) -> float | None:
    return reference / seconds if reference and seconds > 0 else None


def _times(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    return f"{ratio:.2f}×" if ratio < 1 else f"{ratio:,.1f}×"  # 0.47× is not rounded up to a met 0.5×


# --- (2) XMLTV export -----------------------------------------------------------------------------------------------

def bench_export(sizes: Sizes, work: Workspace, step: Step) -> Section:
    from bench.export_bench import FIRST_DAY, measure_http

    section = Section("export", f"XMLTV export: {sizes.channels} channels × {sizes.days} days × {sizes.per_day} "
                                f"= {sizes.programmes:,} programmes, against tv_cat")
    writer = work.writer(step)
    imported = work.imported(step)
    http = measure_http(work.database_url, FIRST_DAY, sizes.days, sizes.programmes, work.folder, step)
    tv_cat = writer.get("tv_cat")
    reference = tv_cat["seconds"] if tv_cat else None
    n = sizes.programmes
    warm_median = statistics.median([http["warm"]["seconds"], *http["warm_repeats_seconds"]])
    rows: list[list[str]] = []

    def row(label: str, seconds: float, peak: float | None, goal: float | None, note: str = "",
            body: bool = True) -> float | None:
        ratio = _ratio(reference, seconds)
        met = None if ratio is None or goal is None else ratio >= goal
        rss_met = None if not peak else peak / MIB <= 150
        rows.append([label, secs(seconds), f"{n / seconds:,.0f}" if body else "—", _times(ratio),
                     f"≥ {goal:g}× {verdict(met)}" if goal else "—", mib(peak),
                     f"≤ 150 {verdict(rss_met)}" if peak else "—", note])
        return ratio

    cold = row("**served** `GET /xmltv.xml`, cold (1st request after start)", http["cold"]["seconds"],
               http["cold"].get("peak_kib"), 30, f"first byte after {http['cold']['first_byte_seconds']:.2f} s")
    warm = row("**served** `GET /xmltv.xml`, warm (2nd request)", http["warm"]["seconds"], http["peak_kib"], 100,
               f"median of 4 warm: {secs(warm_median)} s")
    row("served, warm, `Accept-Encoding: gzip` on the wire", http["warm_gzip"]["seconds"], None, None,
        f"{http['warm_gzip']['bytes'] / 1e6:.1f} MB sent")
    row("served, `If-None-Match` → " + str(http["not_modified"]["status"]), http["not_modified"]["seconds"], None,
        None, "no body", body=False)
    pure_cold = row("pure writer: `write_xmltv(guide)` to a file (cold)", writer["cold"]["seconds"],
                    writer["cold"]["peak_kib"], 30, "peak includes the whole guide built in memory")
    pure_warm = row("pure writer: `assemble` cached channel-days to a file (warm)", writer["warm"]["seconds"],
                    writer["warm"]["peak_kib"], 100, "peak includes every piece held in a dict")
    if tv_cat:
        rows.append(["baseline: `tv_cat -o out.xml guide.xml` (whole process)", secs(tv_cat["seconds"]),
                     f"{n / tv_cat['seconds']:,.0f}", "1×", "—", mib(tv_cat["peak_kib"]), "—",
                     f"{tv_cat['programmes']:,} programmes written"])
    section.body.append(
        f"The guide is {writer['cold']['bytes'] / 1e6:.1f} MB of XMLTV, deterministic. It was imported into a new "
        f"SQLite store with `epg import` (section *import*), then `epg serve` was started on that store and "
        f"`{http['url']}` fetched with httpx from this process (`Accept-Encoding: identity`: plain XML, as tv_cat "
        "writes) to the last byte into a file. The served document held "
        f"{http['served_programmes']:,} of {n:,} programmes; cold and warm bodies identical: "
        f"{http['cold_equals_warm']}; pure-writer cold and warm files identical: {writer['identical']}.")
    section.body.append("")
    section.body += table(["path", "seconds", "programmes/s", "tv_cat ÷ epg", "time goal", "peak RSS MiB",
                           "RSS goal (MiB)", "note"], rows)
    section.body.append(
        "Ratios are tv_cat's time divided by epg's (higher is better). Peak RSS: for the served rows the `epg "
        "serve` process (highest `VmHWM`/`VmRSS` sampled every 20 ms; it was "
        f"{mib(http['idle_kib'])} MiB idle before the first request); for the writer rows and tv_cat the whole "
        "subprocess (GNU `time` `%M`). The store file sat in the page cache (it had just been written), so "
        "\"cold\" means a new process with nothing rendered, not a cold disk.")
    section.body.append("")
    section.goals += [
        Goal("served XMLTV cold: tv_cat ÷ epg", "≥ 30×", _times(cold), None if cold is None else cold >= 30),
        Goal("served XMLTV warm: tv_cat ÷ epg", "≥ 100×", _times(warm), None if warm is None else warm >= 100),
        Goal("epg serve peak RSS during the export", "≤ 150 MiB", f"{mib(http['peak_kib'])} MiB",
             http["peak_kib"] / MIB <= 150 if http["peak_kib"] else None),
        Goal("pure writer cold: tv_cat ÷ epg", "≥ 30×", _times(pure_cold),
             None if pure_cold is None else pure_cold >= 30),
        Goal("pure writer warm: tv_cat ÷ epg", "≥ 100×", _times(pure_warm),
             None if pure_warm is None else pure_warm >= 100),
    ]
    if http["served_programmes"] != n or imported["stored"]["programmes"] != n:
        section.body.append(f"**Warning: the store holds {imported['stored']['programmes']:,} and the feed served "
                            f"{http['served_programmes']:,} programmes; {n:,} were generated.**")
    return section


# --- (3) XMLTV import -----------------------------------------------------------------------------------------------

def bench_import(sizes: Sizes, work: Workspace, step: Step) -> Section:
    section = Section("import", f"XMLTV import: the same {sizes.programmes:,}-programme guide into SQLite, "
                                "against tv_cat reading it")
    writer = work.writer(step)
    result = work.imported(step)
    tv_cat = writer.get("tv_cat")
    reference = tv_cat["seconds"] if tv_cat else None
    n = sizes.programmes
    ratio = _ratio(reference, result["import"]["seconds"])
    read_ratio = _ratio(reference, result["read"]["seconds"])
    rows = [
        ["`epg import guide.xml` (the CLI's code in a subprocess, timed around the call)",
         secs(result["import"]["seconds"]), f"{n / result['import']['seconds']:,.0f}", _times(ratio),
         f"≥ 30× {verdict(None if ratio is None else ratio >= 30)}", mib(result["import"]["peak_kib"]),
         f"process {secs(result['import']['process_seconds'])} s with start-up"],
        ["of which `read_xmltv` alone (no store)", secs(result["read"]["seconds"]),
         f"{n / result['read']['seconds']:,.0f}", _times(read_ratio), "—", mib(result["read"]["peak_kib"]),
         f"{result['read']['repairs']} repairs reported"],
    ]
    if tv_cat:
        rows.append(["baseline: `tv_cat` reading the file (and writing it back out)", secs(tv_cat["seconds"]),
                     f"{n / tv_cat['seconds']:,.0f}", "1×", "—", mib(tv_cat["peak_kib"]), "whole process"])
    stored = result["stored"]
    section.body.append(f"`epg import` said “{result['import']['said']}” The store then held "
                        f"{stored['channels']:,} channels, {stored['days']:,} channel-days, {stored['revisions']:,} "
                        f"revisions and {stored['programmes']:,} programmes.")
    section.body.append("")
    section.body += table(["path", "seconds", "programmes/s", "tv_cat ÷ epg", "goal", "peak RSS MiB", "note"], rows)
    section.body.append("tv_cat is the one run shared with the export section: it parses the whole file and "
                        "writes it out again, so as a reader's baseline it is, if anything, slow. The import was "
                        f"measured when the export section needed the store ({work.import_seconds:.0f} s "
                        "with the second, read-only pass).")
    section.body.append("")
    section.goals.append(Goal("XMLTV import: tv_cat ÷ epg", "≥ 30×", _times(ratio),
                              None if ratio is None else ratio >= 30))
    return section


# --- (4) iCal -------------------------------------------------------------------------------------------------------

def bench_ical(_sizes: Sizes, work: Workspace, step: Step) -> Section:
    from bench.ical_bench import measure_ical

    section = Section("ical", "iCal: a 14-day channel feed (`/ical/{id}.ics?days=14`), cold and warm")
    url = work.database_url if work._import is not None else f"sqlite:///{work.folder / 'ical.sqlite3'}"
    result = measure_ical(url, work.folder, step)
    writer = result["writer"]["median_seconds"]
    rows = []
    for label, seconds, events in (
            ("served, cold (1st request after start)", result["cold"]["seconds"], result["cold"]["events"]),
            ("served, warm (2nd request)", result["warm"]["seconds"], result["warm"]["events"]),
            ("served, warm (median of 5 more)", result["warm_median_seconds"], result["warm"]["events"]),
            (f"served, `If-None-Match` → {result['not_modified']['status']}", result["not_modified"]["seconds"], 0),
            ("baseline: `write_ical` alone on the same programmes (median of 5)", writer,
             result["writer"]["events"])):
        rows.append([label, secs(seconds), str(events), f"{seconds / writer:,.2f}×" if writer else "—"])
    where = "in the store of the export guide" if url == work.database_url else "in a store of its own"
    section.body.append(f"Channel `{result['channel']}` ({result['programmes']} programmes over 14 broadcast days), "
                        f"imported {where}; `{result['url']}` fetched from a fresh `epg serve`; "
                        f"{result['warm']['bytes']:,} bytes; server peak RSS {mib(result['peak_kib'])} MiB.")
    section.body.append("")
    section.body += table(["request", "seconds", "events", "÷ writer alone"], rows)
    section.body.append("Issue 7 sets no goal for iCal. Warm and conditional requests are answered from the read "
                        "cache (`EPG_READ_CACHE_SECONDS`): the rendered body and its ETag are kept until a write or "
                        "the cache time, so neither renders again.")
    section.body.append("")
    section.goals.append(Goal("iCal 14-day feed, warm", "none set", f"{secs(result['warm']['seconds'])} s "
                              f"({result['warm']['seconds'] / writer:,.2f}× the writer alone)", None))
    return section


# --- (5) HTTP under load --------------------------------------------------------------------------------------------

def bench_http(sizes: Sizes, _work: Workspace, step: Step) -> Section:
    from bench.http_load import run

    section = Section("http", f"HTTP under load: wrk, {sizes.connections} connections, {sizes.load_seconds} s "
                              "per run, against a bare FastAPI endpoint")
    report = run(sizes.load_seconds, sizes.connections, step)
    if report.error:
        section.body.append(f"Not run: {report.error}.")
        section.goals.append(Goal("requests/s ÷ bare FastAPI", "≥ 0.5×, zero errors", "not run", None))
        return section
    base = report.baseline
    rows = []
    for result in [*report.runs, *([base] if base else [])]:
        ratio = result.requests_per_s / base.requests_per_s if base and base.requests_per_s else None
        is_base = result is base
        met = None if ratio is None or is_base else ratio >= 0.5 and result.errors == 0
        statuses = ", ".join(f"{k}: {v:,}" for k, v in result.statuses.items()) if result.statuses else ""
        rows.append([result.name, f"{result.requests:,}", f"{result.requests_per_s:,.0f}", f"{result.p50_ms:.1f}",
                     f"{result.p99_ms:.1f}", f"{result.errors:,}", "1×" if is_base else _times(ratio),
                     "—" if is_base else f"≥ 0.5×, 0 errors {verdict(met)}", statuses])
        if not is_base:
            section.goals.append(Goal(f"{result.name}: requests/s ÷ bare", "≥ 0.5×, zero errors",
                                      f"{_times(ratio)}, {result.errors} errors", met))
    section.body.append(
        "Servers: `epg serve --demo` (SQLite, the three demo channels, uvicorn with one worker) and the bare app "
        "(`bench.http_load:bare_app`, one sync JSON endpoint, no middleware, no database) started with the same "
        "uvicorn options, each on a free port of 127.0.0.1, one after the other. "
        f"Load: `wrk -t2 -c{sizes.connections} -d{sizes.load_seconds}s --latency --timeout 10s` from a separate "
        "process on the same two cores (so wrk takes CPU from the server, equally in every run). Errors are "
        "socket errors plus non-2xx/3xx answers.")
    section.body.append("")
    section.body += table(["endpoint", "requests", "requests/s", "p50 ms", "p99 ms", "errors", "÷ bare", "goal",
                           "statuses (separate 3 s run, Lua count)"], rows)
    section.body += [f"- {note}" for note in report.notes]
    section.body.append("")
    return section


# --- (5b) reads while uploads run ------------------------------------------------------------------------------------

def bench_loaded(sizes: Sizes, _work: Workspace, step: Step) -> Section:
    from bench.loaded import GOAL_MS, goals, markdown, run

    section = Section("loaded", "Reads while 2 MB uploads run: `/api/now` and a warm `/xmltv.xml`, one worker")
    seconds = 20 if sizes is FULL else 5
    report = run(seconds, 8, progress=step)
    if report.error:
        section.body.append(f"Not measured: {report.error}.")
        section.goals.append(Goal("reads' p99 while 2 MB uploads run", f"≤ {GOAL_MS:g} ms", "not measured", None))
        return section
    section.body += markdown(report)
    for what, p99, met in goals(report):
        section.goals.append(Goal(what, f"≤ {GOAL_MS:g} ms", f"{p99:,.1f} ms", met))
    return section


# --- (6) CLI start-up ----------------------------------------------------------------------------------------------

def bench_cli(sizes: Sizes, _work: Workspace, step: Step) -> Section:
    from bench.cli_start import GOAL, measure, report

    section = Section("cli", "CLI start-up: `epg --help` and `epg channels list` against `python -c \"import click\"`")
    runs = 10 if sizes is QUICK else 30
    step(f"python -m bench.cli_start --runs {runs}")
    result = measure(runs)
    section.body.append(f"`python -m bench.cli_start --runs {runs}`: each command a fresh process, the rounds "
                        "interleaved, the figure each command's minimum (start-up has a floor that load only adds "
                        "to); `channels list` on a SQLite store at the newest migration with three channels.")
    section.body.append("")
    section.body += fence(report(result))
    for name in ("epg --help", "epg channels list"):
        ratio = result["commands"][name]["ratio"]
        section.goals.append(Goal(f"`{name}` start ÷ `import click`", f"≤ {GOAL:g}×", f"{ratio:.2f}×",
                                  ratio <= GOAL))
    return section


# --- (7) PostgreSQL scale -------------------------------------------------------------------------------------------

def bench_scale_pg(_sizes: Sizes, _work: Workspace, step: Step) -> Section:
    section = Section("scale_pg", "PostgreSQL scale (`python -m bench.scale_pg`)")
    if not (ROOT / "bench" / "scale_pg.py").exists():
        section.body.append("`bench/scale_pg.py` does not exist yet, so this benchmark was not run.")
        return section
    step("python -m bench.scale_pg (defaults; this takes a while)")
    status, output, seconds = run_module("bench.scale_pg", [], 4 * 3600)
    section.body.append(f"Run as a subprocess with its defaults ({seconds / 60:.1f} min; owned by the scale "
                        "work), its output verbatim:")
    section.body.append("")
    section.body += fence(output or "(no output)")
    if status is None:
        section.body.append("**It did not finish within four hours and was stopped.**")
    elif status != 0:
        section.body.append(f"**It failed (exit status {status}); the output above says why.**")
    return section


BENCHES: dict[str, Callable[[Sizes, Workspace, Step], Section]] = {
    "parse": bench_parse, "export": bench_export, "import": bench_import, "ical": bench_ical, "http": bench_http,
    "loaded": bench_loaded, "cli": bench_cli, "scale_pg": bench_scale_pg,
}


# --- the report -----------------------------------------------------------------------------------------------------

def render(sections: list[Section], info: dict[str, str], sizes: Sizes, quick: bool, began: datetime,
           seconds: float, load_after: str) -> str:
    mode = "`--quick` (small sizes: not the figures the goals are about)" if quick else "full sizes"
    lines = ["# Benchmarks", "",
             f"Written by `python -m bench{' --quick' if quick else ''}` on {began:%Y-%m-%d %H:%M} UTC "
             f"({mode}; {seconds / 60:.1f} minutes). Every baseline was measured in the same run on the same "
             "machine. Regenerate with `python -m bench` (all, full sizes), `python -m bench --quick`, or "
             "`python -m bench --only export,import`.", "",
             "## Machine", "", machine.markdown(info), f"- **Load average at the end**: {load_after}", "",
             "The machine is shared with other engineers' work, so the load figures above matter: every "
             "number below is from one run, not a best of several.", "",
             f"Sizes: guide {sizes.channels} channels × {sizes.days} days × {sizes.per_day} programmes = "
             f"{sizes.programmes:,}; parse {sizes.parse_lines:,} lines; load runs {sizes.load_seconds} s × "
             f"{sizes.connections} connections.", "",
             "## Goals", ""]
    rows = [[section.title.split(":")[0], g.what, g.target, g.measured, verdict(g.met) if g.target != "none set"
             else "—"] for section in sections for g in section.goals]
    lines += table(["benchmark", "what", "goal", "measured", "verdict"], rows)
    for section in sections:
        lines += [f"## {section.title}", "", *section.body, f"_Section took {section.seconds:.0f} s._", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI smoke runs and development")
    parser.add_argument("--only", help=f"comma-separated benchmarks to run: {', '.join(NAMES)}")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="where to write the report")
    args = parser.parse_args(argv)
    chosen = [n.strip() for n in args.only.split(",")] if args.only else list(NAMES)
    unknown = [n for n in chosen if n not in NAMES]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    if args.quick and "scale_pg" in chosen:
        chosen.remove("scale_pg")
    sizes = QUICK if args.quick else FULL
    console = Console(stderr=True)
    began = datetime.now(UTC)
    info = machine.describe()
    sections: list[Section] = []
    t0 = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="epg-bench-"))
    try:
        work = Workspace(sizes, folder)
        with Progress(SpinnerColumn(), TextColumn("[bold]{task.fields[bench]}[/] {task.description}"),
                      TimeElapsedColumn(), console=console) as progress:
            for name in chosen:
                task = progress.add_task("", bench=name)
                started = time.perf_counter()

                def step(text: str, task: TaskID = task) -> None:
                    progress.update(task, description=text)

                try:
                    section = BENCHES[name](sizes, work, step)
                except Exception as exc:  # one broken benchmark must not lose the others' figures
                    section = Section(name, f"{name}: failed")
                    section.body += ["The benchmark raised an error and has no figures:", "",
                                     *fence(traceback.format_exc())]
                    console.print(f"[red]{name} failed: {exc}")
                section.seconds = time.perf_counter() - started
                sections.append(section)
                progress.update(task, description=f"done in {section.seconds:.0f} s", completed=1, total=1)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = render(sections, info, sizes, args.quick, began, time.perf_counter() - t0, machine.load_average())
    Path(args.output).write_text(text, encoding="utf-8")
    console.print(f"Wrote {args.output}")
    for section in sections:
        for goal in section.goals:
            console.print(f"  {section.name:9} {goal.what}: {goal.measured} (goal {goal.target}) "
                          f"{verdict(goal.met).replace('**', '') if goal.target != 'none set' else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
