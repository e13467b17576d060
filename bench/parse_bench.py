"""How fast the reading pipeline is, next to the fastest thing that could read the same text.

``python -m bench.parse_bench [--lines N] [--profile]`` generates N synthetic
schedule lines (one million by default; deterministic: realistic programme
lines in several languages and styles, about 20% noise — news, menus,
prices, weather, times inside sentences — and a day header every ~40
lines), writes them to a temporary file, and times on the same bytes:

(a) a bare regular-expression scan: ``re.finditer`` of a time-at-line-start
    pattern over the whole (already decoded) text, counting matches — the
    least any reader pays to look at every line;
(b) :func:`epg.schedule.read_schedule` — decoding, typed entries, the time
    line, diagnostics.

It prints lines/s and programmes/s for both and the ratio (the goal is
typed parsing at ≥ 0.5× the bare scan), and for scale (c): a Python loop
over the lines that only matches the same pattern on each — what any
line-by-line reader in CPython pays before it does anything with a line. Times are CPU seconds of this
process, so other work on a shared machine does not skew the ratio.
``--profile`` adds the top of a ``cProfile`` run of (b).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import re
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from epg.schedule import read_schedule

FIRST_DAY = date(2024, 1, 1)
ZONE = ZoneInfo("Europe/Moscow")
SCAN = re.compile(r"^[ \t]*(?:[01]?\d|2[0-9])[:.h-][0-5]\d", re.M)
LINE_START = re.compile(r"[ \t]*(?:[01]?\d|2[0-9])[:.h-][0-5]\d")

_WORDS = [
    "Новости", "Время", "Утро", "Вечер", "Доброе", "Жизнь", "Москва", "Россия", "Тайны", "следствия", "Кухня",
    "Шеф", "Мама", "Война", "мир", "Дом", "Любовь", "Город", "Звезда", "Пёс", "Лесник", "Улицы", "фонарей",
    "Морские", "дьяволы", "Жажда", "странствий", "Сокровища", "степи", "Кровные", "узы", "News", "Morning",
    "Evening", "Doctor", "House", "Football", "Snooker", "Masters", "Night", "Show", "Tonight", "Garden", "World",
    "Kitchen", "heute", "journal", "Tatort", "Tagesschau", "Sportschau", "Bergdoktor", "Küchenschlacht", "Journal",
    "Télématin", "Tour", "France", "Soleil"
]
_SUBS = [
    "Иордания", "Армения", "Египет", "Новая", "жизнь", "Family", "Pilot", "Der", "Mann", "im", "Keller", "Épisode",
    "spécial"
]
_PREFIXES = ["", "", "", "Т/с ", "Х/ф ", "Д/ф ", "М/с ", "Spielfilm: ", "Série : ", "Film: "]
_MARKS = ["", "", " 0+", " 6+", " 12+", " 16+", " 18+", " (16+)", " TV-14", " FSK 12", " -12", " (15)"]
_EXTRAS = ["", "", "", "", " (Россия, 2019)", " (USA, 2016)", ". 2 сезон. 3-я серия", " S01E02", " (R)",
           " Прямой эфир", " (Wiederholung)", " Премьера"]
_NOISE = [
    "Главная | Новости | Телепрограмма | Погода | Гороскоп",
    "Москва +5°   Курс ЦБ: $ 74,29   € 84,21",
    "15:00 — в Кремле пройдёт совещание по вопросам развития транспорта, сообщили в пресс-службе.",
    "Встреча начнётся в 15:00 в Кремле.",
    "Билеты на новогодние представления от 1 200 руб.",
    "07.01.2022 ТАСС",
    "06:00  Облачно, снег  −12°  ветер СЗ 4 м/с",
    "Реклама на сайте: +7 (495) 123-45-67",
    "Подпишитесь на рассылку — программа передач каждое утро!",
    "14.30 Uhr: Bundeskanzler Scholz trifft in Paris den französischen Präsidenten, meldet die dpa.",
    "Programmänderungen vorbehalten.",
    "All times are UK time.",
]
_WEEKDAYS = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"]
_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"]


def _title(rng: random.Random) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))
    title = words[0].upper() + words[1:]
    if rng.random() < 0.15:
        title += ". " + rng.choice(_SUBS)
    if rng.random() < 0.2:
        title = f"«{title}»"
    return rng.choice(_PREFIXES) + title + rng.choice(_EXTRAS) + rng.choice(_MARKS)


def _clock(rng: random.Random, minute: int) -> str:
    hour, minute = divmod(minute % 1440, 60)
    style = rng.random()
    if style < 0.7:
        return f"{hour:02d}:{minute:02d}"
    if style < 0.85:
        return f"{hour}.{minute:02d}"
    if style < 0.95:
        return f"{hour:02d}:{minute:02d} –"
    return f"{hour:02d}:{minute:02d}\t|"


REPERTOIRE = 5000


def generate(lines: int, seed: int = 20240101) -> str:
    """``lines`` lines of schedule text: programmes, noise and a day header every ~40 lines.

    Like a real channel, the text repeats its shows: each programme line is
    one of :data:`REPERTOIRE` programme texts (a show is printed the same
    way each time it airs), picked with a skew towards the frequent ones.
    """
    rng = random.Random(seed)
    shows = [_title(rng) for _ in range(REPERTOIRE)]
    out: list[str] = []
    day = FIRST_DAY
    minute = 300
    while len(out) < lines:
        if len(out) % 40 == 0:
            out.append(f"{_WEEKDAYS[day.weekday()]}, {day.day} {_MONTHS[day.month - 1]}")
            day += timedelta(days=1)
            minute = 300 + rng.randrange(0, 60)
        elif rng.random() < 0.2:
            out.append(rng.choice(_NOISE) if rng.random() < 0.9 else "")
        else:
            show = shows[min(int(rng.paretovariate(0.6)) - 1, REPERTOIRE - 1)] if rng.random() < 0.7 else (
                rng.choice(shows))
            out.append(f"{_clock(rng, minute)} {show}")
            minute += rng.choice((5, 10, 15, 25, 30, 45, 60, 90))
    return "\n".join(out[:lines]) + "\n"


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f}/s"


def main(argv: list[str] | None = None) -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    options.add_argument("--lines", type=int, default=1_000_000, help="how many lines to generate")
    options.add_argument("--profile", action="store_true", help="also print a cProfile of read_schedule")
    args = options.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schedule.txt"
        path.write_text(generate(args.lines), encoding="utf-8")
        data = path.read_bytes()

        # CPU time of this process: other work on the machine does not count against either reader.
        # The scan gets the text already decoded; read_schedule starts from the bytes.
        text = data.decode("utf-8")
        began = time.process_time()
        matches = sum(1 for _ in SCAN.finditer(text))
        scan_seconds = time.process_time() - began

        began = time.process_time()
        schedule = read_schedule(data, FIRST_DAY, ZONE)
        parse_seconds = time.process_time() - began

        # For scale: a Python loop that only asks each line whether it opens with a time.
        lines = text.splitlines()
        began = time.process_time()
        looped = sum(1 for line in lines if LINE_START.match(line))
        loop_seconds = time.process_time() - began

        print(f"{args.lines:,} lines, {len(data) / 1e6:.1f} MB, {len(schedule.programmes):,} programmes, "
              f"{len(schedule.diagnostics):,} diagnostics")
        print(f"(a) bare regex scan  {scan_seconds:8.3f} s  lines {_rate(args.lines, scan_seconds)}  "
              f"time matches {_rate(matches, scan_seconds)}")
        print(f"(b) read_schedule    {parse_seconds:8.3f} s  lines {_rate(args.lines, parse_seconds)}  "
              f"programmes   {_rate(len(schedule.programmes), parse_seconds)}")
        print(f"ratio (b)/(a) by lines/s: {scan_seconds / parse_seconds:.3f} (goal ≥ 0.5)")
        print(f"for scale, (c) a Python loop matching each line, no typing: {loop_seconds:.3f} s, "
              f"lines {_rate(args.lines, loop_seconds)}, {looped:,} matches, "
              f"ratio (c)/(a) {scan_seconds / loop_seconds:.3f}")

        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(read_schedule, data, FIRST_DAY, ZONE)
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(25)
            print(report.getvalue())


if __name__ == "__main__":
    main()
