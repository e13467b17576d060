"""Fuzzing the three doors untrusted bytes come in by: the schedule parser, the XMLTV reader and the upload endpoint.

    python -m bench.fuzz [--examples N] [--target parser|xmltv|upload|all] [--seed S]

Hypothesis generates the inputs: arbitrary bytes and text, files of the test
corpus (``tests/data/listings/``, the demo days, the XMLTV anchors in
``/work/shared/anchors/xmltv/``) mutated at the byte level, and tokens known
to be awkward (times past midnight, impossible dates, huge numbers, DST days,
entities, encodings) spliced in where they matter, and documents (XLSX, DOCX,
PDF, CSV lists and grids) written from those tokens, some mutated byte by
byte (issue 13). ``--examples`` is the total
budget (default 1,000,000), shared evenly by the targets.

What must hold:

- **parser**: ``epg.schedule.read_schedule`` never raises on any bytes or text,
  its result is consistent (every programme in one day, starts in order, aware
  times) and it can be printed as ``epg parse`` prints it (JSON) and written as
  well-formed XMLTV;
- **xmltv**: ``feeds.xmltv_reader.read_xmltv`` raises nothing but
  ``epg.errors.ValidationError``; what it returns can be written out as XMLTV
  and read back without error;
- **upload**: ``PUT /api/channels/{id}/days/{date}`` (and, one time in four,
  ``POST /api/import`` with an XMLTV body from the xmltv target's inputs)
  through the real app over a real SQLite store, with arbitrary bodies,
  content types, headers, channel ids and dates, answers 2xx with JSON or 4xx
  with ``application/problem+json`` — never 5xx.

A failure is recorded under a key (exception type and the innermost frame in
epg's code, or the status for HTTP) and fuzzing goes on: a new key is handed to
Hypothesis to shrink to a minimal example, known keys are only counted. The
budget runs in chunks of at most 50,000 examples, each a fresh Hypothesis run
with its own seed, so memory stays flat through a million inputs. At the end
each target prints the inputs tried, the failures and each failure's minimal
example; ``--json FILE`` also writes them out. Each failure found is kept as a
regression test in ``tests/test_fuzz_regressions.py``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import logging
import random
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
LISTINGS = ROOT / "tests" / "data" / "listings"
ANCHORS = ROOT.parent / "shared" / "anchors" / "xmltv"
CHUNK = 50_000
TARGETS = ("parser", "xmltv", "upload")

# --- seeds and tokens -------------------------------------------------------------------------------------------

SCHEDULE_TOKENS = [
    "00:00", "23:59", "24:00", "25:30", "29:59", "99:99", "6:00 PM", "12:00 AM", "12:30 PM", "20h15", "20.15 Uhr",
    "16-55", "6.05", "с 22:25 до 22:55", "22:25 - 05:00", "22:25 – 22:25", "05:00–04:59", "\n", "\r\n", "\r", "\t",
    "Понедельник, 31 февраля", "ПН 29.02", "Вторник, 29 февраля", "Monday 31 June", "Mo., 32.13.",
    "Sunday 27 March", "Sunday 30 October", "Воскресенье, 27 марта", "Lundi 31 avril", "Понеділок, 1 січня",
    "1 января", "31 декабря", "12+", "999+", "(16+)", "-12", "(15)", "TV-Y7-FV", "TV-14-LV", "PG-13", "FSK 18",
    "NC-17", "18+ 18+", "S01E02", "S99999999999999999999E1", "2 сезон", "99999999999999999999 сезон",
    "5-я серия", "99999999999999999999-я серия", "(Россия, 1975)", "(USA, 99999)", "(СССР, 0)", "Премьера",
    "Прямая трансляция", "(R)", "(S)", "Х/ф", "Т/с", "Мультфильм", "<br>", "<p>", "</td><td>", "&nbsp;", "&#0;",
    "&#xD800;", "<script>", "<!--", "\ufeff", "\u2028", "\u00a0", "\x00", "\x85", "\x1b[31m", "«", "»", "—",
]
XML_TOKENS = [
    ' start="20220101000000 +1400"', ' stop="99991231235959 -1400"', ' start="00010101000000 +1400"',
    ' start="99991231235959 -1200"', ' start="20221030023000 Europe/Berlin"', ' start="20220229000000 +0000"',
    ' start="2022010100 +0300"', ' start="20220101000000 XYZ"', ' start="20220101000000 +99"',
    ' stop="20220101000000 -0000"', ' start="20220101000000 Etc/GMT+12"', ' start=""', ' channel=""',
    ' channel="a..b"', ' channel="' + "x" * 300 + '"', ' id="Ä.ö"', ' lang="zz-ZZ-x"',
    '<length units="seconds">99999999999999999999</length>', '<length units="hours">999999999</length>',
    '<length units="minutes">0</length>', '<episode-num system="xmltv_ns">99999999999999999999.0.</episode-num>',
    '<episode-num system="onscreen">S99999E99999</episode-num>',
    '<episode-num system="xmltv_ns">0/0.0/0.0/0</episode-num>', "<date>0</date>", "<date>99999</date>",
    "<date>1975-13-45</date>", '<rating system="VCHIP"><value>TV-14-LV</value></rating>',
    '<rating system="MPAA"><value>NC-17</value></rating>', '<rating><value>18+</value></rating>',
    '<rating system="CSA"><value>Tout public</value></rating>', "<title></title>", "<title>&nbsp;</title>",
    '<title lang="">x</title>', "<category>Live</category>", '<category lang="en">Movie</category>',
    "<previously-shown/>", "<new/>", "<premiere/>", "&nbsp;", "&amp;", "&#0;", "&#x1F;", "&#xFFFE;", "&undefined;",
    "<![CDATA[ x ]]>", "<!-- c -->", "<?pi x?>", '<!DOCTYPE tv [<!ENTITY a "b">]>', '<tv xmlns="urn:x">',
    "</programme>", "<programme>", "</tv>", "<tv>", "\x00", "\xff", "\ufeff",
]
TIME_ZONES = ["Europe/Moscow", "Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata",
              "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati", "Etc/GMT+12", "UTC", "Asia/Almaty"]
FIRST_DAYS = [date(2022, 1, 7), date(2022, 3, 27), date(2022, 10, 30), date(2024, 3, 10), date(2024, 2, 29),
              date(2023, 12, 31), date(2024, 3, 1), date(1, 1, 1), date(9999, 12, 31)]


@functools.cache
def _listing_corpus() -> list[bytes]:
    files = [p for p in sorted(LISTINGS.glob("*")) if not p.name.endswith(".json") and p.is_file()]
    files += sorted((ROOT / "epg" / "demo").glob("*.txt"))
    files += sorted((ROOT.parent / "shared" / "examples").glob("*.txt"))
    # A tiny listing first: Hypothesis shrinks towards the first element, so minimal examples stay readable.
    return ["16:55 История дракона 12+\n17:00 Новости\n".encode(), *(p.read_bytes() for p in files)]


def _document(kind: str, rows: list[list[object]]) -> bytes:
    """``rows`` as a document of ``kind``, written with the library that makes such files."""
    out = io.BytesIO()
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.active.merge_cells("B2:B3")
        book.save(out)
    elif kind == "docx":
        import docx

        document = docx.Document()
        document.add_heading(str(rows[0][0]), level=2)
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = str(value)
        document.save(out)
    elif kind == "pdf":
        from fpdf import FPDF

        page = FPDF(format="A4")
        page.add_page()
        page.set_font("Helvetica", size=10)
        for r, row in enumerate(rows):
            for c, value in enumerate(row[:2]):
                page.set_xy(10 + 95 * c, 20 + 6 * r)
                page.cell(90, 6, str(value).encode("latin-1", "replace").decode("latin-1"))
        out.write(bytes(page.output()))
    else:
        out.write("\n".join(";".join(str(v) for v in row) for row in rows).encode("cp1251", "replace"))
    return out.getvalue()


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """An XLSX, DOCX, PDF or CSV schedule (a list with a header row or a grid), perhaps mutated byte by byte."""
    kind = draw(st.sampled_from(["xlsx", "docx", "pdf", "csv"]))
    printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)  # what a sheet can hold
    cell = st.one_of(st.sampled_from([t for t in SCHEDULE_TOKENS if t.isprintable()]), printable, st.floats(0, 2),
                     st.none())
    header: list[object] = draw(st.sampled_from([["Канал", "Дата", "Время", "Название", "Возраст"],
                                                 ["Sender", "Datum", "Beginn", "Ende", "Titel"],
                                                 ["", "Понедельник", "Вторник", "Среда", "Четверг"]]))
    rows = [header, *draw(st.lists(st.lists(cell, min_size=5, max_size=5), min_size=1, max_size=8))]
    if kind == "pdf":
        rows = [[v if v is not None else "" for v in row] for row in rows]
    data = _document(kind, rows)
    if draw(st.booleans()):
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        data = bytes(data)
    return data


TINY_XMLTV = (b'<tv><channel id="a.b"><display-name>A</display-name></channel>\n'
              b'<programme start="20220101000000 +0000" stop="20220101010000 +0000" channel="a.b"><title>x</title>'
              b'</programme>\n</tv>\n')


@functools.cache
def _xmltv_corpus() -> list[bytes]:
    """Small well-formed documents: windows of each anchor's programmes under its own prolog and channels."""
    out: list[bytes] = [TINY_XMLTV]  # first, so minimal examples shrink towards it
    for path in sorted(ANCHORS.glob("*.xml")):
        data = path.read_bytes()
        starts = [m.start() for m in re.finditer(rb"<programme[\s>]", data)]
        end = data.rfind(b"</tv>")
        if not starts or end < 0:
            out.append(data[:20000])
            continue
        head = data[: starts[0]]
        bounds = [*starts, end]
        for first in range(0, len(starts), 8):
            body = data[bounds[first]: bounds[min(first + 8, len(starts))]]
            out.append(head + body + b"</tv>\n")
    from bench.export_bench import build_guide
    from feeds.xmltv import write_xmltv

    out.append(write_xmltv(build_guide(2, 1, 12)))
    return out


# --- strategies -------------------------------------------------------------------------------------------------

@st.composite
def mutated(draw: st.DrawFn, corpus: list[bytes], tokens: list[bytes]) -> bytes:
    """A corpus file changed by a few byte-level edits: cut, insert, repeat, splice, truncate, or a token."""
    data = bytearray(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.integers(0, 6))
        at = draw(st.integers(0, len(data)))
        if kind == 0:  # cut
            del data[at: at + draw(st.integers(1, 64))]
        elif kind == 1:  # insert bytes
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == 2:  # repeat a stretch
            width = draw(st.integers(1, 256))
            data[at:at] = data[at: at + width] * draw(st.integers(1, 4))
        elif kind == 3:  # splice from another file
            other = draw(st.sampled_from(corpus))
            start = draw(st.integers(0, len(other)))
            data[at:at] = other[start: start + draw(st.integers(1, 512))]
        elif kind == 4:  # truncate
            del data[at:]
        elif kind == 5:  # replace a byte with an awkward one
            if at < len(data):
                data[at] = draw(st.sampled_from([0, 0x0A, 0x0D, 0x3C, 0x26, 0x3E, 0x22, 0x85, 0xC0, 0xD0, 0xFF]))
        else:  # an awkward token
            data[at:at] = draw(st.sampled_from(tokens))
    return bytes(data)


@st.composite
def schedule_text(draw: st.DrawFn) -> str:
    """Lines shaped like a schedule: a time, a title, marks, made of tokens and arbitrary text."""
    pieces = st.one_of(st.sampled_from(SCHEDULE_TOKENS), st.text(max_size=12),
                       st.from_regex(r"\A[0-9]{1,2}[:.h-][0-9]{2}\Z"))
    lines = draw(st.lists(st.lists(pieces, max_size=6).map(" ".join), max_size=30))
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


def parser_inputs() -> st.SearchStrategy[tuple[bytes | str, date, str]]:
    listing = _listing_corpus()
    tokens = [t.encode("utf-8") for t in SCHEDULE_TOKENS] + [t.encode("cp1251", "ignore") for t in SCHEDULE_TOKENS]
    data: st.SearchStrategy[bytes | str] = st.one_of(
        st.binary(max_size=2048), st.text(max_size=1024), schedule_text(), mutated(listing, tokens),
        mutated(listing, tokens).map(lambda b: b.decode("utf-8", "replace")), documents())
    return st.tuples(data, st.sampled_from(FIRST_DAYS), st.sampled_from(TIME_ZONES))


TIMES = ["20220101000000 +1400", "99991231235959 -1400", "00010101000000 +1400", "99991231235959 -1200",
         "20221030023000 Europe/Berlin", "20220229000000 +0000", "2022010100 +0300", "20220101000000 XYZ",
         "20220101000000 +99", "20220101000000 -0000", "20220101000000 Etc/GMT+12", "", "20220101000000",
         "20220101246000 +0300", "20220101000000 +0300 extra", "20220101000000 CST", "19000101000000 +0000"]


@st.composite
def xml_edits(draw: st.DrawFn, corpus: list[bytes]) -> bytes:
    """A corpus document kept well-formed, with elements and attribute values that the reader must cope with.

    Byte edits mostly give documents that are not well-formed, which the
    reader refuses early; these edits reach the code that reads the content.
    """
    text = draw(st.sampled_from(corpus)).decode("utf-8", "replace")
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.integers(0, 3))
        if kind == 0:  # a tricky time in a start or stop attribute
            spots = [m.span(2) for m in re.finditer(r'(start|stop)="([^"]*)"', text)]
            if spots:
                a, b = draw(st.sampled_from(spots))
                text = text[:a] + draw(st.sampled_from(TIMES) | st.text(max_size=20).map(_attr)) + text[b:]
        elif kind == 1:  # an element at the end of a programme (or a channel)
            ends = [m.start() for m in re.finditer(r"</(programme|channel)>", text)]
            if ends:
                at = draw(st.sampled_from(ends))
                element = draw(st.sampled_from([t for t in XML_TOKENS if t.startswith("<") and t.endswith(">")]))
                text = text[:at] + element + text[at:]
        elif kind == 2:  # arbitrary text inside an element
            opened = [m.end() for m in re.finditer(r"<(title|sub-title|desc|category|display-name|value|date|"
                                                   r"episode-num|country|length)[^>]*>", text)]
            if opened:
                at = draw(st.sampled_from(opened))
                text = text[:at] + _text(draw(st.text(max_size=30))) + text[at:]
        else:  # drop an element
            spots = [m.span() for m in re.finditer(r"<(\w[\w-]*)[^>]*>[^<]*</\1>", text)]
            if spots:
                a, b = draw(st.sampled_from(spots))
                text = text[:a] + text[b:]
    return text.encode("utf-8", "surrogatepass")


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;")


@functools.cache
def xmltv_inputs() -> st.SearchStrategy[bytes]:
    corpus = _xmltv_corpus()
    tokens = [t.encode("utf-8") for t in XML_TOKENS]
    import gzip

    return st.one_of(st.binary(max_size=2048), mutated(corpus, tokens), xml_edits(corpus), xml_edits(corpus),
                     xml_edits(corpus).map(lambda b: gzip.compress(b, mtime=0)),
                     mutated(corpus, tokens).map(lambda b: gzip.compress(b, mtime=0)),
                     mutated(corpus, tokens).map(lambda b: gzip.compress(b, mtime=0)[: max(len(b) // 3, 10)]),
                     st.text(max_size=512).map(lambda t: ("<tv>" + t + "</tv>").encode("utf-8")))


HEADER_BYTES = st.binary(max_size=40).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b""))


@dataclass(frozen=True)
class Upload:
    """One upload: a PUT of a day's text, or a POST of an XMLTV guide to ``/api/import``; headers and body."""

    method: str
    path: str
    headers: dict[str, bytes]
    body: bytes

    def __repr__(self) -> str:
        return (f"Upload(method={self.method!r}, path={self.path!r}, headers={self.headers!r}, "
                f"body={self.body[:600]!r}{'…' if len(self.body) > 600 else ''})")


@st.composite
def uploads(draw: st.DrawFn, today: date) -> Upload:
    listing = _listing_corpus()
    tokens = [t.encode("utf-8") for t in SCHEDULE_TOKENS]
    channel = draw(st.sampled_from(["fuzz.epg", "FUZZ.EPG", "nope.epg", "x", "fuzz.epg.", "%2e%2e", "fuzz%00.epg"])
                   | st.text("abc.-_~%09", min_size=1, max_size=20))
    day = draw(st.sampled_from([today.isoformat(), (today + timedelta(days=1)).isoformat(), "2022-01-07",
                                "2022-02-30", "0001-01-01", "9999-12-31", "-1", "today", "2022-1-7", "20220107"])
               | st.dates().map(date.isoformat))
    query = draw(st.sampled_from(["", "?dry_run=true", "?dry_run=false", "?dry_run=maybe", "?dry_run=",
                                  "?dry_run=true&dry_run=false"]))
    content_type = draw(st.sampled_from([b"text/plain; charset=utf-8", b"text/plain", b"text/html",
                                         b"text/plain; charset=windows-1251", b"text/plain; charset=bogus",
                                         b"application/octet-stream", b"application/json", b"", b"multipart/form-data",
                                         b"multipart/form-data; boundary=XyZ", b"TEXT/PLAIN"]) | HEADER_BYTES)
    headers: dict[str, bytes] = {"content-type": content_type}
    auth = draw(st.sampled_from(["valid", "valid", "valid", "none", "garbage", "raw"]))
    if auth == "valid":
        headers["authorization"] = b"Bearer {token}"
    elif auth == "garbage":
        headers["authorization"] = b"Bearer " + draw(HEADER_BYTES)
    elif auth == "raw":
        headers["authorization"] = draw(HEADER_BYTES)
    for name in ("if-match", "if-none-match"):
        choice = draw(st.sampled_from(["absent", "absent", "star", "garbage", "etag"]))
        if choice == "star":
            headers[name] = b"*"
        elif choice == "garbage":
            headers[name] = draw(HEADER_BYTES)
        elif choice == "etag":
            headers[name] = f'"fuzz.epg/{day}/{draw(st.integers(-2, 10**20))}/abc"'.encode()
    if draw(st.booleans()):
        headers["content-length"] = str(draw(st.integers(0, 10**7))).encode()
    body_kind = draw(st.integers(0, 7))
    if body_kind == 0:
        body = draw(st.binary(max_size=2048))
    elif body_kind == 1:
        body = draw(schedule_text()).encode("utf-8")
    elif body_kind == 2:
        body = draw(mutated(listing, tokens))
    elif body_kind == 3:  # a form with a file field, well made or not
        inner = draw(mutated(listing, tokens))
        file_type = draw(st.sampled_from([b"text/plain", b"text/html", b"image/png", b""]))
        field_name = draw(st.sampled_from([b"file", b"other", b""]))
        body = (b"--XyZ\r\nContent-Disposition: form-data; name=\"" + field_name + b"\"; filename=\"a.txt\"\r\n"
                b"Content-Type: " + file_type + b"\r\n\r\n" + inner + b"\r\n--XyZ--\r\n")
        headers["content-type"] = b"multipart/form-data; boundary=XyZ"
        headers.pop("content-length", None)
        if draw(st.booleans()):
            body = body[: draw(st.integers(0, len(body)))]
    elif body_kind == 4:  # a document: XLSX, DOCX, PDF or CSV, well made or mutated (issue 13)
        body = draw(documents())
    elif body_kind == 5:  # one long line of times (issue 15: a quadratic line hung the server)
        piece = draw(st.sampled_from([b"12:00 ", b"06:00 \xc2\xab", b"12+ ", b"\xc2\xab12:00 ", b"- 19.15 "]))
        body = b"06:00 " + piece * draw(st.integers(1000, 60_000))
    elif body_kind == 6:  # many junk lines (issue 15: diagnostics amplification)
        body = b"16:55 News\n" + b"".join(b"junk %d\n" % n for n in range(draw(st.integers(1000, 50_000))))
    else:
        body = b""
    if draw(st.integers(0, 7)) == 0:  # an XMLTV gzip bomb of unknown elements (issue 15)
        inner = (b"<tv><channel id='b.tv'><display-name>B</display-name></channel>"
                 + b"<x-junk><i>pad</i></x-junk>" * draw(st.integers(10_000, 400_000)) + b"</tv>")
        headers["content-type"] = b"application/gzip"
        headers.pop("content-length", None)
        return Upload("POST", "/api/import", headers, gzip.compress(inner, 6))
    if draw(st.integers(0, 3)) == 0:  # the other upload door: an XMLTV guide to /api/import
        source = draw(st.sampled_from(["", "?source=xmltv", "?source=other.feed", "?source=BAD", "?source="]))
        headers["content-type"] = draw(st.sampled_from([b"application/xml", b"text/xml", b"application/gzip",
                                                        b"application/octet-stream", b"text/plain"]))
        headers.pop("content-length", None)
        return Upload("POST", f"/api/import{source}", headers, draw(xmltv_inputs()))
    return Upload("PUT", f"/api/channels/{channel}/days/{day}{query}", headers, body)


# --- findings ---------------------------------------------------------------------------------------------------

@dataclass
class Failure:
    key: str
    message: str
    example: str = ""
    count: int = 0


@dataclass
class Outcome:
    target: str
    tried: int = 0
    seconds: float = 0.0
    failures: dict[str, Failure] = field(default_factory=dict)
    note: str = ""


class Found(Exception):
    """Raised to Hypothesis for a failure whose key is new, so it shrinks that one.

    Hypothesis tells failures apart by exception type and where it was
    raised; every key gets a subclass of its own (:func:`found_for`), so two
    new failures in one run are shrunk separately, not into each other.
    """


_FOUND: dict[str, type[Found]] = {}


def found_for(key: str) -> type[Found]:
    if key not in _FOUND:
        _FOUND[key] = type(f"Found{len(_FOUND)}", (Found,), {})
    return _FOUND[key]


def _where(exc: BaseException) -> str:
    """The innermost frame in epg's own code (epg/, feeds/, api/) of ``exc``'s traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if any(f"/{pkg}/" in f.filename for pkg in ("epg", "feeds", "api"))
            and "/site-packages/" not in f.filename]
    if not (ours or frames):
        return "?"
    frame = (ours or frames)[-1]
    return f"{Path(frame.filename).relative_to(ROOT) if frame.filename.startswith(str(ROOT)) else frame.filename}" \
           f":{frame.lineno} in {frame.name}"


class Recorder:
    """Counts inputs, records each failure key with its smallest example, and decides what Hypothesis sees."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.reported: set[str] = set()

    def failed(self, key: str, message: str, example: object) -> None:
        failure = self.outcome.failures.setdefault(key, Failure(key, message))
        failure.count += 1
        if key not in self.reported:
            # While Hypothesis shrinks this key, the last failing call is the smallest it found: it replays
            # the minimal example last. Once reported, the example stays.
            failure.example, failure.message = repr(example), message
            raise found_for(key)(key)


# --- the checks -------------------------------------------------------------------------------------------------

def check_parser(data: bytes | str, first_day: date, tz: str) -> None:
    from lxml import etree

    from epg.models import Channel, ChannelGuide, Guide
    from epg.schedule import read_schedule
    from feeds.jsonfeed import parse_output
    from feeds.xmltv import write_xmltv

    schedule = read_schedule(data, first_day, ZoneInfo(tz))
    assert sum(len(v) for v in schedule.by_day.values()) == len(schedule.programmes), "by_day loses programmes"
    starts = [p.start for p in schedule.programmes]
    assert starts == sorted(starts), "programmes out of start order"
    assert all(p.start.tzinfo and p.stop.tzinfo for p in schedule.programmes), "naive time"
    json.loads(parse_output(schedule.programmes, schedule.diagnostics))
    channel = Channel(id="fuzz.epg", name="Fuzz", tz=tz)
    etree.fromstring(write_xmltv(Guide(channels=[ChannelGuide(channel=channel, programmes=schedule.programmes)])))


def check_xmltv(data: bytes) -> None:
    from epg.errors import ValidationError
    from epg.models import ChannelGuide, Guide
    from feeds.xmltv import write_xmltv
    from feeds.xmltv_reader import read_xmltv

    try:
        found = read_xmltv(data)
    except ValidationError:
        return
    assert set(found.programmes) == {c.id for c in found.channels}, "programmes of an unlisted channel"
    guide = Guide(channels=[ChannelGuide(channel=c, programmes=found.programmes[c.id]) for c in found.channels])
    written = write_xmltv(guide)
    again = read_xmltv(written)  # the writer's output must read back, ValidationError included
    assert len(again.channels) == len(found.channels), "round trip lost channels"


class _Keep(logging.Handler):
    """Keeps the exception of every record logged with one: the cause behind a 500."""

    def __init__(self, sink: list[BaseException]) -> None:
        super().__init__()
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.sink.append(record.exc_info[1])


class UploadTarget:
    """The real app over a real SQLite store with one channel and one token, for the whole run."""

    def __init__(self, folder: Path) -> None:
        from fastapi.testclient import TestClient

        from api.app import create_app
        from epg.models import Channel
        from epg.service import Service
        from epg.store import Store

        self.store = Store(f"sqlite:///{folder / 'fuzz.sqlite3'}")
        self.store.create_schema()
        service = Service(self.store)
        service.add_channel(Channel(id="fuzz.epg", name="Fuzz", tz="Europe/Moscow"))
        self.token = service.create_token("fuzz").encode()
        self.today = service.clock().date()
        self.client = TestClient(create_app(service=service), raise_server_exceptions=False)
        self.errors: list[BaseException] = []
        logger = logging.getLogger("epg.api")  # api/errors.py logs every unexpected error with its traceback
        logger.addHandler(_Keep(self.errors))
        logger.propagate = False
        for noisy in ("python_multipart", "multipart"):  # it warns on every malformed form the fuzzer sends
            logging.getLogger(noisy).setLevel(logging.ERROR)

    def close(self) -> None:
        self.client.close()
        self.store.close()

    def check(self, upload: Upload) -> None:
        headers = {k: v.replace(b"{token}", self.token) for k, v in upload.headers.items()}
        self.errors.clear()
        response = self.client.request(upload.method, upload.path, content=upload.body, headers=headers)
        status = response.status_code
        kind = response.headers.get("content-type", "")
        if status >= 500:
            cause = self.errors[-1] if self.errors else None
            where = f"{type(cause).__name__} at {_where(cause)}" if cause else response.text[:200]
            raise AssertionError(f"{status}: {where}: {cause}")
        if status >= 400:
            assert kind.startswith("application/problem+json"), f"{status} without a problem: {kind}"
            assert response.json()["status"] == status, "problem status differs"
        elif 200 <= status < 300:
            assert kind.startswith("application/json"), f"{status} with {kind}"
            response.json()
        else:
            raise AssertionError(f"unexpected status {status}")


# --- the runner -------------------------------------------------------------------------------------------------

@contextmanager
def _quiet() -> Iterator[None]:
    """Hypothesis prints every falsifying example it shrinks; we report them ourselves."""
    from hypothesis import reporting

    with reporting.with_reporter(lambda _text: None):
        yield


def fuzz_target(name: str, examples: int, rng: random.Random, progress: Progress, folder: Path) -> Outcome:
    outcome = Outcome(name)
    task = progress.add_task(name, total=examples)
    done = 0

    def tick() -> None:
        nonlocal done
        outcome.tried += 1
        done += 1
        if done % 250 == 0:
            progress.update(task, completed=min(done, examples))

    recorder = Recorder(outcome)
    upload_target = UploadTarget(folder) if name == "upload" else None
    strategy: st.SearchStrategy[Any]
    if name == "parser":
        strategy = parser_inputs()

        def body(args: Any) -> None:
            tick()
            try:
                check_parser(*args)
            except Exception as exc:
                recorder.failed(f"{type(exc).__name__} at {_where(exc)}", f"{type(exc).__name__}: {exc}"[:500], args)
    elif name == "xmltv":
        strategy = xmltv_inputs()

        def body(args: Any) -> None:
            tick()
            try:
                check_xmltv(args)
            except Exception as exc:
                recorder.failed(f"{type(exc).__name__} at {_where(exc)}", f"{type(exc).__name__}: {exc}"[:500], args)
    else:
        assert upload_target is not None
        strategy = uploads(upload_target.today)

        def body(args: Any) -> None:
            tick()
            try:
                upload_target.check(args)
            except AssertionError as exc:  # a 5xx (with its cause) or a malformed answer
                message = str(exc)
                key = f"HTTP {message[:3]} {message.split(': ', 2)[1]}" if message[:1] == "5" else message.split(":")[0]
                recorder.failed(key, message[:500], args)
            except Exception as exc:  # the client itself refused the request: a harness finding, kept apart
                recorder.failed(f"client {type(exc).__name__}", f"{type(exc).__name__}: {exc}"[:500], args)

    t0 = time.perf_counter()
    try:
        while outcome.tried < examples:
            budget = min(CHUNK, examples - outcome.tried)
            run = settings(max_examples=budget, deadline=None, database=None, derandomize=False,
                           suppress_health_check=list(HealthCheck), report_multiple_bugs=True,
                           phases=[Phase.generate, Phase.shrink])(seed(rng.getrandbits(64))(given(strategy)(body)))
            before = outcome.tried
            try:
                with _quiet():
                    run()
            except Exception as exc:  # Found (one or several), or Hypothesis's own complaint
                group = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
                for item in group:
                    if isinstance(item, Found):
                        recorder.reported.add(str(item))
                    else:
                        outcome.note += f"{type(item).__name__}: {str(item)[:300]} "
                recorder.reported |= set(outcome.failures)
            if outcome.tried == before:
                break
    finally:
        outcome.seconds = time.perf_counter() - t0
        progress.update(task, completed=examples)
        if upload_target is not None:
            upload_target.close()
    return outcome


def report(console: Console, outcomes: list[Outcome]) -> None:
    table = Table(title="Fuzzing")
    for column in ("target", "inputs tried", "seconds", "inputs/s", "distinct failures", "failing inputs"):
        table.add_column(column, justify="left" if column == "target" else "right")
    for o in outcomes:
        table.add_row(o.target, f"{o.tried:,}", f"{o.seconds:,.0f}", f"{o.tried / max(o.seconds, 1e-9):,.0f}",
                      str(len(o.failures)), f"{sum(f.count for f in o.failures.values()):,}")
    console.print(table)
    for o in outcomes:
        if o.note:
            console.print(f"[yellow]{o.target}: {o.note}")
        for failure in sorted(o.failures.values(), key=lambda f: f.key):
            console.print(f"\n[bold red]{o.target}[/]: {failure.key} ({failure.count:,} failing inputs)")
            console.print(f"  {failure.message}", markup=False)
            console.print(f"  minimal example: {failure.example[:1500]}", markup=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=1_000_000, help="total inputs across the targets")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--seed", type=int, default=None, help="make the run repeatable")
    parser.add_argument("--json", help="also write the outcome to this file")
    args = parser.parse_args(argv)
    chosen = list(TARGETS) if args.target == "all" else [args.target]
    per_target = max(args.examples // len(chosen), 1)
    rng = random.Random(args.seed)
    console = Console()
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="epg-fuzz-") as folder, Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console) as progress:
        for name in chosen:
            outcomes.append(fuzz_target(name, per_target, rng, progress, Path(folder)))
    report(console, outcomes)
    if args.json:
        Path(args.json).write_text(json.dumps([{"target": o.target, "tried": o.tried, "seconds": o.seconds,
                                                "note": o.note, "failures": [f.__dict__ for f in o.failures.values()]}
                                               for o in outcomes], indent=2, ensure_ascii=False))
    return 1 if any(o.failures for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
