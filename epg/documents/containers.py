"""What kind of document some bytes are, and whether their container is safe to open.

Detection is by content, never by a file name: an Office Open XML zip names
its parts in ``[Content_Types].xml`` (``xl/`` for a workbook, ``word/`` for a
report), an OpenDocument zip starts with its ``mimetype`` entry, a PDF with
``%PDF``. Old Office files and encrypted Office Open XML files both arrive
as an OLE compound file (``D0 CF 11 E0``); its directory says which.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from epg.documents.limits import MAX_ENTRIES, MAX_UNPACKED_BYTES
from epg.errors import DocumentRefused

XLSX, DOCX, ODS, PDF = "XLSX workbook", "DOCX document", "ODS spreadsheet", "PDF document"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_MACRO_TYPES = (b"macroEnabled", b"vbaProject", b"vbaData")


def detect(data: bytes) -> str | None:
    """The kind of document ``data`` is (:data:`XLSX`, :data:`DOCX`, :data:`ODS`, :data:`PDF`), or None.

    Raises :class:`DocumentRefused` for an OLE compound file (an encrypted
    Office file, or an old ``.xls``/``.doc``): it is a document, but not one
    epg can read.
    """
    if data.startswith(b"%PDF"):
        return PDF
    if data.startswith(_OLE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocumentRefused("the upload is an encrypted (password-protected) Office document; save it "
                                  "without a password and send it again", field="body")
        raise DocumentRefused("the upload is an old-format Office document (.xls or .doc); save it as .xlsx, "
                              ".docx, .ods or CSV and send it again", field="body")
    if not data.startswith(b"PK\x03\x04"):
        return None
    archive = _open(data)
    if archive is None:
        return None
    names = archive.namelist()
    if "mimetype" in names and _ODS_MIMETYPE in _small_entry(archive, "mimetype"):
        return ODS
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("word/") for name in names):
        return DOCX
    return None


def _open(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None


def _small_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        with archive.open(name) as entry:
            return entry.read(200)
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        return b""


def checked_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip container of a ``kind`` document once it is known safe to hand to a reader library.

    Refuses a container with more than :data:`MAX_ENTRIES` entries, one that
    says or turns out to unpack to more than :data:`MAX_UNPACKED_BYTES` (every
    entry is unpacked here once, counting the bytes actually produced, so a
    lying header is caught too), an encrypted entry, a damaged one, and
    macros (``vbaProject.bin``, a macro-enabled content type, OpenDocument
    ``Basic/`` or ``Scripts/``).
    """
    archive = _open(data)
    if archive is None:
        raise DocumentRefused(f"the upload starts like a {kind} but is not a readable zip container",
                              field="body")
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise DocumentRefused(f"the {kind} holds {len(infos)} entries; the limit is {MAX_ENTRIES}", field="body")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNPACKED_BYTES:
        raise DocumentRefused(f"the {kind} unpacks to {declared} bytes; the limit is {MAX_UNPACKED_BYTES}",
                              field="body")
    for info in infos:
        name = info.filename
        if name.lower().endswith(("vbaproject.bin", "vbadata.xml")) or name.startswith(("Basic/", "Scripts/")):
            raise DocumentRefused(f"the {kind} contains macros ({name}); save it without macros (as .xlsx, "
                                  ".docx or .ods) and send it again", field="body")
        if info.flag_bits & 0x1:
            raise DocumentRefused(f"the {kind} is encrypted (entry {name}); save it without a password",
                                  field="body")
    produced = 0
    for info in infos:
        try:
            with archive.open(info) as entry:
                while chunk := entry.read(65536):
                    produced += len(chunk)
                    if produced > MAX_UNPACKED_BYTES:
                        raise DocumentRefused(f"the {kind} unpacks to more than {MAX_UNPACKED_BYTES} bytes (a zip "
                                              "bomb?); the limit is 25 times the upload limit", field="body")
        except DocumentRefused:
            raise
        except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError,
                RuntimeError) as exc:
            raise DocumentRefused(f"the {kind} is damaged: entry {info.filename} cannot be unpacked ({exc})",
                                  field="body") from exc
    if "[Content_Types].xml" in archive.namelist():
        types = archive.read("[Content_Types].xml") if _size(archive, "[Content_Types].xml") < 1_000_000 else b""
        if any(mark in types for mark in _MACRO_TYPES):
            raise DocumentRefused(f"the {kind} is macro-enabled (.xlsm or .docm); save it without macros "
                                  "(as .xlsx or .docx) and send it again", field="body")
    return archive


def _size(archive: zipfile.ZipFile, name: str) -> int:
    return archive.getinfo(name).file_size
