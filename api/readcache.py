"""Answers to the busiest reads, kept for a few seconds.

Players poll ``/api/now`` and the feeds all day, while the data behind them
changes a few times a day; each answer costs several queries, and under load
the queries' waits for the database pool and the GIL cost more than the
work. An answer here is reused while no write has been committed through
this process (``Service.generation``) and for at most ``ttl`` seconds, so a
change made elsewhere (the CLI, another replica) shows within that time,
well inside the ``max-age`` every answer already carries. ``ttl`` 0 turns
the cache off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

#: Seconds an answer is reused (EPG_READ_CACHE_SECONDS overrides).
DEFAULT_TTL = 5.0
#: Total size of the answers kept (EPG_READ_CACHE_BYTES overrides); one answer may take a quarter.
DEFAULT_BUDGET = 64 * 1024 * 1024


@dataclass(frozen=True)
class _Entry:
    value: Any
    generation: int
    expires: float
    size: int


class ReadCache:
    """A thread-safe LRU of recent answers, each valid for one write generation and ``ttl`` seconds."""

    def __init__(self, ttl: float = DEFAULT_TTL, budget: int = DEFAULT_BUDGET,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.budget = budget
        self.size = 0
        self.hits = self.misses = 0
        self._clock = clock
        self._items: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, generation: int) -> Any | None:
        """The answer kept for ``key``, if it is from ``generation`` and younger than ``ttl``."""
        with self._lock:
            entry = self._items.get(key)
            if entry is None or entry.generation != generation or entry.expires <= self._clock():
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return entry.value

    def put(self, key: Hashable, generation: int, value: object, size: int, ttl: float | None = None) -> None:
        """Keep ``value`` (about ``size`` bytes) for ``ttl`` seconds at most (default: the cache's)."""
        ttl = self.ttl if ttl is None else min(ttl, self.ttl)
        if ttl <= 0 or size > self.budget // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self.size -= old.size if old is not None else 0
            self._items[key] = _Entry(value, generation, self._clock() + ttl, size)
            self.size += size
            while self.size > self.budget:
                _, evicted = self._items.popitem(last=False)
                self.size -= evicted.size

    def fetch(self, key: Hashable, generation: int, make: Callable[[], T], size: Callable[[T], int]) -> T:
        """The kept answer for ``key``, or ``make()`` kept now (computed outside the lock)."""
        found = self.get(key, generation)
        if found is not None:
            return found  # type: ignore[no-any-return]
        value = make()
        self.put(key, generation, value, size(value))
        return value
