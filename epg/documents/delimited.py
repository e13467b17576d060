"""CSV and TSV exports: the delimiter sniffed from the rows, read as a table when it is one.

Playout systems export lists (``Канал;Дата;Время;Название``) in any
encoding; the text arrives already decoded (see ``decoding.decode_bytes``).
A delimiter is the one of tab, ``;``, ``,`` and ``|`` that gives the first
rows one and the same number of columns (two or more). Only a grid, or a
list whose header names what the parser cannot read in place (a channel, a
date, an end…: see ``tables.needs_layout``), is laid out anew; other
delimited text is left to the parser, which reads tab- and
semicolon-separated rows itself, keeping each line's number.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from epg.documents.tables import Budget, Line, Table, needs_layout, shape, table_lines

_DELIMITERS = ("\t", ";", ",", "|")
#: Rows looked at to choose a delimiter.
_SAMPLE_ROWS = 50


def _columns(lines: list[str], delimiter: str) -> tuple[float, int]:
    """The share of rows with the commonest column count, and that count."""
    try:
        counts = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return 0.0, 0
    width, rows = counts.most_common(1)[0] if counts else (0, 0)
    return (rows / len(lines) if lines else 0.0), width


def sniff(text: str) -> str | None:
    """The delimiter of ``text``'s rows, or None when no delimiter gives them one column count."""
    lines = [line for line in text[:200_000].splitlines() if line.strip()][:_SAMPLE_ROWS]
    if len(lines) < 2:
        return None
    best: tuple[float, int, str] | None = None
    for delimiter in _DELIMITERS:
        if not any(delimiter in line for line in lines):
            continue
        share, width = _columns(lines, delimiter)
        if width >= 2 and share >= 0.8 and (best is None or (share, width) > best[:2]):
            best = (share, width, delimiter)
    return best[2] if best else None


def read_delimited(text: str, budget: Budget) -> tuple[list[Line], str] | None:
    """(lines, the delimiter) for a delimited list or grid, else None; places name rows by their line."""
    delimiter = sniff(text)
    if delimiter is None:
        return None
    rows: list[list[object]] = []
    numbers: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    first = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                budget.spend(len(row), f"line {first}")
                rows.append(list(row))
                numbers.append(first)
            first = reader.line_num + 1
    except csv.Error:
        return None  # a field over csv's size limit, a stray NUL: not a table after all
    if not rows:  # sniffed on rows that csv reads as empty (a lone quote spans them all): no table
        return None
    width = max(len(row) for row in rows)
    table = Table("", [row + [None] * (width - len(row)) for row in rows], numbers,
                  columns=list(range(1, width + 1)))
    if shape(table) == "rows" or not needs_layout(table):
        return None
    return table_lines(table), delimiter
