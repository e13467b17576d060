"""Age ratings: find the mark in a title and normalize it to (system, value, minimum age).

Russian marks (``0+ 6+ 12+ 16+ 18+``) are by far the most common input; the
other systems are those the XMLTV world meets most: US TV parental
guidelines (VCHIP), MPA film ratings, German FSK, French CSA (in numbers and
in words), UK BBFC, Lithuanian (``N-7``, ``N-14``) and Polish (``od 12 lat``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from epg.models import Rating

_VCHIP_AGES = {"TV-Y": 0, "TV-Y7": 7, "TV-G": 0, "TV-PG": 10, "TV-14": 14, "TV-MA": 17}
_MPA_AGES = {"G": 0, "PG": 10, "PG-13": 13, "R": 17, "NC-17": 18}
_BBFC_AGES = {"U": 0, "PG": 8, "12": 12, "12A": 12, "15": 15, "18": 18, "R18": 18}

_OPEN = r"[\(\[«\"“]?"
_CLOSE = r"[\)\]»\"”]?"

# Order matters: the first pattern that matches wins. Each pattern has a hint, a
# piece of text it cannot match without, so most titles are passed over cheaply.
_PATTERNS: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    ("RU", ("+",), re.compile(
        r"(?<![\w+\-])(?:(?P<o>[\(\[«\"“])\s*)?(?P<v>0|6|12|16|18)\s?\+(?(o)\s*[\)\]»\"”])(?![\w+])")),
    ("VCHIP", ("TV-",), re.compile(rf"(?<![\w-]){_OPEN}(?P<v>TV-(?:Y7|Y|G|PG|14|MA))(?:-[A-Z]+)?{_CLOSE}(?![\w-])")),
    ("MPA", ("-1",), re.compile(rf"(?<![\w-]){_OPEN}(?:Rated\s+)?(?P<v>PG-13|NC-17){_CLOSE}(?![\w-])")),
    ("MPA", ("Rated",), re.compile(r"(?<![\w-])Rated\s+(?P<v>G|PG|R)(?![\w-])")),
    ("FSK", ("FSK",), re.compile(rf"(?<![\w-]){_OPEN}FSK\s?(?P<v>0|6|12|16|18){_CLOSE}(?![\w-])")),
    ("FSK", ("ab ",), re.compile(r"(?<![\w-])\(?ab\s(?P<v>0|6|12|16|18)(?:\s?J(?:ahren|\.)?)?\)?(?![\w-])")),
    ("CSA", ("-1", "‑1", "–1"), re.compile(r"(?:(?<=\s)|(?<=^)|(?<=\())\(?[-‑–](?P<v>10|12|16|18)\)?(?![\w-])")),
    ("BBFC", ("(",), re.compile(r"(?<![\w-])\((?P<v>U|PG|12A?|15|18|R18)\)(?![\w-])")),
    # French CSA in words: "déconseillé aux moins de 12 ans", "interdit aux moins de 18 ans".
    ("CSA", ("moins de",), re.compile(r"(?i:déconseillé|deconseille|interdit)\s+aux\s+moins\s+de\s+"
                                      r"(?P<v>10|12|16|18)\s+ans", re.I)),
    # ... and as guides print it: "À partir de 12 ans" (from 12 years on).
    ("CSA", ("partir de",), re.compile(r"(?<!\w)(?:à|a)\s+partir\s+de\s+(?P<v>10|12|16|18)\s+ans(?!\w)", re.I)),
    # Lithuanian: N-7 and N-14 ("nuo 7 / 14 metų"); S is for adults only (not read: "(S)" is also subtitles).
    ("LT", ("N-", "N‑"), re.compile(r"(?<![\w-])\(?N[-‑](?P<v>7|14|18)\)?(?![\w-])")),
    # Polish: "od 12 lat" (from 12 years).
    ("PL", ("od ",), re.compile(r"(?<![\w-])\(?od\s(?P<v>7|12|16|18)\s?lat\)?(?![\w-])", re.I)),
]


@lru_cache(maxsize=256)
def make_rating(system: str, value: str) -> Rating:
    """A Rating for ``value`` in ``system``, with its minimum age when it is known."""
    value = value.strip()
    min_age: int | None = None
    if system == "RU":
        digits = value.rstrip("+ ").strip()
        value = f"{digits}+"
        min_age = int(digits) if digits.isdecimal() else None
    elif system == "VCHIP":
        min_age = _VCHIP_AGES.get(value)
    elif system == "MPA":
        min_age = _MPA_AGES.get(value)
    elif system == "FSK":
        digits = re.sub(r"\D", "", value)
        value = f"FSK {digits}"
        min_age = int(digits) if digits else None
    elif system == "CSA":
        digits = re.sub(r"\D", "", value)
        value = f"-{digits}"
        min_age = int(digits) if digits else None
    elif system == "BBFC":
        min_age = _BBFC_AGES.get(value)
    elif system == "LT":
        min_age = int(value)
        value = f"N-{value}"
    elif system == "PL":
        min_age = int(value)
    return Rating(system=system, value=value, min_age=min_age)


class Quotes:
    """Which positions of a text fall inside a quoted name (``«Голос 60+»``), where a mark is part of the title.

    A quote counts as open only when it is closed later on: a stray ``«``
    does not swallow the rest of the line. The quote positions are found
    once, so asking about every position of a long line stays linear.
    """

    __slots__ = ("_pairs",)

    def __init__(self, text: str) -> None:
        self._pairs = [(_positions(text, opening), _positions(text, closing))
                       for opening, closing in (("«", "»"), ("“", "”"))]

    def inside(self, at: int) -> bool:
        for openings, closings in self._pairs:
            if openings and closings:
                closed = bisect_left(closings, at)
                if bisect_left(openings, at) > closed and closed < len(closings):
                    return True
        return False


def _positions(text: str, char: str) -> list[int]:
    found, at = [], text.find(char)
    while at >= 0:
        found.append(at)
        at = text.find(char, at + 1)
    return found


def extract_rating(text: str) -> tuple[Rating | None, str]:
    """Find the first age mark in ``text`` outside quoted names; return it and the text without it."""
    quotes: Quotes | None = None
    for system, hints, pattern in _PATTERNS:
        if not any(hint in text for hint in hints):
            continue
        for match in pattern.finditer(text):
            if quotes is None:
                quotes = Quotes(text)
            if quotes.inside(match.start()):
                continue
            rest = (text[: match.start()] + " " + text[match.end() :]).strip()
            return make_rating(system, match.group("v")), " ".join(rest.split())
    return None, text


def rating_from_cell(text: str) -> Rating | None:
    """A rating when ``text`` (a table cell) is nothing but a mark, else None."""
    rating, rest = extract_rating(text)
    if rating is not None and not rest.strip(" ,.;|"):
        return rating
    bare = text.strip()
    if bare in _BBFC_AGES:
        return make_rating("BBFC", bare)
    return None


def format_rating(rating: Rating) -> str:
    """The mark as a listing would print it so that :func:`extract_rating` reads it back.

    MPA's one-letter marks need their ``Rated`` and BBFC's their brackets:
    a bare ``R`` or ``15`` in a title is a word or a number, not a rating.
    """
    if rating.system == "MPA" and rating.value in ("G", "PG", "R"):
        return f"Rated {rating.value}"
    if rating.system == "BBFC":
        return f"({rating.value})"
    if rating.system == "PL":
        return f"od {rating.value} lat"
    return rating.value
