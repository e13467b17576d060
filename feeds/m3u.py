"""M3U playlist: channels with their streams, pointing players at epg's XMLTV guide.

The extended M3U that IPTV players read (Kodi's IPTV Simple, TiviMate,
Jellyfin, Plex via xTeVe/Threadfin, VLC)::

    #EXTM3U url-tvg="https://tv.example/xmltv.xml.gz" x-tvg-url="https://tv.example/xmltv.xml.gz"
    #EXTINF:-1 tvg-id="bigasia.ru" tvg-name="Большая Азия" tvg-logo="…" tvg-chno="7",Большая Азия
    https://stream.example/bigasia.m3u8

``tvg-id`` is the channel's XMLTV id, which is how a player joins a stream
to its guide. M3U has no escaping rules, and players find attributes with
``key="…"`` patterns, so a double quote inside a value is written as a
single quote, and line breaks (which would start a bogus entry) become
spaces.
"""

from __future__ import annotations

import re

from epg.models import Channel

_BREAKS = re.compile(r"[\r\n\x00-\x1f\x7f\u2028\u2029\x85]+")
_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")


def _plain(text: str) -> str:
    return _BREAKS.sub(" ", text).strip()


def _attr(text: str) -> str:
    return _plain(text).replace('"', "'")


def write_m3u(channels: list[Channel], stream_urls: dict[str, str], base_url: str = "") -> bytes:
    """An extended M3U playlist of ``channels`` in the order given.

    A channel's stream is ``stream_urls[channel.id]``, else the channel's own
    ``stream_url`` when the model has one. A channel without a stream is left
    out: players take the line after ``#EXTINF`` as its URL, so an entry
    without one would swallow the next channel's ``#EXTINF`` or be dropped.
    So is one whose URL holds whitespace or control characters: no URL does,
    and a line break in it would inject entries of its own.
    ``base_url`` (``https://tv.example``) makes the header name the guide at
    ``{base_url}/xmltv.xml.gz``; without it the header is a bare ``#EXTM3U``,
    since a guide address relative to nothing is no use to a player.
    """
    base = _plain(base_url).rstrip("/")
    if base:
        guide = _attr(f"{base}/xmltv.xml.gz")
        lines = [f'#EXTM3U url-tvg="{guide}" x-tvg-url="{guide}"']
    else:
        lines = ["#EXTM3U"]
    for channel in channels:
        url = (stream_urls.get(channel.id) or getattr(channel, "stream_url", None) or "").strip()
        if not url or _SPACE.search(url):
            continue
        attrs = [("tvg-id", channel.id), ("tvg-name", channel.name)]
        if channel.icon:
            attrs.append(("tvg-logo", channel.icon))
        if channel.number:
            attrs.append(("tvg-chno", channel.number))
        rendered = " ".join(f'{key}="{_attr(value)}"' for key, value in attrs if _attr(value))
        lines.append(f"#EXTINF:-1 {rendered},{_plain(channel.name)}")
        lines.append(url)
    return ("\n".join(lines) + "\n").encode("utf-8")
