"""Programmes an article names in running text: ``О 9:40 – документальний фільм «7300 днів».``

A newspaper or news page tells what is on in sentences: a time, then,
a few words on, the programme's name in quotes. Only a text that holds no
schedule lines is read so (the parser decides), and each mention must be
plain: the name within eight words after the time, no other number between,
in the same sentence, which names no other day. Pure: text in, values out.
"""

from __future__ import annotations

import re
from datetime import date

from epg.airtimes import AIRTIME, UNTIL, airtime_seconds
from epg.dayheaders import days_named

#: A name in quotes of any of the corpus languages' kinds.
_QUOTED = re.compile(r"«([^«»]{1,80})»|“([^“”]{1,80})”|\"([^\"]{1,80})\"|„([^„“”]{1,80})[“”]")
#: Where a sentence (or a clause after a semicolon) ends.
_END = re.compile(r"[.!?](?=\s+[^\W\d_])|;")
_DIGIT = re.compile(r"\d")
#: A day of the month before a word, in whatever case the language inflects the month (``20 cáýirde``).
_DAY_NUMBER = re.compile(r"(?<![\d.:,])([1-9]|[12]\d|3[01])\s+(?=[^\W\d_]{3})")
_NEAR_WORDS = 8
_WINDOW = 120


def mentions(text: str, day: date) -> list[tuple[int, str]]:
    """(seconds after midnight, name as printed) for each programme a line of prose names on ``day``."""
    found: list[tuple[int, str]] = []
    times = [(m, v) for m in AIRTIME.finditer(text) if (v := airtime_seconds(m)) is not None]
    sentence_start = scanned = 0
    for index, (match, value) in enumerate(times):
        for stop in _END.finditer(text, scanned, match.start()):  # each stretch looked at once: linear
            sentence_start = stop.end()
        scanned = max(scanned, match.start())
        before = text[max(0, match.start() - 12):match.start()].split()
        if before and before[-1].lower() in UNTIL:
            continue  # "до 16:00": an end
        limit = min(times[index + 1][0].start() if index + 1 < len(times) else len(text), match.end() + _WINDOW)
        closing = _END.search(text, match.end(), limit)
        limit = closing.start() if closing else limit
        quoted = _QUOTED.search(text, match.end(), limit)
        if quoted is None:
            continue
        between = text[match.end():quoted.start()]
        if len(between.split()) > _NEAR_WORDS or _DIGIT.search(between):
            continue
        if any(named != day for named in days_named(text[sentence_start:limit], day)) or any(
                int(n) != day.day for n in _DAY_NUMBER.findall(text, sentence_start, match.start())):
            continue  # "з 26 лютого з 10.00 …", "Sondaı-aq 20 cáýirde 15.00-de …": another day's
        name = next(group for group in quoted.groups() if group).strip()
        if (name[:1].isupper() or name[:1].isdigit()) and len(name.split()) <= 10:
            found.append((value[0], name))
    return found
