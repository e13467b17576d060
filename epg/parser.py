"""Schedule text → programme entries with local clock times, plus a diagnostic per line.

The parser reads lines as a careful person would:

* a line that opens with a clock time (:mod:`epg.clock`) and goes on with
  something shaped like a title is a programme; more times later on the line
  (``06:00 Новости 06:10 Утро``) are more programmes, and a comma list of
  times (``9.00, 12.00 Новости``) gives one programme per time;
* a time alone on its line takes its title from the next line; a line that
  is only an age mark, right below a programme, is that programme's mark;
  in plain text, a sentence right below a programme is its description;
* a day header (:mod:`epg.dayheaders`) dates what follows; a table header row
  (``Время;Хронометраж;Название;Возраст``) says what each column holds;
* everything else — news, menus, prices, weather, clock times inside
  sentences — is reported and skipped, naming the text and the reason.

It never raises on any input and does no I/O. Turning clock times into
instants is the time line's job (:mod:`epg.timeline`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from epg import clock
from epg.airtimes import AIRTIME, TIME_NOTES, UNTIL, Airing, airings, airtime_seconds, bare_run
from epg.clock import SECONDS_PER_DAY
from epg.dayheaders import is_weekday, next_weekday, parse_day_header
from epg.decoding import decode
from epg.errors import DocumentRefused
from epg.lexicon import lexicon
from epg.models import Diagnostic, Rating, Severity
from epg.prose import mentions
from epg.ratings import Quotes, extract_rating, rating_from_cell
from epg.titles import (
    GENRE_PREFIXES,
    TitleParts,
    genre_name,
    is_label,
    listing_language,
    says_kind,
    split_sub_title,
    split_title,
    tidy,
)

_LEAD = re.compile(r"^[\s|:;–—\-.,]+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_MAX_TITLE_WORDS = 16
_MAX_TITLE_CHARS = 160
# Weather and other measurements: a signed temperature, degrees Celsius, wind speed, air pressure.
_MEASURE = re.compile(r"(?<![\w°])[−+\-]\d{1,2}\s?°|\d\s?°\s?[CСF]\b|\d\s?(?:м/с|км/ч|km/h|mph|мм рт|hPa|гПа)(?!\w)")
# A sentence's end: a full stop after a lower-case word, and a clause after a comma.
_SENTENCE_END = re.compile(r"(?<![^\W\d_])[^\W\d_]*[a-zа-яёäöüßàâçéèêëîïôûùüÿœæіїєґ]\.\s*$")
_CLAUSE = re.compile(r",\s+[a-zа-яёäöüßàâçéèêëîïôûùüÿœæіїєґ]")
_SENTENCE_CLOSE = re.compile(r"[.!?…]\s*$")
_PUNCTUATION_ONLY = re.compile(r"^[\W_]*$")

#: Two numbers parted by a slash that can be no day and month (both past 12): a name (``20/20``).
_NO_DATE_PAIR = re.compile(r"(?:1[3-9]|[2-9]\d)/(?:1[3-9]|[2-9]\d)")
_NO_TITLE = "no title among its cells (only a genre, a mark or times)"
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Column names of schedule tables, and what the column holds.
_COLUMN_NAMES: dict[str, str] = {
    **dict.fromkeys(["время", "начало", "час", "time", "start", "zeit", "beginn", "heure", "début", "uhrzeit"],
                    "start"),
    **dict.fromkeys(["конец", "окончание", "end", "stop", "ende", "fin"], "stop"),
    **dict.fromkeys(["хронометраж", "длительность", "продолжительность", "тривалість", "duration", "length",
                     "dauer", "länge", "durée"], "duration"),
    **dict.fromkeys(["название", "передача", "программа", "назва", "title", "programme", "program", "show",
                     "sendung", "titel", "titre", "émission", "programme tv"], "title"),
    **dict.fromkeys(["жанр", "genre", "category", "kategorie", "catégorie"], "genre"),
    **dict.fromkeys(["возраст", "вік", "age", "rating", "fsk", "csa", "certificate", "altersfreigabe"], "rating"),
    **dict.fromkeys(["описание", "опис", "description", "beschreibung", "résumé"], "description"),
}


@dataclass(slots=True)
class Entry:
    """A programme as the text gives it: clock times, not yet instants.

    ``start`` and ``stop`` count seconds from midnight of the entry's day and
    may pass 24:00 (``25:30``); ``stop`` is set only when the text gives an
    end or a duration. ``day`` is set when a day header named the date.
    ``listed`` marks the second and later times of a list that shares one
    title (``9.00, 12.00, 15.00 Новости``): they follow the list's first time,
    not the programme printed before them.
    """

    line: int
    start: int
    parts: TitleParts
    rating: Rating | None = None
    stop: int | None = None
    day: date | None = None
    description: str | None = None
    listed: bool = False
    #: The channel heading of the block the entry is in, as printed; None when the text names no channels.
    channel: str | None = None


@dataclass
class ParseResult:
    entries: list[Entry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _diagnostic(line: int, severity: Severity, message: str) -> Diagnostic:
    return Diagnostic(line=line, severity=severity, message=message)


def _quote(text: str) -> str:
    shown = " ".join(text.split())
    return "“" + (shown if len(shown) <= 60 else shown[:57] + "…") + "”"


def _is_sentence(text: str, words: int) -> bool:
    """Prose rather than a title: a full stop after a lower-case word, and ten words or a clause."""
    return words >= 6 and bool(_SENTENCE_END.search(text)) and (words >= 10 or bool(_CLAUSE.search(text)))


_CLOSING = {"«": "»", "“": "”", "„": "“", '"': '"'}


def _title_words(text: str) -> int:
    """Words of the title part of ``text``: inside its opening quotes, or before its sub-title."""
    opening = text[:1]
    if opening in _CLOSING:
        end = text.find(_CLOSING[opening], 1)
        head = text[1:end] if end > 0 else text[1:]
    else:
        head = split_sub_title(text.partition(" | ")[0])[0]  # "buten un binnen | regionalmagazin": a cell each
    return sum(word[0].isalpha() for word in head.split())


def prose_reason(text: str) -> str | None:
    """Why ``text`` (what follows a time) reads as something other than a title, or None.

    A title is short, has letters, and does not read as a sentence: lower-case
    text of four words or more (``по московскому времени президент…``), a
    sentence with a clause and a full stop, or a measurement (``−14°``,
    ``3 м/с``) are news, prose or weather. Short lower-case titles
    (``heute journal``) are titles.
    """
    words = text.split()
    count = len(words)
    if not count:
        return "no title after the time"
    if (count > _MAX_TITLE_WORDS or len(text) > _MAX_TITLE_CHARS) and not (
            count <= 2 * _MAX_TITLE_WORDS and sum(1 for w in words if w[:1].isupper()) * 3 >= count * 2):
        # (Unless in title case: "Hawaii Five-0 : T10 EP4 - Tiny Is the Flower, Yet It Scents the Grasses …")
        return f"the text after the time is {count} words long, more like prose than a title"
    if not _LETTER.search(text) and not _NO_DATE_PAIR.fullmatch(text):
        return "no letters after the time"  # (but "9:00 20/20": two numbers that can be no day are a name)
    if count >= 4 and text.lstrip("\"«„“'([")[:1].islower() and _title_words(text) >= 4:
        return "the text after the time starts in lower case and runs on like a sentence"
    if "°" in text or "/" in text or "мм" in text or "Pa" in text:
        measure = _MEASURE.search(text)
        if measure:
            return f"“{measure.group().strip()}” reads as a weather or measurement value, not a title"
    if count >= 6 and text.rstrip().endswith(".") and _is_sentence(text, count):
        return "the text after the time reads as a sentence, not a title"
    return None


@lru_cache(maxsize=8192)
def read_title(text: str, lang: str = "ru") -> tuple[TitleParts, Rating | None]:
    """The age mark and the title parts of a programme's text.

    Schedules repeat their programmes (the news every hour, a series every
    day), so the result is remembered for the most recent texts; it is
    shared between entries and must not be changed — copy it first.
    """
    rating, rest = extract_rating(text)
    return split_title(rest, lang), rating


@lru_cache(maxsize=16384)
def _plain_programme(rest: str, lang: str) -> tuple[str | None, TitleParts, Rating | None] | None:
    """For the text after a time that holds one programme and no table cells: why it is no title (or None),
    its title parts and its rating. None when the text needs the full reading (cells, more times, nothing).

    Remembered like :func:`read_title`: a schedule prints the same programme text again and again.
    """
    if "\t" in rest or rest.count(";") >= 2 or rest.count("|") >= 2 or clock.TIME_INSIDE.search(rest):
        return None
    text = _LEAD.sub("", rest).strip()
    if not text:
        return None
    if text[0] == "(" and text[-1] == ")" and text.count("(") == 1:
        return "only a note in brackets after the time", TitleParts(title=""), None  # "2.05-4.00 (not PDC)"
    if rest.lstrip()[:1] == "," and text[0].islower():
        return "a clause after the time, not a title", TitleParts(title=""), None  # "13h15, le dimanche..."
    reason = prose_reason(text)
    description = None
    if reason is not None:
        head, tail = split_sub_title(text, colon=False)
        least = 6
        if tail is None and ": " in text:
            head, tail = split_sub_title(text)  # "La noche en 24 horas: Programa de debate y actualidad."
            least = 4
        if (tail is None or len(tail.split()) < least or prose_reason(head) is not None) and ": " in text:
            # "La hora de La 1: Programa de análisis, debate y entrevistas, presidido por el rigor. Durante …": the
            # first full stop ends the description's first sentence; the title ends at the colon
            colon_head, _, colon_tail = text.partition(": ")
            if len(colon_head.split()) <= 8:
                head, tail, least = colon_head, colon_tail, 4
        if tail is None or len(tail.split()) < least or prose_reason(head) is not None:
            return reason, TitleParts(title=""), None
        # "Petrolio Files 2020. Appuntamento dedicato all'emergenza…": a title, then its description.
        text, description = head, tail
    parts, rating = read_title(text, lang)
    if description is not None:
        parts = replace(parts, description=description)
    if not parts.title:
        return None
    return None, parts, rating


def _outside_quotes(pieces: list[str]) -> list[str]:
    """Join back pieces split at a time inside quotes: ``«Вечер в 21:00 Live»`` is one title."""
    quotes = Quotes("".join(pieces))
    joined: list[str] = []
    at = 0
    for piece in pieces:
        if joined and quotes.inside(at):
            joined[-1] += piece
        else:
            joined.append(piece)
        at += len(piece)
    return joined


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator``, except inside «…» or “…” (a quoted title keeps its ``;``)."""
    if "«" not in text and "“" not in text:
        return text.split(separator)
    quotes = Quotes(text)
    cells, start = [], 0
    index = text.find(separator)
    while index >= 0:
        if not quotes.inside(index):
            cells.append(text[start:index])
            start = index + 1
        index = text.find(separator, index + 1)
    cells.append(text[start:])
    return cells


def _cells(rest: str) -> list[str] | None:
    """The cells of a table row after its time cell (empty ones kept, for column positions), or None.

    Cells are parted by tabs (a copied HTML or spreadsheet table), or by two
    or more ``;`` (a playout export) or ``|`` (a text table) outside quotes.
    """
    if "\t" in rest:
        cells = rest.split("\t")
    else:
        separator = ";" if rest.count(";") >= 2 else "|" if rest.count("|") >= 2 else None
        if separator is None:
            return None
        cells = _split_outside_quotes(rest, separator)
        if len(cells) < 3:
            return None
    cells = [c.strip() for c in cells]
    if cells and not cells[0]:
        cells = cells[1:]  # the separator right after the time
    # A lone "|" between tabs is decoration, not a column.
    return [c for c in cells if not c or not _PUNCTUATION_ONLY.match(c)]


def _column_roles(text: str) -> list[str] | None:
    """What each column holds, when ``text`` is a table's header row (``Время;Название;Возраст``)."""
    cells = [c.strip().lower().strip(":") for c in re.split(r"[\t;|]", text.strip().strip("|"))]
    named = [c for c in cells if c]
    if len(named) < 2 or not all(c in _COLUMN_NAMES for c in named):
        return None
    return [_COLUMN_NAMES.get(c, "") for c in cells]


def _only_genres(text: str) -> bool:
    """Whether ``text`` is a list of genres (``Magazine, Services``): its first item is a genre word."""
    first = text.split(",")[0].strip().lower()
    return bool(first) and first in GENRE_PREFIXES and len(text.split()) <= 6


def _is_heading(text: str) -> bool:
    """A short line that could head a block: a channel's name, not a sentence, a number or a menu."""
    stripped = text.strip()
    words = stripped.split()
    # (Day headers never get here: the reader takes them first.)
    return (0 < len(words) <= 8 and len(stripped) <= 60 and bool(_LETTER.search(stripped))
            and not _SENTENCE_CLOSE.search(stripped) and not _CLAUSE.search(stripped))


#: A channel's name printed before a programme's time: ``Rai 1: 21.25 – …``, ``NPO 2 – 19.15``.
_CHANNEL_PREFIX = re.compile(
    r"^\s*(?P<name>[^\W\d_][\w+&'’ .]{0,24}?)\s*(?::|\s[–—-])\s*(?=(?:[01]?\d|2[0-9])[:.h][0-5]\d)")
_PREFIX_TIMES = re.compile(r"\d[:.h][0-5]\d")
_PREFIX_HINT = re.compile(r"(?::|\s[–—-])\s*\d")
_ENDS_WITH_YEAR = re.compile(r"(?:^|[\s,(])(?:18|19|20)\d\d\)?$")


def _strip(text: str) -> str:
    return " ".join(text.split()).strip(" .;,")


def _stop(start: int, stop: int | None, parts: TitleParts) -> int | None:
    """The printed end, else the start plus a printed running time (``90 Min.``), else None."""
    if stop is not None or parts.duration is None:
        return stop
    return start + parts.duration


@dataclass
class _Pending:
    """A time alone on its line (or with only a running time and genres), waiting for the title on the next line."""

    line: int
    start: int
    stop: int | None
    categories: tuple[str, ...] = ()
    channel: str | None = None
    #: The name-like line above the time, for when the line below is its description, not its title.
    above: str | None = None


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
#: A channel's name in capitals before a programme's: ``RAI 1 – Pooh amici per sempre``.
_CAPITAL_CHANNEL = re.compile(r"^[A-Z0-9][A-Z0-9+ ]{1,14}\s[–—-]\s(?=\S)")


#: A line that opens with an episode marker: ``Afl. 1/6 (2021)``, ``Folge 5 von 12``.
_MARKER_LINE = re.compile(r"\s*(?:Afl|Aflevering|Odc|Folge|Episode|Épisode|Ep|Серия|Серія|Saison|Season|Staffel|Part)"
                          r"\.?\s*\d", re.I)


#: A line that says only until when (``bis 21.45 Uhr``): under a name, in a text that stated once when they all
#: start (``Das läuft um 20.15 Uhr``).
_UNTIL_LINE = re.compile(r"^\s*(?:" + "|".join(map(re.escape, sorted(UNTIL, key=len, reverse=True)))
                         + r")\s+(?P<time>\d{1,2}[:.]\d\d)(?:\s*\w{1,4}\.?)?\s*$", re.I)
_AT_WORDS = frozenset(w.casefold() for w in lexicon().at_words)
#: The same at the end of a line that names the channel and the programme: ``Das Erste Tatort bis 21.45 Uhr``.
_UNTIL_WORDS = "|".join(map(re.escape, sorted(UNTIL, key=len, reverse=True)))
_UNTIL_TAIL = re.compile(r"^\s*(?P<name>\S.{1,120}?)\s+(?:" + _UNTIL_WORDS
                         + r")\s+(?P<time>\d{1,2}[:.]\d\d)(?:\s*\w{1,4}\.?)?\s*$", re.I)
#: Cheap test that a line may say until when (an "until" word, then a time).
_UNTIL_HINT = re.compile(r"(?<!\w)(?:" + _UNTIL_WORDS + r")\s+\d{1,2}[:.]\d", re.I)
#: Cheap test that a line may state a time with an "at" word (``um 20.15``).
_AT_HINT = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(_AT_WORDS, key=len, reverse=True)))
                      + r")\s+\d", re.I)
#: A channel's name opening such a line: the lexicons' ``[channels] names``, longest first.
_CHANNEL_FIRST = re.compile(r"^(?:" + "|".join(map(re.escape, sorted(lexicon().channels, key=len, reverse=True)))
                            + r")\s+(?=\S)")
#: Only a clock's word or zone after a time (``20.26 uur``, ``6:30pm Live EST``): the lexicons' time notes.
_NOTES_ONLY = re.compile(r"[\s,]*(?:(?:" + "|".join(re.escape(w) for w in sorted(TIME_NOTES, key=len, reverse=True))
                         + r")(?!\w)[\s,.]*)+$", re.I)
#: A channel's name, then only times (start, end, repeated): a guide's row whose title is on the next line.
_NAME_AND_TIMES = re.compile(r"^\s*(?P<name>[^\W\d_][\w+&'’ .\-]{0,30}?)\s+(?P<a>(?:[01]?\d|2[0-3]):[0-5]\d)"
                             r"(?:\s+(?P<b>(?:[01]?\d|2[0-3]):[0-5]\d))?(?:\s+(?:[01]?\d|2[0-3]):[0-5]\d){0,2}\s*$")
#: Two times joined by "and" before one title: ``11.50 и 2.10 "Пресс-экспресс"``.
_AND_LIST = re.compile(r"^\s*((?:[01]?\d|2[0-3])[:.][0-5]\d)\s+(?:и|і|та|and|et|und|y|e|i)\s+"
                       r"((?:[01]?\d|2[0-3])[:.][0-5]\d)(?![\d:.]\d)\s+(?=\S)")
_AND_WORDS = (" и ", " і ", " та ", " and ", " et ", " und ", " y ", " e ", " i ")
_RANGE_INITIALS = frozenset("aAhHtTuU")
#: The other end of a range said with a word, then the title: ``a 9:00 a.m. – Noticias Caracol``.
_RANGE_TITLE = re.compile(r"^\s*(?:a|al|hasta|to|until)\s+(?P<end>\d{1,2}(?:[:.][0-5]\d)?\s?(?:[ap]\.?\s?m\.?)?)"
                          r"\s*[-–—:]\s*(?=\S)", re.I)
#: What follows a time when it is only the range's other end: ``a 5:00 p.``, ``to 9.30pm``.
_RANGE_REST = re.compile(r"^\s*(?:a|hasta|to|al|until)\s+\d{1,2}[:.]\d\d\s*(?:[ap]\.?\s?m?\.?)?\s*$", re.I)
#: A time in running text with a word in capitals after it: a programme of a schedule run together on one line.
_CAPITALS_TIME = re.compile(r"(?<![\d:.])((?:[01]?\d|2[0-3])[:.][0-5]\d)(?![\d:.]\d)\s+(?=[^\W\d_]{2})")
#: A page's publication stamp opening its text: `` date 2021-09-27 Today``, ``date 2016-12 Különleges nap…``.
_STAMP = re.compile(r"\s*date (?:19|20)\d\d-[01]\d(?:-[0-3]\d)?(?:\s+|$)")
_CLOSING_QUOTES = frozenset("'\"»”’“")
_NAME_IN_QUOTES = r"['\"«“‘„][^'\"«»“”‘’„]{1,80}['\"»”’“]"
#: Two quoted names joined by "and" after a time: ``15:00 horas - 'Telediario 1' e 'Informativo Territorial'``.
_TWO_NAMES = re.compile(rf"^[\s\-–—:]*(?P<a>{_NAME_IN_QUOTES})\s+(?:and|et|und|e|y|i|и|і|та|és|ve|ir)\s+"
                        rf"(?P<b>{_NAME_IN_QUOTES})\s*$", re.I)
_DURATION_NUMBER = re.compile(r"\s\d{1,3}$")


def _capitals_after(text: str, at: int) -> str:
    """The words in capitals (with their numbers and dashes) from ``at`` on, up to the first word in lower case."""
    words: list[str] = []
    for word in text[at:at + 200].split():
        letters = [c for c in word if c.isalpha()]
        if letters and not all(c.isupper() for c in letters):
            break
        if clock.TIME_INSIDE.search(word):
            break
        words.append(word)
    name = " ".join(words).rstrip(" -–,.")
    if any(w[:1].isalpha() for w in words) and words and not any(c.isalpha() for c in words[-1]):
        name = _DURATION_NUMBER.sub("", name)  # "POLONIA 24 25 min": the last number is the running time's
    return name if sum(1 for c in name if c.isalpha()) >= 3 else ""


def _stated_time(text: str) -> int | None:
    """The one time a heading or sentence states with an "at" word (``Das läuft um 20.15 Uhr``), or None."""
    found = [m for m in AIRTIME.finditer(text)]
    if len(found) != 1:
        return None
    before = text[:found[0].start()].split()
    value = airtime_seconds(found[0])
    return value[0] if value and before and before[-1].casefold() in _AT_WORDS else None


def _is_name(text: str) -> bool:
    """A line that may name the programme a line below times: short, no sentence, no time of its own."""
    stripped = text.strip()
    if not (0 < len(stripped) <= 100 and _LETTER.search(stripped) and not _SENTENCE_CLOSE.search(stripped)
            and not _CLAUSE.search(stripped)  # "Channel 4 News, including sport and weather": a description
            and not clock.TIME_INSIDE.search(stripped) and prose_reason(stripped) is None):
        return False
    if _DIGIT.search(stripped):
        letters = len(_LETTER.findall(stripped))
        if letters < 2 or letters <= len(_DIGIT.findall(stripped)):
            return False  # "4.0 0 x": a rating widget's figures
        if _YEAR.search(stripped) and parse_day_header(f"1 {stripped}") is not None:
            return False  # "September 2019": a month's heading
    return True


def _without_channel(name: str) -> str:
    """A name-above line without the channel's name in capitals before it."""
    match = _CAPITAL_CHANNEL.match(name)
    rest = name[match.end():] if match else name
    return rest if match and not rest.isupper() else name


#: How many lines a name may stand above the line that says when it airs (a description between).
_NAME_REACH = 3


class _Reader:
    """Reads lines one at a time, keeping what a reader keeps in mind between them."""

    def __init__(self, first_day: date, lang: str, is_html: bool) -> None:
        self.first_day = first_day
        self.lang = lang
        self.is_html = is_html
        self.result = ParseResult()
        self.day: date | None = None
        self.pending: _Pending | None = None
        self.columns: list[str] | None = None
        # The entries of the last programme line, while the lines right below may still add to them.
        self.last: list[Entry] = []
        self.last_line = 0
        self.last_programme_line = 0  # the line the last programme was read from (its title's, for a lone time)
        self.previous_line = 0  # the last non-blank line seen
        # Several channels one after another (a newspaper page): a short heading line, then times that start
        # over. ``heading`` is the last heading-like line since the last programme; ``block`` holds the
        # current block's heading, first start and entries until the next block shows the text has several.
        self.heading: str | None = None
        self.block_heading: str | None = None
        self.block_first: int | None = None
        self.block_last: int | None = None
        self.block_entries: list[Entry] = []
        self.channels = False
        self.maybe_heading: tuple[str, list[tuple[Entry, TitleParts]]] | None = None
        # A name-like line since the last programme, and how many lines ago: a tip's name, when a line
        # below says only when it airs (``ABC, 7.30pm``).
        self.name: str | None = None
        self.since_name = 0
        # Entries whose title came from a name above their time: kept only when the text does so twice or more
        # (once is as likely a news headline over its publication time).
        self.named_above: list[Entry] = []
        self.lone_times = 0  # times alone on their line so far: "21.05" alone then reads as a time, not a date
        # The name a line of only a date and a time took from above (``Thu 19 Sep, 7pm`` under "Channel 4 News"):
        # a programme page's list of its airings, whose later dates and times name it again, however far below.
        self.airings_name: str | None = None
        # A time the text states once for what follows ("Das läuft um 20.15 Uhr"), and the line that stated it.
        self.stated: tuple[int, int] | None = None

    # -- diagnostics ---------------------------------------------------------------------------------
    def note(self, line: int, severity: Severity, message: str) -> None:
        self.result.diagnostics.append(_diagnostic(line, severity, message))

    def skip(self, line: int, text: str, why: str) -> None:
        self.note(line, "info", f"Skipped {_quote(text)}: {why}.")

    def drop_pending(self) -> None:
        if self.pending is not None:
            self.skip(self.pending.line, clock.clock_text(self.pending.start), "a time with no title after it")
            self.pending = None

    # -- lines ---------------------------------------------------------------------------------------
    def read(self, number: int, text: str) -> None:
        if not text or text.isspace():
            return
        if self.previous_line == 0:  # the first line with text
            stamp = _STAMP.match(text)
            if stamp is not None:  # " date 2021-09-27 Today": the page's publication stamp before its first words
                self.note(number, "info", f"Set aside the publication stamp “{stamp.group().strip()}”.")
                text = text[stamp.end():]
                if not text.strip():
                    return
        # Right below the programme last read (or a line that added to it); in HTML, the next block.
        adjacent = self.previous_line == self.last_line and (self.is_html or number == self.previous_line + 1)
        self.previous_line = number
        self.since_name += 1
        if self.name is not None and self.since_name > _NAME_REACH:
            self.name = None
        if self.name is not None and len(text) <= 200 and not self.is_html and self.when_line(number, text):
            return
        if (self.airings_name is not None and self.name is None and len(text) <= 80 and not self.is_html
                and self.when_line(number, text, dated=True)):
            return
        if clock.MAYBE_TIME.match(text) and self.programme_line(number, text):
            return
        if (self.stated is not None and len(text) <= 160 and _UNTIL_HINT.search(text)
                and self.until_line(number, text)):
            return
        prefix = _CHANNEL_PREFIX.match(text) if _PREFIX_HINT.search(text, 0, 48) else None
        if (prefix and not is_weekday(prefix.group("name")) and len(_PREFIX_TIMES.findall(text)) == 1
                and self.programme_line(number, text[prefix.end():])):
            # "Rai 1: 21.25 – Il meglio di Viva Rai Play": the line names its channel before the time.
            name = " ".join(prefix.group("name").split())
            for entry in self.last:
                entry.channel = name
            if self.pending is not None:
                self.pending.channel = name
            return
        timed = _NAME_AND_TIMES.match(text) if self.pending is None and clock.TIME_INSIDE.search(text) else None
        if timed and not is_weekday(timed.group("name").split()[0]):
            # "ORF1 Kids 06:00 06:10 06:00 06:10": a guide's row of channel, start and end; the title comes next.
            start, stop = (int(t[:-3]) * 3600 + int(t[-2:]) * 60
                           for t in (timed.group("a"), timed.group("b") or "0:00"))
            self.lone_times += 1
            self.pending = _Pending(number, start, stop if stop > start else None)
            self.last = []
            return
        if self.header_line(number, text):
            return
        if self.pending is not None:
            self.title_line(number, text)
            return
        if self.tip_line(number, text) or (len(text) > _MAX_TITLE_CHARS and self.run_together_line(number, text)):
            return
        if len(text) > 60 and text.lstrip()[:2].isupper() and self.capitals_paragraph(number, text):
            return
        if self.last and adjacent and self.below_programme(number, text):
            return
        self.last = []
        if is_label(text):
            self.heading = None
            self.skip(number, text, "a now/next label of a guide's widget")
            return
        self.heading = text.strip() if _is_heading(text) else None
        if _is_name(text) or (self.stated is not None and text.rstrip().endswith("!") and _is_name(text.rstrip(" !"))):
            self.name, self.since_name = " ".join(text.split()), 0  # ("Rosins Restaurants – Ein Sternekoch räumt auf!")
        elif clock.TIME_INSIDE.search(text) and _AT_HINT.search(text):
            stated = _stated_time(text)
            self.stated = (stated, number) if stated is not None else self.stated
        self.skip(number, text, "no programme time at the start of the line")

    def header_line(self, number: int, text: str) -> bool:
        """A day header, a table row naming a day, or a table header row naming its columns."""
        header = parse_day_header(text)
        if header is None and len(text) <= 16 and is_weekday(text.strip(" :*#=-–—|")):
            # "TUESDAY" alone over a week's listing: the first such day from the day read so far.
            base = self.day or self.first_day
            weekday_day = next_weekday(text.strip(" :*#=-–—|"), base)
            if weekday_day is not None:
                self.drop_pending()
                self.last = []
                self.day = weekday_day
                self.note(number, "info", f"Day header: {weekday_day.isoformat()} (the first day it names from "
                                          f"{base.isoformat()} on).")
                return True
        if header is None and ("\t" in text or ";" in text):
            cells = [parse_day_header(c) for c in re.split(r"\t|;", text) if c.strip()]
            found = [c for c in cells if c is not None and c.year is not None]
            header = found[0] if len(found) == 1 else None
        if header is not None:
            resolved = header.resolve(self.day or self.first_day)
            if resolved is not None:
                self.drop_pending()
                self.last = []
                self.day = resolved
                self.note(number, "info", f"Day header: {resolved.isoformat()}.")
                if header.weekday is not None and header.weekday != resolved.isoweekday():
                    named, actual = _WEEKDAY_NAMES[header.weekday - 1], _WEEKDAY_NAMES[resolved.weekday()]
                    self.note(number, "warning", f"{_quote(text)} names a {named}, but {resolved.isoformat()} is a "
                                                 f"{actual}; the date was kept — please check it.")
                return True
        roles = _column_roles(text) if ("\t" in text or ";" in text or "|" in text) else None
        if roles is not None:
            self.drop_pending()
            self.columns = roles
            self.note(number, "info", "Table header: columns " + ", ".join(r or "?" for r in roles) + ".")
            return True
        return False

    def programme_line(self, number: int, text: str) -> bool:
        """Entries for a line that opens with a time; False when it does not after all."""
        listed = clock.TIME_LIST.match(text) if "," in text[:12] else None
        if listed:
            rest = text[listed.end():]
            if prose_reason(rest) is None:
                self.drop_pending()
                self.start_line(number, text, self.entries(number, clock.list_seconds(listed.group(1)), rest, None))
                return True
        match = clock.START.match(text)
        start = clock.seconds(match, "a") if match else None
        if match is None or start is None:
            return False
        if (match.group("asep") == "." and int(match.group("am")) <= 12 and parse_day_header(text) is not None
                and not (self.lone_times and not text[match.end():].strip())):
            return False  # "10.01 понедельник" is a day, not 10:01 (but "21.05" alone among lone times is 21:05)
        rest = text[match.end():]
        joined = _AND_LIST.match(text) if rest.startswith(_AND_WORDS) else None
        if joined and prose_reason(text[joined.end():]) is None:
            # "11.50 и 2.10 "Пресс-экспресс" (Ост.)": two times joined by "and" share the title.
            times = clock.list_seconds(joined.group(1) + " " + joined.group(2))
            entries = self.entries(number, times, text[joined.end():], None)
            if entries:
                self.drop_pending()
                self.start_line(number, text, entries)
                return True
        self.drop_pending()
        stop = clock.seconds(match, "b") if match.group("bh") else None
        if rest[1:2] in _RANGE_INITIALS and _RANGE_REST.match(rest):
            self.last = []
            self.skip(number, text, "a range of times with no title")  # "3:30 p.m. a 5:00 p."
            return True
        ranged = _RANGE_TITLE.match(rest) if rest[1:2] in _RANGE_INITIALS else None
        end = AIRTIME.fullmatch(ranged.group("end").strip()) if ranged else None
        if ranged and end and stop is None and (value := airtime_seconds(end)) is not None:
            # "5:30 a.m. a 9:00 a.m. – Noticias Caracol": a range said with a word ("a", "hasta", "to").
            stop, rest = value[0], rest[ranged.end():]
        if match.group("as") and match.group("ah") in ("0", "00") and match.group("as") != "00" and not rest.strip(
                " -–—"):
            self.last = []
            self.skip(number, text, "a mark into a video (under an hour, with seconds), not a clock time")
            return True
        if len(rest) <= 16 and _NOTES_ONLY.match(rest):
            rest = ""  # only the clock's word or zone after the time ("NPO 2 – 20.26 uur"): a time alone
        pair = _TWO_NAMES.match(rest) if rest[-1:] in _CLOSING_QUOTES else None
        if pair is not None and (entries := [e for name in pair.group("a", "b")
                                             if (e := self.entry(number, start, name, stop)) is not None]):
            # "15:00 horas - 'Telediario 1' e 'Informativo Territorial'": two programmes named at one time.
            self.start_line(number, text, entries)
            return True
        plain = _plain_programme(rest, self.lang)
        if plain is not None:  # the common case, remembered: one programme, no table cells
            reason, parts, rating = plain
            if reason is not None:
                self.last = []
                self.skip(number, text, reason)
            elif parts.duration is not None and rating is None and _only_genres(parts.title):
                # "06:30 - 1 h 30 min - Magazine, Services": what it is and how long; the title comes next.
                genres = tuple(g.strip() for g in parts.title.split(","))
                self.pending = _Pending(number, start, _stop(start, stop, parts), parts.categories + genres)
                self.last = []
            else:
                self.start_line(number, text, [Entry(number, start, parts, rating, _stop(start, stop, parts),
                                                     self.day, parts.description)])
            return True
        if _cells(rest) is not None:
            pieces = [rest]  # a table row: its cells, separators and all
        else:
            rest = _LEAD.sub("", rest)
            if not rest.strip():
                self.lone_times += 1
                self.pending = _Pending(number, start, stop, above=None if self.is_html else self.name)
                self.last = []
                return True
            pieces = _outside_quotes(clock.INLINE.split(rest)) if clock.TIME_INSIDE.search(rest) else [rest]
        first, later = pieces[0], pieces[1:]
        reason = prose_reason(first.strip())
        if reason is not None:
            self.last = []
            self.skip(number, text, reason)
            return True
        entries = self.entries(number, [start], first, stop)
        if entries:
            for piece in later:
                entries += self.inline_piece(number, piece)
        self.start_line(number, text, entries)
        return True

    def inline_piece(self, number: int, piece: str) -> list[Entry]:
        """A later programme on the same line: ``06:10 Доброе утро`` or ``9.00, 12.00 Новости``."""
        listed = clock.TIME_LIST.match(piece)
        if listed:
            times, rest = clock.list_seconds(listed.group(1)), piece[listed.end():]
        else:
            match = clock.START.match(piece)
            start = clock.seconds(match, "a") if match else None
            if match is None or start is None:
                return []
            times, rest = [start], _LEAD.sub("", piece[match.end():])
        reason = prose_reason(rest.strip())
        entries = self.entries(number, times, rest, None) if reason is None else []
        if not entries:
            self.note(number, "warning", f"Part of the line not read, {_quote(piece)}: {reason or _NO_TITLE}.")
        return entries

    def start_line(self, number: int, text: str, entries: list[Entry]) -> bool:
        """Keep the entries of a programme line (or skip the line when its cells gave no title)."""
        if not entries:
            self.last = []
            self.skip(number, text, _NO_TITLE)
            return False
        self.channel_block(number, entries)
        self.result.entries += entries
        self.name = None
        self.last = entries
        self.last_line = self.last_programme_line = number
        return True

    def channel_block(self, number: int, entries: list[Entry]) -> None:
        """Start a new channel's block when a heading line comes before times that start over.

        The times start over when the first one is earlier than the one before
        and no later than three hours after the block's first (a plausible
        start of another channel's evening or day), and is no step past
        midnight (late evening to early morning, which a day's listing takes).
        """
        start = entries[0].start
        previous = self.block_last  # the block's last start, counted on from its first day (past midnight: +24 h)
        heading, self.heading = self.heading, None
        maybe, self.maybe_heading = self.maybe_heading, None
        if heading is None and maybe is not None:
            heading = maybe[0]
        if previous is not None:
            # Where this start falls in the block's time: past midnight when that is a step of at most 12 hours.
            moved = start + SECONDS_PER_DAY * (previous // SECONDS_PER_DAY)
            if moved < previous and moved + SECONDS_PER_DAY - previous <= 12 * 3600:
                moved += SECONDS_PER_DAY
            self.block_last = moved
        else:
            self.block_last = start
        if (heading is not None and previous is not None and self.block_first is not None and start < previous
                and start <= self.block_first + 3 * 3600
                and not (previous < SECONDS_PER_DAY and previous >= 18 * 3600 and start < 6 * 3600)):
            self.block_last = start
            if maybe is not None and heading == maybe[0]:
                for entry, parts in maybe[1]:  # read as an episode title, but it heads this block
                    entry.parts = parts
                self.note(number, "info", f"{_quote(heading)} heads another channel's programmes, not an episode.")
            if not self.channels:
                self.channels = True
                for entry in self.block_entries:  # a channel a line named itself (``NPO 2 – 19.15``) stays
                    entry.channel = entry.channel or self.block_heading
            self.block_heading, self.block_first, self.block_entries = heading, start, []
            self.note(number, "info", f"Read {_quote(heading)} as the heading of another channel's programmes.")
        elif self.block_first is None:
            self.block_heading, self.block_first = heading, start
        for entry in entries:  # a channel the line itself named (``NPO 2 – 19.15``) stays
            entry.channel = entry.channel or (self.block_heading if self.channels else None)
        if not self.channels:
            self.block_entries += entries

    def when_line(self, number: int, text: str, dated: bool = False) -> bool:
        """A line that says only when and where the name above airs: ``ABC, 7.30pm``, ``TG4, 6pm``; with
        ``dated``, a line of a date and a time that names again the programme of the airings before it."""
        line = text.lstrip(" *•·-–—")
        if line[:1].isdigit() and "," not in line[:12]:
            return False  # "20:00 Время": a programme line; a time for the name above is "7.30pm, ABC"
        match = clock.START.match(line) if clock.MAYBE_TIME.match(line) else None
        if match is not None and line[match.end():].strip()[:1] not in ("", ","):
            return False
        if parse_day_header(text) is not None:
            return False
        found = airings(text, named_above=True)
        if not found or not bare_run(found) or any(_YEAR.search(a.day or "") for a in found):
            return False  # (a day with its year is an article's publication stamp)
        if dated and not all(a.day for a in found):
            return False
        name = self.airings_name if dated else self.name
        assert name is not None
        if not dated and all(a.day for a in found):
            self.airings_name = name
        self.heading = self.maybe_heading = None  # the name is this programme's, not a channel's heading
        if not self.airing_entries(number, text, [replace(a, title=_without_channel(name)) for a in found]):
            return False
        self.named_above += self.last
        self.note(number, "info", f"Read {_quote(name)} above as the title of the programme this line times.")
        return True

    def tip_line(self, number: int, text: str) -> bool:
        """A programme's name, then when and where it airs: ``Szent Péter esernyője (Duna TV, 14:10)``."""
        if text.rstrip().endswith("?"):
            return False  # "Primetime in Deutschland – warum 20.15 Uhr?": a question, an article's heading
        found = [a for a in airings(text) or () if a.title is not None]
        if not found or parse_day_header(text) is not None or not self.airing_entries(number, text, found):
            return False
        self.note(number, "info", "Read the line as a programme's name, then when (and where) it airs.")
        return True

    def until_line(self, number: int, text: str) -> bool:
        """``bis 21.45 Uhr`` under a name: the programme runs from the time the text stated for all to then."""
        match, name = _UNTIL_LINE.match(text), self.name if self.since_name == 1 else None
        if match is None and (match := _UNTIL_TAIL.match(text)) is not None:
            channel = _CHANNEL_FIRST.match(match.group("name"))
            name = match.group("name")[channel.end():] if channel else None  # only after a channel it knows
        if match is None or self.stated is None or name is None:
            return False
        hour, minute = re.split(r"[:.]", match.group("time"))
        start, stop = self.stated[0], int(hour) * 3600 + int(minute) * 60
        if not self.airing_entries(number, text, [Airing(_without_channel(name), start,
                                                         stop + SECONDS_PER_DAY if stop <= start else stop)]):
            return False
        self.named_above += self.last
        self.note(number, "info", f"Read {_quote(name)} above as a programme from {clock.clock_text(start)}, "
                                  f"the time line {self.stated[1]} states for all, until this line's time.")
        return True

    def capitals_paragraph(self, number: int, text: str) -> bool:
        """A paragraph that opens with the programme's name in capitals, as print guides set it, and may end
        with when and where it airs: ``JUMEAUX MAIS PAS TROP Comédie de … extrême. M6, 22h10``. Without its
        airing, the name is kept for a line below that says when (``France 5, 22h05``)."""
        stripped = text.strip()
        name = _capitals_after(stripped, 0)
        rest = stripped[len(name):].split(maxsplit=1)
        if len(name.split()) < 2 or not rest or not rest[0][:1].isalpha() or rest[0].isupper():
            return False  # the capitals go on to the end, or into a number: no name before the text
        self.name, self.since_name = name, 0
        stop = max(stripped.rfind(". "), stripped.rfind("… "), stripped.rfind("! "), stripped.rfind("? "))
        tail = stripped[stop + 2:] if stop > len(name) else ""
        found = airings(tail, named_above=True) if 0 < len(tail) <= 40 else None
        if not found or not bare_run(found) or not self.airing_entries(
                number, text, [replace(a, title=_without_channel(name)) for a in found]):
            return False
        self.named_above += self.last
        self.name = None
        self.note(number, "info", f"Read {_quote(name)} in capitals as the name of the programme the paragraph's "
                                  "end times.")
        return True

    def run_together_line(self, number: int, text: str) -> bool:
        """A schedule run together on one line of prose, each title in capitals after its time:
        ``… 07:00 PRYWATNE ŻYCIE ZWIERZĄT - SEZON 9 - ODC. 5 - PREHISTORYCZNI Reportaż, 21 min …``."""
        found = [(match.group(1), _capitals_after(text, match.end())) for match in _CAPITALS_TIME.finditer(text)]
        found = [(time, name) for time, name in found if name]
        if len(found) < 2:
            return False
        entries = []
        for time, name in found:
            hour, minute = re.split(r"[:.]", time)
            parts, rating = read_title(name, self.lang)
            if parts.title:
                start = int(hour) * 3600 + int(minute) * 60
                entries.append(Entry(number, start, parts, rating, _stop(start, None, parts), self.day))
        if len(entries) < 2:
            return False
        self.drop_pending()
        self.start_line(number, text, entries)
        self.last_programme_line = -1
        self.note(number, "info", f"Read {len(entries)} programmes run together on the line, each name in capitals "
                                  "after its time.")
        return True

    def airing_entries(self, number: int, text: str, found: list[Airing]) -> bool:
        entries: list[Entry] = []
        for airing in found:
            assert airing.title is not None
            parts, rating = read_title(airing.title, self.lang)
            if not parts.title:
                continue
            if airing.repeat:
                parts = replace(parts, repeat=True)  # (a copy: read_title's parts are shared)
            day = self.day
            if airing.day is not None:
                header = parse_day_header(airing.day)
                near = self.day or self.first_day
                day = (header.resolve(near) if header is not None else next_weekday(airing.day, near)) or day
            start = airing.start
            if entries and airing.day is None and entries[-1].start - start > 12 * 3600:
                start += SECONDS_PER_DAY  # "21.00 (Ост.), 0.00 (Ост.)": on along the line, past midnight
            # A tip's times are its own day's, in no order with the lines around: they follow no earlier time
            # (unless the tip names its day, which starts that day over).
            entries.append(Entry(number, start, parts, rating, _stop(start, airing.stop, parts), day,
                                 description=parts.description, listed=airing.day is None))
        if not entries:
            return False
        self.drop_pending()
        self.start_line(number, text, entries)
        self.last_programme_line = -1  # a name-like line below is the next tip's name, never an episode title
        return True

    def _named_above(self, pending: _Pending, number: int, text: str, *, episode: bool) -> bool:
        """The name above a lone time as its title, and ``text`` below as its episode (joined to the title) or
        its description; False when that gives no programme."""
        assert pending.above is not None
        title = _without_channel(pending.above)
        entries = self.entries(pending.line, [pending.start], f"{title} {text.strip()}" if episode else title,
                               pending.stop)
        if not entries:
            return False
        if not episode:
            entries[0].description = " ".join(text.split())
        self.named_above += entries
        self.heading = None
        self.start_line(pending.line, text, entries)
        self.last_line = number
        self.note(pending.line, "info", f"Read {_quote(pending.above)} above the time as its title, and the line "
                                        f"below as its {'episode' if episode else 'description'}.")
        return True

    def title_line(self, number: int, text: str) -> None:
        """The line after a time alone: its title, or a reason to drop the time."""
        pending = self.pending
        assert pending is not None
        self.pending = None
        reason = prose_reason(text.strip())
        # "Randland", "NPO 2 – 19.15", "Afl. 1/6 (2021)": the line below numbers the episode of the name above;
        # "RAI 1 – Pooh amici per sempre (Show)", "21.25", then a paragraph: the name was above the time.
        if (pending.above is not None and (reason is not None or _MARKER_LINE.match(text))
                and self._named_above(pending, number, text, episode=reason is None)):
            return
        if reason is not None:
            self.skip(pending.line, clock.clock_text(pending.start), "a time with no title after it")
            self.last = []
            self.skip(number, text, reason)
            return
        entries = self.entries(pending.line, [pending.start], text.strip(), pending.stop)
        for entry in entries:
            entry.channel = pending.channel or entry.channel
            added = tuple(c for c in pending.categories if c not in entry.parts.categories)
            if added:
                entry.parts = replace(entry.parts, categories=entry.parts.categories + added)
        if not entries:
            self.skip(pending.line, clock.clock_text(pending.start), "a time with no title after it")
            self.last = []
            self.skip(number, text, _NO_TITLE)
            return
        self.start_line(pending.line, text, entries)
        self.last_line = self.last_programme_line = number
        self.note(number, "info",
                  f"Read {_quote(text)} as the title of the {clock.clock_text(pending.start)} programme "
                  f"on line {pending.line}.")

    def below_programme(self, number: int, text: str) -> bool:
        """A line right below a programme that adds to it: its age mark or (plain text) its description."""
        entry = self.last[-1]
        stripped = text.strip()
        rating = rating_from_cell(stripped)
        if rating is not None:
            if entry.rating is not None:
                return False
            for each in self.last:
                each.rating = rating
            self.last_line = number
            self.note(number, "info", f"Read {_quote(text)} as the age mark of “{entry.parts.title}”.")
            return True
        words = len(stripped.split())
        if self.is_html:
            return False
        if self.last_line == self.last_programme_line and self.episode_line(number, stripped, words):
            return True
        if words < 6 or not (_SENTENCE_CLOSE.search(stripped) or words >= 10):
            return False
        if parse_day_header(stripped) is not None or (clock.MAYBE_TIME.match(stripped) and clock.START.match(stripped)):
            return False
        entry.description = f"{entry.description} {stripped}" if entry.description else stripped
        self.last_line = number
        self.note(number, "info", f"Read {_quote(text)} as the description of “{entry.parts.title}”.")
        return True

    def episode_line(self, number: int, text: str, words: int) -> bool:
        """The first line right below a programme, when it names the episode: ``Folge 17 von 20``, or a
        short line that is no sentence, time, header or mark (``Nenad und das Recht auf Bildung``).

        Guides print a series on one line and its episode's title on the next;
        a line of prose or a line that starts another block is never read so.
        """
        entry = self.last[-1]
        if entry.parts.sub_title or words > 10 or len(text) > 90 or not _LETTER.search(text):
            return False
        if "\t" in text or ";" in text or "|" in text or clock.TIME_INSIDE.search(text) or is_label(text):
            return False  # a table row, a line with times, or a widget's label
        if _SENTENCE_CLOSE.search(text) or _CLAUSE.search(text) or parse_day_header(text) is not None:
            return False
        if text.split()[0].endswith(","):
            return False  # "Programda, Ekonomiden Haberler": a lead-in and a list, not a name
        lower = sum(1 for w in text.split() if w[:1].islower())
        if (words >= 5 and lower * 2 > words) or _ENDS_WITH_YEAR.search(text):
            return False  # a sentence without its full stop, or a tail of facts (Romanze Deutschland, 2005)
        if clock.MAYBE_TIME.match(text) and clock.START.match(text):
            return False
        if says_kind(text):
            # "magazyn sportowy", "program religijny" under the title: what kind of programme, not its episode.
            kind = _strip(text)
            for each in self.last:
                if kind not in each.parts.categories:
                    each.parts = replace(each.parts, categories=(*each.parts.categories, kind))
            self.last_line = number
            self.note(number, "info", f"Read {_quote(text)} as the category of “{entry.parts.title}”.")
            return True
        parts, rating = read_title(text, self.lang)
        if rating is not None or parts.categories or parts.description or parts.year or parts.duration:
            return False  # a genre, a mark or a tail of facts, not an episode
        marker = parts.episode is not None or parts.season is not None
        if marker and parts.title and parts.title != text and not parts.sub_title:
            # Only the marker and what the marker left ("Folge 17 von 20"): the numbers, no title.
            found = {"season": parts.season, "episode": parts.episode}
            updates = {k: v for k, v in found.items() if v is not None and getattr(entry.parts, k) is None}
            if not updates:
                return False
            for each in self.last:
                each.parts = replace(each.parts, **updates)  # type: ignore[arg-type]
            what = "episode number"
        else:
            if marker or parts.sub_title:
                return False
            # Unless the times start over after it: then it was the next channel's heading (see channel_block).
            self.maybe_heading = (text, [(each, each.parts) for each in self.last])
            for each in self.last:
                each.parts = replace(each.parts, sub_title=tidy(text) or _strip(text))  # tidied as on one line
            what = "episode title"
        self.last_line = number
        self.note(number, "info", f"Read {_quote(text)} as the {what} of “{entry.parts.title}”.")
        return True

    # -- entries -------------------------------------------------------------------------------------
    def entries(self, number: int, starts: list[int], rest: str, stop: int | None) -> list[Entry]:
        """One entry per start for the text after the time(s); the later times of a list are ``listed``.

        None of them when the text holds no title (a table row of genre and mark only).
        """
        out = []
        for index, start in enumerate(starts):
            entry = self.entry(number, start, rest, stop)
            if entry is None:
                return []
            entry.listed = index > 0
            out.append(entry)
        return out

    def entry(self, number: int, start: int, rest: str, stop: int | None) -> Entry | None:
        """An entry from the text after the time(s): table cells, rating, title parts; None without a title."""
        cells = _cells(rest)
        rating: Rating | None = None
        title: str | None = None
        categories: list[str] = []
        description: list[str] = []
        if cells is None or len([c for c in cells if c]) <= 1:
            title = next((c for c in cells if c), "") if cells is not None else rest.strip()
        else:
            roles = self.columns[1:] if self.columns and len(cells) <= len(self.columns) - 1 else []
            for index, cell in enumerate(cells):
                if not cell:
                    continue
                role = roles[index] if index < len(roles) else ""
                cell_rating = rating_from_cell(cell) if role in ("", "rating") else None
                time_cell = clock.CELL.fullmatch(cell) if role in ("", "stop", "duration") else None
                value = clock.seconds(time_cell, "c") if time_cell else None
                if cell_rating is not None and rating is None:
                    rating = cell_rating
                elif value is not None and stop is None:
                    # An end time, or a duration: the header says which, else a value before the start is a duration.
                    is_duration = role == "duration" or (role != "stop" and value <= start)
                    stop = start + value if is_duration else value
                elif role == "genre" or (role == "" and title is not None and len(cell) <= 30
                                         and len(cell.split()) <= 3):
                    categories.append(genre_name(cell, self.lang))
                elif title is None and role in ("", "title") and _LETTER.search(cell):
                    title = cell  # a title has letters: a number column before it is not the title
                elif _LETTER.search(cell):
                    description.append(cell)
        if rating is None:
            parts, rating = read_title(title or "", self.lang)
        else:
            parts = split_title(title or "", self.lang)
        if not parts.title:
            return None
        if categories:
            added = tuple(c for c in categories if c not in parts.categories)
            parts = replace(parts, categories=parts.categories + added)
        return Entry(line=number, start=start, parts=parts, rating=rating, stop=_stop(start, stop, parts),
                     day=self.day, description=" ".join(description) or parts.description)

    def finish(self) -> ParseResult:
        pending = self.pending
        if pending is not None and pending.above is not None and self.named_above:
            # "CANALE 5 – Karol un uomo diventato Papa (Film)", "21.21", and the page ends: the name above is the
            # last time's title, as it was for the times before (only once the text has read names so)
            self.pending = None
            entries = self.entries(pending.line, [pending.start], _without_channel(pending.above), pending.stop)
            if entries:
                self.named_above += entries
                self.start_line(pending.line, pending.above, entries)
                self.note(pending.line, "info", f"Read {_quote(pending.above)} above the time as its title (the "
                                                "text ends below it).")
            else:
                self.pending = pending
        self.drop_pending()
        if len(self.named_above) == 1:
            once = self.named_above[0]
            self.result.entries.remove(once)
            self.note(once.line, "info", f"Dropped “{once.parts.title}”: a name above a time only once in the "
                                         "text reads as a headline over its publication time.")
        self.result.diagnostics.sort(key=lambda d: d.line)
        return self.result


def _read_prose(result: ParseResult, numbers: Iterable[int], texts: list[str], first_day: date) -> None:
    """A text with no schedule line is an article: the programmes its sentences name (:mod:`epg.prose`)."""
    for number, text in zip(numbers, texts, strict=True):
        for start, name, sub in mentions(text, first_day) if len(text) > 12 else ():
            # A quoted name is the title whole, colon and all ("Mission: Impossible"), but a full stop parts the
            # series from its episode ("Подробиці. Вибори") as anywhere.
            name, episode = split_sub_title(name, colon=False)
            parts, rating = read_title(f"«{name}»", "ru")
            if (episode or sub) and parts.title and not parts.sub_title:
                parts = replace(parts, sub_title=episode or sub)
            if parts.title:
                # In no order with the sentences around: each on the article's day (see Entry.listed).
                result.entries.append(Entry(number, start, parts, rating, _stop(start, None, parts), listed=True))
                result.diagnostics.append(_diagnostic(number, "info", f"Read “{parts.title}” at "
                                                      f"{clock.clock_text(start)} from the sentence that names it."))


_PM = re.compile(r"\d\s?p\.?\s?m\b", re.I)
_AM = re.compile(r"\d\s?a\.?\s?m\b", re.I)


def _afternoon(result: ParseResult, text: str) -> None:
    """Times of a text written the 12-hour way, whose marks are all p.m., are afternoon and evening times.

    A prime-time column prints ``8:00 Dancing with the Stars`` and says
    ``Sunday 8pm`` in its prose: when no time is past 12:59 and the text
    marks its times with p.m. and never with a.m., ``8:00`` is 20:00.
    """
    entries = result.entries
    if not entries or any(e.start >= 13 * 3600 for e in entries) or not _PM.search(text) or _AM.search(text):
        return
    moved = [e for e in entries if 3600 <= e.start < 12 * 3600]
    for entry in moved:
        entry.start += 12 * 3600
        if entry.stop is not None and entry.stop < entry.start:
            entry.stop += 12 * 3600
    if moved:
        result.diagnostics.append(_diagnostic(moved[0].line, "info", "Read the times as p.m.: the text writes "
                                              "12-hour times, marks them p.m. and none is past 12:59."))


def parse_text(data: bytes | str, first_day: date) -> ParseResult:
    """Read schedule text (bytes in any common encoding, or str; plain or HTML).

    ``first_day`` dates the programmes until a day header names another; it
    also supplies the year for headers that give none.
    """
    try:
        decoded = decode(data)
    except DocumentRefused as exc:  # a document epg does not read (encrypted, damaged, a scan): said, not failed
        return ParseResult(diagnostics=[_diagnostic(1, "error", exc.message)])
    try:
        sample = "\n".join(decoded.texts[:2000])
        reader = _Reader(first_day, listing_language(sample), decoded.is_html)
        numbers = decoded.numbers or range(1, len(decoded.texts) + 1)
        for number, text in zip(numbers, decoded.texts, strict=True):
            reader.read(number, text)
        result = reader.finish()
        if not result.entries:
            _read_prose(result, numbers, decoded.texts, first_day)
        _afternoon(result, sample)
    except Exception as exc:  # the parser must never raise on input; say what failed instead
        failure = _diagnostic(1, "error", f"Could not read the text: {exc}")
        return ParseResult(diagnostics=[failure])
    result.diagnostics[:0] = decoded.diagnostics
    return result
