"""Clock times as schedules print them, read into seconds after midnight.

``16:55``, ``6.05``, ``16-55``, ``20h15``, ``6:00 PM``, ``6.00pm``, ``20.15 Uhr``,
``25:30`` (past midnight of the listing day) and ``05:00:00`` (playout
exports, whose seconds are kept). A time is a number of seconds after
midnight of the day it is listed under, so ``25:30`` is 91800 and the time
line decides what day that is. Pure: strings in, numbers out.
"""

from __future__ import annotations

import re

SECONDS_PER_DAY = 86400

#: One clock time; ``{p}`` prefixes the group names so two clocks can share a pattern.
CLOCK = (
    r"(?P<{p}h>[01]?\d|2\d)(?P<{p}sep>[:.h\-])(?P<{p}m>[0-5]\d)(?::(?P<{p}s>[0-5]\d))?"
    r"(?:\s?(?P<{p}ampm>[ap]\.?\s?m\.?)(?!\w))?(?:\s?(?:Uhr|horas|hrs|hs|óra|val\.)(?!\w))?"
)
#: A clock is not followed by more digits: ``07.01.2022`` is a date, ``1.200`` a number.
NOT_MORE = r"(?![.:\-/]?\d)"
_RANGE_JOIN = r"\s*(?:[-–—]|до|to|bis|à)\s*"

#: A line that opens with a time or a range (``22:25 - 22:55``, ``с 22:25 до 22:55``, ``06:00-07:00``).
START = re.compile(
    r"^[\s•·*\->|–—]*(?:(?:с|c|от|ab|from|de)\s+)?" + CLOCK.format(p="a")
    + r"(?:" + _RANGE_JOIN + CLOCK.format(p="b") + NOT_MORE + r"|" + NOT_MORE + r")",
    re.I,
)
#: Several times that share one title: ``9.00, 12.00, 15.00 Новости``.
_SHORT = r"(?:[01]?\d|2\d)[:.][0-5]\d"
TIME_LIST = re.compile(rf"^\s*((?:{_SHORT}\s*,\s*)+{_SHORT}){NOT_MORE}\s+(?=\S)")
#: Where another programme starts later on a line: a time (or a list of times) then a title-like word.
INLINE = re.compile(
    rf"(?<=\s)(?<!,\s)(?=(?:{_SHORT}\s*,\s*)*(?:[01]?\d|2\d)[:.][0-5]\d{NOT_MORE}(?:\s?[ap]\.?m\.?)?"
    r"\s+[\"«„“A-ZА-ЯЁЇІЄҐ0-9])"
)
#: Cheap test that a text may hold another clock time (before the costlier :data:`INLINE` split).
TIME_INSIDE = re.compile(r"\d[:.][0-5]\d")
#: A cell that is a clock and nothing else (an end time or a duration in a table).
CELL = re.compile(CLOCK.format(p="c") + r"\s*", re.I)
#: Cheap test that a line may open with a time: most noise lines fail it at once.
MAYBE_TIME = re.compile(r"[\s•·*>|\-–—]*(?:\d|(?:с|c|от|ab|from|de)\s+\d)", re.I)


_GROUPS = {prefix: tuple(prefix + name for name in ("h", "sep", "m", "s", "ampm")) for prefix in "abc"}


def seconds(match: re.Match[str], prefix: str) -> int | None:
    """The time a :data:`CLOCK` group names, in seconds after midnight, or None when it is no time."""
    hour_text, separator, minute, second, ampm = match.group(*_GROUPS[prefix])
    hour = int(hour_text)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm[0] in "pP" else 0)
    elif hour > 29:
        return None
    if separator == "-" and len(hour_text) == 1:
        return None  # "6-05" is more often a range of numbers than a time
    return hour * 3600 + int(minute) * 60 + (int(second) if second else 0)


def list_seconds(text: str) -> list[int]:
    """The times of a :data:`TIME_LIST` match, in order."""
    return [int(h) * 3600 + int(m) * 60 for h, m in re.findall(r"(\d{1,2})[:.](\d{2})", text)]


def clock_text(value: int) -> str:
    """``HH:MM`` (``HH:MM:SS`` when there are seconds) for seconds after midnight."""
    hours, rest = divmod(value, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}" if secs else f"{hours:02d}:{minutes:02d}"
