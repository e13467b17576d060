"""Rendered channel-day pieces: in memory, in the database, or rendered now — and rendered ahead at publish time.

A guide is mostly the same from one request to the next: only the
channel-days re-published since differ. Each channel-day is rendered once
and kept twice: compressed in a bounded in-process LRU (:class:`PieceCache`)
and in the database under a key naming everything that decides its bytes
(:func:`piece_key`), so a fresh process or another replica serves a cold
feed by reading pieces, not by rendering every programme again. Publishing
renders the pieces it changes (:func:`prerender`), so even the first reader
after an import finds them. What is kept is exactly what any replica would
render, so replicas behind a load balancer never disagree.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from epg.errors import StoreError
from epg.models import Channel, Programme, Revision
from epg.service import DaySlot, Service
from feeds.xmltv import assemble, render_channel_day

#: Bytes of rendered pieces kept per process (EPG_PIECE_CACHE_BYTES overrides).
DEFAULT_BUDGET = 256 * 1024 * 1024
#: Channel-days whose programmes are read from the store at a time when rendering cold.
BATCH = 50
#: Channels whose day slots are listed at a time when a whole guide is written (:func:`xmltv_guide`).
CHANNEL_BATCH = 200
#: The modules whose code decides a piece's bytes: a change to any of them (a new epg) renders pieces anew.
WRITER_MODULES = ("feeds.xmltv", "epg.categories", "epg.details", "epg.models")

Render = Callable[[DaySlot, list[Programme]], bytes]


class PieceCache:
    """A thread-safe LRU of rendered pieces, kept compressed and bounded by their compressed size in bytes."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.size = 0
        self.hits = self.misses = 0
        self._items: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> bytes | None:
        packed = self.get_packed(key)
        return None if packed is None else zlib.decompress(packed)

    def get_packed(self, key: tuple[object, ...]) -> bytes | None:
        with self._lock:
            packed = self._items.get(key)
            if packed is None:
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return packed

    def put(self, key: tuple[object, ...], piece: bytes) -> None:
        # Kept compressed: XML packs about tenfold, and unpacking costs far less than rendering again.
        self.put_packed(key, zlib.compress(piece, 1))

    def put_packed(self, key: tuple[object, ...], packed: bytes) -> None:
        if len(packed) > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self.size -= len(old) if old is not None else 0
            self._items[key] = packed
            self.size += len(packed)
            while self.size > self.budget:
                _, evicted = self._items.popitem(last=False)
                self.size -= len(evicted)


@cache
def writer_fingerprint() -> str:
    """A digest of the code that renders pieces: stored pieces of an older epg are never served."""
    digest = hashlib.sha256()
    for name in WRITER_MODULES:
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def piece_key(kind: str, slot: DaySlot) -> str:
    """The database key of ``slot``'s piece of feed ``kind``: it changes whenever the bytes could."""
    return hashlib.sha256(repr((kind, slot.key, writer_fingerprint())).encode("utf-8")).hexdigest()


def rendered(service: Service, cache: PieceCache, slots: Sequence[DaySlot], render: Render, kind: str
             ) -> Iterator[bytes]:
    """Each slot's piece in order: from memory, else from the database, else rendered now and kept in both.

    Missing pieces are read a batch at a time, so a cold guide of any size
    holds one batch of programmes in memory, not all. A timeshift
    channel's slots (no revision of their own) are rendered each time.
    """
    for first in range(0, len(slots), BATCH):
        batch = slots[first:first + BATCH]
        packed = [cache.get_packed((kind, *s.key)) if s.revision_id else None for s in batch]
        keys = [piece_key(kind, s) if p is None and s.revision_id else None for s, p in zip(batch, packed, strict=True)]
        wanted = [key for key in keys if key is not None]
        stored = service.stored_pieces(wanted) if wanted else {}
        missing = [s for s, p, key in zip(batch, packed, keys, strict=True) if p is None and key not in stored]
        loaded = service.slot_programmes(missing) if missing else {}
        fresh: dict[str, bytes] = {}
        for slot, piece, key in zip(batch, packed, keys, strict=True):
            if piece is None and key is not None:
                piece = stored.get(key)
                if piece is not None:
                    cache.put_packed((kind, *slot.key), piece)
            if piece is not None:
                yield zlib.decompress(piece)
                continue
            body = render(slot, loaded[slot])
            if key is not None:
                fresh[key] = zlib.compress(body, 1)
                cache.put_packed((kind, *slot.key), fresh[key])
            yield body
        if fresh:
            # Keeping them is for later reads, never worth making this one wait or fail: while a writer holds
            # SQLite's lock (a long publish), they stay in memory only.
            with contextlib.suppress(StoreError):
                service.store_pieces(fresh, wait=False)


def prerender(service: Service, slots: Sequence[DaySlot], render: Render, kind: str,
              known: Mapping[int, list[Programme]] | None = None) -> int:
    """Render and keep in the database the pieces of ``slots`` not kept yet; how many were rendered.

    Called right after a publish for the channel-days it changed (and the
    days before them, whose last programme ends where a changed day begins),
    with ``known``: the programmes of the revisions it stored, so they are not read back.
    """
    done = 0
    for first in range(0, len(slots), BATCH):
        batch = [s for s in slots[first:first + BATCH] if s.revision_id]
        keys = {piece_key(kind, s): s for s in batch}
        stored = service.stored_pieces(list(keys)) if keys else {}
        missing = {key: s for key, s in keys.items() if key not in stored}
        if not missing:
            continue
        loaded = service.slot_programmes(list(missing.values()), known)
        service.store_pieces({key: zlib.compress(render(s, loaded[s]), 1) for key, s in missing.items()})
        done += len(missing)
    return done


#: The XMLTV feed's pieces: one ``<programme>`` run per channel-day.
XMLTV = "xmltv"


def render_xmltv(slot: DaySlot, programmes: list[Programme]) -> bytes:
    return render_channel_day(slot.channel, programmes)


def shown_channels(slots: Iterable[DaySlot]) -> list[Channel]:
    """A feed's channels: those with a published day in it, in order (one with no programme fails tv_validate_file)."""
    return list({slot.channel.id: slot.channel for slot in slots}.values())


def xmltv_document(service: Service, cache: PieceCache, channels: Sequence[Channel],
                   slot_runs: Iterable[Sequence[DaySlot]]) -> Iterator[bytes]:
    """The XMLTV document of ``channels`` and each run of slots' pieces in turn: what every XMLTV feed writes."""
    pieces = (piece for slots in slot_runs for piece in rendered(service, cache, slots, render_xmltv, XMLTV))
    return assemble(channels, pieces)


def xmltv_guide(service: Service, cache: PieceCache, channel_ids: Sequence[str], first: date, days: int
                ) -> Iterator[bytes]:
    """Broadcast days ``first`` + ``days`` of these channels, as ``/xmltv.xml`` serves them, in bounded memory.

    The feed lists every slot at once; a whole guide (10,000 channels × 14
    days) is taken :data:`CHANNEL_BATCH` channels at a time instead, once to
    learn which channels have a day (their ``<channel>`` comes first) and
    again for the pieces, so memory holds one batch of slots and of
    programmes whatever the guide's size.
    """
    batches = [channel_ids[n:n + CHANNEL_BATCH] for n in range(0, len(channel_ids), CHANNEL_BATCH)]
    shown = [channel for batch in batches for channel in shown_channels(service.day_slots(batch, first, days))]
    return xmltv_document(service, cache, shown, (service.day_slots(batch, first, days) for batch in batches))


def prerender_published(service: Service, published: Sequence[tuple[Revision, list[Programme]]]) -> None:
    """``Service.after_publish``: render the XMLTV pieces a publish changed, so no reader renders them.

    Those are each published channel-day and the day before it (its last
    programme ends where the published day begins). The published programmes
    are rendered as the publish gives them (in start order, as the store reads
    them back); a day that shows something else (a merge of sources) is read.
    """
    wanted = {(revision.channel_id, day) for revision, _ in published
              for day in (revision.day - timedelta(days=1), revision.day)}
    first, last = min(day for _, day in wanted), max(day for _, day in wanted)
    slots = service.day_slots(sorted({c for c, _ in wanted}), first, (last - first).days + 1)
    known = {revision.id: programmes for revision, programmes in published}
    prerender(service, [s for s in slots if (s.channel.id, s.day) in wanted], render_xmltv, XMLTV, known)
