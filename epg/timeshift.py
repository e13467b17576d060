"""Timeshift channels: another channel's programmes, N hours later, under ids of their own.

Nothing is copied into the store: a "+2" channel is computed from its source
on every read, so a correction to the source reaches both at once.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from epg.models import Channel, Programme

ID_NAMESPACE = uuid.UUID("0b7c9e04-2f7e-4c55-9a42-5d8f1e6a3b21")


def offset(channel: Channel) -> timedelta:
    return timedelta(hours=channel.shift_hours)


def source_window(channel: Channel, start: datetime | None, end: datetime | None
                  ) -> tuple[datetime | None, datetime | None]:
    """The window of the source channel that fills [start, end) of the shifted one."""
    delta = offset(channel)
    return (start - delta if start else None, end - delta if end else None)


def shift(channel: Channel, programmes: list[Programme]) -> list[Programme]:
    """The source's programmes as the shifted channel shows them, in its own zone."""
    delta, tz = offset(channel), channel.zoneinfo
    return [p.model_copy(update={
        "id": str(uuid.uuid5(ID_NAMESPACE, f"{channel.id}/{p.id}")) if p.id else None,
        "start": (p.start + delta).astimezone(tz),
        "stop": (p.stop + delta).astimezone(tz),
    }) for p in programmes]
