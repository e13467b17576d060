"""Worker processes that read uploads, so parsing does not hold the serving process's GIL.

Reading a 2 MB schedule text is about a second of pure Python. Run on a
thread of the serving process it is off the event loop but not off the GIL:
every read request waits for the parsing thread to let go of it at each hand
over (socket reads and writes, the thread pool), and its p99 grows tenfold
(``python -m bench.loaded``). :class:`ParsePool` runs
:func:`epg.schedule.read_schedule` in worker processes instead: the app
creates one when it starts (``Settings.parse_workers`` processes; 0 reads on
the request's thread as before) and shuts it down when it stops, and hands
its :meth:`ParsePool.read_schedule` to the service per call.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from zoneinfo import ZoneInfo

from epg.schedule import Schedule, read_schedule

log = logging.getLogger("epg.api")


class ParsePool:
    """``workers`` processes reading schedule text (0: none, read on the caller's thread)."""

    def __init__(self, workers: int) -> None:
        if workers < 0:
            raise ValueError(f"parse workers must be 0 or more, not {workers}")
        self.workers = workers
        self._lock = threading.Lock()
        self._executor = self._start() if workers else None

    def _start(self) -> ProcessPoolExecutor:
        # Spawned, not forked: the serving process has threads (the event loop's, the thread pool's), and a
        # fork copies the locks they hold. A worker imports the parser once and reads upload after upload.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    def warm(self) -> None:
        """Start the workers now (they import the parser) rather than on the first upload; no wait."""
        if self._executor is not None:
            self._executor.submit(read_schedule, "", date(2000, 1, 1), ZoneInfo("UTC"))

    def read_schedule(self, data: bytes | str, first_day: date, tz: ZoneInfo) -> Schedule:
        """:func:`epg.schedule.read_schedule` in a worker: the same schedule, or the same error, raised here."""
        with self._lock:
            executor = self._executor
        if executor is None:
            return read_schedule(data, first_day, tz)
        try:
            return executor.submit(read_schedule, data, first_day, tz).result()
        except BrokenProcessPool:
            # A worker died (killed, out of memory): start new ones for the next upload, and read this one here.
            log.warning("a parse worker process died; starting new ones, and reading this upload in-process")
            with self._lock:
                if self._executor is executor:
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = self._start()
            return read_schedule(data, first_day, tz)

    def close(self) -> None:
        """Stop the workers (an upload being read finishes first)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
