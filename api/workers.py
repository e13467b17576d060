"""Worker processes for uploads, so their work does not hold the serving process's GIL.

Reading a 2 MB day text is about a second of pure Python, and publishing it
several more (rows built, programmes matched to the last revision's, feed
pieces rendered). Run on a thread of the serving process that work is off
the event loop but not off the GIL: every read request waits for the upload's
thread to let go of it at each hand-over (socket reads and writes, the thread
pool), and the reads' p99 grows tenfold (``python -m bench.loaded``).
:class:`Workers` runs such a task in a worker process instead. The app starts
one when it starts (``Settings.upload_workers`` processes; 0: none, the task
runs on the request's thread) and stops it when it stops; each task carries
what it needs (the settings it opens the store with, the request's values)
and answers what the request answers, pickled back.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from epg.service import Service
from epg.settings import Settings
from epg.store import Store
from feeds.pieces import prerender_published

log = logging.getLogger("epg.api")

T = TypeVar("T")
J = TypeVar("J")


class Answer(Protocol):
    """What an upload task answers: whatever the route sends back, and whether the task stored anything."""

    @property
    def stored(self) -> bool: ...


A = TypeVar("A", bound=Answer)

#: How much lower the workers' CPU priority is than the server's (``nice``): on a busy machine the reads
#: get the CPU first and an upload takes longer, instead of the reads waiting for the upload.
NICENESS = 10


def make_service(store: Store, settings: Settings) -> Service:
    """The service ``epg serve`` runs over ``store``: the app's own, and the one each upload task opens."""
    service = Service(store, max_upload_bytes=settings.max_upload_bytes, base_url=settings.base_url)
    service.after_publish = prerender_published  # render the feed pieces each publish changes, right after it
    return service


def run_apart(settings: Settings, task: Callable[[Service, J], A], job: J) -> A:
    """``task(service, job)`` through a service of its own over the app's database: what a worker runs."""
    store = Store(settings.database_url, settings.sqlite_busy_timeout_ms)
    try:
        return task(make_service(store, settings), job)
    finally:
        store.close()


async def run_upload(request: Request, service: Service, task: Callable[[Service, J], A], job: J) -> A:
    """``task(service, job)`` in one of the app's worker processes or, when it has none, on a thread.

    Uploads are seconds of CPU and database work: never on the event loop, and when the app runs
    workers, not in this process at all. ``task`` is a module-level function and ``job`` plain values
    (both are pickled to the worker); a publish there moves this process's store generation on, so its
    read caches show it at once.
    """
    workers: Workers | None = request.app.state.upload_workers
    if workers is None:
        return await run_in_threadpool(task, service, job)
    answer: A = await run_in_threadpool(workers.run, run_apart, request.app.state.settings, task, job)
    if answer.stored:
        service.store.written()
    return answer


def _ready() -> bool:
    return True


#: Seconds between a worker's looks at whether the server that started it still runs.
PARENT_CHECK_SECONDS = 0.5


def _start_worker(niceness: int, parent: int) -> None:
    """A worker process's start: yield the CPU to the server's reads, and end with the server.

    A server killed outright (SIGKILL, the OOM killer) runs no shutdown, and its workers would live on,
    orphans: each holds its own end of the task queue, so it never sees the queue close. A publish a
    worker was making when it ends commits all or nothing, as a killed server's did.
    """
    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    threading.Thread(target=_end_with, args=(parent,), name="epg-parent-watch", daemon=True).start()


def _end_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


class Workers:
    """``workers`` processes running upload tasks (0: none, tasks run on the caller's thread)."""

    def __init__(self, workers: int) -> None:
        if workers < 0:
            raise ValueError(f"upload workers must be 0 or more, not {workers}")
        self.workers = workers
        self._lock = threading.Lock()
        self._executor = self._start() if workers else None

    def _start(self) -> ProcessPoolExecutor:
        # Spawned, not forked: the serving process has threads (the event loop's, the thread pool's), and a
        # fork copies the locks they hold. A worker imports epg once and runs task after task.
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(NICENESS, os.getpid()))

    def warm(self) -> None:
        """Start the workers now rather than at the first upload (no wait)."""
        if self._executor is not None:
            self._executor.submit(_ready)

    def run(self, task: Callable[..., T], *args: object) -> T:
        """``task(*args)`` in a worker process: its result, or the exception it raised, raised here.

        ``task`` and its arguments are pickled: a module-level function and plain values. With no
        workers (0, or after :meth:`close`) it runs here, on the caller's thread.
        """
        with self._lock:
            executor = self._executor
        if executor is None:
            return task(*args)
        try:
            future = executor.submit(task, *args)
        except BrokenProcessPool:
            self._restart(executor)
            return task(*args)
        try:
            return future.result()
        except BrokenProcessPool:
            # A worker died (killed, out of memory) before answering: start new ones for the next upload,
            # and run this one here. A task that was publishing committed all or nothing.
            self._restart(executor)
            return task(*args)

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        log.warning("an upload worker process died; starting new ones, and running this upload in-process")
        with self._lock:
            if self._executor is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self._executor = self._start()

    def close(self) -> None:
        """Stop the workers (a task being run finishes first)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
