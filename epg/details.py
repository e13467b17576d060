"""Everything the XMLTV DTD can say about a programme or a channel beyond epg's typed core.

The typed fields of :class:`epg.models.Programme` (title, categories, rating,
season, episode, flags…) are epg's *reading* of a programme: search, filters,
iCal and the players' classes use them. A guide from elsewhere says more, and
says it in its own words: :class:`ProgrammeDetails` keeps that verbatim (every
attribute as a string, every language as given, ``None`` where the source
gave none — a language is never invented), so import → export loses nothing.

One rule, applied by the XMLTV writer: where a programme has details, the
elements they hold are written as the source gave them; the title, sub-title
and description are the core fields, with their ``lang`` from here and the
other languages after them. A programme read from text has no details and
is written from its core fields alone.

Adding a field is one edit here (it is stored in the ``details`` JSON column,
returned by the JSON API and compared by ``Programme.same_content`` without
further code) plus its XMLTV mapping in ``feeds/xmltv.py`` and
``feeds/xmltv_reader.py``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

#: ``<credits>`` children in DTD order.
CREDIT_KINDS = ("director", "actor", "writer", "adapter", "producer", "composer", "editor", "presenter",
                "commentator", "guest")
CreditKind = Literal["director", "actor", "writer", "adapter", "producer", "composer", "editor", "presenter",
                     "commentator", "guest"]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Part):
    """Text in a language: ``lang`` is None when the source gave none."""

    text: str
    lang: str | None = None


class Icon(_Part):
    src: str
    width: str | None = None
    height: str | None = None


class Link(_Part):
    """A ``<url>``, with the ``system`` (imdb, themoviedb…) it belongs to."""

    url: str
    system: str | None = None


class Image(_Part):
    """An ``<image>``: type poster, backdrop, still, person or character; size 1–3; orient P or L."""

    url: str
    type: str | None = None
    size: str | None = None
    orient: str | None = None
    system: str | None = None


class Credit(_Part):
    kind: CreditKind
    name: str
    role: str | None = None
    guest: str | None = None
    images: tuple[Image, ...] = ()
    urls: tuple[Link, ...] = ()


class EpisodeNum(_Part):
    """An ``<episode-num>`` verbatim; ``system`` None when absent (the DTD's default is onscreen)."""

    value: str
    system: str | None = None


class Length(_Part):
    value: str
    units: str


class Video(_Part):
    present: str | None = None
    colour: str | None = None
    aspect: str | None = None
    quality: str | None = None


class Audio(_Part):
    present: str | None = None
    stereo: str | None = None


class PreviouslyShown(_Part):
    start: str | None = None
    channel: str | None = None


class Subtitles(_Part):
    type: str | None = None
    language: Text | None = None


class Mark(_Part):
    """A ``<rating>`` or ``<star-rating>``: its value, system and icons."""

    value: str
    system: str | None = None
    icons: tuple[Icon, ...] = ()


class Review(_Part):
    text: str
    type: str
    source: str | None = None
    reviewer: str | None = None
    lang: str | None = None


class ProgrammeDetails(_Part):
    """What an imported programme said beyond the core fields, in DTD order (see the module docstring)."""

    title_lang: str | None = None
    sub_title_lang: str | None = None
    desc_lang: str | None = None
    titles: tuple[Text, ...] = ()
    """Titles besides the core one (other languages)."""
    sub_titles: tuple[Text, ...] = ()
    descs: tuple[Text, ...] = ()
    credits: tuple[Credit, ...] = ()
    date: str | None = None
    categories: tuple[Text, ...] = ()
    keywords: tuple[Text, ...] = ()
    language: Text | None = None
    orig_language: Text | None = None
    length: Length | None = None
    icons: tuple[Icon, ...] = ()
    urls: tuple[Link, ...] = ()
    countries: tuple[Text, ...] = ()
    episode_nums: tuple[EpisodeNum, ...] = ()
    video: Video | None = None
    audio: Audio | None = None
    previously_shown: PreviouslyShown | None = None
    premiere: Text | None = None
    last_chance: Text | None = None
    new: bool = False
    subtitles: tuple[Subtitles, ...] = ()
    ratings: tuple[Mark, ...] = ()
    star_ratings: tuple[Mark, ...] = ()
    reviews: tuple[Review, ...] = ()
    images: tuple[Image, ...] = ()
    clumpidx: str | None = None
    """``n/m``: the n-th (from 0) of m programmes sharing one slot, not an overlap."""
    pdc_start: str | None = None
    vps_start: str | None = None
    showview: str | None = None
    videoplus: str | None = None


class ChannelDetails(_Part):
    """What an imported channel said beyond its name, number, icon and url."""

    name_lang: str | None = None
    display_names: tuple[Text, ...] = ()
    """Display names after the first (other languages, numbers), as given."""
    icons: tuple[Icon, ...] = ()
    urls: tuple[Link, ...] = ()


def in_one_clump(a: ProgrammeDetails | None, b: ProgrammeDetails | None) -> bool:
    """True when two programmes of one slot say they are parts of one clump (``clumpidx`` 0/2 and 1/2)."""
    if a is None or b is None or not a.clumpidx or not b.clumpidx:
        return False
    (i, _, n), (j, _, m) = a.clumpidx.partition("/"), b.clumpidx.partition("/")
    return n == m and i != j and n.strip().isdigit() and int(n) > 1
