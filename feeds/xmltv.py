"""XMLTV writer: a Guide → bytes valid against the XMLTV DTD.

Elements are written in the DTD's exact child order, one element per
line, channels before programmes, with the escaping lxml would apply. Each
programme is rendered on its own so pieces can be cached and the document
streamed (:func:`iter_xmltv`, :func:`render_channel_day`, :func:`assemble`).

What the text of each element may hold follows the DTD and the Perl XMLTV
tools that players' back ends still run (``tv_sort``, ``tv_grep``):

- control characters (C0 other than tab and line breaks, DEL, C1,
  surrogates, U+FFFE/U+FFFF) are dropped; ``tv_validate_file`` rejects C1 as
  mis-encoded windows-1252 and XML 1.0 cannot carry the rest;
- "textual element content may not contain newlines" (DTD) except in a
  description: line breaks in titles, sub-titles, categories and countries
  become one space, and the Perl reader would otherwise warn and drop them;
- leading and trailing whitespace is not significant, so it is trimmed, and
  an element whose text is empty is not written at all.

Classification. Players sort programmes by a few English category words
(Jellyfin and Emby map categories such as "Movie", "Series", "News",
"Sports", "Kids" to their programme types; other players use similar words).
:func:`classify` derives at most one of them from the programme's own
categories, its title and its episode numbers; it is written with
``lang="en"`` after the programme's own categories unless one of those
already says the same thing.

``<new/>``: the DTD defines it as "the first screened programme from a new
show that has never been shown on television before" and says explicitly
that it does not mean a new season or a new episode of an existing show.
We read that as: a premiere (``Programme.premiere``) of a series whose
episode number says it is the very first one (episode 1 of season 1, or
episode 1 with no season). Every other premiere — a film, a later episode,
a new season — is written as ``<premiere/>`` only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from epg.categories import feed_categories, is_series
from epg.models import Channel, Guide, Programme

HEADER = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE tv SYSTEM "xmltv.dtd">\n'
    b'<tv generator-info-name="epg">\n'
)
FOOTER = b"</tv>\n"

#: Written when a programme's title is empty after cleaning: the DTD requires one, validators reject it empty.
NO_TITLE = "—"

# Characters XML 1.0 cannot carry, plus C1 controls (tv_validate_file calls them mis-encoded windows-1252).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"\s*[\r\n\t\v\f\u2028\u2029\x85]+\s*")


def clean(text: str) -> str:
    """``text`` without the characters an XMLTV file must not carry."""
    return _NOT_XML.sub("", text)


def one_line(text: str) -> str:
    """Text for an element the DTD says holds no newlines: breaks become one space, ends trimmed."""
    if text.isprintable():  # the common case: no control character, no line break (and no odd space to trim)
        return text.strip(" ")
    return _BREAKS.sub(" ", clean(text)).strip()


def paragraph(text: str) -> str:
    """Text for a description: line breaks kept (as ``\\n``), ends trimmed."""
    return clean(text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def xmltv_time(value: datetime) -> str:
    """``20220107165500 +0300``: local time with its numeric offset (whole minutes)."""
    offset = value.utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return (f"{value.year:04d}{value.month:02d}{value.day:02d}{value.hour:02d}{value.minute:02d}"
            f"{value.second:02d} {sign}{hours:02d}{mins:02d}")


# --- classification: one mapping for every feed (epg.categories) -------------------------------------------------

def is_new(programme: Programme) -> bool:
    """``<new/>``: the premiere of a series' very first episode (see the module docstring)."""
    return (programme.premiere and is_series(programme) and programme.episode == 1
            and programme.season in (None, 1))


def categories_for(programme: Programme) -> list[tuple[str, str]]:
    """(text, lang-or-"") of every ``<category>``: the feeds' one list (:func:`epg.categories.feed_categories`)."""
    return [(value, lang) for text, lang in feed_categories(programme) if (value := one_line(text))]


# --- rendering ----------------------------------------------------------------------------------------------------
#
# Pieces are written as text, not through an element tree: the writer is the hot path of every feed (about
# five times faster this way). The escaping below is exactly libxml2's serialization of text and attribute
# values that have been through clean()/one_line() (no tab, CR or LF left in attributes), so the bytes are
# what lxml would produce; tests re-serialize every piece with lxml and compare.

def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _line(tag: str, text: str, attrs: str = "", indent: str = "    ") -> str:
    return f"{indent}<{tag}{attrs}>{_text(text)}</{tag}>\n"


def _lang(lang: str) -> str:
    return f' lang="{_attr(lang)}"' if lang else ""


def channel_xml(channel: Channel) -> bytes:
    lang = one_line(channel.lang)
    parts = [f'  <channel id="{_attr(channel.id)}">\n',
             _line("display-name", one_line(channel.name) or channel.id, _lang(lang))]
    number = one_line(channel.number or "")
    if number:
        parts.append(_line("display-name", number))
    icon = one_line(channel.icon or "")
    if icon:
        parts.append(f'    <icon src="{_attr(icon)}"/>\n')
    url = one_line(channel.url or "")
    if url:
        parts.append(_line("url", url))
    parts.append("  </channel>\n")
    return "".join(parts).encode("utf-8")


def episode_numbers(season: int | None, episode: int | None) -> tuple[str, str] | None:
    """(xmltv_ns, onscreen) for a season and episode, or None when neither is known.

    xmltv_ns counts from zero (``1.2.`` is season 2, episode 3); numbers
    below 1 are treated as unknown, since xmltv_ns cannot express them.
    """
    season = season if season and season > 0 else None
    episode = episode if episode and episode > 0 else None
    if season is None and episode is None:
        return None
    ns = f"{season - 1 if season else ''}.{episode - 1 if episode else ''}."
    onscreen = (f"S{season:02d}" if season else "") + (f"E{episode:02d}" if episode else "")
    return ns, onscreen


def programme_xml(programme: Programme, channel: Channel) -> bytes:
    """One ``<programme>`` element and its line break: a pure function of its arguments, safe to cache.

    It reads the channel's id, lang and tz and the programme's content, so a cache key of
    (channel id, lang, tz, programme id, sequence) is enough while ``sequence`` rises on every change.
    """
    tz = channel.zoneinfo
    lang = _lang(one_line(channel.lang))
    parts = [f'  <programme start="{xmltv_time(programme.start.astimezone(tz))}" '
             f'stop="{xmltv_time(programme.stop.astimezone(tz))}" channel="{_attr(channel.id)}">\n',
             _line("title", one_line(programme.title) or NO_TITLE, lang)]
    sub_title = one_line(programme.sub_title or "")
    if sub_title:
        parts.append(_line("sub-title", sub_title, lang))
    description = paragraph(programme.description or "")
    if description:
        parts.append(_line("desc", description, lang))
    if programme.year and programme.year > 0:
        parts.append(f"    <date>{programme.year:04d}</date>\n")
    for text, category_lang in categories_for(programme):
        parts.append(_line("category", text, _lang(category_lang) if category_lang else lang))
    for country in (one_line(c) for c in (programme.country or "").split(",")):
        if country:
            parts.append(_line("country", country, lang))
    numbers = episode_numbers(programme.season, programme.episode)
    if numbers:
        parts.append(f'    <episode-num system="xmltv_ns">{numbers[0]}</episode-num>\n')
        parts.append(f'    <episode-num system="onscreen">{numbers[1]}</episode-num>\n')
    if programme.repeat:
        parts.append("    <previously-shown/>\n")
    if programme.premiere:
        parts.append("    <premiere/>\n")
    if is_new(programme):
        parts.append("    <new/>\n")
    if programme.subtitles:
        parts.append("    <subtitles/>\n")
    value = one_line(programme.rating.value) if programme.rating else ""
    if programme.rating and value:
        system = one_line(programme.rating.system)
        parts.append(f'    <rating system="{_attr(system)}">\n' if system else "    <rating>\n")
        parts.append(_line("value", value, indent="      "))
        parts.append("    </rating>\n")
    parts.append("  </programme>\n")
    return "".join(parts).encode("utf-8")


def render_channel_day(channel: Channel, programmes: Iterable[Programme]) -> bytes:
    """Every programme piece of one channel-day, concatenated: the unit a caller caches per revision."""
    return b"".join(programme_xml(programme, channel) for programme in programmes)


def assemble(channels: Iterable[Channel], bodies: Iterable[bytes]) -> Iterator[bytes]:
    """A document from parts: header, a ``<channel>`` per channel, the programme bodies as given, footer.

    ``bodies`` may be cached :func:`render_channel_day` or :func:`programme_xml` bytes;
    they are passed through unchanged, so the result can be streamed to a file or socket.
    """
    yield HEADER
    for channel in channels:
        yield channel_xml(channel)
    yield from bodies
    yield FOOTER


def iter_xmltv(guide: Guide, *,
               render: Callable[[Programme, Channel], bytes] = programme_xml) -> Iterator[bytes]:
    """The document in pieces: header, every channel, every programme, footer.

    ``render`` lets a caller put a cache in front of :func:`programme_xml`.
    """
    bodies = (render(programme, item.channel) for item in guide.channels for programme in item.programmes)
    return assemble((item.channel for item in guide.channels), bodies)


def write_xmltv(guide: Guide) -> bytes:
    return b"".join(iter_xmltv(guide))


def join(pieces: Iterable[bytes]) -> bytes:
    return b"".join(pieces)
