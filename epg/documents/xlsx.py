"""XLSX workbooks: every visible sheet in order, as tables of typed cell values.

openpyxl reads the workbook (shared strings, number formats, so a time cell
comes back as ``datetime.time``), but its sheet iteration pads rows out to
the sheet's declared size, which a hostile file can make a million rows
wide. So each sheet's XML is streamed through openpyxl's own row parser and
only the cells present are kept: the work is linear in the unpacked XML,
which :func:`containers.checked_zip` has already bounded.
"""

from __future__ import annotations

import io
from typing import Any

from epg.documents.containers import XLSX, checked_zip
from epg.documents.tables import Budget, Table, build_table, is_default_sheet_name
from epg.errors import DocumentRefused


def read_xlsx(data: bytes, budget: Budget) -> list[Table]:
    """The workbook's visible worksheets, in the order its tabs show."""
    checked_zip(data, XLSX)
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.worksheet._reader import WorkSheetParser  # type: ignore[import-untyped]

    try:
        book: Any = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything from KeyError to its own errors on a damaged file
        raise DocumentRefused(f"the XLSX workbook cannot be read: {exc or type(exc).__name__}", field="body") from exc
    tables: list[Table] = []
    try:
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            cells: dict[tuple[int, int], object] = {}
            try:
                with book._archive.open(sheet._worksheet_path) as source:
                    parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                             date_formats=book._date_formats,
                                             timedelta_formats=book._timedelta_formats)
                    for row_number, row in parser.parse():
                        for cell in row:
                            if cell.get("value") is not None:
                                cells[(row_number, cell["column"])] = cell["value"]
                    merges = [(r.min_row, r.min_col, r.max_row, r.max_col)
                              for r in (parser.merged_cells.mergeCell if parser.merged_cells else [])]
            except Exception as exc:
                raise DocumentRefused(f"sheet {sheet.title!r} of the XLSX workbook cannot be read: {exc}",
                                      field="body") from exc
            name = str(sheet.title)
            heading = None if is_default_sheet_name(name) else name
            tables.append(build_table(f'sheet "{name}"', cells, merges, budget, heading))
    finally:
        book.close()
    return tables
