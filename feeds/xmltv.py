"""XMLTV writer: a Guide → bytes valid against the XMLTV DTD.

Elements are built with lxml (escaping is lxml's job) in the DTD's exact
child order, one element per line, channels before programmes. Each
programme is rendered on its own so pieces can be cached and the document
streamed (:func:`iter_xmltv`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from lxml import etree

from epg.models import Channel, Guide, Programme

HEADER = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE tv SYSTEM "xmltv.dtd">\n'
    b'<tv generator-info-name="epg">\n'
)
FOOTER = b"</tv>\n"

# Characters XML 1.0 cannot carry; a player would reject the whole file for one of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def xmltv_time(value: datetime) -> str:
    """``20220107165500 +0300``: local time with its numeric offset."""
    return value.strftime("%Y%m%d%H%M%S %z")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean(text)
    return element


def _render(element: etree._Element) -> bytes:
    """One element, indented one level inside ``<tv>``, one child per line.

    ``etree.indent`` only adds whitespace between elements, never inside
    text, so a description's own line breaks come through unchanged.
    """
    etree.indent(element, space="  ", level=1)
    text: bytes = etree.tostring(element, encoding="utf-8")
    return b"  " + text + b"\n"


def channel_xml(channel: Channel) -> bytes:
    element = etree.Element("channel", id=channel.id)
    _sub(element, "display-name", channel.name, lang=channel.lang)
    if channel.number:
        _sub(element, "display-name", channel.number)
    if channel.icon:
        _sub(element, "icon", src=channel.icon)
    if channel.url:
        _sub(element, "url", channel.url)
    return _render(element)


def episode_numbers(season: int | None, episode: int | None) -> tuple[str, str] | None:
    """(xmltv_ns, onscreen) for a season and episode, or None when neither is known."""
    if season is None and episode is None:
        return None
    ns = f"{season - 1 if season else ''}.{episode - 1 if episode else ''}."
    onscreen = "".join(filter(None, [f"S{season:02d}" if season else "", f"E{episode:02d}" if episode else ""]))
    return ns, onscreen


def programme_xml(programme: Programme, channel: Channel) -> bytes:
    lang, tz = channel.lang, channel.zoneinfo
    element = etree.Element("programme", start=xmltv_time(programme.start.astimezone(tz)),
                            stop=xmltv_time(programme.stop.astimezone(tz)), channel=channel.id)
    _sub(element, "title", programme.title, lang=lang)
    if programme.sub_title:
        _sub(element, "sub-title", programme.sub_title, lang=lang)
    if programme.description:
        _sub(element, "desc", programme.description, lang=lang)
    if programme.year:
        _sub(element, "date", str(programme.year))
    for category in programme.categories:
        _sub(element, "category", category, lang=lang)
    if programme.live:
        _sub(element, "category", "Live", lang="en")
    if programme.country:
        _sub(element, "country", programme.country, lang=lang)
    numbers = episode_numbers(programme.season, programme.episode)
    if numbers:
        _sub(element, "episode-num", numbers[0], system="xmltv_ns")
        _sub(element, "episode-num", numbers[1], system="onscreen")
    if programme.repeat:
        _sub(element, "previously-shown")
    if programme.premiere:
        _sub(element, "premiere")
    if programme.subtitles:
        _sub(element, "subtitles")
    if programme.rating:
        rating = _sub(element, "rating", system=programme.rating.system)
        _sub(rating, "value", programme.rating.value)
    return _render(element)


def iter_xmltv(guide: Guide) -> Iterator[bytes]:
    """The document in pieces: header, every channel, every programme, footer."""
    yield HEADER
    for item in guide.channels:
        yield channel_xml(item.channel)
    for item in guide.channels:
        for programme in item.programmes:
            yield programme_xml(programme, item.channel)
    yield FOOTER


def write_xmltv(guide: Guide) -> bytes:
    return b"".join(iter_xmltv(guide))


def join(pieces: Iterable[bytes]) -> bytes:
    return b"".join(pieces)
