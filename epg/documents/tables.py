"""A document's table → the lines epg's parser reads, each with its place in the document.

Three shapes are told apart:

- a **list** with a header row naming its columns (channel, date, start,
  end, title, sub-title, rating, genre, description, in any order; the words
  are in ``columns.toml``): one block per channel and day, each opened by the
  channel's name and the date, then one tab-separated row per programme
  under a header row the parser knows (``start	title	genre…``), its
  description on the line below;
- a **grid**, times down one column and days or channels across: per column,
  its header as printed, then ``HH:MM title`` for every filled cell;
- anything else: each row as its cells joined by tabs, which the parser
  reads as a pasted table.

Blocks are parted by a blank line, so a channel's name is never read as the
last programme's sub-title. The parser does the schedule reading; this module
only lays the table out the way a person would have typed it.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from epg.documents.cells import clock, date_of, minutes_of, text_of
from epg.documents.limits import MAX_CELLS
from epg.errors import DocumentRefused

#: A line of the text handed to the parser, and where in the document it comes from.
Line = tuple[str, str]

_FIELDS = ("channel", "date", "start", "end", "title", "subtitle", "rating", "genre", "description")
#: The parser's own header words for the columns a list row is laid out in (see ``parser._COLUMN_NAMES``).
#: A description goes on the line below instead: the parser reads a row with a sentence in it as prose.
_PARSER_ROLES = {"title": "title", "genre": "genre", "rating": "rating"}
#: Rows searched for a list's header row or a grid's first time.
_HEADER_SEARCH = 30


@cache
def _words() -> dict[str, object]:
    with (Path(__file__).parent / "columns.toml").open("rb") as source:
        return tomllib.load(source)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w+ ()-]", " ", text.lower().replace("ё", "е")).split()).strip(" -")


@cache
def _field_of_word() -> dict[str, str]:
    words = _words()
    found: dict[str, str] = {}
    for name in _FIELDS:
        entries = words[name]
        assert isinstance(entries, list)
        for word in entries:
            found.setdefault(_key(str(word)), name)
    return found


def is_default_sheet_name(name: str) -> bool:
    """``Sheet1``, ``Лист2``, ``Tabelle3``: a name a spreadsheet gave, which names no day or channel."""
    stems = _words()["default_sheets"]
    assert isinstance(stems, list)
    base = re.sub(r"[\s\d]+$", "", name.strip().lower())
    return not base or base in stems


class Budget:
    """Cells a whole document may still span; a reader spends from it as it lays out each table."""

    def __init__(self, cells: int = MAX_CELLS) -> None:
        self.left = cells

    def spend(self, cells: int, where: str) -> None:
        self.left -= cells
        if self.left < 0:
            raise DocumentRefused(f"the document's tables span more than {MAX_CELLS} cells (at {where}); split it "
                                  "into smaller files", field="body")


@dataclass
class Table:
    """A table as rows of cell values; ``place`` names it (``sheet "Пн"``, ``table 2``) in diagnostics.

    ``numbers`` are the rows' numbers as the document shows them; ``below``
    holds the (row index, column) of cells filled from a merged cell above,
    which a grid does not read again (a long programme spans several rows).
    """

    place: str
    rows: list[list[object]]
    numbers: list[int]
    below: set[tuple[int, int]] = field(default_factory=set)
    #: A line read before the table (a sheet's name that may name a day or a channel).
    heading: str | None = None
    #: Each column's number as the document shows it (empty columns are left out of ``rows``).
    columns: list[int] = field(default_factory=list)


def build_table(place: str, cells: dict[tuple[int, int], object], merges: Iterable[tuple[int, int, int, int]],
                budget: Budget, heading: str | None = None) -> Table:
    """A :class:`Table` from sparse cells ``{(row, column): value}`` (numbered from 1) and merged ranges.

    Each merged range ``(first row, first column, last row, last column)``
    gives its top-left value to every cell it covers, but only within the
    rows and columns that hold something: a range drawn over a million empty
    rows costs nothing. Empty columns are left out.
    """
    cells = {key: value for key, value in cells.items() if text_of(value)}
    if not cells:
        return Table(place, [], [], heading=heading)
    row_numbers = sorted({r for r, _ in cells})
    column_numbers = sorted({c for _, c in cells})
    below: set[tuple[int, int]] = set()
    for top, left, bottom, right in merges:
        value = cells.get((top, left))
        if value is None:
            continue
        spanned = row_numbers[bisect.bisect_left(row_numbers, top):bisect.bisect_right(row_numbers, bottom)]
        across = column_numbers[bisect.bisect_left(column_numbers, left):bisect.bisect_right(column_numbers, right)]
        budget.spend(len(spanned) * len(across), f"{place}, merged cells")
        for r in spanned:
            for c in across:
                if (r, c) != (top, left):
                    cells[(r, c)] = value
                    if r != top:
                        below.add((r, c))
    budget.spend(len(row_numbers) * len(column_numbers), place)
    column_index = {c: i for i, c in enumerate(column_numbers)}
    row_index = {r: i for i, r in enumerate(row_numbers)}
    rows: list[list[object]] = [[None] * len(column_numbers) for _ in row_numbers]
    for (r, c), value in cells.items():
        rows[row_index[r]][column_index[c]] = value
    return Table(place, rows, row_numbers, {(row_index[r], column_index[c]) for r, c in below}, heading,
                 column_numbers)


def column_letter(index: int) -> str:
    """``A``, ``B``, … ``AA`` for a 1-based column number, as spreadsheets name columns."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def shape(table: Table) -> str:
    """``"list"``, ``"grid"`` or ``"rows"``: how :func:`table_lines` lays ``table`` out."""
    if not table.rows:
        return "rows"
    return "list" if _list_header(table) is not None else "grid" if _grid(table) is not None else "rows"


def needs_layout(table: Table) -> bool:
    """Whether typed text holding ``table`` must be laid out anew for the parser to read it.

    A grid must, and so must a list naming a channel, a date, an end, a sub-title or a description, or one
    whose start is not its first column. A list of start, title, genre and rating rows is how schedules are
    typed: the parser reads it in place, keeping every line's own number and its times to the second.
    """
    header = _list_header(table)
    if header is None:
        return _grid(table) is not None
    index, columns = header
    first = next((n for n, value in enumerate(table.rows[index]) if isinstance(value, str) and value.strip()), 0)
    return columns["start"] != first or bool(set(columns) & {"channel", "date", "end", "subtitle", "description"})


def table_lines(table: Table) -> list[Line]:
    """The lines a person would type for ``table``: a list, a grid or plain rows (see the module's docstring)."""
    lines: list[Line] = []
    if table.heading:
        lines.append((table.heading, table.place))
    if not table.rows:
        return lines
    header = _list_header(table)
    if header is not None:
        return lines + _list_lines(table, *header)
    grid = _grid(table)
    if grid is not None:
        return lines + _grid_lines(table, *grid)
    return lines + _plain_lines(table, range(len(table.rows)))


def _place(table: Table, index: int) -> str:
    """``sheet "Пн", row 12``; a CSV's rows are named by their line alone (``row 12``)."""
    return f"{table.place}, row {table.numbers[index]}" if table.place else f"row {table.numbers[index]}"


def _column_place(table: Table, index: int, column: int) -> str:
    number = table.columns[column] if column < len(table.columns) else column + 1
    return f"{_place(table, index)}, column {column_letter(number)}"


def _plain_lines(table: Table, indexes: Iterable[int]) -> list[Line]:
    out: list[Line] = []
    for index in indexes:
        cells = [text_of(v).replace("\n", " ") for v in table.rows[index]]
        while cells and not cells[-1]:
            cells.pop()
        while cells and not cells[0]:
            cells.pop(0)
        if cells:
            out.append(("\t".join(cells), _place(table, index)))
    return out


# -- lists --------------------------------------------------------------------------------------------------------

def _list_header(table: Table) -> tuple[int, dict[str, int]] | None:
    """The header row's index and the column of each field it names, when one of the first rows is one."""
    words = _field_of_word()
    for index, row in enumerate(table.rows[:_HEADER_SEARCH]):
        columns: dict[str, int] = {}
        named = 0
        for column, value in enumerate(row):
            text = _key(text_of(value)) if isinstance(value, str) else ""
            if not text:
                continue
            named += 1
            name = words.get(text)
            if name is not None and name not in columns:
                columns[name] = column
        if "title" in columns and "start" in columns and len(columns) * 2 >= named:
            return index, columns
    return None


def _list_lines(table: Table, header: int, columns: dict[str, int]) -> list[Line]:
    """Blocks per channel and day, in the order they first appear; rows keep their own places."""
    roles = [role for name, role in _PARSER_ROLES.items() if name in columns]
    out = _plain_lines(table, range(header))
    out.append(("\t".join(["start", *roles]), _place(table, header)))
    blocks: dict[tuple[str, str], list[Line]] = {}
    channel = day = ""
    skipped = 0

    def cell(row: list[object], name: str) -> object:
        return row[columns[name]] if name in columns else None

    for index in range(header + 1, len(table.rows)):
        row = table.rows[index]
        channel = text_of(cell(row, "channel")).replace("\n", " ") or channel
        start_value = cell(row, "start")
        printed_day = date_of(cell(row, "date")) or date_of(start_value)
        day_text = printed_day.isoformat() if printed_day else text_of(cell(row, "date")).replace("\n", " ")
        day = day_text or day
        start = minutes_of(start_value)
        title = text_of(cell(row, "title")).replace("\n", " ")
        if start is None or not title:
            if any(text_of(v) for v in row):
                skipped += 1
            continue
        end = minutes_of(cell(row, "end"))
        time_text = clock(start) + (f" - {clock(end)}" if end is not None else "")
        subtitle = text_of(cell(row, "subtitle")).replace("\n", " ")
        if subtitle:
            title = f"{title}{'' if title[-1] in '.!?:' else '.'} {subtitle}"
        rest = [title] + [text_of(cell(row, name)).replace("\n", " ") for name in _PARSER_ROLES if name in columns
                          and name != "title"]
        while len(rest) > 1 and not rest[-1]:
            rest.pop()
        block = blocks.setdefault((channel, day), [])
        block.append(("\t".join([time_text, *rest]), _place(table, index)))
        description = text_of(cell(row, "description")).replace("\n", " ")
        if description:
            block.append((description, _place(table, index)))
    for (block_channel, block_day), rows in blocks.items():
        out.append(("", rows[0][1]))
        if block_channel:
            out.append((block_channel, rows[0][1]))
        if block_day:
            out.append((block_day, rows[0][1]))
        out += rows
    return out


# -- grids --------------------------------------------------------------------------------------------------------

def _grid(table: Table) -> tuple[int, int, list[int]] | None:
    """(the time column, the header row, the data columns) of a grid, or None.

    A grid has a column of clock times (the first of the first three columns
    where most filled cells below some row are times) under a header row that
    names its other columns (days or channels), each name different.
    """
    width = len(table.rows[0])
    for time_column in range(min(3, width)):
        first = next((i for i, row in enumerate(table.rows[:_HEADER_SEARCH + 1])
                      if minutes_of(row[time_column]) is not None), None)
        if first is None or first == 0:
            continue
        below = [row[time_column] for row in table.rows[first:] if text_of(row[time_column])]
        if sum(1 for v in below if minutes_of(v) is not None) * 2 < len(below):
            continue
        header = first - 1
        columns = [c for c in range(width) if c != time_column and text_of(table.rows[header][c])
                   and minutes_of(table.rows[header][c]) is None]
        names = [text_of(table.rows[header][c]) for c in columns]
        if columns and len(set(names)) == len(names):
            return time_column, header, columns
    return None


def _grid_lines(table: Table, time_column: int, header: int, columns: list[int]) -> list[Line]:
    out = _plain_lines(table, range(header))
    for column in columns:
        name = text_of(table.rows[header][column]).replace("\n", " ")
        out.append(("", _place(table, header)))
        out.append((name, _column_place(table, header, column)))
        for index in range(header + 1, len(table.rows)):
            start = minutes_of(table.rows[index][time_column])
            value = table.rows[index][column]
            text = text_of(value)
            if start is None or not text or (index, column) in table.below:
                continue
            place = _column_place(table, index, column)
            first, *more = text.split("\n")
            out.append((f"{clock(start)} {first}", place))
            out += [(extra, place) for extra in more if extra]
    return out
