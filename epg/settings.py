"""Configuration from the environment, read once where the process starts."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///epg.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    #: Largest upload accepted, in bytes.
    max_upload_bytes: int = 2_000_000
    #: Public base URL, for links in feeds (iCal URL, M3U); empty means relative links.
    base_url: str = ""
    #: Seconds the busiest reads (now/next, feeds) are answered from memory; 0 turns that off.
    #: A write through this server shows at once, one from another process within this time.
    read_cache_seconds: float = 5.0
    #: Milliseconds a SQLite writer waits for another one before the request fails with 503.
    sqlite_busy_timeout_ms: int = 10_000
    #: Worker processes per server process that read and publish uploaded day texts, so their parsing and
    #: writing do not slow the server's reads; 0 does it on the request's thread instead.
    upload_workers: int = 1

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("EPG_DATABASE_URL", DEFAULT_DATABASE_URL),
            max_upload_bytes=int(os.environ.get("EPG_MAX_UPLOAD_BYTES", cls.max_upload_bytes)),
            base_url=os.environ.get("EPG_BASE_URL", "").rstrip("/"),
            read_cache_seconds=float(os.environ.get("EPG_READ_CACHE_SECONDS", cls.read_cache_seconds)),
            sqlite_busy_timeout_ms=int(os.environ.get("EPG_SQLITE_BUSY_TIMEOUT_MS", cls.sqlite_busy_timeout_ms)),
            upload_workers=int(os.environ.get("EPG_UPLOAD_WORKERS", cls.upload_workers)),
        )
