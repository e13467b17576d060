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
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import NamedTuple

from epg.categories import feed_categories, is_series
from epg.details import CREDIT_KINDS, EpisodeNum, Icon, Image, Link, Mark, ProgrammeDetails, Text
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


# What an imported programme's details leave out is written from the core fields, as below; the reader keeps a
# detail verbatim only where these would not give it back (so most programmes store little).

def default_categories(programme: Programme, lang: str | None) -> list[tuple[str, str | None]]:
    """(text, lang) of the categories of an imported programme whose details list none: its own in ``lang``
    (its title's language), then the class players sort by, in English."""
    return [(text, category_lang or lang) for text, category_lang in categories_for(programme)]


def default_countries(programme: Programme, lang: str | None) -> list[tuple[str, str | None]]:
    """(text, lang) of each country in ``Programme.country`` (several are joined with commas)."""
    return [(country, lang) for country in (one_line(c) for c in (programme.country or "").split(",")) if country]


def default_episode_nums(programme: Programme) -> list[dict[str, str]]:
    """The ``<episode-num>`` elements season and episode give, as :class:`epg.details.EpisodeNum` data."""
    numbers = episode_numbers(programme.season, programme.episode)
    return [{"value": numbers[0], "system": "xmltv_ns"}, {"value": numbers[1], "system": "onscreen"}] \
        if numbers else []


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
    """One ``<channel>``: its name (in its language), then, for an imported channel, every other display name,
    icon and url it came with; the core number, icon and url are written too when the details lack them."""
    details = channel.details
    lang = one_line((channel.lang if details is None else details.name_lang) or "")
    parts = [f'  <channel id="{_attr(channel.id)}">\n',
             _line("display-name", one_line(channel.name) or channel.id, _lang(lang))]
    names = list(details.display_names) if details else []
    icons = list(details.icons) if details else []
    urls = list(details.urls) if details else []
    if channel.number and all(one_line(n.text) != one_line(channel.number) for n in names):
        names.append(Text(text=channel.number))
    if channel.icon and all(i.src != channel.icon for i in icons):
        icons.insert(0, Icon(src=channel.icon))
    if channel.url and all(u.url != channel.url for u in urls):
        urls.insert(0, Link(url=channel.url))
    for name in names:
        parts.append(_texts("display-name", [name]))
    parts.extend(_icon(icon) for icon in icons)
    parts.extend(_link(url) for url in urls)
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
    if programme.details is not None:
        return _detailed_xml(programme, channel, programme.details)
    tz = channel.zoneinfo
    lang = _lang(one_line(channel.lang or ""))
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
    for country, _ in default_countries(programme, None):
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


# --- imported programmes: the details written as the source gave them (epg.details) -----------------------------

def _attrs(**values: str | None) -> str:
    """Attributes in the order given, each only when it has a value (``None`` or empty: absent)."""
    out = ""
    for name, value in values.items():
        if value and (value := one_line(value)):
            out += f' {name.replace("_", "-")}="{_attr(value)}"'
    return out


class _Said(NamedTuple):
    """Text the writer puts together from the core fields: a :class:`Text` without pydantic's cost."""

    text: str
    lang: str | None


def _texts(tag: str, items: Sequence[Text | _Said], indent: str = "    ", keep_breaks: bool = False) -> str:
    """Elements of language-tagged text, the empty ones left out."""
    if not items:  # most programmes have no keyword, language, country… (the writer is the feeds' hot path)
        return ""
    out = []
    for item in items:
        text = paragraph(item.text) if keep_breaks else one_line(item.text)
        if text:
            out.append(_line(tag, text, _attrs(lang=item.lang), indent))
    return "".join(out)


def _icon(icon: Icon, indent: str = "    ") -> str:
    src = one_line(icon.src)
    return f"{indent}<icon{_attrs(src=src, width=icon.width, height=icon.height)}/>\n" if src else ""


def _link(url: Link, indent: str = "    ") -> str:
    text = one_line(url.url)
    return _line("url", text, _attrs(system=url.system), indent) if text else ""


def _image(image: Image, indent: str = "    ") -> str:
    text = one_line(image.url)
    attrs = _attrs(type=image.type, size=image.size, orient=image.orient, system=image.system)
    return _line("image", text, attrs, indent) if text else ""


def _empty_or_text(tag: str, item: Text) -> str:
    """``<premiere/>``, ``<last-chance lang="en">Last time</last-chance>``: text optional."""
    text = one_line(item.text)
    attrs = _attrs(lang=item.lang)
    return _line(tag, text, attrs) if text else f"    <{tag}{attrs}/>\n"


def _marks(tag: str, marks: Sequence[Mark]) -> str:
    if not marks:
        return ""
    out = []
    for mark in marks:
        value = one_line(mark.value)
        if value:
            out.append(f"    <{tag}{_attrs(system=mark.system)}>\n")
            out.append(_line("value", value, indent="      "))
            out.extend(_icon(icon, "      ") for icon in mark.icons)
            out.append(f"    </{tag}>\n")
    return "".join(out)


def _credits(details: ProgrammeDetails) -> str:
    people = sorted(details.credits, key=lambda c: CREDIT_KINDS.index(c.kind))
    lines = []
    for person in people:
        name = one_line(person.name)
        inner = "".join(_image(i, "").rstrip("\n") for i in person.images) + \
            "".join(_link(u, "").rstrip("\n") for u in person.urls)
        if name or inner:
            attrs = _attrs(role=person.role, guest=person.guest)
            lines.append(f"      <{person.kind}{attrs}>{_text(name)}{inner}</{person.kind}>\n")
    return "    <credits>\n" + "".join(lines) + "    </credits>\n" if lines else ""


def _parts(tag: str, values: Iterable[tuple[str, str | None]]) -> str:
    """``<video>``/``<audio>``: the sub-elements that have a value."""
    inner = [_line(name, one_line(value), indent="      ") for name, value in values if value and one_line(value)]
    return f"    <{tag}>\n" + "".join(inner) + f"    </{tag}>\n" if inner else ""


def _detailed_xml(programme: Programme, channel: Channel, details: ProgrammeDetails) -> bytes:
    """An imported programme: the core title, sub-title and description in the languages the source gave, then
    every detail in DTD order; where details lack an element the core field says (a category, a rating), that."""
    tz = channel.zoneinfo
    d = details
    attrs = _attrs(pdc_start=d.pdc_start, vps_start=d.vps_start, showview=d.showview, videoplus=d.videoplus,
                   channel=channel.id, clumpidx=d.clumpidx)
    parts = [f'  <programme start="{xmltv_time(programme.start.astimezone(tz))}" '
             f'stop="{xmltv_time(programme.stop.astimezone(tz))}"{attrs}>\n',
             _line("title", one_line(programme.title) or NO_TITLE, _attrs(lang=d.title_lang)),
             _texts("title", d.titles),
             _texts("sub-title", [_Said(programme.sub_title, d.sub_title_lang), *d.sub_titles]
                    if programme.sub_title else d.sub_titles),
             _texts("desc", [_Said(programme.description, d.desc_lang), *d.descs]
                    if programme.description else d.descs, keep_breaks=True),
             _credits(d)]
    if d.date and one_line(d.date):
        parts.append(_line("date", one_line(d.date)))
    elif programme.year and programme.year > 0:
        parts.append(f"    <date>{programme.year:04d}</date>\n")
    own: list[Text | _Said]
    if d.categories:
        own = list(d.categories)
        said = {" ".join(c.text.split()).casefold() for c in own}
        own += [_Said(text, lang) for text, lang in feed_categories(programme)
                if lang and text.casefold() not in said]
    else:
        own = [_Said(text, lang) for text, lang in default_categories(programme, d.title_lang)]
    parts += [_texts("category", own), _texts("keyword", d.keywords),
              _texts("language", [d.language] if d.language else []),
              _texts("orig-language", [d.orig_language] if d.orig_language else [])]
    if d.length and one_line(d.length.value):
        parts.append(_line("length", one_line(d.length.value), _attrs(units=d.length.units)))
    parts += [_icon(icon) for icon in d.icons]
    parts += [_link(url) for url in d.urls]
    countries = d.countries or [_Said(c, lang) for c, lang in default_countries(programme, d.title_lang)]
    parts.append(_texts("country", countries))
    for number in d.episode_nums or [EpisodeNum.model_validate(n) for n in default_episode_nums(programme)]:
        if one_line(number.value):
            parts.append(_line("episode-num", one_line(number.value), _attrs(system=number.system)))
    if d.video:
        parts.append(_parts("video", [("present", d.video.present), ("colour", d.video.colour),
                                      ("aspect", d.video.aspect), ("quality", d.video.quality)]))
    if d.audio:
        parts.append(_parts("audio", [("present", d.audio.present), ("stereo", d.audio.stereo)]))
    if d.previously_shown or programme.repeat:
        shown = d.previously_shown
        parts.append(f"    <previously-shown{_attrs(start=shown.start, channel=shown.channel) if shown else ''}/>\n")
    if d.premiere or (programme.premiere and not d.new):
        parts.append(_empty_or_text("premiere", d.premiere or Text(text="")))
    if d.last_chance:
        parts.append(_empty_or_text("last-chance", d.last_chance))
    if d.new:
        parts.append("    <new/>\n")
    for sub in d.subtitles or ([None] if programme.subtitles else []):
        language = _texts("language", [sub.language], "      ") if sub and sub.language else ""
        kind = _attrs(type=sub.type) if sub else ""
        parts.append(f"    <subtitles{kind}>\n{language}    </subtitles>\n" if language
                     else f"    <subtitles{kind}/>\n")
    if d.ratings:
        parts.append(_marks("rating", d.ratings))
    elif programme.rating and one_line(programme.rating.value):
        parts.append(_marks("rating", [Mark(value=programme.rating.value, system=programme.rating.system)]))
    parts += [_marks("star-rating", d.star_ratings)]
    parts += [_line("review", one_line(r.text) if r.type == "url" else paragraph(r.text),
                    _attrs(type=r.type, source=r.source, reviewer=r.reviewer, lang=r.lang))
              for r in d.reviews if one_line(r.text)]
    parts += [_image(image) for image in d.images]
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
