"""One table cell's value as the text, clock time or date it holds.

Spreadsheets give typed values (openpyxl: ``datetime.time``, ``datetime``,
``timedelta`` or a float fraction of a day; ODS: ISO durations and dates);
CSV and Word tables give text. Every reader hands its cells over as these
Python values, and the table reading works on what this module makes of them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

#: A cell that is a clock time: ``6:05``, ``06.05``, ``6:05:00``, ``20h15``, with a date before it or not.
_TIME = re.compile(r"^(?:(?P<date>\d{4}-\d\d-\d\d|\d{1,2}\.\d{1,2}\.\d{2,4})[ T])?\s*"
                   r"(?P<h>[012]?\d)[:.h](?P<m>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:[ T].*)?$")
_DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s.*)?$")
#: An ODS duration (``PT06H05M00S``), the way OpenDocument writes a time value.
_ODS_DURATION = re.compile(r"^-?P(?:\d+D)?T(?P<h>\d+)H(?P<m>\d+)M(?:[\d.]+S)?$")


def clock(minutes: int) -> str:
    """``HH:MM`` for minutes after midnight (a day and more wraps around)."""
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(value: object) -> int | None:
    """The clock time a cell holds, in minutes after midnight, or None."""
    if isinstance(value, datetime):
        return value.hour * 60 + value.minute + (1 if value.second >= 30 else 0)
    if isinstance(value, time):
        return value.hour * 60 + value.minute + (1 if value.second >= 30 else 0)
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return round(seconds / 60) if 0 <= seconds < 48 * 3600 else None
    if isinstance(value, bool):
        return None
    if isinstance(value, float | int) and not isinstance(value, int) and 0 <= value < 1:
        return round(value * 24 * 60) % (24 * 60)  # a spreadsheet time: a fraction of a day
    if isinstance(value, str):
        text = value.strip()
        match = _TIME.match(text)
        if match and int(match.group("h")) <= 29:
            return int(match.group("h")) * 60 + int(match.group("m"))
        duration = _ODS_DURATION.match(text)
        if duration:
            return int(duration.group("h")) * 60 + int(duration.group("m"))
    return None


def date_of(value: object) -> date | None:
    """The calendar date a cell holds, or None (a date as words is left to the parser's day headers)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            iso = _ISO_DATE.match(text)
            if iso:
                return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
            dotted = _DOTTED_DATE.match(text)
            if dotted:
                return date(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
        except ValueError:
            return None
    return None


def text_of(value: object) -> str:
    """What a cell shows, on one line per line of the cell: times as ``HH:MM``, dates as ISO dates."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return f"{value.date().isoformat()} {clock(value.hour * 60 + value.minute)}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time | timedelta):
        minutes = minutes_of(value)
        return clock(minutes) if minutes is not None else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip("\n")
