"""DOCX documents: paragraphs and tables in the order the document shows them.

A press office's Word file is usually a heading per day (or channel) and a
table or a run of ``06:00 Title`` paragraphs under it. Paragraphs become
lines as they are; tables go through :mod:`epg.documents.tables`, like a
sheet. Cells merged across columns repeat their text in each column they
cover, as Word shows them.
"""

from __future__ import annotations

import io
from typing import Any

from epg.documents.containers import DOCX, checked_zip
from epg.documents.tables import Budget, Line, Table, table_lines
from epg.errors import DocumentRefused

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(element: Any) -> str:
    """A paragraph's text: runs joined, tabs kept (a tab parts cells the parser reads), breaks as new lines."""
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        parts.append((node.text or "") if node.tag == f"{_W}t" else "\t" if node.tag == f"{_W}tab" else "\n")
    return "".join(parts)


def _table(element: Any, number: int, budget: Budget) -> Table:
    rows: list[list[object]] = []
    below: set[tuple[int, int]] = set()
    for row in element.iterchildren(f"{_W}tr"):
        cells: list[object] = []
        for cell in row.iterchildren(f"{_W}tc"):
            properties = cell.find(f"{_W}tcPr")
            span_element = properties.find(f"{_W}gridSpan") if properties is not None else None
            span_value = span_element.get(f"{_W}val", "1") if span_element is not None else "1"
            span = min(int(span_value), 64) if span_value.isdigit() and int(span_value) > 0 else 1
            merge = properties.find(f"{_W}vMerge") if properties is not None else None
            text = "\n".join(_paragraph_text(p) for p in cell.iterchildren(f"{_W}p"))
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                # A cell merged with the one above: its text, read again, but not a new programme.
                column = len(cells)
                above = rows[-1][column] if rows and column < len(rows[-1]) else None
                for k in range(span):
                    below.add((len(rows), column + k))
                text = str(above) if above is not None else ""
            cells += [text] * span
        budget.spend(len(cells), f"table {number}")
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    return Table(f"table {number}", rows, list(range(1, len(rows) + 1)), below, None, list(range(1, width + 1)))


def read_docx(data: bytes, budget: Budget) -> list[Line]:
    """The document's lines: each paragraph with its number, each table's lines with its rows."""
    checked_zip(data, DOCX)
    import docx

    try:
        document: Any = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged file
        raise DocumentRefused(f"the DOCX document cannot be read: {exc or type(exc).__name__}", field="body") from exc
    lines: list[Line] = []
    paragraphs = tables = 0
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            paragraphs += 1
            budget.spend(1, f"paragraph {paragraphs}")
            lines += [(text, f"paragraph {paragraphs}") for text in _paragraph_text(element).split("\n")]
        elif element.tag == f"{_W}tbl":
            tables += 1
            lines.append(("", f"table {tables}"))
            lines += table_lines(_table(element, tables, budget))
            lines.append(("", f"table {tables}"))
    return lines
