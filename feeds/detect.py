"""Tell an XMLTV guide from schedule text by its first bytes (uploads and ``epg import`` need it)."""

from __future__ import annotations

import re
import zlib

_XMLTV_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+tv\b|<tv\b)",
                          re.S | re.I)


def is_xmltv(data: bytes) -> bool:
    """True for a (possibly gzip-compressed) XMLTV document; HTML and text are not."""
    head = data[:65536]
    if head[:2] == b"\x1f\x8b":
        try:  # only the start is needed, and a partial gzip stream is fine for that
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
        except zlib.error:
            return False
    return bool(_XMLTV_START.match(head[:4096]))
