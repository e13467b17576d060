"""ODS spreadsheets (LibreOffice, OpenOffice): every visible table in ``content.xml``, streamed.

OpenDocument compresses runs of equal cells and rows into one element with
``number-columns-repeated`` / ``number-rows-repeated`` (an empty sheet ends
in a row "repeated" a million times). A run of empty cells or rows only
moves the position; a run of filled ones is laid out cell by cell, paid for
from the document's cell budget first, so no count in the file makes the
reading bigger than :data:`limits.MAX_CELLS`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from epg.documents.containers import ODS, checked_zip
from epg.documents.tables import Budget, Table, build_table, is_default_sheet_name
from epg.errors import DocumentRefused

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ROW, _CELL, _COVERED = f"{{{_TABLE}}}table-row", f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"
_SHEET = f"{{{_TABLE}}}table"
_DURATION = re.compile(r"^P(?:(\d+)D)?T(\d+)H(\d+)M(\d+(?:\.\d+)?)S$")


def _count(element: Any, name: str) -> int:
    value = element.get(f"{{{_TABLE}}}{name}", "1")
    return int(value) if value.isdigit() else 1


def _text(element: Any) -> str:
    """A cell's paragraphs, one per line; ``text:s`` is a space, ``text:line-break`` a new line."""
    lines: list[str] = []
    for paragraph in element.iter(f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"):
        parts: list[str] = []
        for node in paragraph.iter():
            if node is not paragraph:
                tag = node.tag if isinstance(node.tag, str) else ""
                parts.append("\n" if tag == f"{{{_TEXT}}}line-break" else " " if tag in (
                    f"{{{_TEXT}}}s", f"{{{_TEXT}}}tab") else "")
            if node.text and node.tag != f"{{{_TEXT}}}note":
                parts.append(node.text)
            if node is not paragraph and node.tail:
                parts.append(node.tail)
        lines.append("".join(parts))
    return "\n".join(lines)


def _value(cell: Any) -> object:
    """A cell's typed value: floats, dates and times as Python values, everything else as its text."""
    kind = cell.get(f"{{{_OFFICE}}}value-type")
    try:
        if kind in ("float", "percentage", "currency"):
            number = float(cell.get(f"{{{_OFFICE}}}value", "nan"))
            return number if number == number else _text(cell)
        if kind == "date":
            stamp = cell.get(f"{{{_OFFICE}}}date-value", "")
            return datetime.fromisoformat(stamp) if "T" in stamp else date.fromisoformat(stamp)
        if kind == "time":
            match = _DURATION.match(cell.get(f"{{{_OFFICE}}}time-value", ""))
            if match:
                days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
                span = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
                return time(int(hours), int(minutes)) if not days and hours < 24 else span
    except (ValueError, OverflowError):
        pass
    return _text(cell)


def read_ods(data: bytes, budget: Budget) -> list[Table]:
    """The spreadsheet's tables in order, hidden ones left out."""
    archive = checked_zip(data, ODS)
    from lxml import etree

    if "content.xml" not in archive.namelist():
        raise DocumentRefused("the ODS spreadsheet has no content.xml", field="body")
    tables: list[Table] = []
    try:
        with archive.open("content.xml") as source:
            events = etree.iterparse(source, events=("start", "end"), tag=(_SHEET, _ROW),
                                     resolve_entities=False, no_network=True, huge_tree=False)
            cells: dict[tuple[int, int], object] = {}
            merges: list[tuple[int, int, int, int]] = []
            row_number = 0
            name = ""
            for event, element in events:
                if element.tag == _SHEET:
                    if event == "start":
                        cells, merges, row_number = {}, [], 0
                        name = element.get(f"{{{_TABLE}}}name", f"Table{len(tables) + 1}")
                        continue
                    if element.get(f"{{{_TABLE}}}display", "true") != "false":
                        place = f'sheet "{name}"'
                        tables.append(build_table(place, cells, merges, budget,
                                                  None if is_default_sheet_name(name) else name))
                    element.clear()
                    continue
                if event == "start":
                    continue
                repeat = _count(element, "number-rows-repeated")
                found: list[tuple[int, object]] = []
                column = 0
                for cell in element:
                    if cell.tag not in (_CELL, _COVERED):
                        continue
                    times = _count(cell, "number-columns-repeated")
                    value = _value(cell) if cell.tag == _CELL else None
                    if value not in (None, ""):
                        budget.spend(times * repeat, f'sheet "{name}", row {row_number + 1}')
                        found += [(column + k + 1, value) for k in range(times)]
                        spanned = (_count(cell, "number-rows-spanned"), _count(cell, "number-columns-spanned"))
                        if spanned != (1, 1):
                            merges.append((row_number + 1, column + 1, row_number + spanned[0],
                                           column + spanned[1]))
                    column += times
                for copy in range(repeat if found else 0):
                    for column_number, value in found:
                        cells[(row_number + copy + 1, column_number)] = value
                row_number += repeat
                element.clear()
    except DocumentRefused:
        raise
    except (etree.XMLSyntaxError, OSError, ValueError) as exc:
        raise DocumentRefused(f"the ODS spreadsheet's content.xml cannot be read: {exc}", field="body") from exc
    return tables
