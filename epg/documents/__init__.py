"""Documents operators receive (XLSX, ODS, DOCX, PDF, CSV/TSV) → the lines of text epg's parser reads.

Each format has its reader module; all of them end in lines that keep their
place in the document (``sheet "Пн", row 12``, ``page 2, column 1``) for the
diagnostics. The schedule itself is read by the parser, as for typed text.
Pure: bytes in, values out; the container libraries load only when such a
document arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from epg.documents.containers import DOCX, ODS, PDF, XLSX, detect
from epg.documents.delimited import read_delimited
from epg.documents.tables import Budget, Line, table_lines

__all__ = ["DOCX", "MEDIA_TYPES", "ODS", "PDF", "XLSX", "DocumentText", "delimited_text", "detect", "read_document"]

#: The media types documents arrive with (browsers send these for .xlsx, .ods, .docx, .pdf, .csv and .tsv
#: files). Documents are still known by their content: the type only lets an upload through.
MEDIA_TYPES = frozenset({
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/pdf", "text/csv", "text/tab-separated-values", "application/vnd.ms-excel",
})


@dataclass(frozen=True)
class DocumentText:
    """A document's lines, each with its place, and what was read (``"XLSX workbook"``, ``"CSV (';')"``)."""

    kind: str
    texts: list[str]
    places: list[str]
    #: What to tell the operator about the reading (sheets, pages).
    note: str


def _document(kind: str, lines: list[Line], note: str) -> DocumentText:
    return DocumentText(kind, [text for text, _ in lines], [place for _, place in lines], note)


@lru_cache(maxsize=4)
def read_document(data: bytes) -> DocumentText | None:
    """The lines of an XLSX, ODS, DOCX or PDF document; None when ``data`` is none of them.

    Raises :class:`epg.errors.DocumentRefused` when it is one but cannot or
    may not be read. The last few readings are kept, so checking an upload
    and then parsing it reads the document once.
    """
    kind = detect(data)
    if kind is None:
        return None
    budget = Budget()
    if kind == PDF:
        from epg.documents.pdf import read_pdf

        lines = read_pdf(data, budget)
        pages = len({place.split(",")[0] for _, place in lines})
        return _document(kind, lines, f"Read as a PDF document: text of {pages} page(s), column by column.")
    if kind == DOCX:
        from epg.documents.docx import read_docx

        return _document(kind, read_docx(data, budget), "Read as a DOCX document: paragraphs and tables in order.")
    if kind == XLSX:
        from epg.documents.xlsx import read_xlsx

        tables = read_xlsx(data, budget)
    else:
        assert kind == ODS
        from epg.documents.ods import read_ods

        tables = read_ods(data, budget)
    sheets: list[Line] = []
    for table in tables:
        if sheets:
            sheets.append(("", table.place))
        sheets += table_lines(table)
    names = ", ".join(table.place for table in tables) or "no sheet with anything in it"
    return _document(kind, sheets, f"Read as an {kind}: {names}.")


@lru_cache(maxsize=4)
def delimited_text(text: str) -> DocumentText | None:
    """CSV or TSV text laid out as a list or grid would be typed; None when it is no such table."""
    found = read_delimited(text, Budget())
    if found is None:
        return None
    lines, delimiter = found
    shown = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "bar"}[delimiter]
    return _document("CSV", lines, f"Read as a table of {shown}-separated columns (CSV).")

