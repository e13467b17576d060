"""XMLTV reader: someone else's guide → typed channels and programmes, with every repair reported.

:func:`read_xmltv` streams the document (``lxml.etree.iterparse``, elements
cleared as soon as they are read) so a large feed costs memory for its
programmes, not for its tree. It is meant for files from anywhere, so:

- a DOCTYPE that declares entities (internal or external, general or
  parameter) is refused before parsing with :class:`epg.errors.ValidationError`:
  that is where "billion laughs" and external-entity (XXE) attacks live, and
  no XMLTV feed needs one. Nothing is loaded from the network or the disk
  (``no_network``, ``load_dtd=False``, ``resolve_entities=False``), and
  libxml2's size limits stay on (``huge_tree=False``);
- a reference to an undeclared entity (``&nbsp;`` in a feed whose DTD we do
  not load) is read with its HTML meaning, or dropped, and reported;
- a document that is not well-formed (truncated, not XML at all) raises
  ValidationError naming the line; gzip input (magic ``1f 8b``) is
  decompressed on the fly.

Repairs (each a :class:`~epg.models.Diagnostic` whose ``line`` is the source
line of the element): data that had to change or be dropped is reported at
every occurrence — a missing stop, a duplicate programme, an empty
``<date>``, an unreadable time; quirks that repeat through a whole feed are
reported once, at their first line, with a count — children out of DTD
order (all are kept), a named time zone, a non-standard element (ignored),
a valid element epg has no field for, an episode-num system not kept,
several ratings where the model keeps one.

Choices, since the models keep one value where XMLTV allows many:

- several titles (sub-titles, descriptions) in several languages: the one in
  the channel's language (its display-name's ``lang``), else the first;
- several ratings: the first whose minimum age is known, else the first;
- several countries: joined with ", " (the writer splits them again);
- the stop, when missing: ``start + <length>`` if the source gives a length,
  else the next programme's start on that channel, else start + 60 minutes
  flagged ``stop_estimated``;
- a ``Live`` category sets ``live``; a class category (Movie, Series, News,
  Sports, Kids in English) that :func:`epg.categories.classify` would derive
  from the rest is dropped, because the writer adds it again: the reader is
  the writer's inverse, so export → import → export gives the same bytes;
- the channel's time zone, unless ``zones`` names one: the fixed zone of its
  first programme's offset (``+0300`` → ``Etc/GMT-3``, whose sign IANA
  inverts), reported, since a fixed zone cannot know the channel's DST.
"""

from __future__ import annotations

import functools
import gzip
import html.entities
import io
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import BinaryIO

from lxml import etree
from pydantic import ValidationError as ModelError

from epg.categories import CLASSES, LIVE, classify
from epg.details import (
    CREDIT_KINDS,
    Audio,
    ChannelDetails,
    Credit,
    Icon,
    Image,
    Link,
    ProgrammeDetails,
    Text,
    Video,
)
from epg.diagnostics import MAX_DIAGNOSTICS, Collector
from epg.errors import TooLarge, ValidationError
from epg.models import (
    CHANNEL_ID_RE,
    DNS_ID_RE,
    MAX_PROGRAMME_LENGTH,
    Channel,
    Diagnostic,
    Programme,
    Rating,
    Severity,
    id_key,
    web_link,
    zone,
)
from epg.ratings import make_rating, rating_from_cell
from feeds.xmltv import default_categories, default_countries, default_episode_nums, one_line, paragraph

#: Assumed length of a last programme that has neither a stop nor a length.
DEFAULT_LENGTH = timedelta(minutes=60)
#: Longest <length> taken as meant (a week); longer ones are reported and ignored.
MAX_LENGTH_SECONDS = 7 * 24 * 3600
#: Years a programme can plausibly start in; others are typos or fuzz, and would overflow date arithmetic.
YEARS = range(1900, 2200)
#: Largest season or episode number kept (the store's columns hold far more, but nothing real comes near).
MAX_EPISODE = 100_000

#: The prolog (XML declaration, comments, DOCTYPE) must end within this many bytes.
MAX_PROLOG = 1 << 20

PROGRAMME_ORDER = ("title", "sub-title", "desc", "credits", "date", "category", "keyword", "language",
                   "orig-language", "length", "icon", "url", "country", "episode-num", "video", "audio",
                   "previously-shown", "premiere", "last-chance", "new", "subtitles", "rating", "star-rating",
                   "review", "image")
CHANNEL_ORDER = ("display-name", "icon", "url")
#: Attributes of <programme> kept verbatim in its details (start, stop and channel are read into the core).
_PROGRAMME_ATTRS = ("pdc-start", "vps-start", "showview", "videoplus", "clumpidx")

#: Time zone abbreviations met in feeds, read the common way (CST and AST as North American, like Date::Manip).
ZONE_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "MET": 60, "CEST": 120,
    "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "MSD": 240, "SAMT": 240, "YEKT": 300, "OMST": 360,
    "KRAT": 420, "IRKT": 480, "YAKT": 540, "VLAT": 600, "MAGT": 660, "PETT": 720, "SAST": 120, "WAT": 60,
    "CAT": 120, "EAT": 180, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AWST": 480, "ACST": 570,
    "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360,
    "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
    "AST": -240, "ADT": -180, "NST": -210, "NDT": -150,
}
# Zones for offsets that are not whole hours (no Etc/GMT zone exists for them).
_ODD_OFFSETS = {330: "Asia/Kolkata", 345: "Asia/Kathmandu", 270: "Asia/Kabul", 210: "Asia/Tehran",
                390: "Asia/Yangon", 570: "Australia/Darwin", 525: "Australia/Eucla", 765: "Pacific/Chatham",
                -210: "America/St_Johns", -570: "Pacific/Marquesas"}
_RATING_SYSTEMS = {"ru": "RU", "rus": "RU", "russia": "RU", "rkn": "RU", "vchip": "VCHIP", "v-chip": "VCHIP",
                   "us-tv": "VCHIP", "tvpg": "VCHIP", "mpa": "MPA", "mpaa": "MPA", "fsk": "FSK", "csa": "CSA",
                   "bbfc": "BBFC"}
_CSA_ALL = {"tout public", "tous publics", "tp", "tout-public"}

_TIME = re.compile(r"^\s*(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?\s*(.*?)\s*$")
_OFFSET = re.compile(r"^([+-])(\d\d):?(\d\d)$|^([+-])(\d{1,2})$")
_NS = re.compile(r"^\s*(\d*)\s*(?:/\s*\d*)?\s*\.\s*(\d*)\s*(?:/\s*\d*)?\s*(?:\.\s*(\d*)\s*(?:/\s*\d*)?\s*)?$")
_ONSCREEN = [re.compile(r"S(?:eason)?\s*(\d{1,4})\s*[,.]?\s*E(?:p(?:isode)?)?\.?\s*(\d{1,5})", re.I),
             re.compile(r"^\s*(\d{1,3})\s*x\s*(\d{1,4})\s*$", re.I)]
_ONSCREEN_EPISODE = re.compile(r"^\s*E(?:p(?:isode)?)?\.?\s*(\d{1,5})\s*$", re.I)
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")


@dataclass
class XmltvImport:
    """What a document held, in epg's terms, and what had to be repaired to get there."""

    channels: list[Channel] = field(default_factory=list)
    programmes: dict[str, list[Programme]] = field(default_factory=dict)
    repairs: list[Diagnostic] = field(default_factory=list)


# --- input ----------------------------------------------------------------------------------------------------------

class _Prefixed(io.RawIOBase):
    """A stream that yields ``head`` and then whatever ``rest`` still holds."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if self._head.nbytes:
            n = min(len(view), self._head.nbytes)
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)


def _stream(source: bytes | bytearray | memoryview | BinaryIO) -> BinaryIO:
    raw: BinaryIO = io.BytesIO(bytes(source)) if isinstance(source, bytes | bytearray | memoryview) else source
    magic = raw.read(2)
    stream: BinaryIO = io.BufferedReader(_Prefixed(magic, raw))
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


def _scan_text(head: bytes) -> str:
    """The head as text for scanning the prolog (only ASCII matters there)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "\ufeff" + head[3:].decode("latin-1")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", errors="ignore")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", errors="ignore")
    return head.decode("latin-1")


def _root_position(text: str) -> tuple[int | None, list[tuple[int, str]]]:
    """Where the root element starts (None: not within ``text``) and every DOCTYPE seen before it."""
    doctypes: list[tuple[int, str]] = []
    i = 1 if text.startswith("\ufeff") else 0
    n = len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            return None, doctypes
        if text.startswith("<?", i) or text.startswith("<!--", i):
            end = text.find("?>" if text[i + 1] == "?" else "-->", i + 2)
            if end < 0:
                return None, doctypes
            i = end + 2
            continue
        if text.startswith("<!", i):
            k, depth, quote = i + 2, 0, ""
            while k < n:
                c = text[k]
                if quote:
                    quote = "" if c == quote else quote
                elif text.startswith("<!--", k):
                    close = text.find("-->", k + 4)
                    if close < 0:
                        return None, doctypes
                    k = close + 2
                elif c in "\"'":
                    quote = c
                elif c == "[":
                    depth += 1
                elif c == "]":
                    depth -= 1
                elif c == ">" and depth <= 0:
                    break
                k += 1
            else:
                return None, doctypes
            doctypes.append((i, text[i: k + 1]))
            i = k + 1
            continue
        return i, doctypes


def _refuse_entity_declarations(stream: BinaryIO) -> BinaryIO:
    """Read the prolog, refuse a DOCTYPE that declares entities, and hand back the whole stream."""
    head = b""
    while True:
        chunk = stream.read(65536)
        if not head and not chunk.strip():
            raise ValidationError("line 1: the document is empty; an XMLTV document starts with <tv>")
        head += chunk
        text = _scan_text(head)
        root, doctypes = _root_position(text)
        prolog = text if root is None else text[:root]
        for start, doctype in doctypes:
            if "<!ENTITY" in doctype.upper():
                line = text.count("\n", 0, start) + 1
                raise ValidationError(
                    f"line {line}: the DOCTYPE declares entities (<!ENTITY …>); documents that declare entities "
                    "are refused, since that is how entity-expansion and external-entity attacks work, and an "
                    "XMLTV feed needs none", field="doctype")
        if "<!ENTITY" in prolog.upper():
            raise ValidationError("the prolog declares entities (<!ENTITY …>); refused", field="doctype")
        if root is not None or not chunk:
            break
        if len(head) > MAX_PROLOG:
            raise ValidationError(f"no root element within the first {MAX_PROLOG} bytes; refused", field="doctype")
    return io.BufferedReader(_Prefixed(head, stream))


# --- diagnostics ----------------------------------------------------------------------------------------------------

class _Report:
    """Per-occurrence diagnostics, and quirks counted once with their first line, both in bounded memory."""

    def __init__(self) -> None:
        self._items = Collector()
        self._once: dict[str, tuple[int, Severity, str, int]] = {}

    def add(self, line: int | None, severity: Severity, message: str) -> None:
        self._items.add(Diagnostic(line=line or 1, severity=severity, message=message))

    def once(self, key: str, line: int | None, severity: Severity, message: str) -> None:
        first = self._once.get(key)
        if first is None and len(self._once) >= MAX_DIAGNOSTICS:
            self.add(line, severity, message)  # keys made up by the document (tag names) are counted by kind
            return
        self._once[key] = (first[0], first[1], first[2], first[3] + 1) if first else (line or 1, severity, message, 1)

    def result(self) -> list[Diagnostic]:
        items = self._items.result()
        for line, severity, message, count in self._once.values():
            times = f" ({count} times, first here)" if count > 1 else ""
            items.append(Diagnostic(line=line, severity=severity, message=message + times))
        return sorted(items, key=lambda d: d.line)


# --- element text ---------------------------------------------------------------------------------------------------

def _text(element: etree._Element, report: _Report) -> str:
    """The element's character data; undeclared entities read with their HTML meaning or dropped."""
    if not len(element):  # no child (no entity): most elements
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child, etree._Entity):
            name = str(child.name)
            meaning = html.entities.html5.get(f"{name};")
            if meaning is None:
                report.once(f"entity:{name}", _line(element), "warning",
                            f"undeclared entity &{name}; dropped")
            else:
                report.once(f"entity:{name}", _line(element), "info",
                            f"undeclared entity &{name}; read as its HTML meaning {meaning!r}")
                parts.append(meaning)
        parts.append(child.tail or "")
    return "".join(parts)


def _line(element: etree._Element, default: int = 1) -> int:
    """The element's source line (lxml's stubs do not type ``sourceline``)."""
    line: object = element.sourceline
    return line if isinstance(line, int) else default


@functools.lru_cache(maxsize=1024)  # a guide repeats a few languages thousands of times
def _lang(value: str | None) -> str | None:
    match = _LANG.match(value.strip()) if value else None
    return match.group(1).lower() if match else None


# --- times ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ParsedTime:
    value: datetime | None
    zone_note: tuple[str, str] | None = None  # (key, message) of a zone repair
    error: str | None = None
    unknown_zone: bool = False


@functools.lru_cache(maxsize=65536)  # a guide repeats the same times across its channels
def parse_time(text: str) -> ParsedTime:
    """An XMLTV time (``20220107165500 +0300``, ``202201071655 MSK``, no zone = UTC) as an aware datetime."""
    match = _TIME.match(text or "")
    if not match:
        return ParsedTime(None, error=f"time {text!r} is not YYYYMMDDhhmm[ss] [zone]")
    year, month, day, hour, minute, second, name = match.groups()
    if int(year) not in YEARS:
        return ParsedTime(None, error=f"time {text!r} is outside the years {YEARS.start}–{YEARS.stop - 1}")
    try:
        naive = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return ParsedTime(None, error=f"time {text!r} is not a real date and time")
    if not name:
        return ParsedTime(naive.replace(tzinfo=UTC), ("zone:none", "time without a zone; UTC assumed, as the DTD says"))
    offset = _OFFSET.match(name)
    if offset:
        sign, hh, mm, sign2, h2 = offset.groups()
        minutes = int(hh) * 60 + int(mm) if sign else int(h2) * 60
        minutes = -minutes if (sign or sign2) == "-" else minutes
        if abs(minutes) > 14 * 60:
            return ParsedTime(None, error=f"time {text!r} has an offset beyond ±14 hours")
        note = None if re.fullmatch(r"[+-]\d{4}", name) else (
            f"zone:{name}", f"offset {name!r} read as {_offset_text(minutes)}")
        return ParsedTime(naive.replace(tzinfo=timezone(timedelta(minutes=minutes))), note)
    minutes_or_none = ZONE_ABBREVIATIONS.get(name.upper())
    if minutes_or_none is not None:
        return ParsedTime(naive.replace(tzinfo=timezone(timedelta(minutes=minutes_or_none))),
                     (f"zone:{name.upper()}",
                      f"time zone name {name!r} read as {_offset_text(minutes_or_none)}"))
    if "/" in name:
        try:
            local = naive.replace(tzinfo=zone(name))
        except ValueError:
            pass
        else:
            return ParsedTime(local, (f"zone:{name}", f"time zone {name!r} read as the IANA zone"))
    return ParsedTime(None, error=f"unknown time zone {name!r} in {text!r}", unknown_zone=True)


def _offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{mins:02d}"


def fixed_zone(offset: timedelta) -> str | None:
    """The IANA zone for a fixed offset: ``Etc/GMT-3`` for +03:00 (IANA's Etc signs are inverted)."""
    minutes = round(offset.total_seconds() / 60)
    if minutes == 0:
        return "Etc/UTC"
    if minutes % 60 == 0 and -12 * 60 <= minutes <= 14 * 60:
        return f"Etc/GMT{-minutes // 60:+d}"
    return _ODD_OFFSETS.get(minutes)


# --- raw elements ---------------------------------------------------------------------------------------------------

_Texts = list[tuple[str | None, str]]  # (lang, text)
_Items = tuple[tuple[str | None, str], ...]  # (lang, text), of a programme


@dataclass
class _RawChannel:
    original_id: str
    line: int
    names: _Texts = field(default_factory=list)
    icons: list[Icon] = field(default_factory=list)
    urls: list[Link] = field(default_factory=list)
    declared: bool = True


@dataclass(slots=True)
class _RawProgramme:
    """A ``<programme>`` as read, held until the document ends (its channel may come later).

    Every programme of a guide is held at once, so it is kept cheap for the garbage collector, whose full
    passes visit every container alive: no ``__dict__``, and tuples (and dicts) of strings rather than
    lists, which the collector stops tracking once it has seen them, where it visits a list at every pass.
    """

    channel: str
    line: int
    start: datetime
    stop: datetime | None
    length: timedelta | None = None
    titles: _Items = ()
    sub_titles: _Items = ()
    descs: _Items = ()
    categories: _Items = ()
    countries: tuple[str, ...] = ()
    year: int | None = None
    season: int | None = None
    episode: int | None = None
    repeat: bool = False
    premiere: bool = False
    subtitles: bool = False
    ratings: tuple[tuple[str | None, str], ...] = ()
    country_items: tuple[dict[str, str | None], ...] = ()
    details: dict[str, object] = field(default_factory=dict)
    """ProgrammeDetails fields as read (the verbatim ones; titles and languages are added when it is built);
    repeated elements as tuples (see :func:`_add`)."""


def _children(element: etree._Element, kind: str, order: tuple[str, ...], report: _Report) -> list[etree._Element]:
    """The element's child elements; non-standard ones reported once per name and left out."""
    known: list[etree._Element] = []
    last, misplaced = -1, ""
    for child in element:
        tag = child.tag  # (lxml makes a new string at each read)
        if not isinstance(tag, str):
            continue
        try:
            position = order.index(tag)
        except ValueError:
            report.once(f"nonstandard:{kind}:{tag}", _line(child), "warning",
                        f"non-standard element <{tag}> in <{kind}> ignored")
            continue
        if position < last and not misplaced:
            misplaced = f"<{tag}> after <{order[last]}>"
        last = max(last, position)
        known.append(child)
    if misplaced:
        report.once(f"order:{kind}", _line(element), "info",
                    f"children of <{kind}> out of DTD order ({misplaced}); all kept")
    return known


def _read_channel(element: etree._Element, report: _Report) -> _RawChannel | None:
    line = _line(element)
    original = (element.get("id") or "").strip()
    if not original:
        report.add(line, "warning", "<channel> without an id skipped")
        return None
    raw = _RawChannel(original, line)
    for child in _children(element, "channel", CHANNEL_ORDER, report):
        if child.tag == "display-name":
            text = one_line(_text(child, report))
            if text:
                raw.names.append((child.get("lang"), text))
        elif child.tag == "icon":
            icon = _icon(child, report)
            if icon:
                raw.icons.append(icon)
        elif child.tag == "url":
            url = _link(child, report)
            if url:
                raw.urls.append(url)
    return raw


def _episode(raw: _RawProgramme, numbers: list[tuple[str, str, int]], report: _Report) -> None:
    """Season and episode from xmltv_ns (zero-based) or else onscreen; other systems reported once."""
    by_system: dict[str, tuple[str, int]] = {}
    for system, text, line in numbers:
        if system in ("xmltv_ns", "onscreen"):
            by_system.setdefault(system, (text, line))
    if "xmltv_ns" in by_system:
        text, line = by_system["xmltv_ns"]
        match = _NS.match(text)
        if match and all(int(n or 0) < MAX_EPISODE for n in match.group(1, 2)):
            season, episode = match.group(1), match.group(2)
            raw.season = int(season) + 1 if season else None
            raw.episode = int(episode) + 1 if episode else None
            return
        report.add(line, "warning", f"xmltv_ns episode number {text!r} not understood; ignored")
    if "onscreen" in by_system:
        text, line = by_system["onscreen"]
        for pattern in _ONSCREEN:
            found = pattern.search(text)
            if found and max(int(found.group(1)), int(found.group(2))) <= MAX_EPISODE:
                raw.season, raw.episode = int(found.group(1)), int(found.group(2))
                return
        alone = _ONSCREEN_EPISODE.match(text)
        if alone and int(alone.group(1)) <= MAX_EPISODE:
            raw.episode = int(alone.group(1))
            return
        report.add(line, "info", f"onscreen episode number {text!r} not understood; ignored")


def _read_programme(element: etree._Element, report: _Report) -> _RawProgramme | None:
    line = _line(element)
    channel = (element.get("channel") or "").strip()
    if not channel:
        report.add(line, "warning", "<programme> without a channel skipped")
        return None
    times: list[datetime | None] = []
    for attr in ("start", "stop"):
        value = element.get(attr)
        if value is None:
            times.append(None)
            continue
        parsed = parse_time(value)
        if parsed.unknown_zone:
            report.add(line, "warning", f"programme skipped: {parsed.error} in its {attr}")
            return None
        if parsed.error:
            if attr == "start":
                report.add(line, "warning", f"programme skipped: its start {parsed.error}")
                return None
            report.add(line, "warning", f"stop ignored: {parsed.error}")
        if parsed.zone_note:
            report.once(parsed.zone_note[0], line, "info", parsed.zone_note[1])
        times.append(parsed.value)
    start, stop = times
    if start is None:
        report.add(line, "warning", "<programme> without a start skipped")
        return None
    raw = _RawProgramme(channel, line, start, stop)
    if len(element.attrib) > 3:  # more than start, stop and channel
        for attr in _PROGRAMME_ATTRS:
            value = element.get(attr)
            if value is not None and one_line(value):
                raw.details[attr.replace("-", "_")] = one_line(value)
    numbers: list[tuple[str, str, int]] = []
    d = raw.details
    for child in _children(element, "programme", PROGRAMME_ORDER, report):
        tag = child.tag
        assert isinstance(tag, str)
        lang = child.get("lang")
        if tag in ("title", "sub-title", "category"):
            text = one_line(_text(child, report))
            if text:
                if tag == "title":
                    raw.titles += ((lang, text),)
                elif tag == "sub-title":
                    raw.sub_titles += ((lang, text),)
                else:
                    raw.categories += ((lang, text),)
        elif tag == "desc":
            text = paragraph(_text(child, report))
            if text:
                raw.descs += ((lang, text),)
        elif tag == "country":
            text = one_line(_text(child, report))
            if text:
                raw.country_items += ({"text": text, "lang": lang},)
                if text not in raw.countries:
                    raw.countries += (text,)
        elif tag == "date":
            text = one_line(_text(child, report))
            year = re.match(r"^(\d{4})", text)
            if not text:
                report.add(_line(child, line), "info", "empty <date> ignored")
            elif year and 1800 <= int(year.group(1)) <= 2200:
                raw.year = int(year.group(1))
                d["date"] = text
            else:
                report.add(_line(child, line), "warning", f"<date> {text!r} is not a year; ignored")
        elif tag == "length":
            raw.length = _length(child, report)
            if raw.length is not None:
                d["length"] = {"value": one_line(_text(child, report)), "units": child.get("units") or ""}
        elif tag == "episode-num":
            system = child.get("system")
            text = one_line(_text(child, report))
            numbers.append(((system or "onscreen").strip(), text, _line(child, line)))
            if text:
                _add(d, "episode_nums", {"value": text, "system": system})
        elif tag == "previously-shown":
            raw.repeat = True
            d["previously_shown"] = {"start": child.get("start"), "channel": child.get("channel")}
        elif tag in ("premiere", "last-chance"):
            raw.premiere = raw.premiere or tag == "premiere"
            d[tag.replace("-", "_")] = {"text": one_line(_text(child, report)), "lang": lang}
        elif tag == "new":
            raw.premiere = True
            d["new"] = True
        elif tag == "subtitles":
            raw.subtitles = True
            found = child.find("language")
            language = {"text": one_line(_text(found, report)), "lang": found.get("lang")} \
                if found is not None and one_line(_text(found, report)) else None
            _add(d, "subtitles", {"type": child.get("type"), "language": language})
        elif tag in ("rating", "star-rating"):
            value = one_line(child.findtext("value") or "")
            if value:
                if tag == "rating":
                    raw.ratings += ((child.get("system"), value),)
                icons = tuple(i for i in (_icon(c, report) for c in child.iterchildren("icon")) if i) \
                    if len(child) > 1 else ()
                _add(d, tag.replace("-", "_") + "s", {"value": value, "system": child.get("system"), "icons": icons})
        elif tag in ("keyword", "language", "orig-language"):
            text = one_line(_text(child, report))
            if text and tag == "keyword":
                _add(d, "keywords", {"text": text, "lang": lang})
            elif text:
                d[tag.replace("-", "_")] = {"text": text, "lang": lang}
        elif tag == "credits":
            d["credits"] = _credits(child, report)
        elif tag == "icon":
            _add(d, "icons", _icon(child, report))
        elif tag == "url":
            _add(d, "urls", _link(child, report))
        elif tag == "image":
            _add(d, "images", _image(child, report))
        elif tag in ("video", "audio"):
            parts = {c.tag: one_line(_text(c, report)) or None for c in child if isinstance(c.tag, str)}
            d[tag] = {k: v for k, v in parts.items() if k in (Video if tag == "video" else Audio).model_fields}
        elif tag == "review":
            text = (one_line if child.get("type") == "url" else paragraph)(_text(child, report))
            if text:
                _add(d, "reviews", {"text": text, "type": child.get("type") or "text", "source": child.get("source"),
                                    "reviewer": child.get("reviewer"), "lang": lang})
    _episode(raw, numbers, report)
    if not raw.titles:
        report.add(line, "warning", "programme without a title skipped")
        return None
    return raw


def _add(details: dict[str, object], name: str, item: object) -> None:
    """Add ``item`` (unless None) to the details' tuple ``name`` (a tuple, see :class:`_RawProgramme`)."""
    if item is not None:
        items = details.get(name, ())
        assert isinstance(items, tuple)
        details[name] = (*items, item)


def _web(element: etree._Element, value: str | None, report: _Report) -> str | None:
    """A link the feeds may hand on (:func:`epg.models.web_link`); anything else
    (``javascript:``, a file path, a page of text) reported and dropped."""
    try:
        return web_link(value)
    except ValueError:
        report.add(_line(element), "warning",
                   f"<{element.tag}> {(value or '')[:80]!r} is not an http(s) URL; dropped")
        return None


def _icon(element: etree._Element, report: _Report) -> Icon | None:
    src = _web(element, element.get("src"), report)
    return Icon(src=src, width=element.get("width"), height=element.get("height")) if src else None


def _link(element: etree._Element, report: _Report) -> Link | None:
    url = _web(element, one_line(_text(element, report)), report)
    return Link(url=url, system=element.get("system")) if url else None


def _image(element: etree._Element, report: _Report) -> Image | None:
    url = _web(element, one_line(_text(element, report)), report)
    return Image(url=url, type=element.get("type"), size=element.get("size"), orient=element.get("orient"),
                 system=element.get("system")) if url else None


def _credits(element: etree._Element, report: _Report) -> list[Credit]:
    """People by role, in document order; each with its role, guest flag, images and urls."""
    people: list[Credit] = []
    for child in _children(element, "credits", CREDIT_KINDS, report):
        images = tuple(i for i in (_image(c, report) for c in child.iterchildren("image")) if i)
        urls = tuple(u for u in (_link(c, report) for c in child.iterchildren("url")) if u)
        name = one_line((child.text or "") + "".join(c.tail or "" for c in child))
        if name or images or urls:
            people.append(Credit(kind=child.tag, name=name, role=child.get("role"),
                                 guest=child.get("guest"), images=images, urls=urls))
    return people


def _length(element: etree._Element, report: _Report) -> timedelta | None:
    text = one_line(_text(element, report))
    unit = {"seconds": 1, "minutes": 60, "hours": 3600}.get(element.get("units") or "")
    # isdigit() alone admits "²" and other digits int() refuses; a week is longer than any programme.
    if not (text.isascii() and text.isdigit()) or unit is None or not 0 < int(text) * unit <= MAX_LENGTH_SECONDS:
        report.add(_line(element), "info", f"<length> {text!r} not understood; ignored")
        return None
    return timedelta(seconds=int(text) * unit)


# --- building the result --------------------------------------------------------------------------------------------

def dns_id(original: str) -> str:
    """A DNS-like id for ``original``: lowercase, other characters → '-', '.xmltv' added when there is no dot."""
    labels = []
    for label in original.strip().lower().split("."):
        label = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", label)).strip("-")[:63]
        if label:
            labels.append(label)
    if not labels:
        labels = ["channel"]
    if len(labels) == 1:
        labels.append("xmltv")
    return ".".join(labels)


def _pick(items: _Items, lang: str | None) -> tuple[str | None, str | None, list[dict[str, str | None]]]:
    """(text, its lang as given, the others as :class:`~epg.details.Text` data): the one in ``lang``, else the
    first. (Plain data: pydantic builds the models while validating the details, faster than one by one.)"""
    if not items:
        return None, None, []
    if len(items) == 1:
        return items[0][1], items[0][0], []
    index = next((i for i, (item_lang, _) in enumerate(items) if lang and _lang(item_lang) == lang), 0)
    others = [{"text": text, "lang": item_lang} for i, (item_lang, text) in enumerate(items) if i != index]
    return items[index][1], items[index][0], others


def _rating(raw: _RawProgramme, report: _Report) -> Rating | None:
    ratings: list[Rating] = []
    for system, value in raw.ratings:
        name = (system or "").strip()
        known = _RATING_SYSTEMS.get(name.casefold())
        rating: Rating | None
        if not name:
            rating = rating_from_cell(value)
            if rating is None:
                report.once(f"rating:{value}", raw.line, "info",
                            f"rating {value!r} without a system not recognized; kept as given, no age read")
        elif known == "CSA" and value.casefold() in _CSA_ALL:
            rating = Rating(system="CSA", value=value, min_age=0)
        elif known:
            rating = make_rating(known, value)
            if rating.min_age is None and known == "VCHIP":  # TV-14-LV: content letters after the age
                base = make_rating(known, "-".join(value.split("-")[:2]))
                rating = Rating(system=known, value=value, min_age=base.min_age)
        else:
            rating = make_rating(name, value)
        if rating is not None:
            ratings.append(rating)
    return next((r for r in ratings if r.min_age is not None), ratings[0] if ratings else None)


def _categories(raw: _RawProgramme, lang: str | None) -> tuple[list[str], bool]:
    """Categories in one language, deduplicated, without Live; and whether one said Live.

    Kept: those in the channel's language or with none, plus the English class
    words the writer adds; if that leaves nothing, those in the first category's language.
    """
    def wanted(item_lang: str | None, text: str, language: str | None) -> bool:
        code = _lang(item_lang)
        return code is None or code == language or (code == "en" and text in (*CLASSES, LIVE))

    chosen = [c for c in raw.categories if wanted(*c, lang)]
    if not chosen and raw.categories:
        first = _lang(raw.categories[0][0])
        chosen = [c for c in raw.categories if wanted(*c, first)]
    seen: set[str] = set()
    result: list[str] = []
    live = False
    for _, text in chosen:
        if text.casefold() == LIVE.casefold():
            live = True
        elif text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text)
    return result, live


def _programme(raw: _RawProgramme, lang: str | None, report: _Report, tz: tzinfo, estimated: bool) -> Programme:
    categories, live = _categories(raw, lang)
    title, title_lang, titles = _pick(raw.titles, lang)
    sub_title, sub_title_lang, sub_titles = _pick(raw.sub_titles, lang)
    description, desc_lang, descs = _pick(raw.descs, lang)
    fields = {
        "start": raw.start.astimezone(tz), "stop": (raw.stop or raw.start).astimezone(tz),
        "stop_estimated": estimated, "title": title or "",
        "sub_title": sub_title, "description": description,
        "categories": categories, "rating": _rating(raw, report), "season": raw.season, "episode": raw.episode,
        "premiere": raw.premiere, "live": live, "repeat": raw.repeat, "subtitles": raw.subtitles,
        "year": raw.year, "country": ", ".join(raw.countries) or None, "line": raw.line,
    }
    programme = Programme.model_validate(fields)
    # A class category the writer would derive from the rest is the writer's own addition: drop it.
    # (Tried on the programme itself, not a copy: this runs for most programmes of a guide.)
    for text in reversed(programme.categories):
        if text in CLASSES:
            kept = programme.categories
            programme.categories = [c for c in kept if c != text]
            if classify(programme) != text:
                programme.categories = kept
            break
    # Details: what the source said, as plain data and only where the writer would not say the same from the
    # core fields (feeds.xmltv.default_*): most programmes of a plain guide keep their languages and little else.
    details = raw.details
    for name, value in (("title_lang", title_lang), ("sub_title_lang", sub_title_lang), ("desc_lang", desc_lang),
                        ("titles", titles), ("sub_titles", sub_titles), ("descs", descs)):
        if value:
            details[name] = value
    if raw.categories and [(text, item_lang) for item_lang, text in raw.categories] != \
            default_categories(programme, title_lang):
        details["categories"] = [{"text": text, "lang": item_lang} for item_lang, text in raw.categories]
    if raw.country_items and [(c["text"], c["lang"]) for c in raw.country_items] != \
            default_countries(programme, title_lang):
        details["countries"] = raw.country_items
    if "episode_nums" in details and details["episode_nums"] == tuple(default_episode_nums(programme)):
        del details["episode_nums"]
    rating = programme.rating
    if rating and "ratings" in details and \
            details["ratings"] == ({"value": rating.value, "system": rating.system, "icons": ()},):
        del details["ratings"]
    if programme.year and details.get("date") == f"{programme.year:04d}":
        del details["date"]
    if details.get("previously_shown") == {"start": None, "channel": None}:
        del details["previously_shown"]
    if details.get("subtitles") == ({"type": None, "language": None},):
        del details["subtitles"]
    if details.get("premiere") == {"text": "", "lang": None} and not details.get("new"):
        del details["premiere"]
    if details.keys() <= _PLAIN_FIELDS:  # languages and attributes only: shared
        programme.details = _plain_details(tuple(details.items()))
    else:
        programme.details = ProgrammeDetails.model_validate(details)
    return programme


#: Details that are plain strings (the rest are lists and structures).
_PLAIN_FIELDS = frozenset({"title_lang", "sub_title_lang", "desc_lang", "date", "clumpidx",
                           *(attr.replace("-", "_") for attr in _PROGRAMME_ATTRS)})


@functools.lru_cache(maxsize=4096)
def _plain_details(items: tuple[tuple[str, str], ...]) -> ProgrammeDetails:
    """Details that only name languages (and programme attributes), one frozen instance for all programmes that
    say the same: most of a guide, and validating a model of this many fields each time would cost the import."""
    return ProgrammeDetails.model_validate(dict(items))


def _finish_channel(raw: _RawChannel, new_id: str, programmes: list[_RawProgramme], zones: Mapping[str, str],
                    report: _Report) -> tuple[Channel, list[Programme]]:
    line = raw.line
    if new_id != raw.original_id:
        report.add(line, "warning", f"channel id {raw.original_id[:300]!r} → {new_id!r} (an id holds no space, "
                                    "control character or / , ? # % \\)")
    elif not DNS_ID_RE.match(new_id):
        report.add(line, "info", f"channel id {new_id!r} is kept as written, though not DNS-like as XMLTV "
                                 "recommends: playlists match it exactly")
    if not raw.declared:
        report.add(line, "warning", f"programmes name channel {raw.original_id!r}, which has no <channel>; "
                                    "added with its id as name")
    names = raw.names or [(None, raw.original_id)]
    if not raw.names and raw.declared:
        report.add(line, "warning", f"channel {raw.original_id!r} has no display-name; its id is used")
    lang = _lang(names[0][0]) or next((_lang(t[0]) for p in programmes for t in p.titles if _lang(t[0])), None)
    number = next((text for _, text in names[1:] if text.isdigit()), None)
    programmes = sorted(programmes, key=lambda p: p.start)
    tz = zones.get(raw.original_id) or zones.get(new_id)
    if tz is None:
        tz = _derive_zone(new_id, line, programmes, report)
    details = ChannelDetails(name_lang=names[0][0], icons=tuple(raw.icons), urls=tuple(raw.urls),
                             display_names=tuple(Text(text=text, lang=item_lang) for item_lang, text in names[1:]))
    fields: dict[str, object] = {"id": new_id, "name": names[0][1], "tz": tz, "number": number,
                                 "icon": raw.icons[0].src if raw.icons else None,
                                 "url": raw.urls[0].url if raw.urls else None, "details": details}
    if lang:
        fields["lang"] = lang
    else:
        report.add(line, "info", f"channel {new_id!r}: no language given; its texts keep none")
    channel = Channel.model_validate(fields)
    return channel, _programmes(channel, programmes, report)


def _derive_zone(channel_id: str, line: int, programmes: list[_RawProgramme], report: _Report) -> str:
    if not programmes:
        report.add(line, "info", f"channel {channel_id!r} has no programmes; time zone UTC assumed")
        return "Etc/UTC"
    first = programmes[0].start.utcoffset() or timedelta(0)
    name = fixed_zone(first)
    offsets = sorted({p.start.utcoffset() or timedelta(0) for p in programmes})
    shown = ", ".join(_offset_text(round(o.total_seconds() / 60)) for o in offsets)
    if name is None:
        report.add(line, "warning", f"channel {channel_id!r}: offset {shown} has no IANA zone; UTC used "
                                    "(times stay exact)")
        return "Etc/UTC"
    message = f"channel {channel_id!r}: time zone {name} derived from the offset of its first programme"
    if len(offsets) > 1:
        report.add(line, "warning", f"{message}; offsets vary ({shown}), so times stay exact but are shown at "
                                    f"one offset: give the channel's IANA zone")
    else:
        report.add(line, "info", message)
    return name


def _programmes(channel: Channel, raws: list[_RawProgramme], report: _Report) -> list[Programme]:
    tz = channel.zoneinfo
    kept: list[_RawProgramme] = []
    seen: set[tuple[datetime, str]] = set()
    for raw in raws:
        key = (raw.start, raw.titles[0][1])
        if key in seen:
            report.add(raw.line, "warning", f"duplicate programme {raw.titles[0][1]!r} at {raw.start.isoformat()} "
                                            "on the same channel dropped")
            continue
        seen.add(key)
        kept.append(raw)
    result: list[Programme] = []
    for index, raw in enumerate(kept):
        following = kept[index + 1].start if index + 1 < len(kept) else None
        estimated = False
        if raw.stop is not None and raw.stop <= raw.start:
            report.add(raw.line, "warning", "stop is not after start; treated as missing")
            raw.stop = None
        if raw.stop is None:
            if raw.length is not None:
                raw.stop = raw.start + raw.length
                report.add(raw.line, "info", "no stop; start + <length> used")
            elif following is not None and following > raw.start:
                raw.stop = following
                report.add(raw.line, "info", "no stop; the next programme's start used")
            else:
                raw.stop = raw.start + DEFAULT_LENGTH
                estimated = True
                report.add(raw.line, "warning", "no stop and nothing follows; assumed to run 60 minutes")
        if raw.stop - raw.start > MAX_PROGRAMME_LENGTH:
            report.add(raw.line, "warning", f"runs {(raw.stop - raw.start).total_seconds() / 3600:.1f} hours; "
                                            f"cut to {MAX_PROGRAMME_LENGTH.total_seconds() / 3600:.0f}, "
                                            "the longest programme the store keeps")
            raw.stop = raw.start + MAX_PROGRAMME_LENGTH
        result.append(_programme(raw, channel.lang, report, tz, estimated))
    return result


def _events(stream: BinaryIO, report: _Report) -> Iterator[etree._Element]:
    """The guide's channels and programmes, each cleared once read; anything else cleared unread.

    Every element is let go of as soon as it ends, known or not, so memory
    stays bounded by the largest programme, whatever a document holds
    around or after its programmes.
    """
    context = etree.iterparse(stream, events=("start", "end"), resolve_entities=False, no_network=True,
                              load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    depth = 0
    wanted = False  # inside a <channel> or <programme> of the guide
    try:
        for event, element in context:
            if event == "start":
                depth += 1
                if depth == 1:
                    dtd = element.getroottree().docinfo.internalDTD
                    if dtd is not None and list(dtd.iterentities()):
                        raise ValidationError("the DOCTYPE declares entities; refused", field="doctype")
                elif depth == 2:
                    wanted = element.tag in ("channel", "programme")
                continue
            depth -= 1
            if depth == 1:
                if wanted:
                    yield element
                elif isinstance(element.tag, str):
                    report.once(f"unknown:{element.tag}", _line(element), "warning",
                                f"<{element.tag}> is not an XMLTV element; ignored")
            elif depth == 0 or wanted:
                continue  # the root, or a part of a channel or programme: read with it
            element.clear(keep_tail=False)
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        # The parser's own log names the first fatal error; the exception sometimes only says "no element found".
        log = list(context.error_log)
        errors = [e for e in log if e.level_name == "FATAL"] or [e for e in log if e.level_name == "ERROR"]
        line, message = (errors[0].line, errors[0].message) if errors else (exc.lineno, exc.msg)
        raise ValidationError(f"line {max(line or 1, 1)}: not well-formed XML: {message}") from exc
    root = context.root
    if root is None:
        raise ValidationError("line 1: no XML element found; this is not an XMLTV document")
    if root.tag != "tv":
        raise ValidationError(f"line {_line(root)}: root element is <{root.tag}>, not <tv>; "
                              "this is not an XMLTV document")


class _Limited(io.RawIOBase):
    """A stream that refuses to give more than ``limit`` bytes: the upload limit holds for unpacked gzip too."""

    def __init__(self, inner: BinaryIO, limit: int) -> None:
        self._inner = inner
        self._left = limit
        self._limit = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        data = self._inner.read(min(len(view), self._left + 1))
        if len(data) > self._left:
            raise TooLarge(f"the guide is larger than {self._limit} bytes once unpacked; refused", field="body")
        self._left -= len(data)
        view[: len(data)] = data
        return len(data)


def read_xmltv(source: bytes | BinaryIO, *, zones: Mapping[str, str] | None = None,
               max_bytes: int | None = None) -> XmltvImport:
    """Read an XMLTV document (plain or gzip) into channels, programmes by channel id, and repairs.

    ``zones`` maps channel ids (as in the file, or as mapped) to IANA zones
    when the caller knows them better than a fixed offset does. Raises
    :class:`epg.errors.ValidationError` (naming the line) for a document that
    is not well-formed XMLTV or that declares entities, and
    :class:`epg.errors.TooLarge` when it holds more than ``max_bytes``
    (counted after gzip is unpacked).
    """
    report = _Report()
    channels: dict[str, _RawChannel] = {}
    programmes: dict[str, list[_RawProgramme]] = {}
    try:
        stream = _stream(source)
        if max_bytes is not None:
            stream = io.BufferedReader(_Limited(stream, max_bytes))
        for element in _events(_refuse_entity_declarations(stream), report):
            if element.tag == "channel":
                raw_channel = _read_channel(element, report)
                if raw_channel is None:
                    continue
                if raw_channel.original_id in channels and channels[raw_channel.original_id].declared:
                    report.add(raw_channel.line, "warning",
                               f"second <channel id={raw_channel.original_id!r}> ignored")
                    continue
                channels[raw_channel.original_id] = raw_channel
            else:
                raw = _read_programme(element, report)
                if raw is None:
                    continue
                programmes.setdefault(raw.channel, []).append(raw)
                if raw.channel not in channels:
                    channels[raw.channel] = _RawChannel(raw.channel, raw.line, declared=False)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValidationError(f"the gzip data is damaged or truncated: {exc}") from exc
    result = XmltvImport()
    taken: set[str] = set()
    for original, raw_channel in channels.items():
        new_id = original.strip() if CHANNEL_ID_RE.match(original.strip()) else dns_id(original)
        base, n = new_id, 2
        while id_key(new_id) in taken:  # two ids differing only by case would be one channel
            first, _, rest = base.partition(".")
            new_id, n = f"{first}-{n}.{rest}", n + 1
        taken.add(id_key(new_id))
        try:
            channel, items = _finish_channel(raw_channel, new_id, programmes.pop(original, []), zones or {}, report)
        except ModelError as exc:
            raise ValidationError(f"line {raw_channel.line}: channel {original!r}: {exc}") from exc
        result.channels.append(channel)
        result.programmes[channel.id] = items
    result.repairs = report.result()
    return result


__all__ = ["XmltvImport", "dns_id", "fixed_zone", "parse_time", "read_xmltv"]
