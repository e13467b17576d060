"""When a programme airs, printed after its name: TV tips in papers and on sites.

``Szent Péter esernyője (Duna TV, 14:10)``, ``Gala FFF 2 - Polsat, godz. 20:05``,
``Новости ИТА: 6.00 (Ост.), 9.00 (Ост.)``, or a line of its own below the
name (``ABC, 7.30pm``, ``Wanneer: Woensdag 23 december, 21.35-22.20 uur, NPO 1``).
Such a line reads as *name*, then a run of pieces that are each a time, a
channel's name or a day, then nothing or a description. A run that goes on
into a clause (``Su RAI 1, alle 20.45, andrà in onda…``) is prose, not a tip.
Pure: text in, values out; linear in the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from epg.dayheaders import is_weekday, parse_day_header
from epg.lexicon import lexicon

_HOUR = r"(?:[01]?\d|2[0-4])"
#: A time as tips print it: ``7.30pm``, ``8-8:30 p.m.``, ``20:00``, ``21.35-22.20``, ``19 h 30``, ``11h``, ``noon``.
AIRTIME = re.compile(
    r"(?<![\w.:/\-])(?:"
    rf"(?:(?P<rh>{_HOUR})\s?[-–]\s?)?(?P<h>{_HOUR})(?:[:.](?P<m>[0-5]\d))?\s?(?P<ampm>[ap])\.?\s?m(?!\w)\.?"
    rf"|(?P<h2>{_HOUR})[:.](?P<m2>[0-5]\d)(?![\d/]|[.:]\d|\.\s?\d)"
    rf"(?:\s?[-–]\s?(?P<eh>{_HOUR})[:.](?P<em>[0-5]\d)(?![\d/]|[.:]\d))?"
    rf"|(?P<h3>{_HOUR})\s?h(?:\s?(?P<m3>[0-5]\d))?(?!\w)"
    r"|(?P<noon>noon|midday)(?!\w)"
    r")",
    re.I,
)
#: Cheap test that a text may hold an airtime at all (most lines of a page do not).
_DIGIT = re.compile(r"\d")
_HOURS_JOINED = re.compile(r"(?<!\w)\d{1,2}\s+(?:and|et|und|y|e|i|и|та)(?!\w)")
_HINT = re.compile(r"\d(?:[:.]\d\d|\s?h(?!\w)|\s?h\s?\d|\s?[ap]\.?\s?m(?!\w))|noon|midday", re.I)
#: Where the pieces of a tip part: commas, brackets, spaced dashes, a colon, a full stop before a capital.
_SEPARATOR = re.compile(r"\s*(?:[,;](?=\s|$)|[()]|\s[-–—]{1,2}(?=\s)|:(?=\s)|[.!?](?=\s+[^\W\d_a-zа-яё]|\s*$))\s*"
                        r"|(?<=,[”\"’])\s+")  # ("“Saturday Night Live,” 8 and 11:29 p.m.": the comma inside the quotes)
#: Small words a channel's piece may hold besides names: ``Radio-Canada et TVA``, ``per TV3``.
_JOINING = frozenset({"et", "and", "und", "i", "e", "y", "en", "og", "och", "ve", "и", "і", "та", "&", "+", "/", "on",
                      "per", "sur", "su", "auf", "op", "на", "по"})
#: Words that make the time after them an end: ``(до 16:00)``, ``until 9pm``.
UNTIL = frozenset({"до", "until", "till", "bis", "jusqu'à", "jusqu’à", "fino", "hasta", "tot", "do"})
_OPENING_QUOTES = "«\"„“'‘‚"
_CLOSING_FOR = {"«": "»", "“": "”", "„": "“", '"': '"', "‚": "‘", "‘": "’"}
#: Separators after which the rest of the line is a description, not more of the tip.
_STRONG = ("(", ")", ".", "!", "?", "-", "–", "—")
#: Words printed right after a time that name no programme: its zone or a live mark (``6:30pm Live EST``,
#: ``20.26 uur``); from the lexicons' ``[airtimes] notes``.
TIME_NOTES = frozenset(w.casefold() for w in lexicon().time_notes)


@dataclass(frozen=True, slots=True)
class Airing:
    """One programme a tip names: its name as printed (None: the name is on an earlier line) and when."""

    title: str | None
    start: int
    stop: int | None
    #: The day a piece of the tip names (``Woensdag 23 december``), as printed.
    day: str | None = None
    #: A repeat the tip marks as one (``Herhaling: 18.00-18.08 uur``).
    repeat: bool = False


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted names (closed ones only), found in one pass."""
    spans: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    for at, char in enumerate(text):
        if opened is None:
            if char in _CLOSING_FOR and (char != '"' or at == 0 or not text[at - 1].isalnum()):
                opened = (at, _CLOSING_FOR[char])
        elif char == opened[1]:
            spans.append((opened[0], at))
            opened = None
    return spans


def airtime_seconds(match: re.Match[str]) -> tuple[int, int | None] | None:
    """Start and printed stop of an airtime match, in seconds after midnight."""
    if match.group("noon"):
        return 12 * 3600, None
    if match.group("ampm"):
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        if not 1 <= hour <= 12:
            return None
        afternoon = match.group("ampm").lower() == "p"
        end = (hour % 12 + 12 * afternoon) * 3600 + minute * 60
        if match.group("rh"):
            first = int(match.group("rh"))
            if not 1 <= first <= 12:
                return None
            start = (first % 12 + 12 * afternoon) * 3600
            if start > end:
                start -= 12 * 3600
            return max(start, 0), end
        return end, None
    if match.group("h2"):
        start = int(match.group("h2")) * 3600 + int(match.group("m2")) * 60
        stop = int(match.group("eh")) * 3600 + int(match.group("em")) * 60 if match.group("eh") else None
        return start, stop
    return int(match.group("h3")) * 3600 + int(match.group("m3") or 0) * 60, None


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    kind: str  # "time", "channel", "day" or "text"
    before: str  # the separator before the piece
    times: list[tuple[int, int | None]]
    text: str


def _is_channel(words: list[str]) -> bool:
    """A channel's name (``Duna TV``, ``RTÉ One``, ``Radio-Canada et TVA``): a few words in capitals."""
    if not 0 < len(words) <= 4:
        return False
    named = False
    for word in words:
        bare = word.strip("\"'«»“”„.")
        if bare.lower() in _JOINING or not bare:
            continue
        if not (bare[0].isupper() or bare[0].isdigit()):
            return False
        named = named or any(c.isalpha() for c in bare)
    return named


def _names_channel(text: str) -> bool:
    """Whether a time's piece names a channel beside the time (``ATV 06:20``, ``19:30 per TV3``)."""
    return any(w[:1].isupper() and not is_weekday(w) and w.casefold() not in TIME_NOTES
               for w in AIRTIME.sub(" ", text).split())


#: An hour alone, then "and" and a time marked a.m. or p.m., which marks the hour too: ``8 and 11:29 p.m.``.
_HOUR_AND_MARKED = re.compile(r"\s*(?P<hour>1[0-2]|0?[1-9])\s+(?:and|et|und|y|e|i|и|та)\s+"
                              r"(?=(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s?(?P<ampm>[ap])\.?\s?m(?!\w))", re.I)


def _classify(text: str, before: str, start: int) -> _Piece:
    times: list[tuple[int, int | None]] = []
    residue: list[str] = []
    at = 0
    lead = _HOUR_AND_MARKED.match(text) if text[:3].strip()[:1].isdigit() else None
    if lead is not None:  # "8 and 11:29 p.m.": 8 p.m. too
        times.append(((int(lead.group("hour")) % 12 + 12 * (lead.group("ampm").lower() == "p")) * 3600, None))
        residue.append("")
        at = lead.end()
    unmarked: list[int] = []  # times printed without am/pm, which a later "p.m." may cover ("6:30 and 9 p.m.")
    for match in AIRTIME.finditer(text):
        value = airtime_seconds(match)
        if value is None:
            continue
        if match.group("ampm") and match.group("ampm").lower() == "p":
            for index in unmarked:
                if times[index][0] < 12 * 3600:
                    times[index] = (times[index][0] + 12 * 3600, None)
            unmarked = []
        elif match.group("h2") and int(match.group("h2")) <= 12:
            unmarked.append(len(times))
        times.append(value)
        residue.append(text[at:match.start()])
        at = match.end()
    residue.append(text[at:])
    after = [w for w in residue[-1].split() if w.casefold() not in TIME_NOTES]
    kind = "text"
    if times:
        rest = " ".join(residue)
        words = [w for w in rest.split() if w.casefold() not in TIME_NOTES]
        lower = sum(1 for w in words if not w[:1].isupper() and not is_weekday(w))
        quoted = any(q in rest for q in _OPENING_QUOTES)  # a name beside the time: prose, or a name first
        named_after = len(after) > 1 and after[0][:1].isupper()  # "06:00 POLONIA 24": the time-first way
        until = any(r.split()[-1:] and r.split()[-1].lower() in UNTIL for r in residue[:-1])  # "(до 16:00)": an end
        counted = any(w.isdigit() and len(w) > 2 for w in words)  # "20:57 3154": a stamp and a view count
        counted = counted or bool(_HOURS_JOINED.search(rest))  # "6, 9 and 9:30": hours of a sentence
        if len(words) <= 4 and lower <= 2 and not quoted and not named_after and not counted and not until:
            kind = "time"
        else:
            times = []
    elif (_DIGIT.search(text) and parse_day_header(text) is not None) or (" " not in text.strip() and is_weekday(text)):
        kind = "day"
    elif _is_channel(text.split()):
        kind = "channel"
    return _Piece(start, start + len(text), kind, before, times, text)


def _pieces(text: str) -> list[_Piece]:
    spans = _quoted_spans(text) if any(q in text for q in _OPENING_QUOTES) else []
    pieces: list[_Piece] = []
    at, before, span = 0, "", 0
    for match in _SEPARATOR.finditer(text):
        while span < len(spans) and spans[span][1] < match.start():
            span += 1
        if span < len(spans) and spans[span][0] < match.start() <= spans[span][1]:
            continue  # inside a quoted name
        if match.start() > at:
            pieces.append(_classify(text[at:match.start()], before, at))
            before = ""
        before += match.group().strip() or " "
        at = match.end()
    if at < len(text):
        pieces.append(_classify(text[at:], before, at))
    return pieces


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_FULL_DATE = re.compile(r"\d\.\d\d?\.(?:19|20)\d\d")


#: "and" opening the next name of a list: ``‘Corujão’ (02h20) e ‘Hora Um’ (04h)``.
_AND_FIRST = re.compile(r"^(?:and|et|und|e|y|i|и|і|та|és|ve|ir)\s+(?=[\"«„“‘'A-ZÀ-ÖØ-ÞА-ЯЁЇІЄҐ0-9])")


def _name_of(title: str) -> str:
    """A name as a tip prints it, without the list's "and" before it, and, when a lead-in ends with a colon
    before a quoted name (``As demais regiões assistem a programação normal: ‘Que História É Essa, Porchat’``),
    the quoted name alone."""
    title = _AND_FIRST.sub("", title)
    if ": " in title:
        lead, _, name = title.rpartition(": ")
        spans = _quoted_spans(name) if name[:1] in _CLOSING_FOR else []
        if spans and spans[0] == (0, len(name) - 1) and len(lead.split()) >= 3:
            return name
        if spans and spans[0][0] == 0 and lead.isupper():
            return name  # "TONIGHT’S MIGHT-SEE: “Miss Universe” pageant": a column's label in capitals
    return title


def _bracket_note(line: str, pieces: list[_Piece], at: int) -> bool:
    """Whether piece ``at`` is a note in lower case that closes the brackets of a time's channel
    (``6.00 (2x2, на англ. яз.)``, ``(BBC One, rpt)``): part of the run, not the next programme's name."""
    piece = pieces[at]
    if piece.kind != "text" or not piece.before.endswith(",") or not piece.text[:1].islower():
        return False
    if len(piece.text.split()) > 4 or line.rfind("(", 0, piece.start) <= line.rfind(")", 0, piece.start):
        return False  # more than a note, or not inside brackets
    return (pieces[at + 1].before if at + 1 < len(pieces) else line[piece.end:]).lstrip()[:1] == ")"


def _title_ok(title: str) -> bool:
    """A name a tip opens with: it begins with a capital, a digit or a quote, is short and no sentence, and
    holds no full date (``Новости культуры. Эфир от 15.07.2021 (19:30)`` is a video's caption)."""
    first = title[:1]
    words = title.split()
    lower = sum(1 for w in words if w[:1].islower())
    return (bool(words) and len(words) <= 12 and (first.isupper() or first.isdigit() or first in _OPENING_QUOTES)
            and any(c.isalpha() for c in title) and not (len(words) >= 9 and lower * 2 > len(words))
            and not _FULL_DATE.search(title))


@lru_cache(maxsize=4096)
def airings(text: str, named_above: bool = False) -> tuple[Airing, ...] | None:
    """The programmes a tip line names, or None when it is no tip.

    Each run of times, channels and days names the programme before it; a
    run of channels alone between two runs of times keeps the name
    (``Egri csillagok (ATV 06:20, Magyar Mozi TV, 09:00)``). A line that is
    only a run (``ABC, 7.30pm``) gives airings without a name, for the
    caller to take from the line above; with ``named_above`` (a name stands
    on a line above) a channel and a day before the first time are part of
    that run too (``TG4, 6pm``). Remembered, as pages repeat their lines.
    """
    found = _airings(text, named_above)
    return tuple(found) if found else None


def _airings(text: str, named_above: bool) -> list[Airing] | None:
    if not _HINT.search(text):
        return None
    line = text.strip().lstrip("*•·-–— ")
    pieces = _pieces(line)
    if not any(p.kind == "time" for p in pieces):
        return None
    if named_above and all(p.kind == "time" for p in pieces):
        return None  # a time alone: the reader's lone-time rule decides where its title is
    found: list[Airing] = []
    index, count = 0, len(pieces)
    repeat = False  # the run read next is the programme's repeat
    title_from = 0  # the first piece of the current programme's name
    while index < count:
        time_at = next((i for i in range(index, count) if pieces[i].kind == "time"), None)
        if time_at is None:
            break
        left = time_at
        while left - 1 > title_from and pieces[left - 1].kind in ("channel", "day"):
            left -= 1
        if (named_above and not found and left - 1 == 0 and pieces[0].kind in ("channel", "day")
                and (pieces[1].before == "," or pieces[1].kind == "day")):
            left = 0
        if left == title_from == 0 and not found:
            title = None  # only a run: the name is on another line
        elif left > title_from:
            title = _name_of(line[pieces[title_from].start:pieces[left - 1].end].strip(" ,;:-–—("))
            if not _title_ok(title):
                return found or None

        elif found:
            title = found[-1].title  # channels only since the last run: the same programme
        else:
            return None
        right = time_at
        while right + 1 < count and (pieces[right + 1].kind in ("time", "channel", "day")
                                     or _bracket_note(line, pieces, right + 1)) and not _repeat_run(pieces, right + 1):
            right += 1
        run = pieces[left:right + 1]
        if run[0].before == "." or any(p.kind == "day" and _YEAR.search(p.text) for p in run):
            return found or None  # "… spells. Sunrise 4.58am": a sentence of its own; "Stand: 12.06.2023, 08:00"
        bare = not any(p.kind != "time" or _names_channel(p.text) for p in run)
        if title is not None and not found and bare and (
                (pieces[left].before == "," and not any(q in title for q in _OPENING_QUOTES))
                or (left - title_from == 1 and pieces[title_from].kind == "channel")):
            return None  # "Москва, 14:35 — …": a dateline (no quoted name); "TF1 - 21h05": a channel and its time
        day = found[-1].day if repeat and found else None  # (a repeat's run airs on the day named before)
        at = len(found)
        for piece in run:
            day = piece.text if piece.kind == "day" else day  # each time on the day named last before it
            found += [Airing(title, start, stop, day, repeat) for start, stop in piece.times]
        names = _quoted_names(title) if title is not None and _AND_HINT.search(title) else None
        if names is not None and len(names) == len(found) - at:
            # '“Dirty Dancing” (1987) and “Grease” (1978), 6:30 and 9 p.m.': each quoted name at its time, in order
            found[at:] = [replace(airing, title=name) for airing, name in zip(found[at:], names, strict=True)]
        if right + 1 >= count:
            break
        after = pieces[right + 1]
        mark = right + 1
        if after.before.endswith("(") and mark + 1 < count and pieces[mark + 1].before.startswith(")"):
            mark += 1  # past a note in brackets
        repeat = _repeat_run(pieces, mark)
        if repeat:
            index = title_from = mark + 1  # "…, NPO 2 (met gebarentolk). Herhaling: 18.00-18.08 uur": aired again
            continue
        if after.before[-1:] in _STRONG and not (after.before[-1:] == ")" and _AND_FIRST.match(after.text.strip())):
            break  # a description follows (but "(02h20) e ‘Hora Um’ (04h)" goes on with the list's last name)
        if not _title_ok(_AND_FIRST.sub("", after.text.strip())):
            return None  # the run goes on into a clause: prose
        index = title_from = right + 1
    return found or None


_AND_HINT = re.compile(r"[”»\"’“)]\s+(?:and|et|und|e|y|i|и|і|та|és|ve|ir)\s+[\"«„“‘]", re.I)
#: Quoted names joined by "and", each perhaps with its year in brackets: ``“Dirty Dancing” (1987) and “Grease”``.
_QUOTED_NAME = re.compile(r"[\"«„“‘][^\"«»„“”‘’]{1,80}[\"»“”’](?:\s*\(\d{4}\)?)?")
_AND_JOIN = re.compile(r"\s*,?\s+(?:and|et|und|e|y|i|и|і|та|és|ve|ir)\s+|\s*,\s*", re.I)


def _quoted_names(title: str) -> list[str] | None:
    """The names of a tip's title made only of quoted names joined by commas and "and" (two or more), else None."""
    names, at = [], 0
    while True:
        name = _QUOTED_NAME.match(title, at)
        if name is None:
            return None
        text = name.group()
        names.append(text + ")" if text.count("(") > text.count(")") else text)
        at = name.end()
        if at == len(title):
            return names if len(names) >= 2 else None
        joined = _AND_JOIN.match(title, at)
        if joined is None:
            return None
        at = joined.end()


#: The lexicons' repeat marks as words (``Herhaling``, ``Wiederholung``; ``(R)`` without its brackets).
_REPEAT_WORDS = frozenset(w.strip("()").casefold() for w in lexicon().flags.get("repeat", []))


def _repeat_run(pieces: list[_Piece], at: int) -> bool:
    """Whether piece ``at`` is a repeat mark before a colon and the time of the repeat: ``Herhaling: 18.00 uur``."""
    return (at + 1 < len(pieces) and pieces[at].kind != "time" and pieces[at + 1].kind == "time"
            and pieces[at + 1].before.endswith(":")
            and pieces[at].text.strip().lstrip(".,; ").casefold() in _REPEAT_WORDS)


def bare_run(found: tuple[Airing, ...]) -> bool:
    """Whether the airings came from a line that is only times, channels and days (no name of its own)."""
    return bool(found) and all(a.title is None for a in found)
