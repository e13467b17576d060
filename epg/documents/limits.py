"""How much a document may hold: every reader stops at these, so no upload costs more than they allow.

The bounds follow the upload limit (``Settings.max_upload_bytes``, 2 MB by
default): a container may unpack to :data:`UNPACK_FACTOR` times that, as an
XMLTV guide may after gzip. Office files compress their XML about ten-fold,
so a real workbook or report stays well inside.
"""

from __future__ import annotations

from epg.settings import Settings

#: How many times the upload limit a document may unpack to (all its zip entries, or all a PDF's streams).
UNPACK_FACTOR = 25
#: Bytes a document may unpack to in all.
MAX_UNPACKED_BYTES = Settings.max_upload_bytes * UNPACK_FACTOR
#: Entries a zip container (XLSX, DOCX, ODS) may list; real ones hold a few dozen.
MAX_ENTRIES = 1000
#: Cells a document's tables may span in all (rows × columns used, merged cells filled included).
MAX_CELLS = 1_000_000
#: Pages a PDF may have.
MAX_PAGES = 500
