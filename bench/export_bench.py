"""XMLTV export benchmark: epg's writer, cold and from cached channel-days, against Perl's tv_cat.

    python -m bench.export_bench                                   # a quick run (small defaults)
    python -m bench.export_bench --channels 500 --days 7 --per-day 40   # the full 140,000 programmes

Each measured step runs in its own subprocess so its peak RSS is its own
(GNU ``time``'s ``%M``, see :func:`measure`); inside the child the step's
own growth is read too, by resetting the kernel's high-water mark
(``/proc/self/clear_refs``) just before the step and reading ``VmHWM`` after.

- **cold**: build the synthetic guide, then ``write_xmltv(guide)`` and write
  the bytes to a file (timed: the writer and the file write);
- **warm**: render every channel-day once with ``render_channel_day`` into a
  dict (the cache a server keeps per published revision), then time only
  assembling the document from that dict with ``assemble`` while streaming it
  to a file. The two files must be identical;
- **tv_cat**: Debian's ``tv_cat`` reads the cold file and writes it out again
  (``-o``), the reference point for what the Perl XMLTV tools cost.

The guide is deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from epg.models import Channel, ChannelGuide, Guide, Programme
from epg.ratings import make_rating

FIRST_DAY = date(2022, 1, 10)
MODIFIED = datetime(2022, 1, 9, 12, 0, tzinfo=UTC)
ZONES = ["Europe/Moscow", "Europe/Kaliningrad", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
         "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok"]

NEWS = ["Новости", "Вести", "Время", "Новости спорта", "Вести. Местное время", "Сегодня", "Утро России"]
SERIES = ["Склифосовский", "Метод", "Интерны", "Тайны следствия", "Улицы разбитых фонарей", "Кухня",
          "След", "Мухтар. Новый след", "Тайны города Эн", "Морские дьяволы", "Солдаты", "Папины дочки"]
FILMS = [("Ирония судьбы, или С лёгким паром!", 1975, "СССР"), ("Москва слезам не верит", 1979, "СССР"),
         ("Брат", 1997, "Россия"), ("Легенда № 17", 2013, "Россия"), ("Движение вверх", 2017, "Россия"),
         ("Служебный роман", 1977, "СССР"), ("Белое солнце пустыни", 1970, "СССР"),
         ("Экипаж", 2016, "Россия"), ("Кин-дза-дза!", 1986, "СССР"), ("Офицеры", 1971, "СССР")]
SPORT = ["Футбол. РПЛ. «Спартак» — «Зенит»", "Хоккей. КХЛ. ЦСКА — СКА", "Биатлон. Кубок мира. Спринт",
         "Фигурное катание. Чемпионат России", "Теннис. Кубок Кремля"]
KIDS = ["Смешарики", "Маша и Медведь", "Ну, погоди!", "Фиксики", "Простоквашино", "Лунтик"]
SHOWS = ["Жажда странствий", "Китайская панорама", "История дракона", "Поле чудес", "Что? Где? Когда?",
         "Пусть говорят", "Время покажет", "Давай поженимся!", "Модный приговор", "Своя игра", "Орёл и решка",
         "Непутёвые заметки", "Кто хочет стать миллионером?", "Comedy Club", "Ледниковый период"]
DESCRIPTIONS = ["Трансляция из Москвы. Комментирует Дмитрий Губерниев.",
                "Главные события дня в России и мире.\nПогода на завтра.",
                "Реж.: Эльдар Рязанов. В ролях: Андрей Мягков, Барбара Брыльска, Юрий Яковлев.",
                "Новые приключения любимых героев.", "Документальный цикл о природе Сибири и Дальнего Востока."]
AGES = ["0", "6", "12", "16", "18"]


def _programme(rng: random.Random, channel_index: int, n: int, start: datetime, stop: datetime) -> Programme:
    kind = rng.random()
    fields: dict[str, Any] = {"start": start, "stop": stop, "modified": MODIFIED,
                              "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{channel_index}/{n}")),
                              "rating": make_rating("RU", rng.choice(AGES))}
    if kind < 0.15:
        fields |= {"title": rng.choice(NEWS), "live": rng.random() < 0.5}
    elif kind < 0.45:
        fields |= {"title": rng.choice(SERIES), "categories": ["Телесериал"], "season": rng.randint(1, 12),
                   "episode": rng.randint(1, 40), "premiere": rng.random() < 0.05}
    elif kind < 0.6:
        title, year, country = rng.choice(FILMS)
        fields |= {"title": title, "categories": ["Художественный фильм"], "year": year, "country": country,
                   "repeat": rng.random() < 0.5}
    elif kind < 0.68:
        fields |= {"title": rng.choice(SPORT), "live": True, "categories": ["Спорт"]}
    elif kind < 0.78:
        fields |= {"title": rng.choice(KIDS), "categories": ["Мультсериал"], "episode": rng.randint(1, 200),
                   "rating": make_rating("RU", "0")}
    else:
        fields |= {"title": rng.choice(SHOWS), "sub_title": rng.choice([None, None, "Выпуск от 10 января"])}
    if rng.random() < 0.35:
        fields["description"] = rng.choice(DESCRIPTIONS)
    return Programme(**fields)


def channel_days(index: int, days: int, per_day: int) -> tuple[Channel, list[list[Programme]]]:
    """One synthetic channel and its programmes, day by day (05:00 to 05:00 local), deterministic."""
    rng = random.Random(index)
    channel = Channel(id=f"ch{index:03d}.bench.epg", name=f"Канал {index}", tz=ZONES[index % len(ZONES)],
                      lang="ru", number=str(index + 1), icon=f"https://bench.epg/logos/{index}.png")
    zone = channel.zoneinfo
    result: list[list[Programme]] = []
    n = 0
    for d in range(days):
        day = FIRST_DAY + timedelta(days=d)
        begin = datetime(day.year, day.month, day.day, 5, 0, tzinfo=zone).astimezone(UTC)
        cuts = [0, *sorted(rng.sample(range(1, 288), per_day - 1)), 288]  # five-minute steps over 24 hours
        items = []
        for a, b in itertools.pairwise(cuts):
            start = (begin + timedelta(minutes=5 * a)).astimezone(zone)
            stop = (begin + timedelta(minutes=5 * b)).astimezone(zone)
            items.append(_programme(rng, index, n, start, stop))
            n += 1
        result.append(items)
    return channel, result


def build_guide(channels: int, days: int, per_day: int) -> Guide:
    items = []
    for index in range(channels):
        channel, by_day = channel_days(index, days, per_day)
        items.append(ChannelGuide(channel=channel, programmes=[p for day in by_day for p in day]))
    return Guide(channels=items)


# --- the measured steps (each in its own process) -------------------------------------------------------------------

def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _status_kib(field: str) -> int | None:
    match = re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(match.group(1)) if match else None


def _step_growth(reset: bool, before: int | None) -> int | None:
    """How far the step raised the resident set above where it started (KiB), when the kernel can tell."""
    peak = _status_kib("VmHWM")
    return peak - before if reset and peak is not None and before is not None else None


def _cold(args: argparse.Namespace) -> dict[str, Any]:
    from feeds.xmltv import write_xmltv

    t0 = time.perf_counter()
    guide = build_guide(args.channels, args.days, args.per_day)
    built = time.perf_counter() - t0
    gc.collect()
    reset, before = _reset_peak(), _status_kib("VmRSS")
    t1 = time.perf_counter()
    data = write_xmltv(guide)
    Path(args.out).write_bytes(data)
    seconds = time.perf_counter() - t1
    return {"seconds": seconds, "setup_seconds": built, "bytes": len(data),
            "step_growth_kib": _step_growth(reset, before)}


def _warm(args: argparse.Namespace) -> dict[str, Any]:
    from feeds.xmltv import assemble, render_channel_day

    t0 = time.perf_counter()
    cache: dict[tuple[str, int], bytes] = {}
    channels: list[Channel] = []
    for index in range(args.channels):  # one channel at a time: the guide is never whole in memory
        channel, by_day = channel_days(index, args.days, args.per_day)
        channels.append(channel)
        for d, items in enumerate(by_day):
            cache[(channel.id, d)] = render_channel_day(channel, items)
    filled = time.perf_counter() - t0
    gc.collect()
    reset, before = _reset_peak(), _status_kib("VmRSS")
    t1 = time.perf_counter()
    size = 0
    with open(args.out, "wb") as out:
        for piece in assemble(channels, cache.values()):
            out.write(piece)
            size += len(piece)
    seconds = time.perf_counter() - t1
    return {"seconds": seconds, "setup_seconds": filled, "bytes": size,
            "step_growth_kib": _step_growth(reset, before)}


GNU_TIME = "/usr/bin/time"


def measure(command: list[str], env: dict[str, str] | None = None,
            timeout: float | None = None) -> tuple[float, int, str]:
    """Run ``command``; (wall seconds, the child's own peak RSS in KiB, its stdout).

    Linux carries a process's RSS high-water mark across ``exec``, so a child
    forked from this (large) Python process would report at least our own
    peak through ``wait4``. GNU ``time`` is a ~1 MiB process: the command it
    forks reports its own peak (``%M``). Without it, ``wait4``'s figure is
    used and is an upper bound.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        wrapped = [GNU_TIME, "-f", "%M", "-o", rss.name, *command] if os.path.exists(GNU_TIME) else command
        t0 = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        reported = rss.read().strip().splitlines()
    peak = int(reported[-1]) if reported and reported[-1].isdigit() else resource.getrusage(
        resource.RUSAGE_CHILDREN).ru_maxrss
    if process.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} {' '.join(command[1:4])} failed ({process.returncode}): "
                           f"{stderr[-2000:]}")
    if stderr.strip() and command[0] != sys.executable:
        print(f"{Path(command[0]).name} wrote to stderr: {stderr[:500]}", file=sys.stderr)
    return seconds, peak, stdout


_measure = measure  # the name earlier callers used


def measure_writer(channels: int, days: int, per_day: int, workdir: Path,
                   step: Callable[[str], None] = lambda _text: None) -> dict[str, Any]:
    """The pure-writer figures: cold and warm in their own subprocesses, then tv_cat on the cold file.

    Leaves ``workdir/cold.xml`` behind: the guide the import and HTTP benchmarks read.
    """
    programmes = channels * days * per_day
    base = [sys.executable, "-m", "bench.export_bench", "--channels", str(channels), "--days", str(days),
            "--per-day", str(per_day)]
    files = {name: workdir / f"{name}.xml" for name in ("cold", "warm", "tv_cat")}
    results: dict[str, Any] = {}
    for phase in ("cold", "warm"):
        step(f"XMLTV writer, {phase}: {programmes:,} programmes in a subprocess")
        seconds, peak, stdout = measure([*base, "--phase", phase, "--out", str(files[phase])])
        results[phase] = json.loads(stdout) | {"process_seconds": seconds, "peak_kib": peak}
    tv_cat = shutil.which("tv_cat")
    if tv_cat:
        step(f"tv_cat reading and writing the {results['cold']['bytes'] / 1e6:.1f} MB guide")
        seconds, peak, _ = measure([tv_cat, "-o", str(files["tv_cat"]), str(files["cold"])])
        results["tv_cat"] = {"seconds": seconds, "peak_kib": peak, "bytes": files["tv_cat"].stat().st_size,
                             "programmes": _count_programmes(files["tv_cat"])}
    results["identical"] = files["cold"].read_bytes() == files["warm"].read_bytes()
    results["programmes"] = programmes
    results["guide"] = str(files["cold"])
    files["warm"].unlink()
    return results


def _count_programmes(path: Path) -> int:
    """How many programmes a written guide holds (each starts a line with ``<programme ``)."""
    count = 0
    with path.open("rb") as stream:
        for line in stream:
            count += line.lstrip().startswith(b"<programme ")
    return count


# --- the product's own path: the served feed -----------------------------------------------------------------------

def _download(client: httpx.Client, url: str, sink: Path, headers: dict[str, str]) -> dict[str, Any]:
    """GET ``url`` to the last byte into ``sink`` (bytes as sent: no decompression); time, status, size."""
    t0 = time.perf_counter()
    size = 0
    with client.stream("GET", url, headers=headers) as response, sink.open("wb") as out:
        first = None
        for chunk in response.iter_raw():
            if first is None:
                first = time.perf_counter() - t0
            out.write(chunk)
            size += len(chunk)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "first_byte_seconds": first or seconds, "status": response.status_code,
            "bytes": size, "etag": response.headers.get("etag", ""),
            "encoding": response.headers.get("content-encoding", "identity")}


def measure_http(database_url: str, first_day: date, days: int, expected_programmes: int, workdir: Path,
                 step: Callable[[str], None] = lambda _text: None) -> dict[str, Any]:
    """``/xmltv.xml`` end to end from a real ``epg serve`` over a store that holds the guide.

    The first request after the server starts is cold (nothing rendered,
    the piece cache empty), the second warm (every channel-day piece cached).
    Both ask for ``Accept-Encoding: identity``, the same plain XML tv_cat
    writes; a third request with gzip on the wire and a conditional one show
    what players that send those headers get. The server's peak RSS is its
    ``VmHWM`` after the last request.
    """
    from bench.http_load import RssSampler, epg_serve, peak_rss_kib

    step("starting epg serve over the imported guide")
    server = epg_serve(database_url, workdir / "serve-export.log")
    url = f"{server.url}/xmltv.xml?from={first_day.isoformat()}&days={days}"
    plain = {"Accept-Encoding": "identity"}
    results: dict[str, Any] = {"url": url.replace(server.url, ""), "expected_programmes": expected_programmes}
    try:
        with httpx.Client(timeout=600.0) as client, RssSampler(server.process.pid) as rss:
            idle = peak_rss_kib(server.process.pid)
            step("GET /xmltv.xml, cold (first request)")
            results["cold"] = _download(client, url, workdir / "http-cold.xml", plain)
            results["cold"]["peak_kib"] = rss.sample()
            step("GET /xmltv.xml, warm (second request)")
            results["warm"] = _download(client, url, workdir / "http-warm.xml", plain)
            repeats = []
            for n in range(3):
                step(f"GET /xmltv.xml, warm again ({n + 1} of 3)")
                repeats.append(_download(client, url, workdir / "http-warm.xml", plain)["seconds"])
            results["warm_repeats_seconds"] = repeats
            step("GET /xmltv.xml, warm, Accept-Encoding: gzip")
            results["warm_gzip"] = _download(client, url, workdir / "http-warm.xml.gz", {"Accept-Encoding": "gzip"})
            step("GET /xmltv.xml with If-None-Match")
            results["not_modified"] = _download(client, url, workdir / "http-304",
                                                plain | {"If-None-Match": results["warm"]["etag"]})
            results["idle_kib"] = idle
        results["peak_kib"] = rss.peak_kib
    finally:
        server.stop()
    served = _count_programmes(workdir / "http-cold.xml")
    results["served_programmes"] = served
    results["cold_equals_warm"] = (workdir / "http-cold.xml").read_bytes() == (workdir / "http-warm.xml").read_bytes()
    for name in ("http-cold.xml", "http-warm.xml", "http-warm.xml.gz", "http-304"):
        (workdir / name).unlink(missing_ok=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--per-day", type=int, default=40)
    parser.add_argument("--dir", help="keep the files here (default: a temporary directory)")
    parser.add_argument("--phase", choices=["cold", "warm"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 2 <= args.per_day <= 287 or args.channels < 1 or args.days < 1:
        parser.error("need --channels >= 1, --days >= 1 and 2 <= --per-day <= 287")
    if args.phase:
        print(json.dumps((_cold if args.phase == "cold" else _warm)(args)))
        return 0
    return run(args)


def run(args: argparse.Namespace) -> int:
    """The pure-writer comparison on its own (``python -m bench`` adds the served feed and the import)."""
    from bench.machine import describe

    console = Console(width=None if sys.stdout.isatty() else 160)
    programmes = args.channels * args.days * args.per_day
    workdir = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="epg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("XMLTV writer")
        results = measure_writer(args.channels, args.days, args.per_day, workdir,
                                 lambda text: bar.update(task, description=text))
    info = describe()
    console.print(f"[bold]Machine[/]: {info['CPU']}; Python {info['Python']}; {info['OS']}")
    console.print(f"[bold]Guide[/]: {args.channels} channels × {args.days} days × {args.per_day} = "
                  f"{programmes:,} programmes; {results['cold']['bytes'] / 1e6:.1f} MB of XMLTV; "
                  f"cold and warm files identical: {results['identical']}")
    reference = results.get("tv_cat")
    table = Table(title="XMLTV export")
    for column in ("step", "seconds", "programmes/s", "× tv_cat time", "speed-up", "peak RSS MiB",
                   "× tv_cat RSS", "step growth MiB", "setup s"):
        table.add_column(column, justify="left" if column == "step" else "right")
    labels = {"cold": "epg write_xmltv (cold)", "warm": "epg assemble cached channel-days (warm)",
              "tv_cat": "tv_cat (Perl XMLTV)"}
    for key in ("cold", "warm", "tv_cat"):
        if key not in results:
            continue
        result = results[key]
        seconds, peak = result["seconds"], result["peak_kib"]
        growth = result.get("step_growth_kib")
        table.add_row(
            labels[key], f"{seconds:.3f}", f"{programmes / seconds:,.0f}",
            f"{seconds / reference['seconds']:.5f}" if reference else "—",
            f"{reference['seconds'] / seconds:,.0f}×" if reference else "—",
            f"{peak / 1024:.0f}", f"{peak / reference['peak_kib']:.2f}" if reference else "—",
            f"{growth / 1024:.0f}" if growth is not None else "—",
            f"{result['setup_seconds']:.2f}" if "setup_seconds" in result else "—")
    console.print(table)
    console.print("seconds: the timed step alone (tv_cat: the whole process, as a user runs it). peak RSS: the "
                  "whole subprocess (GNU time %M), so it includes the guide or the cache held in memory. "
                  "step growth: how far the timed step raised the resident set above where it began. setup: "
                  "building the guide (cold) or rendering every channel-day into the cache (warm), not timed.")
    if not args.dir:
        shutil.rmtree(workdir)
    return 0 if results["identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
