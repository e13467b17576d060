"""Reads while uploads run (issue 14): ``GET /api/now`` and a warm ``/xmltv.xml`` under back-to-back 2 MB uploads.

    python -m bench.loaded [--seconds 20] [--connections 8] [--bytes 2000000]

Goal (issue 14): while uploads of 2 MB run back to back, ``GET /api/now``
and a warm feed keep p99 ≤ 50 ms with one worker.

One ``epg serve`` (uvicorn, one worker, SQLite, the demo channels, started
as :func:`bench.http_load.epg_serve` starts it) gets a channel of its own for
the uploads (``upload.bench.epg``, Europe/Moscow) and a token limited to it.
The upload is schedule text as operators paste it: day after day of a
Russian channel's broadcast day (``10.01.2022, понедельник`` headers, ``07:05
Д/ф «…» 12+`` lines, a description under some, episode numbers that change
from day to day), whole days up to the server's upload limit (2,000,000
bytes by default, so no setting is raised), starting yesterday, so every
publish changes days that ``/api/now`` and the feed show.

A separate process (``python -m bench.loaded --upload-loop …``) PUTs it to
``/api/channels/upload.bench.epg/days/{yesterday}`` back to back, one upload
in flight at a time, either with ``?dry_run=true`` (parse and answer the
preview; nothing stored) or as real publishes (each upload moves one
programme a day a minute from where the one before put it, so every upload
stores a new revision of every day instead of being recognised as the same
file). The first real publish is made before the timed runs, so the runs
see re-publishes, with identity matching against the previous revision.
For comparison, the same publishes are also sent to a second ``epg serve``
on the same store while the first one is read: what moving the uploads'
work out of the serving process would leave (its writes reach the first
server's answers when their read cache expires, within 5 s, not at once).

Meanwhile ``wrk`` (one thread, a modest fixed number of keep-alive
connections, a fixed duration) loads ``/api/now`` and then the warm default
``/xmltv.xml`` (every channel, yesterday and the next seven days). The same
two runs are made with no upload running, before the uploads (the baseline)
and after them (to see whether the machine or the grown store moved the
baseline). wrk is closed-loop: each connection sends its next request when
the last one is answered, so a stall delays only the requests in flight at
that moment; the max column shows stalls p99 may hide.

The server runs each upload in a worker process of its own
(``EPG_UPLOAD_WORKERS``, default 1; see ``api.workers``); run the benchmark
with ``EPG_UPLOAD_WORKERS=0`` to measure uploads run on a thread of the
serving process, as before those workers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench import machine
from bench.http_load import EPG, Server, WrkResult, ensure_wrk, epg_serve, run_wrk

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 50.0
CHANNEL = "upload.bench.epg"
ZONE = "Europe/Moscow"
UPLOAD_LIMIT = 2_000_000

# --- the upload: realistic schedule text, ~2 MB ----------------------------------------------------------------------

#: One broadcast day of a Russian general channel, 05:00 to past 03:00, as pages and newspapers print it (the
#: lines follow the team-written listings in tests/data/listings/ru-*). ``{n}``/``{s}`` are the episode and season,
#: which move on from day to day; the third field is a description line printed under the programme.
DAY: list[tuple[str, str, str | None]] = [
    ("05:00", "Доброе утро. Прямой эфир 12+", None),
    ("09:00", "Новости (с субтитрами)", None),
    ("09:20", "Доброе утро 12+", None),
    ("09:50", "Жить здорово! 16+", "Ведущие рассказывают, как пережить сезон простуд и что есть на завтрак."),
    ("10:55", "Модный приговор 6+", None),
    ("12:00", "Новости (с субтитрами)", None),
    ("12:15", "Время покажет. Прямой эфир 16+", None),
    ("15:00", "Новости (с субтитрами)", None),
    ("15:15", "Давай поженимся! 16+", None),
    ("16:00", "Мужское / Женское 16+", "Истории, которые герои программы рассказывают впервые."),
    ("17:00", "Т/с «Интерны». Серия {n} 16+", None),
    ("17:30", "Т/с «Универ». {s} сезон, {n}-я серия 16+", None),
    ("18:00", "Вечерние новости (с субтитрами)", None),
    ("18:40", "На самом деле 16+", None),
    ("19:45", "Пусть говорят 16+", "Гости студии спорят о громком деле, о котором говорит вся страна."),
    ("21:00", "Время", None),
    ("21:45", "Т/с «Угрюм-река». {n}-я серия 16+",
     "Прохор Громов отправляется в тайгу искать золото и встречает тех, кто изменит его судьбу."),
    ("23:50", "Вечерний Ургант 16+", None),
    ("00:35", "Х/ф «Летят журавли» (СССР, 1957) 12+",
     "Фильм Михаила Калатозова получил «Золотую пальмовую ветвь» Каннского фестиваля 1958 года."),
    ("02:10", "Д/ф «Сталинградская битва» 12+",
     "2 февраля 1943 года завершилась Сталинградская битва. Фильм рассказывает о двухстах днях обороны города."),
    ("03:05", "Наедине со всеми 16+", None),
    ("03:50", "Модный приговор (повтор) 6+", None),
]
#: Moved by ``variant % 10`` minutes in each variant, so consecutive uploads differ and each is a new revision of
#: every day (the same file sent again publishes nothing).
MOVED = "21:45"
WEEKDAYS = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]


def day_block(day: date, number: int, variant: int) -> str:
    """One day of the text: its header line and programmes, a blank line after each described programme."""
    lines = [f"{day:%d.%m.%Y}, {WEEKDAYS[day.weekday()]}", ""]
    for clock, title, description in DAY:
        if clock == MOVED:
            clock = f"21:{45 + variant % 10}"
        lines.append(f"{clock} {title.format(n=number % 40 + 1, s=number // 40 + 1)}")
        if description:
            lines += [description, ""]
    return "\n".join(lines) + "\n\n"


def schedule_text(first: date, size: int = UPLOAD_LIMIT, variant: int = 0) -> tuple[bytes, int]:
    """Whole days from ``first`` on, as many as fit in ``size`` bytes of UTF-8; the text and its number of days."""
    parts: list[bytes] = []
    total = days = 0
    while True:
        block = day_block(first + timedelta(days=days), days, variant).encode("utf-8")
        if total + len(block) > size:
            return b"".join(parts), days
        parts.append(block)
        total += len(block)
        days += 1


def upload_url(base: str, first: date, dry_run: bool) -> str:
    return f"{base}/api/channels/{CHANNEL}/days/{first.isoformat()}" + ("?dry_run=true" if dry_run else "")


# --- the upload loop, in a process of its own ------------------------------------------------------------------------

def upload_loop(base: str, token: str, first: date, size: int, dry_run: bool, variant: int, started: Path,
                stop: Path, out: Path) -> None:
    """PUT the text back to back until ``stop`` exists; write each upload's (start, seconds, status) to ``out``.

    The uploads are variants ``variant``, ``variant + 1``…: each differs from the one before it.
    """
    texts = [schedule_text(first, size, v)[0] for v in range(10)]
    url = upload_url(base, first, dry_run)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
    uploads: list[dict[str, Any]] = []
    number = variant
    with httpx.Client(timeout=600.0) as client:
        started.write_text(str(time.time()))
        while not stop.exists():
            t0 = time.time()
            response = client.put(url, content=texts[number % 10], headers=headers)
            uploads.append({"start": t0, "seconds": time.time() - t0, "status": response.status_code,
                            "error": response.text[:300] if response.status_code >= 400 else None,
                            "unchanged": "Nothing published" in response.text})
            number += 1
    out.write_text(json.dumps(uploads))


@dataclass
class Uploader:
    """The upload loop's process and the files it talks through."""

    process: subprocess.Popen[bytes]
    folder: Path

    @classmethod
    def start(cls, base: str, token: str, first: date, size: int, dry_run: bool, variant: int, folder: Path
              ) -> Uploader:
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "bench.loaded", "--upload-loop", base, "--token", token,
                   "--first-day", first.isoformat(), "--bytes", str(size), "--dir", str(folder),
                   "--variant", str(variant),
                   *(["--dry-run"] if dry_run else [])]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=(folder / "stderr").open("wb"))
        uploader = cls(process, folder)
        deadline = time.monotonic() + 60
        while not (folder / "started").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the upload loop did not start: {uploader.stderr()}")
            time.sleep(0.05)
        return uploader

    def stderr(self) -> str:
        try:
            return (self.folder / "stderr").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def finish(self) -> list[dict[str, Any]]:
        """Ask the loop to stop after its upload in flight; its uploads."""
        (self.folder / "stop").touch()
        try:
            self.process.wait(600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        try:
            uploads: list[dict[str, Any]] = json.loads((self.folder / "uploads.json").read_text())
        except (OSError, ValueError) as exc:
            raise RuntimeError(f"the upload loop wrote no results: {self.stderr()}") from exc
        return uploads


# --- the benchmark ---------------------------------------------------------------------------------------------------

@dataclass
class Run:
    """One wrk run and what went on around it."""

    phase: str
    endpoint: str
    wrk: WrkResult
    began: float
    ended: float
    load_before: str
    load_after: str
    server_cpu_s: float
    uploads: list[dict[str, Any]] = field(default_factory=list)

    @property
    def busy_share(self) -> float:
        """The share of the run during which an upload was in flight."""
        covered = sum(max(0.0, min(float(u["start"]) + float(u["seconds"]), self.ended)
                              - max(float(u["start"]), self.began)) for u in self.uploads)
        return covered / (self.ended - self.began)


@dataclass
class Report:
    seconds: int
    connections: int
    upload_bytes: int
    upload_days: int
    #: The next upload's variant: each upload differs from the last one published.
    variant: int = 0
    runs: list[Run] = field(default_factory=list)
    alone: dict[str, float] = field(default_factory=dict)
    phases: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Per profiled phase: where the server's GIL was, from py-spy (when it is installed).
    profiles: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    error: str | None = None


KINDS = {"dry-run": "dry runs", "publish": "publishes"}
#: (name, label, dry run or no upload (None), uploads sent to a second server process instead of the one read).
PHASES = (("none", "no uploads (baseline)", None, False), ("dry-run", "2 MB dry runs back to back", True, False),
          ("publish", "2 MB publishes back to back", False, False),
          ("elsewhere", "2 MB publishes back to back, to a second server process", False, True),
          ("none-after", "no uploads, after them", None, False))


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return float(int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))


def _cli(database_url: str, *args: str) -> str:
    done = subprocess.run([EPG, *args], capture_output=True, text=True, cwd=ROOT, check=True,
                          env={**os.environ, "EPG_DATABASE_URL": database_url})
    return done.stdout.strip()


def run(seconds: int = 20, connections: int = 8, size: int = UPLOAD_LIMIT, progress: Any = None) -> Report:
    """Start the server, time one upload of each kind alone, then the four phases of wrk runs."""

    def step(text: str) -> None:
        if progress is not None:
            progress(text)

    first = datetime.now(ZoneInfo(ZONE)).date() - timedelta(days=1)
    text, days = schedule_text(first, size)
    report = Report(seconds, connections, len(text), days)
    wrk = ensure_wrk()
    if wrk is None:
        report.error = "wrk is not installed and could not be installed (needs root and apt-get)"
        return report
    with tempfile.TemporaryDirectory(prefix="epg-loaded-") as folder:
        base = Path(folder)
        database_url = f"sqlite:///{base / 'loaded.sqlite3'}"
        step("epg demo, a channel for the uploads and its token")
        _cli(database_url, "demo")
        _cli(database_url, "channels", "add", CHANNEL, "--name", "Нагрузка ТВ", "--tz", ZONE, "--lang", "ru")
        token = _cli(database_url, "tokens", "create", "loaded", "--channel", CHANNEL).splitlines()[-1]
        step("starting epg serve --demo")
        server = epg_serve(database_url, base / "epg.log", demo=True)
        try:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
            with httpx.Client(timeout=600.0) as client:
                for kind, dry in (("dry run", True), ("first publish", False), ("re-publish", False)):
                    step(f"one {kind} alone")
                    body = schedule_text(first, size, report.variant)[0]
                    report.variant += 1
                    t0 = time.perf_counter()
                    answer = client.put(upload_url(server.url, first, dry), content=body, headers=headers)
                    report.alone[kind] = time.perf_counter() - t0
                    if answer.status_code != 200:
                        raise RuntimeError(f"{kind}: {answer.status_code} {answer.text[:500]}")
                feed = client.get(f"{server.url}/xmltv.xml", headers={"Accept-Encoding": "identity"})
                feed.raise_for_status()
                now = client.get(f"{server.url}/api/now")
                now.raise_for_status()
            report.notes.append(f"warm `/xmltv.xml`: {len(feed.content):,} bytes, "
                                f"{feed.text.count('<programme ')} programmes on {feed.text.count('<channel ')} "
                                f"channels; `/api/now`: {len(now.content):,} bytes for {len(now.json())} channels")
            endpoints = (("/api/now", f"{server.url}/api/now"), ("/xmltv.xml (warm)", f"{server.url}/xmltv.xml"))
            for phase, label, dry_run, elsewhere in PHASES:
                report.runs += _phase(report, server, database_url, token, first, size, base, endpoints, wrk,
                                      phase, label, dry_run, elsewhere, step)
            spy = pyspy()
            if spy:
                for phase, dry_run in (("dry-run", True), ("publish", False)):
                    step(f"profiling the server with py-spy while {phase} uploads and /api/now reads run")
                    report.profiles[phase] = gil_profile(spy, server, token, first, size, base / f"spy-{phase}",
                                                         dry_run, report, wrk, endpoints[0][1])
            report.notes.append(f"server log: {sum(1 for _ in server.output().splitlines()):,} lines")
        finally:
            server.stop()
    return report


def _phase(report: Report, server: Server, database_url: str, token: str, first: date, size: int, base: Path,
           endpoints: tuple[tuple[str, str], ...], wrk: str, phase: str, label: str, dry_run: bool | None,
           elsewhere: bool, step: Callable[[str], None]) -> list[Run]:
    """One phase: the upload loop (if any) running while wrk loads each endpoint in turn."""
    seconds, connections = report.seconds, report.connections
    other = uploader = None
    runs = []
    try:
        if elsewhere:
            step(f"{label}: starting a second epg serve")
            other = epg_serve(database_url, base / "other.log")
        if dry_run is not None:
            step(f"{label}: starting the upload loop")
            uploader = Uploader.start((other or server).url, token, first, size, dry_run, report.variant,
                                      base / phase)
            time.sleep(1.0)  # the first upload is being parsed when the reads begin
        for endpoint, url in endpoints:
            step(f"{label}: wrk {seconds} s × {connections} connections on {endpoint}")
            load_before, cpu_before, began = machine.load_average(), _cpu_seconds(server.process.pid), time.time()
            result = run_wrk(wrk, f"{endpoint}, {label}", url, seconds=seconds, connections=connections, threads=1)
            ended = time.time()
            runs.append(Run(phase, endpoint, result, began, ended, load_before, machine.load_average(),
                            _cpu_seconds(server.process.pid) - cpu_before))
        if uploader is not None:
            step(f"{label}: waiting for the upload in flight")
            uploads = uploader.finish()
            uploader = None
            report.variant += len(uploads)
            report.phases[phase] = uploads
            for one in runs:
                one.uploads = uploads
    finally:
        if uploader is not None:
            uploader.process.kill()
            uploader.process.wait(10)
        if other is not None:
            other.stop()
    return runs


# --- where the GIL goes: py-spy, when installed -----------------------------------------------------------------------

def pyspy() -> str | None:
    """py-spy (``EPG_BENCH_PYSPY`` or on PATH): it is no dependency of epg, so the profile is made only when found."""
    import shutil

    return os.environ.get("EPG_BENCH_PYSPY") or shutil.which("py-spy")


#: What a sample of the thread holding the GIL was doing: the first rule whose text is in its stack.
UPLOAD_PARTS = (("read_schedule", "upload: parsing (read_schedule)"), ("assign_ids", "upload: identity matching"),
                ("prerender", "upload: rendering feed pieces (after_publish)"),
                ("validate_grid", "upload: validate_grid"), ("Store.publish", "upload: Store.publish (rows, SQL)"))


def classify(stack: str) -> str:
    if "publish_text" in stack:
        found = next((name for text, name in UPLOAD_PARTS if text in stack), None)
        if found:
            return found
        # Else the innermost of epg's own functions: the name says what the upload was doing.
        own = [frame.split(" (")[0] for frame in stack.split(";") if re.search(r"\((epg|feeds|api)/", frame)]
        return f"upload: {own[-1] if own else 'other'}"
    if "run_forever" in stack:
        return "event loop thread (uvicorn, Starlette, asyncio)"
    return "read handlers (thread pool)"


def gil_profile(spy: str, server: Server, token: str, first: date, size: int, folder: Path, dry_run: bool,
                report: Report, wrk: str, url: str, seconds: int = 10) -> list[tuple[str, int]]:
    """``py-spy record --gil`` on the server while uploads run and wrk reads ``url``: samples per part, the
    total of samples with a GIL holder first, then the samples that had none (the GIL was free)."""
    uploader = Uploader.start(server.url, token, first, size, dry_run, report.variant, folder)
    out = folder / "gil.txt"
    try:
        time.sleep(1.0)
        record = subprocess.Popen([spy, "record", "--gil", "--nonblocking", "--threads", "-r", "100", "-d",
                                   str(seconds), "--format", "raw", "-o", str(out), "-p", str(server.process.pid)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run_wrk(wrk, "profiled", url, seconds=seconds + 2, connections=report.connections, threads=1)
        record.wait(60)
    finally:
        uploads = uploader.finish()
        report.variant += len(uploads)
        report.notes.append(f"uploads while profiling {KINDS['dry-run' if dry_run else 'publish']}: "
                            f"{upload_summary(uploads)}")
    counts: dict[str, int] = {}
    try:
        lines = out.read_text().splitlines()
    except OSError:
        return []
    for line in lines:
        stack, _, number = line.rpartition(" ")
        if number.isdigit():
            part = classify(stack)
            counts[part] = counts.get(part, 0) + int(number)
    held = sum(counts.values())
    return [("samples with a GIL holder", held), ("samples with the GIL free", max(0, 100 * seconds - held)),
            *sorted(counts.items(), key=lambda kv: -kv[1])]


# --- reporting -------------------------------------------------------------------------------------------------------

def _ms(value: float) -> str:
    return f"{value:,.1f}"


def upload_summary(uploads: list[dict[str, Any]]) -> str:
    ok = [u for u in uploads if u["status"] == 200]
    if not uploads:
        return "no uploads"
    times = sorted(u["seconds"] for u in ok)
    text = f"{len(uploads)} uploads, {len(ok)} answered 200"
    if times:
        text += f", {times[len(times) // 2]:.1f} s each (median; {times[0]:.1f}–{times[-1]:.1f} s)"
    same = sum(1 for u in ok if u.get("unchanged"))
    if same:
        text += f"; {same} of them published nothing (the same text as the day's revision)"
    failed = [u for u in uploads if u["status"] != 200]
    if failed:
        text += f"; first failure {failed[0]['status']}: {failed[0]['error']}"
    return text


def baseline_of(report: Report, endpoint: str) -> Run | None:
    return next((r for r in report.runs if r.phase == "none" and r.endpoint == endpoint), None)


def table_rows(report: Report) -> list[list[str]]:
    rows = []
    for one in report.runs:
        base = baseline_of(report, one.endpoint)
        w = one.wrk
        ratio = f"{w.p99_ms / base.wrk.p99_ms:.1f}×" if base and base.wrk.p99_ms and one is not base else "1×"
        goal = "—" if one.phase not in ("dry-run", "publish") else (
            f"≤ {GOAL_MS:g} ms **{'met' if w.p99_ms <= GOAL_MS and not w.errors else 'missed'}**")
        rows.append([one.endpoint, {p[0]: p[1] for p in PHASES}[one.phase], f"{w.requests:,}",
                     f"{w.requests_per_s:,.0f}", _ms(w.p50_ms), _ms(w.p90_ms), _ms(w.p99_ms), _ms(w.max_ms),
                     ratio, str(w.errors), f"{one.busy_share:.0%}" if one.uploads else "—",
                     f"{one.server_cpu_s / (one.ended - one.began):.2f}", f"{one.load_before} → {one.load_after}",
                     goal])
    return rows


HEADER = ["endpoint", "while", "requests", "requests/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "p99 ÷ baseline",
          "errors", "upload in flight", "server CPU (cores)", "load average (1/5/15) before → after", "goal"]


def markdown(report: Report) -> list[str]:
    lines = [
        f"One `epg serve` (uvicorn, one worker, SQLite, the three demo channels plus `{CHANNEL}` for the uploads). "
        f"The upload: {report.upload_days} days of a Russian channel's schedule text (day headers, programme "
        f"lines, a description under some), {report.upload_bytes:,} bytes — whole days up to the default upload "
        f"limit of {UPLOAD_LIMIT:,} bytes, so no setting was raised — PUT to `/api/channels/{CHANNEL}/days/…` "
        "from its own process, back to back, one in flight at a time, starting yesterday (so every publish "
        "changes days `/api/now` and the feed show). Real publishes move one programme a day by a minute each "
        "time, so each stores a new revision of every day. Reads: "
        f"`wrk -t1 -c{report.connections} -d{report.seconds}s --latency` from another process on the same two "
        "cores, one endpoint at a time; the baseline is the same runs with no upload, in the same run of the "
        "benchmark, before the uploads and again after them. For comparison (no goal), the same publishes sent to "
        "a second `epg serve` on the same store while the first is read: what moving the uploads' work out of the "
        "serving process would leave (the second server's writes reach the first one's answers when its 5 s read "
        "cache expires, not at once).", "",
        "Each upload alone, before the runs (one request at a time, nothing else loading the server): " + ", ".join(
            f"{kind} {seconds:.1f} s" for kind, seconds in report.alone.items()) + ".", "",
    ]
    lines += ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(report)]
    lines.append("")
    for phase, label, *_ in PHASES:
        if phase in report.phases:
            lines.append(f"- uploads during “{label}”: {upload_summary(report.phases[phase])}")
    lines += [f"- {note}" for note in report.notes]
    for phase, parts in report.profiles.items():
        if not parts:
            continue
        held = parts[0][1] or 1
        lines.append(f"- where the server's GIL was while {KINDS[phase]} and "
                     f"`/api/now` reads ran (`py-spy record --gil`, 100 Hz for "
                     f"{(parts[0][1] + parts[1][1]) / 100:.0f} s: {parts[0][1]:,} samples found a thread holding it, "
                     f"about {parts[1][1]:,} found it free); of the held samples: " + "; ".join(
                         f"{name} {count / held:.0%}" for name, count in parts[2:]))
    lines += _reading(report)
    lines += ["- wrk is closed-loop (each connection waits for its answer before the next request), so a stall "
              "delays only the requests in flight when it happens: the max column shows stalls p99 may hide. "
              "\"Upload in flight\" is the share of the run's time an upload request was open.", ""]
    return lines


def _reading(report: Report) -> list[str]:
    """What the figures say about where the reads' time goes, from the runs themselves."""
    def p99(phase: str, endpoint: str) -> float | None:
        return next((r.wrk.p99_ms for r in report.runs if r.phase == phase and r.endpoint == endpoint), None)

    lines = []
    for endpoint in ("/api/now", "/xmltv.xml (warm)"):
        base, same, other = p99("none", endpoint), p99("publish", endpoint), p99("elsewhere", endpoint)
        if base and same and other:
            lines.append(f"- {endpoint}: p99 {base:,.1f} ms with no upload, {same:,.1f} ms ({same / base:.1f}×) while "
                         f"the same server publishes, {other:,.1f} ms ({other / base:.1f}×) while a second server "
                         "process on the same store and cores publishes the same uploads")
    shares = {phase: sum(n for name, n in parts[2:] if name.startswith("upload:")) / parts[0][1]
              for phase, parts in report.profiles.items() if parts and parts[0][1]}
    if any(shares.values()):  # none when the uploads ran in the server's worker processes (EPG_UPLOAD_WORKERS)
        lines.append("- the uploads' parsing and publishing run in a worker thread, off the event loop, but in the "
                     "same interpreter: the upload's thread held the GIL in " + " and ".join(
                         f"{share:.0%} of the held samples during {KINDS[phase]}" for phase, share in shares.items())
                     + "; the event loop and the read handlers get it back — at every socket read and write, log "
                     "line and hand-over between the loop and the thread pool — only when that thread lets go of "
                     "it (at the latest after `sys.getswitchinterval()`, 5 ms). The second-process runs show what "
                     "taking that work out of the serving process would leave")
    return lines


def goals(report: Report) -> list[tuple[str, float, bool]]:
    """(what, p99 ms, met) for each endpoint under each kind of upload."""
    found = []
    for one in report.runs:
        if one.phase in ("dry-run", "publish"):  # the goal is about one server doing both
            label = "dry runs" if one.phase == "dry-run" else "publishes"
            found.append((f"{one.endpoint} p99 while 2 MB {label} run back to back (one worker)", one.wrk.p99_ms,
                          one.wrk.p99_ms <= GOAL_MS and not one.wrk.errors))
    return found


def to_dict(report: Report) -> dict[str, Any]:
    return {"seconds": report.seconds, "connections": report.connections, "upload_bytes": report.upload_bytes,
            "upload_days": report.upload_days, "alone": report.alone, "notes": report.notes, "error": report.error,
            "runs": [{"phase": r.phase, "endpoint": r.endpoint, "requests": r.wrk.requests,
                      "requests_per_s": r.wrk.requests_per_s, "p50_ms": r.wrk.p50_ms, "p90_ms": r.wrk.p90_ms,
                      "p99_ms": r.wrk.p99_ms, "max_ms": r.wrk.max_ms, "errors": r.wrk.errors,
                      "busy_share": r.busy_share if r.uploads else None, "server_cpu_s": r.server_cpu_s,
                      "seconds": r.ended - r.began, "load_before": r.load_before, "load_after": r.load_after}
                     for r in report.runs],
            "uploads": {phase: upload_summary(uploads) for phase, uploads in report.phases.items()},
            "profiles": report.profiles}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loaded", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="each wrk run (default 20)")
    parser.add_argument("--connections", type=int, default=8, help="wrk's connections (default 8)")
    parser.add_argument("--bytes", type=int, default=UPLOAD_LIMIT, help="upload size (whole days up to it)")
    parser.add_argument("--markdown", action="store_true", help="print the BENCHMARKS.md section, not JSON")
    parser.add_argument("--upload-loop", metavar="BASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--first-day", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--variant", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.upload_loop:
        folder = Path(args.dir)
        upload_loop(args.upload_loop, args.token, date.fromisoformat(args.first_day), args.bytes, args.dry_run,
                    args.variant, folder / "started", folder / "stop", folder / "uploads.json")
        return 0
    report = run(args.seconds, args.connections, args.bytes, progress=lambda text: print(text, file=sys.stderr))
    if args.markdown:
        print("\n".join(markdown(report)))
    else:
        print(json.dumps(to_dict(report), indent=2, ensure_ascii=False))
    return 0 if report.error is None else 1


if __name__ == "__main__":
    raise SystemExit(main())
