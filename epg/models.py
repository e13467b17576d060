"""Typed domain models shared by the parser, the store, the service and the feeds."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from epg.channelnames import MAX_ALIAS_LENGTH, MAX_ALIASES, checked_aliases
from epg.details import ChannelDetails, ProgrammeDetails

#: Ids shaped like host names, as the XMLTV DTD recommends and ``tv_validate_file`` checks. Others are kept
#: (playlists match a guide's channels by the exact id its source wrote), with a warning where they arrive.
DNS_ID_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))+$")
#: What a channel id may hold: up to 253 characters, none of them a space, a control character, or one that
#: would cut it short in a URL path or a ``channels=a,b`` list (``/ , ? # % \``). Kept as written, compared
#: ignoring case (see :func:`id_key`).
CHANNEL_ID_RE = re.compile(r"^[^\s/,?#%\\\x00-\x1f\x7f]{1,253}$")


def id_key(channel_id: str) -> str:
    """How two spellings of a channel id are compared: ``DasErste.de`` and ``daserste.de`` are one channel."""
    return channel_id.strip().lower()

Severity = Literal["info", "warning", "error"]

#: The longest programme the store keeps. Nothing on a real grid runs longer, and the
#: bound lets a query for a time window read only the rows that start near it.
MAX_PROGRAMME_LENGTH = timedelta(hours=24)


class _Timed(Protocol):
    start: datetime
    stop: datetime
    stop_estimated: bool


def closed_stop(current: _Timed, following: _Timed) -> datetime:
    """``current``'s stop, or where ``following`` starts if the text gave no stop (a day or less later):
    how publishing the next day fixes the previous day's last programme in every feed."""
    gap = following.start - current.start
    if current.stop_estimated and following.start != current.stop and timedelta(0) < gap <= timedelta(days=1):
        return following.start
    return current.stop


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``, or a ValueError that names it.

    Cached: ZoneInfo keeps only a few zones itself, and a guide of many
    channels would otherwise read zone files from disk on every request.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (expected an IANA name like Europe/Moscow)") from exc


class Rating(BaseModel):
    """An age rating as printed, with the system it belongs to and its minimum age."""

    model_config = ConfigDict(frozen=True)

    system: str = Field(description="Rating system: RU, VCHIP, MPA, FSK, CSA, BBFC, LT or PL.", examples=["RU"])
    value: str = Field(description="The mark as printed, normalized.", examples=["12+"])
    min_age: int | None = Field(default=None, description="Minimum viewer age.", examples=[12])


class Diagnostic(BaseModel):
    """Something the parser noticed about one line of the source text."""

    model_config = ConfigDict(frozen=True)

    line: int = Field(description="1-based line number in the source text.")
    severity: Severity
    message: str
    place: str | None = Field(default=None, examples=['sheet "Пн", row 12'], description=(
        "Where the line is in a document (sheet and row, table, page and column); null for text and HTML."))


#: Schemes a link shown to people may have: pages render it, feeds hand it on (never javascript: or data:).
WEB_SCHEMES = ("http", "https")
#: Schemes a player may be given a stream in.
STREAM_SCHEMES = (*WEB_SCHEMES, "rtmp", "rtmps", "rtsp", "rtp", "udp", "srt")
#: Longest link kept (a channel's icon, url or stream; an imported programme's icons, images and urls).
MAX_URL_LENGTH = 2048
#: Longest gap a channel may allow between programmes before it is flagged (a week).
MAX_GAP_MINUTES = 7 * 24 * 60


def checked_url(value: str | None, schemes: tuple[str, ...]) -> str | None:
    """``value`` if it is an absolute URL in one of ``schemes`` with no space or control character in it
    (every space but " " is unprintable, so two string methods test each character, not a Python loop:
    reading 10,000 channels checks their stored links)."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    scheme, colon, rest = value.partition(":")
    if not colon or scheme.lower() not in schemes or not rest.startswith("//") or \
            " " in value or not value.isprintable() or not rest[2:].split("/", 1)[0].strip("@"):
        raise ValueError(f"{value[:80]!r} is not a {'/'.join(schemes)} URL with a host")
    return value


def web_link(value: str | None) -> str | None:
    """``value`` if it is a link the feeds may hand on: http or https, at most :data:`MAX_URL_LENGTH` characters
    (an import's icons and urls, an edit's posters); ValueError otherwise."""
    if value and len(value) > MAX_URL_LENGTH:
        raise ValueError(f"longer than {MAX_URL_LENGTH} characters")
    return checked_url(value, WEB_SCHEMES)


def shown_url(value: str | None, schemes: tuple[str, ...]) -> str | None:
    """``value`` if :func:`checked_url` accepts it, else None: for links stored before they were checked."""
    try:
        return checked_url(value, schemes)
    except ValueError:
        return None


class Channel(BaseModel):
    """A TV channel whose schedule epg serves."""

    id: str = Field(description="The channel's id, kept as written (playlists match it exactly) and compared "
                                "ignoring case; DNS-like ids such as bigasia.ru are what XMLTV recommends.",
                    examples=["bigasia.ru"])
    name: str = Field(min_length=1, examples=["Большая Азия"])
    tz: str = Field(description="IANA time zone of the channel's schedule.", examples=["Europe/Moscow"])
    lang: str | None = Field(default=None, examples=["ru"], description=(
        "Language of the titles uploaded as text (ISO 639-1): feeds tag them with it. Unset, they carry no "
        "language tag: a language is never invented."))
    # A local wall time with no offset: JSON Schema's "time" format would demand one.
    day_start: Annotated[time, WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$",
                                               "examples": ["05:00"]})] = Field(
        default=time(5, 0), description="When the broadcast day begins, local time.")
    number: str | None = Field(default=None, description="Channel number (LCN).")
    icon: str | None = Field(default=None, max_length=MAX_URL_LENGTH, description="Logo, an http(s) URL.")
    url: str | None = Field(default=None, max_length=MAX_URL_LENGTH,
                            description="The channel's web site, an http(s) URL.")
    stream_url: str | None = Field(default=None, max_length=MAX_URL_LENGTH,
                                   description="Stream for M3U playlists (http(s), rtmp(s), rtsp, rtp, udp, srt).")
    sources: list[str] = Field(
        default_factory=lambda: ["text", "xmltv"],
        description="Sources in priority order; for each day the first that has a grid wins.")
    max_gap_minutes: int = Field(default=180, ge=1, le=MAX_GAP_MINUTES,
                                 description="Longer gaps between programmes are flagged.")
    block_on_warnings: bool = Field(default=False, description="Refuse a publish that has validation warnings.")
    shift_of: str | None = Field(default=None, description="Timeshift: this channel repeats that one …")
    shift_hours: int = Field(default=0, ge=-24, le=24, description="… this many hours later.")
    aliases: list[Annotated[str, Field(max_length=MAX_ALIAS_LENGTH)]] = Field(
        default_factory=list, max_length=MAX_ALIASES, examples=[["Big Asia", "Большая Азия HD"]],
        description="Other names documents print for this channel; a printed name matches the channel whose id, "
                    "name or alias equals it, ignoring case, ё/е, punctuation and spaces.")
    details: ChannelDetails | None = Field(default=None, description=(
        "What an imported guide said beyond name, number, icon and url: the display name's language, "
        "other display names, every icon with its size, every url with its system."))

    @field_validator("id")
    @classmethod
    def _usable_id(cls, value: str) -> str:
        value = value.strip()
        if not CHANNEL_ID_RE.match(value):
            raise ValueError(
                f"channel id {value[:300]!r} must be 1 to 253 characters with no space, control character or "
                "any of / , ? # % \\ (a DNS-like id such as 'bigasia.ru' is best)"
            )
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # An alias that is the channel's own name or id adds nothing: it is left out.
        own = [info.data[f] for f in ("id", "name") if isinstance(info.data.get(f), str)]
        return checked_aliases(value, own)

    @field_validator("icon", "url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        return checked_url(value, WEB_SCHEMES)

    @field_validator("stream_url")
    @classmethod
    def _stream_address(cls, value: str | None) -> str | None:
        return checked_url(value, STREAM_SCHEMES)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)
        return value

    @property
    def zoneinfo(self) -> ZoneInfo:
        return zone(self.tz)


class Provenance(BaseModel):
    """Where a programme of a merged day came from (see :mod:`epg.merge`)."""

    source: str = Field(description="The source whose programme this is.", examples=["text"])
    filled: dict[str, str] = Field(default_factory=dict, examples=[{"description": "xmltv"}],
                                   description="Fields a lower-priority source filled in: field → source.")


class Programme(BaseModel):
    """One broadcast: aware start and stop in the channel's zone, plus what is known of it."""

    start: datetime
    stop: datetime
    title: str
    sub_title: str | None = None
    description: str | None = None
    categories: list[str] = Field(default_factory=list)
    rating: Rating | None = None
    season: int | None = None
    episode: int | None = None
    premiere: bool = False
    live: bool = False
    repeat: bool = False
    subtitles: bool = False
    year: int | None = None
    country: str | None = None
    line: int | None = Field(default=None, description="Source line, when parsed from text.")
    stop_estimated: bool = Field(default=False, description="The source gave no stop; it was assumed.")
    id: str | None = Field(default=None, description="Stable programme id, kept across re-publishing.")
    sequence: int = Field(default=0, description="Rises each time the programme changes.")
    modified: datetime | None = Field(default=None, description="When it last changed.")
    details: ProgrammeDetails | None = Field(default=None, description=(
        "Everything else an imported guide said, verbatim (see epg.details); null for text uploads."))
    provenance: Provenance | None = Field(default=None, description=(
        "On a day several sources publish (see Channel.sources), which source this programme and each field "
        "filled in came from; null on a day one source publishes (the day's source says it)."))

    @field_validator("start", "stop")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("start and stop must carry a time zone")
        return value

    def same_content(self, other: Programme) -> bool:
        """True when nothing a viewer sees differs (identity fields ignored)."""
        ignore = {"id", "sequence", "modified", "line", "provenance"}
        return self.model_dump(exclude=ignore) == other.model_dump(exclude=ignore)


class Revision(BaseModel):
    """One publish of a channel-day: who, when, from what."""

    id: int
    channel_id: str
    day: date
    number: int = Field(description="1 for the first publish of this day and source, then 2, 3, …")
    source: str = Field(examples=["text"])
    author: str | None = None
    created: datetime
    content_type: str = "text/plain"
    upload_id: int | None = Field(default=None, description="The upload this revision was read from.")
    diagnostics: list[Diagnostic] = Field(default_factory=list)


class DayGrid(BaseModel):
    """A channel's schedule for one broadcast day: the programmes of its newest revision.

    ``source`` is the source whose grid won (see ``Channel.sources``).
    """

    channel: Channel
    day: date
    programmes: list[Programme]
    revision: Revision | None = None
    source: str | None = None


class ChannelGuide(BaseModel):
    """A channel with its programmes over some window, in start order."""

    channel: Channel
    programmes: list[Programme]


class Guide(BaseModel):
    """What the feeds render: channels with their programmes."""

    channels: list[ChannelGuide]

    @property
    def last_modified(self) -> datetime | None:
        stamps = [p.modified for c in self.channels for p in c.programmes if p.modified]
        return max(stamps) if stamps else None


M = TypeVar("M", bound=BaseModel)


def trusted(cls: type[M], **values: Any) -> M:
    """A model from values that were valid when stored: like ``model_construct`` minus its per-field
    bookkeeping, which is most of the cost of reading a guide. Fields left out take their defaults
    (required fields must be given).
    (For values built in Python, validating is as fast: pydantic-core does it in C.)"""
    made = cls.__new__(cls)
    defaults = _defaults(cls)
    object.__setattr__(made, "__dict__", {**defaults(), **values} if len(values) < _field_count(cls) else values)
    object.__setattr__(made, "__pydantic_fields_set__", set(values))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


@cache
def _field_count(cls: type[BaseModel]) -> int:
    """How many fields ``cls`` has (``model_fields`` is a property that costs microseconds on every read)."""
    return len(cls.model_fields)


@cache
def _defaults(cls: type[BaseModel]) -> Any:
    """A function giving ``cls``'s field defaults, a fresh list or dict for each field that has a factory."""
    plain = {name: f.default for name, f in cls.model_fields.items() if f.default_factory is None}
    made: dict[str, Any] = {name: f.default_factory for name, f in cls.model_fields.items()
                            if f.default_factory is not None}
    return lambda: {**plain, **{name: factory() for name, factory in made.items()}}
