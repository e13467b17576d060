"""PDF documents with a text layer: each page's lines in reading order, column by column.

A newspaper's TV page sets two or three channels side by side. pdfplumber
gives each word's position; a column gap is a vertical strip that (almost)
no line has a word in, wide enough to part columns that are each at least a
sixth of the text's width (the gap between a time and its title is narrower
than that, and a time column is too narrow to count). A line whose words
cross a gap (a page heading over all columns) ends the band above it: each
band is read column by column, then the crossing line.

A scanned page has no words: a document with none at all is refused, with
that reason, rather than read as empty. A PDF that needs a password is
refused; one only restricted in what a viewer may do (no password to open)
is read. Before pdfminer sees the file, every compressed stream is unpacked
once here, counting, so the whole stays under :data:`limits.MAX_UNPACKED_BYTES`.
"""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from typing import Any

from epg.documents.limits import MAX_PAGES, MAX_UNPACKED_BYTES
from epg.documents.tables import Budget, Line
from epg.errors import DocumentRefused

#: Points two words' tops may differ by and still be one line.
_LINE_TOLERANCE = 3.0
#: Narrowest strip, in points, that can part two columns.
_MIN_GAP = 6.0
#: A column is at least this share of the text's width.
_MIN_COLUMN_SHARE = 1 / 6
#: Share of lines that may cross a column gap (headings, a rule of dots…).
_CROSSING_SHARE = 0.08
_STREAM = re.compile(rb"stream\r?\n")
#: Widest text, in points, searched for columns (an A0 poster is 2,384 points wide).
_MAX_WIDTH = 20_000


def _check_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams unpack to more than the bound (a PDF zip bomb)."""
    produced = 0
    position = 0
    while (match := _STREAM.search(data, position)) is not None:
        start = match.end()
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        inflater = zlib.decompressobj()
        chunk = data[start:end]
        try:
            out = inflater.decompress(chunk, MAX_UNPACKED_BYTES - produced + 1)
            produced += len(out)
            while inflater.unconsumed_tail and produced <= MAX_UNPACKED_BYTES:
                out = inflater.decompress(inflater.unconsumed_tail, MAX_UNPACKED_BYTES - produced + 1)
                produced += len(out)
                if not out:
                    break
        except zlib.error:
            pass  # not a Flate stream: pdfminer reads it as it is
        if produced > MAX_UNPACKED_BYTES:
            raise DocumentRefused(f"the PDF's streams unpack to more than {MAX_UNPACKED_BYTES} bytes (a "
                                  "decompression bomb?); the limit is 25 times the upload limit", field="body")
        position = end + len(b"endstream")


def _lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped into lines by their tops, top to bottom, each line left to right."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (float(w["top"]), float(w["x0"]))):
        if lines and float(word["top"]) - float(lines[-1][0]["top"]) <= _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: float(w["x0"])) for line in lines]


def _gaps(lines: list[list[dict[str, Any]]]) -> list[tuple[float, float]]:
    """The column gaps of a page, left to right, as (left, right) in points."""
    if len(lines) < 4:
        return []
    left = min(float(w["x0"]) for line in lines for w in line)
    right = max(float(w["x1"]) for line in lines for w in line)
    width = int(right - left) + 1
    if not 0 < width <= _MAX_WIDTH:
        return []
    # How many lines cover each point across: each line's words merged into spans, counted once per span.
    changes = [0] * (width + 2)
    for line in lines:
        spans: list[list[int]] = []
        for word in line:  # left to right
            a, b = max(int(float(word["x0"]) - left), 0), min(int(float(word["x1"]) - left), width)
            if spans and a <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], b)
            else:
                spans.append([a, b])
        for a, b in spans:
            changes[a] += 1
            changes[b + 1] -= 1
    covered: list[int] = []
    running = 0
    for x in range(width + 1):
        running += changes[x]
        covered.append(running)
    allowed = len(lines) * _CROSSING_SHARE
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for x in range(width + 1):
        if covered[x] <= allowed:
            start = x if start is None else start
        elif start is not None:
            if x - start >= _MIN_GAP:
                runs.append((start, x))
            start = None
    chosen: list[tuple[int, int]] = []
    for run in sorted(runs, key=lambda r: r[0] - r[1]):  # widest first
        edges = sorted([*chosen, run])
        bounds = [0] + [x for gap in edges for x in gap] + [width]
        parts = [bounds[i + 1] - bounds[i] for i in range(0, len(bounds), 2)]
        if min(parts) >= width * _MIN_COLUMN_SHARE and len(edges) <= 4:
            chosen = edges
    return [(left + a, left + b) for a, b in chosen]


def _text(words: list[dict[str, Any]]) -> str:
    return " ".join(str(w["text"]) for w in words).strip()


def page_lines(words: list[dict[str, Any]], place: str) -> list[Line]:
    """A page's lines in reading order: bands parted by crossing lines, each band column by column."""
    lines = _lines(words)
    gaps = _gaps(lines)
    if not gaps:
        return [(_text(line), place) for line in lines]
    out: list[Line] = []
    band: list[list[list[dict[str, Any]]]] = [[] for _ in range(len(gaps) + 1)]

    def flush() -> None:
        for index, column in enumerate(band):
            if column:
                out.append(("", place))
                out.extend((_text(line), f"{place}, column {index + 1}") for line in column)
            column.clear()

    for line in lines:
        if any(float(w["x0"]) < b and float(w["x1"]) > a for w in line for a, b in gaps):
            flush()
            out.append((_text(line), place))
            continue
        parts: list[list[dict[str, Any]]] = [[] for _ in range(len(gaps) + 1)]
        for word in line:
            parts[sum(1 for a, _ in gaps if float(word["x0"]) >= a)].append(word)
        for index, part in enumerate(parts):
            if part:
                band[index].append(part)
    flush()
    return out


def read_pdf(data: bytes, budget: Budget) -> list[Line]:
    """Every page's lines, placed as ``page N`` (and ``column K`` on a page read in columns)."""
    _check_streams(data)
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        reason = str(exc)
        if "Password" in reason or "Encryption" in reason:
            raise DocumentRefused("the PDF is encrypted (password-protected); save it without a password and "
                                  "send it again", field="body") from exc
        raise DocumentRefused(f"the PDF cannot be read: {reason}", field="body") from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise DocumentRefused(f"the PDF cannot be read: {exc or type(exc).__name__}", field="body") from exc
    lines: list[Line] = []
    try:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            raise DocumentRefused(f"the PDF has {len(pages)} pages; the limit is {MAX_PAGES}", field="body")
        for number, page in enumerate(pages, start=1):
            words = page.extract_words()
            budget.spend(len(words), f"page {number}")
            if lines and words:
                lines.append(("", f"page {number}"))
            lines += page_lines(words, f"page {number}")
            page.close()
    except DocumentRefused:
        raise
    except Exception as exc:  # a page that pdfminer cannot interpret
        raise DocumentRefused(f"the PDF cannot be read: {exc or type(exc).__name__}", field="body") from exc
    finally:
        with contextlib.suppress(Exception):  # closing a damaged file fails as reading it did
            pdf.close()
    if not any(text for text, _ in lines):
        raise DocumentRefused("the PDF has no text layer (a scanned image?); send the schedule as text or a PDF "
                              "with selectable text", field="body")
    return lines
