"""Bytes as uploaded → numbered lines of visible text.

Operators upload whatever their tools produce: UTF-8 with or without a BOM,
Windows-1251 from older Russian playout software, UTF-16 from Excel, CRLF or
bare CR line ends, and saved or copied HTML. This module turns all of them
into the same thing, numbered lines of text, and says what it detected.
Pure: bytes in, values out.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from epg.errors import EpgError
from epg.models import Diagnostic

if TYPE_CHECKING:
    from epg.documents import DocumentText

#: Characters no schedule text holds: C0 controls but tab and line ends, DEL, C1 controls, and the line and
#: paragraph separators (they would start new lines where the operator sees none). Each becomes a space.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

_HTML_HINT = re.compile(r"<(?:!doctype|html|body|table|tr|td|div|p|br|li|ul|span|h[1-6])\b", re.I)
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul",
}
_CELL = {"td", "th"}
_INVISIBLE = {"script", "style", "head", "noscript", "template", "svg", "iframe", "object"}


@dataclass(frozen=True)
class SourceLine:
    """One line of visible text and its 1-based line number in the upload."""

    number: int
    text: str


@dataclass
class DecodedText:
    """The visible lines of an upload and what was detected about it.

    Lines are kept as plain strings (``texts``) with their source line numbers
    (``numbers``; None means 1, 2, 3… as in a plain-text upload), so a large
    upload costs no object per line; :attr:`lines` pairs them up on demand.
    """

    texts: list[str]
    encoding: str
    is_html: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    numbers: list[int] | None = None
    #: Where each line is in a document (``sheet "Пн", row 12``, ``page 2``); None for text and HTML.
    places: list[str] | None = None

    def place(self, line: int) -> str | None:
        """The place of the line numbered ``line`` in a document, or None (text, HTML, no such line)."""
        if self.places is None or self.numbers is not None or not 1 <= line <= len(self.places):
            return None
        return self.places[line - 1]

    @property
    def lines(self) -> list[SourceLine]:
        numbers = self.numbers or range(1, len(self.texts) + 1)
        return [SourceLine(n, t) for n, t in zip(numbers, self.texts, strict=True)]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text and the name of the encoding it was read with."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    if data[:200].count(0) > len(data[:200]) // 4:  # UTF-16 without a BOM
        name = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp1252", "latin_1", "cp866"]).best()
    name = best.encoding if best is not None else "cp1251"
    return data.decode(name, errors="replace"), name


#: How files that are not text begin: PNG, JPEG, GIF, PDF, zip (so XLSX, DOCX, ODS), gzip, 7z, RAR, old Office.
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf",
                 b"Rar!", b"\xd0\xcf\x11\xe0")


def binary_kind(data: bytes) -> str | None:
    """Why ``data`` is not text (``"a PNG image"``…), or None when it reads as text in some encoding.

    A document epg reads (XLSX, ODS, DOCX, PDF: see :mod:`epg.documents`) is
    None too, once it has been read; one that cannot or may not be read
    (encrypted, macros, a zip bomb, a scan with no text, an old .xls/.doc)
    raises :class:`epg.errors.DocumentRefused` saying why. Known file
    signatures say the rest at once; otherwise text that decodes to many
    control characters (more than one in twenty of its first 4 KB) is bytes,
    not a schedule. UTF-16, with its many zero bytes, is text.
    """
    from epg.documents import read_document

    if read_document(data) is not None:
        return None
    names = ("a PNG image", "a JPEG image", "a GIF image", "a PDF document", "a zip archive (or an Office file)",
             "gzip data", "a 7z archive", "a RAR archive", "an old Office document")
    for magic, name in zip(_BINARY_MAGIC, names, strict=True):
        if data.startswith(magic):
            return name
    head, _ = decode_bytes(data[:4096])
    controls = sum(1 for c in head if c < " " and c not in "\t\n\r\f") + head.count("\ufffd")
    return "binary data" if head and controls * 20 > len(head) else None


def looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:20000])) >= 2


def split_lines(text: str) -> list[SourceLine]:
    """Lines numbered from 1, whatever the line ends (CRLF, CR, LF, U+2028)."""
    return [SourceLine(n, line) for n, line in enumerate(text.splitlines(), start=1)]


def _line(element: object) -> int | None:
    number = getattr(element, "sourceline", None)
    return number if isinstance(number, int) else None


def html_lines(text: str) -> list[SourceLine]:
    """The visible text of an HTML page, a line per block, table cells joined by tabs.

    Each line keeps the source line of the element its text came from, so a
    diagnostic points at the right place in the file the operator has.
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return split_lines(text)

    out: list[SourceLine] = []
    buf: list[str] = []
    first_line: list[int] = []

    def flush() -> None:
        line = re.sub(r"[ \u00a0]+", " ", "".join(buf)).strip(" ")
        line = re.sub(r" *\t *", "\t", line).strip("\t")
        if line:
            out.append(SourceLine(first_line[0] if first_line else 1, line))
        buf.clear()
        first_line.clear()

    def add(piece: str | None, line_no: int | None) -> None:
        if piece:
            piece = piece.replace("\n", " ").replace("\r", " ")
            if piece.strip() and not first_line:
                first_line.append(line_no or 1)
            buf.append(piece)

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _INVISIBLE:
            add(el.tail, _line(el))
            return
        if tag in _BLOCK:
            flush()
        if tag in _CELL and buf:
            buf.append("\t")
        add(el.text, _line(el))
        for child in el:
            walk(child)
        if tag in _BLOCK:
            flush()
        add(el.tail, _line(el))

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return out


def _document_text(document: DocumentText, encoding: str, diagnostics: list[Diagnostic]) -> DecodedText:
    """A document's lines as decoded text: numbered 1, 2, 3…, each with its place."""
    texts = [CONTROL_CHARACTERS.sub(" ", text.replace("\u00a0", " ")) for text in document.texts]
    note = Diagnostic(line=1, severity="info", message=document.note)
    return DecodedText(texts, encoding, False, [*diagnostics, note], None, list(document.places))


@lru_cache(maxsize=4)
def _visible_text(data: bytes | str) -> tuple[str, str, tuple[Diagnostic, ...]]:
    """The upload as text (encoding detected, control characters as spaces), its encoding and what was noticed.

    Kept for the last few uploads: checking, parsing and placing diagnostics read an upload once.
    """
    if isinstance(data, bytes):
        text, encoding = decode_bytes(data)
    else:
        text, encoding = data, "utf-8"
    text = text.lstrip("\ufeff").replace("\u00a0", " ").replace("\u202f", " ")
    diagnostics: list[Diagnostic] = []
    control = CONTROL_CHARACTERS.search(text)
    if control is not None:
        before = text[: control.start()]
        line = (before.count("\n") or before.count("\r")) + 1
        count = len(CONTROL_CHARACTERS.findall(text))
        text = CONTROL_CHARACTERS.sub(" ", text)
        diagnostics.append(Diagnostic(line=line, severity="warning", message=(
            f"{count} control character(s) (such as NUL, vertical tab or a line separator) read as spaces; "
            f"the first is on line {line}.")))
    if encoding not in ("utf-8", "utf-8-sig"):
        diagnostics.append(Diagnostic(line=1, severity="info", message=f"Text read as {encoding}."))
    return text, encoding, tuple(diagnostics)


@lru_cache(maxsize=4)
def _document(data: bytes | str) -> DocumentText | None:
    """The document ``data`` is (XLSX, ODS, DOCX, PDF, or a CSV/TSV list or grid), or None for text and HTML.

    Kept for the last few uploads, like :func:`_visible_text`: decoding and placing diagnostics
    (:func:`with_places`) both ask, and a CSV is sniffed and laid out once."""
    from epg.documents import delimited_text, read_document

    if isinstance(data, bytes):
        document = read_document(data)
        if document is not None:
            return document
    text = _visible_text(data)[0]
    return None if looks_like_html(text) else delimited_text(text)


def with_places(diagnostics: list[Diagnostic], data: bytes | str) -> list[Diagnostic]:
    """``diagnostics`` about the lines of ``data``, each naming its place when ``data`` is a document.

    The document was read already (by :func:`decode`); it is not read again.
    """
    try:
        document = _document(data)
    except EpgError:
        return diagnostics
    if document is None:
        return diagnostics
    places = document.places
    return [d.model_copy(update={"place": places[d.line - 1]}) if 1 <= d.line <= len(places) and d.place is None
            else d for d in diagnostics]


def decode(data: bytes | str) -> DecodedText:
    """Numbered visible lines of an upload, with what was detected about it.

    Documents (XLSX, ODS, DOCX, PDF, and CSV/TSV lists and grids) come out as
    the lines a person would type for them; see :mod:`epg.documents`.
    """
    document = _document(data)
    if document is not None and document.kind != "CSV":
        return _document_text(document, document.kind, [])
    text, encoding, noticed = _visible_text(data)
    diagnostics = list(noticed)
    if document is not None:
        return _document_text(document, encoding, diagnostics)
    if looks_like_html(text):
        diagnostics.append(
            Diagnostic(line=1, severity="info", message="Read as HTML: only the visible text of the page was used.")
        )
        lines = html_lines(text)
        return DecodedText([line.text for line in lines], encoding, True, diagnostics, [line.number for line in lines])
    return DecodedText(text.splitlines(), encoding, False, diagnostics)
