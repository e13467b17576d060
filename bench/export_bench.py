"""XMLTV export benchmark: epg's writer, cold and from cached channel-days, against Perl's tv_cat.

    python -m bench.export_bench                                   # a quick run (small defaults)
    python -m bench.export_bench --channels 500 --days 7 --per-day 40   # the full 140,000 programmes

Each measured step runs in its own subprocess so its peak RSS is its own
(``os.wait4`` gives the child's ``ru_maxrss``); inside the child the step's
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
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

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


def _measure(command: list[str]) -> tuple[float, int, str]:
    """Run ``command``; (wall seconds, the child's own peak RSS in KiB, its stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - t0
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}): {stderr[-2000:]}")
    if stderr.strip() and command[0] != sys.executable:
        print(f"{Path(command[0]).name} wrote to stderr: {stderr[:500]}", file=sys.stderr)
    return seconds, usage.ru_maxrss, stdout


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    import lxml.etree

    return {"cpu": model.group(1).strip() if model else platform.processor() or "unknown",
            "cores": str(os.cpu_count()), "python": platform.python_version(),
            "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)), "os": platform.platform()}


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
    console = Console(width=None if sys.stdout.isatty() else 160)
    programmes = args.channels * args.days * args.per_day
    tv_cat = shutil.which("tv_cat")
    workdir = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="epg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    cold_file, warm_file, cat_file = workdir / "cold.xml", workdir / "warm.xml", workdir / "tv_cat.xml"
    base = [sys.executable, "-m", "bench.export_bench", "--channels", str(args.channels), "--days", str(args.days),
            "--per-day", str(args.per_day)]
    results: dict[str, dict[str, Any]] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as bar:
        for phase, path in (("cold", cold_file), ("warm", warm_file)):
            task = bar.add_task(f"{phase}: {programmes:,} programmes in a subprocess")
            seconds, peak, stdout = _measure([*base, "--phase", phase, "--out", str(path)])
            results[phase] = json.loads(stdout) | {"process_seconds": seconds, "peak_kib": peak}
            bar.update(task, completed=1, total=1)
        if tv_cat:
            task = bar.add_task("tv_cat on the cold file")
            seconds, peak, _ = _measure([tv_cat, "-o", str(cat_file), str(cold_file)])
            results["tv_cat"] = {"seconds": seconds, "peak_kib": peak, "bytes": cat_file.stat().st_size}
            bar.update(task, completed=1, total=1)
    identical = cold_file.read_bytes() == warm_file.read_bytes()

    info = machine()
    console.print(f"[bold]Machine[/]: {info['cpu']}, {info['cores']} cores; Python {info['python']}, "
                  f"lxml {info['lxml']}; {info['os']}")
    console.print(f"[bold]Guide[/]: {args.channels} channels × {args.days} days × {args.per_day} = "
                  f"{programmes:,} programmes; {results['cold']['bytes'] / 1e6:.1f} MB of XMLTV; "
                  f"cold and warm files identical: {identical}")
    reference = results.get("tv_cat")
    table = Table(title="XMLTV export")
    for column in ("step", "seconds", "programmes/s", "× tv_cat time", "speed-up", "peak RSS MiB",
                   "× tv_cat RSS", "step growth MiB", "setup s"):
        table.add_column(column, justify="left" if column == "step" else "right")
    labels = {"cold": "epg write_xmltv (cold)", "warm": "epg assemble cached channel-days (warm)",
              "tv_cat": "tv_cat (Perl XMLTV 1.2.1)"}
    for key, result in results.items():
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
                  "whole subprocess (ru_maxrss from wait4), so it includes the guide or the cache held in memory. "
                  "step growth: how far the timed step raised the resident set above where it began. setup: "
                  "building the guide (cold) or rendering every channel-day into the cache (warm), not timed.")
    if not args.dir:
        shutil.rmtree(workdir)
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
