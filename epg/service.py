"""The service layer: the use cases the CLI and the HTTP API share.

Handlers parse their input, call one method here and render the result;
validation, authorization and transactions live here and in the store.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from epg import channelnames, timeshift
from epg.channelblocks import Block, Document, read_blocks, share
from epg.channelnames import names_channel
from epg.decoding import binary_kind
from epg.diagnostics import capped
from epg.diff import GridDiff, diff_grids
from epg.edits import edited, read_patch
from epg.errors import (
    AlreadyExists,
    AuthError,
    EpgError,
    Forbidden,
    NotFound,
    NotText,
    ParseError,
    Rejected,
    TooLarge,
    UnknownChannels,
    ValidationError,
)
from epg.merge import MERGED
from epg.models import (
    Channel,
    ChannelGuide,
    DayGrid,
    Diagnostic,
    Guide,
    Programme,
    Revision,
    closed_stop,
    id_key,
    zone,
)
from epg.parser import parse_text
from epg.schedule import Schedule, read_schedule
from epg.store import Batch, Store
from epg.timeline import YEARS
from epg.validation import blocking, validate_grid

#: How far ahead now/next looks for "next" before widening the search for quiet channels.
NEXT_WITHIN_HOURS = 4
#: How far the search for "next" widens for a channel off the air that long.
QUIET_WITHIN = timedelta(days=2)

#: Unknown channel names a refusal spells out, each with its commands (the rest are counted).
UNKNOWN_LISTED = 50

#: Dates further than this from today are refused as a likely typo.
SANE_DAYS = 3660
DEFAULT_MAX_UPLOAD = 2_000_000
#: How many times a day's upload limit an imported guide may be.
GUIDE_UPLOAD_FACTOR = 25

log = logging.getLogger("epg.service")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def hash_token(token: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is writing: a token's name and the channels it may write (None: all)."""

    name: str
    channels: list[str] | None

    def may_write(self, channel_id: str) -> bool:
        # Ids compare without case wherever people type them (URLs, tokens, the CLI).
        return self.channels is None or id_key(channel_id) in {id_key(c) for c in self.channels}


@dataclass(frozen=True)
class Published:
    """The result of a publish (or a dry run): each day's grid and the parser's findings."""

    grids: list[DayGrid]
    diagnostics: list[Diagnostic]
    stored: bool
    #: The answer to an earlier request with the same Idempotency-Key, sent again; nothing new was stored.
    replayed: bool = False


@dataclass(frozen=True)
class DocumentDay:
    """One channel-day of a document: its programmes, what was noticed about them, and the revision made."""

    day: date
    programmes: list[Programme]
    diagnostics: list[Diagnostic]
    revision: Revision | None = None


@dataclass(frozen=True)
class DocumentChannel:
    """What a document prints for one channel and the stored channel it means (None: none epg knows)."""

    printed: list[str]
    channel: Channel | None
    days: list[DocumentDay]

    @property
    def name(self) -> str:
        """The name as the document prints it (its first spelling)."""
        return self.printed[0] if self.printed else "(no channel heading)"


@dataclass(frozen=True)
class DocumentPublished:
    """A several-channel document published (or previewed): every channel's days, the skipped ones too."""

    channels: list[DocumentChannel]
    diagnostics: list[Diagnostic]
    stored: bool
    #: The answer to an earlier request with the same Idempotency-Key, sent again; nothing new was stored.
    replayed: bool = False

    @property
    def skipped(self) -> list[DocumentChannel]:
        return [c for c in self.channels if c.channel is None]


@dataclass(frozen=True, eq=False)  # compared by identity: results are keyed by the slot objects asked for
class DaySlot:
    """One channel-day of a feed window and the revisions that decide its content.

    ``key`` changes whenever anything rendered from the slot could change:
    the day's revision, the next day's (which ends the last programme), or
    the channel's own settings. Feeds cache rendered slots by it.
    """

    channel: Channel
    day: date
    revision_id: int | None  # None: a timeshift channel, computed from its source
    next_revision_id: int | None
    updated: datetime | None
    #: A timeshift channel's: the source's revisions of the days around this one, which it is computed from.
    source_revision_ids: tuple[int, ...] = ()

    @property
    def key(self) -> tuple[object, ...]:
        return (self.channel.model_dump_json(), self.day, self.revision_id, self.next_revision_id,
                self.source_revision_ids)


@dataclass(frozen=True)
class NowNext:
    channel: Channel
    now: Programme | None
    next: Programme | None


def close_estimated_stops(items: list[Programme]) -> list[Programme]:
    """A stop the text did not give ends where the following programme starts.

    This is how publishing the next day fixes the previous day's last
    programme in every feed.
    """
    out = list(items)
    for i in range(len(out) - 1):
        current, following = out[i], out[i + 1]
        if (stop := closed_stop(current, following)) != current.stop:
            out[i] = current.model_copy(update={"stop": stop})
    return out


def broadcast_day(channel: Channel, start: datetime) -> date:
    """The broadcast day a programme starting at ``start`` belongs to (days begin at ``day_start``)."""
    local = start.astimezone(channel.zoneinfo)
    since_midnight = timedelta(hours=local.hour, minutes=local.minute)
    begins = timedelta(hours=channel.day_start.hour, minutes=channel.day_start.minute)
    return local.date() - timedelta(days=1) if since_midnight < begins else local.date()


def aware(value: datetime | None, field: str) -> datetime | None:
    """``value`` if it carries a UTC offset (a naive instant is ambiguous across channels' zones)
    and falls in the years a guide can hold (windows around year 1 or 9999 run off the calendar)."""
    if value is not None and value.tzinfo is None:
        raise ValidationError(f"{field} needs a UTC offset, e.g. 2022-01-07T17:05:00+03:00", field=field)
    if value is not None and value.year not in YEARS:
        raise ValidationError(f"{field} must fall in the years {YEARS.start}–{YEARS.stop - 1}", field=field)
    return value


def check_day(value: date, today: date) -> date:
    if abs((value - today).days) > SANE_DAYS:
        raise ValidationError(f"date {value.isoformat()} is more than ten years from today", field="date")
    return value


def _gist(programme: Programme) -> tuple[object, ...]:
    """What a text upload says of a programme, to tell whether reading it again changed anything."""
    return (programme.start, programme.stop, programme.title, programme.sub_title, programme.rating,
            programme.categories, programme.season, programme.episode, programme.description)


def _first_error(exc: ValueError) -> str:
    """The first message of a pydantic ValidationError (or any ValueError), without pydantic's prefix."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return str(errors()[0]["msg"]).removeprefix("Value error, ")
    return str(exc)


def _printed(block: Block) -> str:
    return block.printed[0] if block.printed else "(no channel heading)"


def _unknown_message(unknown: Sequence[Block], known: Sequence[Channel]) -> str:
    """Why a document was refused: the names epg does not know, and the commands that make each known."""
    tz = known[0].tz if known else "UTC"
    shown = unknown[:UNKNOWN_LISTED]
    ids = iter(channelnames.suggested_ids([b.printed[0] for b in shown if b.printed], (c.id for c in known)))
    lines = []
    for block in shown:
        first = min((p.line or 0 for p in block.schedule.programmes), default=0)
        if not block.printed:
            lines.append(f"  programmes from line {first} are under no channel heading: put the channel's name "
                         "above them")
            continue
        name = block.printed[0]
        lines.append(f"  “{name}” (programmes from line {first}): {channelnames.add_command(name, next(ids), tz)}"
                     f"   or: {channelnames.alias_command(name)}")
    if len(unknown) > len(shown):
        lines.append(f"  … and {len(unknown) - len(shown)} more")
    return (f"the document names {len(unknown)} channel(s) epg does not know; nothing was published. Add each, "
            "or attach it to an existing channel as an alias, or skip them (--skip-unknown, "
            "?skip_unknown=true):\n" + "\n".join(lines))


def _with_revisions(parts: Sequence[DocumentChannel], grids: dict[tuple[str, date], DayGrid]
                    ) -> list[DocumentChannel]:
    """``parts`` with each stored day's programmes (with their ids) and revision."""
    out = []
    for part in parts:
        days = []
        for item in part.days:
            grid = grids.get((part.channel.id, item.day)) if part.channel else None
            days.append(DocumentDay(item.day, grid.programmes, item.diagnostics, grid.revision) if grid else item)
        out.append(DocumentChannel(part.printed, part.channel, days))
    return out


def _repairs_of(programmes: Sequence[Programme], repairs: Sequence[Diagnostic]) -> list[Diagnostic]:
    """What a channel's revisions keep of a guide's repairs: those on its programmes' lines, and a count.

    The whole list goes back to whoever imported the guide; keeping all of it
    in every channel-day revision would repeat it thousands of times.
    """
    lines = {p.line for p in programmes if p.line}
    mine = [r for r in repairs if r.line in lines]
    own = capped(mine)
    if len(mine) < len(repairs):
        own.append(Diagnostic(line=0, severity="info", message=(
            f"{len(repairs) - len(mine)} more repair(s) in the imported guide concern other channels or the "
            "document as a whole; reading the upload again lists them.")))
    return own


class Service:
    """epg's use cases over one store."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = utcnow,
                 max_upload_bytes: int = DEFAULT_MAX_UPLOAD, base_url: str = "") -> None:
        self.store = store
        self.clock = clock
        self.max_upload_bytes = max_upload_bytes
        #: Public address of the service, for links in feeds; empty: taken from each request.
        self.base_url = base_url
        #: Called with the revisions each publish stored and their programmes, after it committed: the entry
        #: points render the feed pieces they changed there (see ``feeds.pieces``), from those programmes
        #: rather than reading them back. A failure there is logged, never the publish's: it is stored already.
        self.after_publish: Callable[[Service, list[tuple[Revision, list[Programme]]]], None] | None = None

    def _published(self, results: list[tuple[Revision, list[Programme]]]) -> None:
        if self.after_publish is not None and results:
            try:
                self.after_publish(self, results)
            except Exception:  # the publish is committed; a piece not rendered now is rendered when read
                log.exception("rendering the pieces of a publish failed")

    @property
    def max_guide_bytes(self) -> int:
        """Largest XMLTV guide accepted, in bytes, before and after gzip is unpacked: guides outgrow a day's text."""
        return self.max_upload_bytes * GUIDE_UPLOAD_FACTOR

    # -- channels ---------------------------------------------------------

    def add_channel(self, channel: Channel) -> Channel:
        channel = self._check_shift(channel)
        self._check_aliases(channel)
        self.store.add_channel(channel, self.clock())
        return channel

    def _check_aliases(self, channel: Channel) -> None:
        """Refuse aliases that would let one printed name mean two channels (see :func:`channelnames.clash`)."""
        if not channel.aliases:  # a guide adding thousands of channels reads no list for each
            return
        found = channelnames.clash(channel, self.store.list_channels())
        if found is not None:
            other, alias = found
            raise AlreadyExists(f"the alias {alias!r} would make a printed name mean both {channel.id} and "
                                f"{other.id} ({other.name}); remove it from one of them first", field="aliases")

    def change_aliases(self, channel_id: str, add: Sequence[str] = (), remove: Sequence[str] = ()) -> Channel:
        """The channel with ``add`` among its aliases and ``remove`` (compared folded) no longer."""
        channel = self.store.get_channel(channel_id)
        gone = {channelnames.name_key(a) for a in remove}
        missing = [a for a in remove if channelnames.name_key(a) not in
                   {channelnames.name_key(b) for b in channel.aliases}]
        if missing:
            raise NotFound(f"{channel.id} has no alias {missing[0]!r} (its aliases: "
                           f"{', '.join(channel.aliases) or 'none'})", field="aliases")
        kept = [a for a in channel.aliases if channelnames.name_key(a) not in gone]
        try:
            changed = Channel.model_validate({**channel.model_dump(), "aliases": [*kept, *add]})
        except ValueError as exc:
            raise ValidationError(_first_error(exc), field="aliases") from exc
        return self.update_channel(changed)

    def _check_shift(self, channel: Channel) -> Channel:
        """``channel`` repeating its source by the source's id as stored, however it was typed."""
        if not channel.shift_of:
            return channel
        source = self.store.get_channel(channel.shift_of)
        if source.shift_of or id_key(source.id) == id_key(channel.id):
            raise ValidationError("a timeshift channel must repeat a channel that is not itself shifted",
                                  field="shift_of")
        return channel.model_copy(update={"shift_of": source.id})

    def channels(self) -> list[Channel]:
        return self.store.list_channels()

    def channel(self, channel_id: str) -> Channel:
        return self.store.get_channel(channel_id)

    # -- tokens -----------------------------------------------------------

    def create_token(self, name: str, channels: Sequence[str] | None = None) -> str:
        """Store a new token's hash and return the token itself, which is shown only once."""
        if not name.strip():
            raise ValidationError("a token needs a name", field="name")
        token = "epg_" + secrets.token_urlsafe(32)
        self.store.add_token(name.strip(), hash_token(token), self.token_scope(channels), self.clock())
        return token

    def token_scope(self, channels: Sequence[str] | None) -> list[str] | None:
        """The channels a token for ``channels`` may write, as the channels' own ids (None: all of them).

        Stored as the channels' ids, so a token matches however its channels
        were typed; an empty list is refused, not read as "all".
        """
        if channels is None:
            return None
        if not channels:
            raise ValidationError("an empty channel list gives a token that may write nothing; leave the "
                                  "channels out for an all-channel token", field="channels")
        return list(dict.fromkeys(self.store.get_channel(channel_id).id for channel_id in channels))

    def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise AuthError("a bearer token is required to publish")
        found = self.store.token_by_hash(hash_token(token))
        if found is None:
            raise AuthError("the bearer token is unknown or revoked")
        return Principal(name=found[0], channels=found[1])

    def authorize(self, principal: Principal, channel_id: str) -> None:
        if not principal.may_write(channel_id):
            raise Forbidden(f"token {principal.name!r} may not write to channel {channel_id!r}", field="channel")

    # -- reading and publishing schedules -------------------------------

    def writable(self, channel_id: str, principal: Principal | None) -> Channel:
        """The channel, if ``principal`` may publish to it (None: the local operator may)."""
        channel = self.store.get_channel(channel_id)
        if principal is not None:
            self.authorize(principal, channel.id)
        if channel.shift_of:
            raise ValidationError(f"{channel.id} repeats {channel.shift_of} {channel.shift_hours:+d} h; "
                                  f"publish to {channel.shift_of} instead", field="channel")
        return channel

    def _check_upload(self, data: bytes | str) -> None:
        """Refuse an upload over the size limit, or one that is no schedule text at all."""
        size = len(data if isinstance(data, bytes) else data.encode("utf-8"))
        if size > self.max_upload_bytes:
            raise TooLarge(f"the upload is {size} bytes; the limit is {self.max_upload_bytes}", field="body")
        kind = binary_kind(data) if isinstance(data, bytes) else None
        if kind is not None:
            raise NotText(f"the upload is {kind}, not schedule text; send the text itself (text/plain or "
                          "text/html)", field="body")

    def read(self, channel: Channel, day: date, data: bytes | str) -> Schedule:
        """Parse an upload for ``channel`` starting on ``day``; refuse it when nothing was read."""
        check_day(day, self.clock().date())
        self._check_upload(data)
        schedule = read_schedule(data, day, channel.zoneinfo)
        if not schedule.programmes:
            raise ParseError("no programme could be read from the text", capped(schedule.diagnostics))
        named = schedule.channel_names()
        mine = [heading for heading in named if names_channel(heading, channel)]
        if len(mine) == 1:
            schedule = schedule.only(mine[0])
        elif len(named) > 1:
            # A lone name ("Tipp des Tages: 20:15 …") is no several-channel text: such a text is read whole.
            headings = "; ".join(f"“{heading}”" for heading in named)
            which = "several of them name" if mine else "none of them is"
            raise ValidationError(f"the text lists {len(named)} channels ({headings}); {which} "
                                  f"{channel.name} ({channel.id}) — publish each channel's part to its own "
                                  "channel", field="body")
        for listed in schedule.by_day:
            check_day(listed, self.clock().date())
        return schedule

    def publish_text(
        self,
        channel_id: str,
        day: date,
        data: bytes,
        *,
        principal: Principal | None,
        content_type: str = "text/plain",
        dry_run: bool = False,
        if_revision: int | None = None,
        if_absent: bool = False,
        days_from_text: bool = False,
        idempotency_key: str | None = None,
    ) -> Published:
        """Parse schedule text and, unless ``dry_run``, publish every day it holds in one transaction.

        ``principal`` None is the local operator (the CLI); over HTTP it is
        always the authenticated token. Text whose day headers leave out
        ``day`` is refused unless ``days_from_text`` says its own days count. ``if_revision`` is the revision of
        ``day`` the caller edited; ``if_absent`` asks that ``day`` has none
        yet. Either way a publish in between raises :class:`Conflict`. A retry carrying the
        ``idempotency_key`` of a publish that committed gets that publish's result again.
        """
        channel = self.writable(channel_id, principal)
        if idempotency_key is not None and not dry_run:
            replayed = self.replay(principal, idempotency_key, data)
            if replayed is not None:
                return Published([g for g in replayed if g.channel.id == channel.id] or replayed,
                                 replayed[0].revision.diagnostics if replayed[0].revision else [],
                                 stored=False, replayed=True)
        schedule = self.read(channel, day, data)
        if day not in schedule.by_day and not days_from_text:
            named = ", ".join(d.isoformat() for d in schedule.by_day)
            raise ValidationError(f"the upload is for {day.isoformat()}, but the text's day headers name {named}; "
                                  "publish it to that day, or ask for the days the text names "
                                  "(?days=from-text over HTTP)", field="day")
        findings = [f for d, ps in schedule.by_day.items() for f in validate_grid(channel, d, ps)]
        diagnostics = capped(sorted(schedule.diagnostics + findings, key=lambda d: d.line))
        if dry_run:
            grids = [DayGrid(channel=channel, day=d, programmes=ps) for d, ps in schedule.by_day.items()]
            return Published(grids, diagnostics, stored=False)
        stoppers = blocking(channel, findings)
        if stoppers:
            raise Rejected(f"not published: {len(stoppers)} problem(s) in the schedule, e.g. line "
                           f"{stoppers[0].line}: {stoppers[0].message}", diagnostics)
        expected: dict[date, int | None] | None = None
        if if_revision is not None or if_absent:
            expected = {day: if_revision}
        unchanged = self._unchanged(channel, schedule, data) if expected is None else None
        if unchanged is not None:
            # A retry, or the same file sent again: the days already hold exactly this upload.
            numbers = ", ".join(f"{g.day.isoformat()} revision {g.revision.number}" for g in unchanged if g.revision)
            note = Diagnostic(line=1, severity="info", message=(
                f"Nothing published: this upload is the one already published ({numbers})."))
            return Published(unchanged, [note, *diagnostics], stored=False)
        results = self.store.publish(
            channel, dict(schedule.by_day), raw=data, content_type=content_type, source="text",
            author=principal.name if principal else "cli", diagnostics=diagnostics,
            now=self.clock(), if_revision=expected, idempotency_key=idempotency_key,
        )
        self._published(results)
        grids = [DayGrid(channel=channel, day=rev.day, programmes=progs, revision=rev, source=rev.source)
                 for rev, progs in results]
        return Published(grids, diagnostics, stored=True)

    def replay(self, principal: Principal | None, key: str, data: bytes | str) -> list[DayGrid] | None:
        """What the upload ``principal`` sent earlier with Idempotency-Key ``key`` published, or None
        when it sent none. The same key with other bytes is a client bug, refused rather than guessed at."""
        found = self.store.keyed_upload(principal.name if principal else "cli", key)
        if found is None:
            return None
        digest, results = found
        if digest != hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest():
            raise ValidationError("this Idempotency-Key was sent before with a different upload; "
                                  "use a new key for a new upload", field="Idempotency-Key")
        if not results:  # its days were deleted with their channel since
            raise NotFound("the upload sent with this Idempotency-Key published days that no longer exist",
                           field="Idempotency-Key")
        channels = {c.id: c for c in self.store.list_channels()}
        return [DayGrid(channel=channels[r.channel_id], day=r.day, programmes=ps, revision=r, source=r.source)
                for r, ps in results if r.channel_id in channels]

    def _unchanged(self, channel: Channel, schedule: Schedule, data: bytes) -> list[DayGrid] | None:
        """The current text grids of every day ``schedule`` holds, when each was read from exactly ``data``
        and still reads as the same programmes (a newer parser, or a changed zone, makes a new revision)."""
        digest = hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest()
        grids = []
        for listed, programmes in schedule.by_day.items():
            try:
                grid = self.store.get_day(channel, listed, source="text")
            except NotFound:
                return None
            if grid.revision is None or self.store.upload_digest(grid.revision.id) != digest:
                return None
            if [_gist(p) for p in grid.programmes] != [_gist(p) for p in programmes]:
                return None
            grids.append(grid)
        return grids

    def publish_document(
        self,
        data: bytes,
        *,
        first_day: date | None,
        principal: Principal | None,
        content_type: str = "text/plain",
        dry_run: bool = False,
        skip_unknown: bool = False,
        idempotency_key: str | None = None,
    ) -> DocumentPublished:
        """Publish every channel a document names, all days of each, in one transaction (or preview it).

        Each heading is matched to the stored channel whose id, name or alias
        equals it (see :mod:`epg.channelnames`); each channel's programmes are
        placed in that channel's zone and checked as a day upload is. A name
        epg does not know refuses the whole document, with the commands that
        add it, unless ``skip_unknown``; a token limited to some channels may
        publish only documents whose channels are all among them.
        ``first_day`` is needed only when the document names no dates. A retry carrying the
        ``idempotency_key`` of a publish that committed gets that publish's revisions again.
        """
        self._check_upload(data)
        today = self.clock().date()
        known = self.store.list_channels()
        by_id = {c.id: c for c in known}
        document = self._read_document(data, check_day(first_day, today) if first_day else today, known)
        if first_day is None and document.undated_line is not None:
            raise ValidationError(f"line {document.undated_line}: no day header dates this programme; give the "
                                  "first day (--date, or ?date= over HTTP)", field="date")
        unknown = [b for b in document.blocks if b.key not in by_id]
        if unknown and not skip_unknown:
            raise UnknownChannels(_unknown_message(unknown, known), [_printed(b) for b in unknown])
        mine = [by_id[b.key] for b in document.blocks if b.key in by_id]
        if principal is not None:
            refused = [c.id for c in mine if not principal.may_write(c.id)]
            if refused:
                raise Forbidden(f"token {principal.name!r} may not write to {', '.join(refused)}; nothing was "
                                "published", field="channel")
        for channel in mine:
            if channel.shift_of:
                raise ValidationError(f"the document names {channel.id}, which repeats {channel.shift_of} "
                                      f"{channel.shift_hours:+d} h; name {channel.shift_of} instead", field="channel")
        parts: list[DocumentChannel] = []
        batches: list[Batch] = []
        findings: list[Diagnostic] = []
        stoppers: list[Diagnostic] = []
        for block in document.blocks:
            channel = by_id.get(block.key)  # type: ignore[call-overload]
            by_day = block.schedule.by_day
            found = {d: validate_grid(channel, d, ps) if channel else [] for d, ps in by_day.items()}
            if channel is not None:
                for listed in by_day:
                    check_day(listed, today)
                own = [f for day_findings in found.values() for f in day_findings]
                findings += own
                stoppers += blocking(channel, own)
                batches.append((channel, by_day, capped(sorted(block.schedule.diagnostics + own,
                                                               key=lambda d: d.line))))
            noticed = share(block.schedule.diagnostics, [(p.line or 0, d) for d, ps in by_day.items() for p in ps])
            parts.append(DocumentChannel(block.printed, channel, [
                DocumentDay(d, ps, capped(sorted(noticed[d] + found[d], key=lambda x: x.line)))
                for d, ps in by_day.items()]))
        diagnostics = capped(sorted(document.diagnostics + findings, key=lambda d: d.line))
        if dry_run:
            return DocumentPublished(parts, diagnostics, stored=False)
        replayed = self.replay(principal, idempotency_key, data) if idempotency_key is not None else None
        if replayed is not None:
            revisions = {(g.channel.id, g.day): g for g in replayed}
            return DocumentPublished(_with_revisions(parts, revisions), diagnostics, stored=False, replayed=True)
        if not batches:
            raise ValidationError("none of the channels the document names is known; nothing was published",
                                  field="channel")
        if stoppers:
            raise Rejected(f"not published: {len(stoppers)} problem(s) in the document, e.g. line "
                           f"{stoppers[0].line}: {stoppers[0].message}", diagnostics)
        schedules = {b.key: b.schedule for b in document.blocks}
        held = {c.id: self._unchanged(c, schedules[c.id], data) for c, _, _ in batches}
        if all(grids is not None for grids in held.values()):
            # The same document again: every day it names already holds exactly this upload.
            note = Diagnostic(line=1, severity="info", message=(
                "Nothing published: this document is the one already published."))
            revisions = {(g.channel.id, g.day): g for grids in held.values() for g in grids or []}
            return DocumentPublished(_with_revisions(parts, revisions), [note, *diagnostics], stored=False)
        results = self.store.publish_many(batches, raw=data, content_type=content_type, source="text",
                                          author=principal.name if principal else "cli", now=self.clock(),
                                          idempotency_key=idempotency_key)
        self._published(results)
        stored = {(r.channel_id, r.day): DayGrid(channel=by_id[r.channel_id], day=r.day, programmes=ps, revision=r,
                                                 source=r.source) for r, ps in results}
        return DocumentPublished(_with_revisions(parts, stored), diagnostics, stored=True)

    def first_named_day(self, data: bytes) -> date:
        """The day the first programme of a text is dated by its day header: for uploads given no day."""
        self._check_upload(data)
        entries = parse_text(data, self.clock().date()).entries
        if not entries or entries[0].day is None:
            where = f" (line {entries[0].line})" if entries else ""
            raise ValidationError(f"the text names no date for its first programme{where}; give the first day "
                                  "(--date)", field="date")
        return check_day(entries[0].day, self.clock().date())

    def _read_document(self, data: bytes, first_day: date, known: Sequence[Channel]) -> Document:
        """The document's blocks, each keyed by the id of the channel it names (unknown: by its folded name)."""
        by_key = channelnames.index(known)
        fallback = known[0].zoneinfo if known else zone("UTC")

        def group(printed: str | None) -> tuple[Hashable, ZoneInfo]:
            key = channelnames.name_key(printed) if printed else ""
            found = by_key.get(key, []) if key else []
            if len(found) > 1:
                names = ", ".join(f"{c.id} ({c.name})" for c in found)
                raise ValidationError(f"the document's heading “{printed}” names {len(found)} channels: {names}; "
                                      "rename one of them, or remove the alias that makes them alike "
                                      "(epg channels alias ID NAME --remove)", field="channel")
            return (found[0].id, found[0].zoneinfo) if found else (("unknown", key), fallback)

        document = read_blocks(data, first_day, group)
        if not any(b.schedule.programmes for b in document.blocks):
            raise ParseError("no programme could be read from the document", capped(document.diagnostics))
        if all(not b.printed for b in document.blocks):
            raise ValidationError("the document names no channel (no heading above its programmes); say which "
                                  "channel it is: epg import FILE --channel ID --date DAY, or "
                                  "PUT /api/channels/ID/days/DAY", field="channel")
        return document

    def import_guide(
        self,
        channels: Sequence[Channel],
        programmes: dict[str, list[Programme]],
        repairs: list[Diagnostic],
        *,
        raw: bytes,
        principal: Principal | None,
        source: str = "xmltv",
        content_type: str = "application/xml",
        idempotency_key: str | None = None,
    ) -> list[DayGrid]:
        """Publish another publisher's guide as ``source``: every channel and day in one transaction.

        Channels it names that epg does not know are created (that needs an
        all-channel token); known channels keep their own settings. Each
        programme goes to the broadcast day it starts in. The import is kept
        whatever the channel's checks say: it is a source, and the channel's
        source priorities decide whether it is shown. ``idempotency_key`` is kept with the
        upload, for :meth:`replay`. A programme on a day the store does not accept (see
        :func:`check_day`) is skipped and reported: appended to ``repairs``, which the caller shows.
        """
        known = {c.id: c for c in self.store.list_channels()}
        batches: list[Batch] = []
        for incoming in channels:
            channel = known.get(incoming.id)
            if channel is None:
                if principal is not None:
                    self.require_admin(principal)
                channel = self.add_channel(incoming)
            elif principal is not None:
                self.authorize(principal, channel.id)
            if channel.shift_of:
                raise ValidationError(f"{channel.id} is a timeshift channel; it cannot take an import",
                                      field="channel")
            by_day: dict[date, list[Programme]] = {}
            for programme in programmes.get(incoming.id, []):
                by_day.setdefault(broadcast_day(channel, programme.start), []).append(programme)
            for day in list(by_day):
                try:
                    check_day(day, self.clock().date())
                except ValidationError as exc:
                    for skipped in by_day.pop(day):
                        repairs.append(Diagnostic(line=skipped.line or 1, severity="warning", message=(
                            f"programme {skipped.title!r} skipped: {exc.message}")))
            if by_day:
                by_day = self._within_window(channel, by_day, source)
                batches.append((channel, dict(sorted(by_day.items())), _repairs_of(programmes.get(incoming.id, []),
                                                                                  repairs)))
        if not batches:
            raise ParseError("the guide holds no programme for any channel", capped(repairs))
        results = self.store.publish_many(batches, raw=raw, content_type=content_type, source=source,
                                          author=principal.name if principal else "cli", now=self.clock(),
                                          idempotency_key=idempotency_key)
        self._published(results)
        by_id = {c.id: c for c, _, _ in batches}
        return [DayGrid(channel=by_id[r.channel_id], day=r.day, programmes=ps, revision=r, source=source)
                for r, ps in results]

    def _within_window(self, channel: Channel, by_day: dict[date, list[Programme]], source: str
                       ) -> dict[date, list[Programme]]:
        """A guide's days as they will be stored: it replaces what ``source`` said from its first start to its
        last stop on ``channel``, and nothing else. Earlier programmes of the source stay (cut where the guide
        begins, if they ran into it), later ones too; a day inside the window the guide leaves empty is emptied."""
        begin = min(p.start for items in by_day.values() for p in items)
        end = max(p.stop for items in by_day.values() for p in items)
        first, last = broadcast_day(channel, begin), broadcast_day(channel, end - timedelta(microseconds=1))
        out = {day: list(items) for day, items in by_day.items()}
        # Only the first and the last day can hold programmes outside the window: the days between lie in it.
        for day, held in self.store.source_days(channel, first, last, source, read=(first, last)).items():
            kept = [] if held is None else (
                [p if p.stop <= begin else p.model_copy(update={"stop": begin}) for p in held if p.start < begin]
                + [p for p in held if p.start >= end])
            if day not in out and kept == held:
                continue  # the window only touches it: nothing of it changes
            out[day] = sorted(kept + out.get(day, []), key=lambda p: p.start)
        return dict(sorted(out.items()))

    def rollback(self, channel_id: str, day: date, number: int, *, principal: Principal | None,
                 if_revision: int | None = None) -> DayGrid:
        """Publish revision ``number`` of a day again, as a new revision of the same source."""
        channel = self.writable(channel_id, principal)
        old, old_programmes = self.store.revision(channel, day, number)
        if old.source == MERGED:
            raise ValidationError(f"revision {number} is the merge of the day's sources, made from their revisions; "
                                  "roll back one of those instead (epg history lists them)", field="revision")
        note = Diagnostic(line=0, severity="info", message=f"Rollback to revision {number}.")
        ((revision, stored),) = self.store.publish(
            channel, {day: old_programmes}, upload_id=old.upload_id, source=old.source,
            author=principal.name if principal else "cli", diagnostics=[note, *old.diagnostics], now=self.clock(),
            if_revision={day: if_revision} if if_revision is not None else None)
        self._published([(revision, stored)])
        return DayGrid(channel=channel, day=day, programmes=stored, revision=revision, source=revision.source)

    def revision(self, channel_id: str, day: date, number: int) -> DayGrid:
        channel = self.store.get_channel(channel_id)
        revision, found = self.store.revision(channel, day, number)
        return DayGrid(channel=channel, day=day, programmes=found, revision=revision, source=revision.source)

    def diff(self, channel_id: str, day: date, from_number: int, to_number: int | None = None) -> GridDiff:
        """What changed from revision ``from_number`` to ``to_number`` (default: the current grid)."""
        before = self.revision(channel_id, day, from_number).programmes
        after = (self.revision(channel_id, day, to_number) if to_number is not None
                 else self.store.get_day(self.store.get_channel(channel_id), day)).programmes
        return diff_grids(before, after)

    def edit_programme(self, programme_id: str, raw: bytes, *, principal: Principal | None,
                       content_type: str = "application/merge-patch+json") -> tuple[Channel, Programme]:
        """Change one programme's fields by the JSON merge patch ``raw`` (see :mod:`epg.edits`) as a new revision
        of the source it came from; ``raw`` is kept as that revision's upload. Its id stays; its ``sequence`` rises."""
        patch = read_patch(raw)
        channel, day, shown = self.store.programme_day(programme_id)
        channel = self.writable(channel.id, principal)
        grid = self.store.get_day(channel, day)
        source = shown.provenance.source if shown.provenance else grid.source
        assert source is not None
        if source == grid.source:
            own = grid.programmes
            at = next(i for i, p in enumerate(own) if p.id == programme_id)
        else:  # a merged day: the programme as its own source has it (merged, it keeps their start and title)
            own = self.store.get_day(channel, day, source).programmes
            at = next(i for i, p in enumerate(own) if (p.start, p.title) == (shown.start, shown.title))
        changed = edited(own[at], patch)
        assert isinstance(patch, dict)  # edited() says so otherwise
        note = Diagnostic(line=0, severity="info",
                          message=f"Edited {own[at].title!r} at {own[at].start:%H:%M}: {', '.join(sorted(patch))}.")
        results = self.store.publish(channel, {day: [*own[:at], changed, *own[at + 1:]]}, raw=raw,
                                     content_type=content_type, source=source,
                                     author=principal.name if principal else "cli", diagnostics=[note],
                                     now=self.clock())
        self._published(results)
        return self.programme(programme_id)

    def programme(self, programme_id: str) -> tuple[Channel, Programme]:
        channel_id, programme = self.store.programme(programme_id)
        channel = self.store.get_channel(channel_id)
        following = self.store.programmes_between([channel], programme.start, None)[channel.id][:2]
        return channel, close_estimated_stops([programme, *[p for p in following if p.id != programme.id]])[0]

    def update_channel(self, channel: Channel) -> Channel:
        # The id stays as first stored (playlists match it); a typed id in another case names the same channel.
        channel = self._check_shift(channel.model_copy(update={"id": self.store.get_channel(channel.id).id}))
        self._check_aliases(channel)
        self.store.update_channel(channel, self.clock())
        return channel

    def delete_channel(self, channel_id: str) -> None:
        self.store.delete_channel(self.store.get_channel(channel_id).id)  # as stored, however it was typed

    @property
    def generation(self) -> int:
        """A number that changes whenever this process commits a write: read caches key on it."""
        return self.store.generation

    def tokens(self) -> list[dict[str, object]]:
        return self.store.list_tokens()

    def revoke_token(self, name: str) -> None:
        self.store.revoke_token(name, self.clock())

    def require_admin(self, principal: Principal) -> None:
        """Managing channels and tokens needs a token for every channel."""
        if principal.channels is not None:
            raise Forbidden(f"token {principal.name!r} is limited to some channels; this needs an all-channel token")

    def search(self, query: str, channel_ids: Sequence[str] | None = None, start: datetime | None = None,
               end: datetime | None = None, limit: int = 100) -> list[tuple[Channel, Programme]]:
        """Current programmes matching every word of ``query`` (prefixes count), in start order."""
        chosen = [self.store.get_channel(c) for c in channel_ids] if channel_ids else self.store.list_channels()
        by_id = {c.id: c for c in chosen}
        found = self.store.search(query, chosen, aware(start, "from"), aware(end, "to"), limit)
        return [(by_id[cid], p) for cid, p in found]

    def day(self, channel_id: str, day: date) -> DayGrid:
        channel = self.store.get_channel(channel_id)
        if channel.shift_of:
            begin = datetime.combine(day, channel.day_start, tzinfo=channel.zoneinfo)
            found = self._shifted(channel, begin, begin + timedelta(days=1))
            if not found:
                raise NotFound(f"nothing published for {channel.shift_of} to shift onto {day.isoformat()}",
                               field="date")
            return DayGrid(channel=channel, day=day, programmes=found, source=f"timeshift:{channel.shift_of}")
        grid = self.store.get_day(channel, day)
        following = self.store.programmes_between([channel], grid.programmes[-1].start, None) \
            if grid.programmes else {}
        if grid.programmes and following.get(channel.id):
            closed = close_estimated_stops(grid.programmes + following[channel.id][1:2])
            grid = grid.model_copy(update={"programmes": closed[: len(grid.programmes)]})
        return grid

    def history(self, channel_id: str, day: date, offset: int = 0, limit: int | None = None) -> list[Revision]:
        channel = self.store.get_channel(channel_id)
        return self.store.history(channel.id, day, offset, limit)

    def guide(
        self, channel_ids: Sequence[str] | None = None, start: datetime | None = None, end: datetime | None = None
    ) -> Guide:
        """Channels with their programmes overlapping [start, end); None bounds mean everything."""
        chosen = [self.store.get_channel(c) for c in channel_ids] if channel_ids else self.store.list_channels()
        start, end = aware(start, "from"), aware(end, "to")
        found = self.store.programmes_between([c for c in chosen if not c.shift_of], start, end)
        for channel in chosen:
            if channel.shift_of:
                found[channel.id] = self._shifted(channel, start, end)
        return Guide(channels=[ChannelGuide(channel=c, programmes=close_estimated_stops(found[c.id]))
                               for c in chosen])

    def day_slots(self, channel_ids: Sequence[str] | None, first_day: date, days: int) -> list[DaySlot]:
        """The channel-days from ``first_day`` for ``days`` days that have programmes, channel by channel."""
        chosen = [self.store.get_channel(c) for c in channel_ids] if channel_ids else self.store.list_channels()
        last = first_day + timedelta(days=days)
        current = self.store.current_days([c for c in chosen if not c.shift_of], first_day, last)
        by_id = {c.id: c for c in chosen}
        sources = self.store.current_days([by_id.get(c.shift_of) or self.store.get_channel(c.shift_of)
                                           for c in chosen if c.shift_of], first_day - timedelta(days=1), last)
        slots = []
        for channel in chosen:
            for n in range(days):
                day = first_day + timedelta(days=n)
                if channel.shift_of:
                    around = sorted((d, w.revision_id) for (cid, d), w in sources.items()
                                    if cid == channel.shift_of and abs((d - day).days) <= 1)
                    if around:
                        stamps = [w.updated for d, _ in around if (w := sources[(channel.shift_of, d)]).updated]
                        slots.append(DaySlot(channel, day, None, None, max(stamps) if stamps else None,
                                             tuple(revision_id for _, revision_id in around)))
                    continue
                held = current.get((channel.id, day))
                if held is not None:
                    following = current.get((channel.id, day + timedelta(days=1)))
                    slots.append(DaySlot(channel, day, held.revision_id,
                                         following.revision_id if following else None, held.updated))
        return slots

    def day_span(self, channel_ids: Sequence[str] | None) -> tuple[date, date] | None:
        """The first and last day of these channels' ``day_slots`` (a whole guide's window), or None.

        A timeshift channel's days come from its source's, one day either side.
        """
        chosen = [self.store.get_channel(c) for c in channel_ids] if channel_ids else self.store.list_channels()
        span = self.store.day_span(sorted({c.shift_of or c.id for c in chosen}))
        if span is None or not any(c.shift_of for c in chosen):
            return span
        return span[0] - timedelta(days=1), span[1] + timedelta(days=1)

    def stored_pieces(self, keys: Sequence[str]) -> dict[str, bytes]:
        """Rendered feed pieces kept by any process (compressed), by key (see ``feeds.pieces``)."""
        return self.store.stored_pieces(keys)

    def store_pieces(self, items: Mapping[str, bytes], wait: bool = True) -> None:
        self.store.store_pieces(items, self.clock(), wait=wait)

    def slot_programmes(self, slots: Sequence[DaySlot], known: Mapping[int, list[Programme]] | None = None
                        ) -> dict[DaySlot, list[Programme]]:
        """The programmes of each slot, stops closed by the next day's first programme. Revisions in ``known``
        (just published: their programmes as stored, in start order) are not read again."""
        known = known or {}
        channel_of = {rid: s.channel for s in slots for rid in (s.revision_id, s.next_revision_id)
                      if rid and rid not in known}
        loaded = {**self.store.revision_programmes(channel_of), **known} if channel_of else dict(known)
        out: dict[DaySlot, list[Programme]] = {}
        for slot in slots:
            if slot.revision_id is None:  # timeshift: the broadcast day's window of the source, shifted
                begin = datetime.combine(slot.day, slot.channel.day_start, tzinfo=slot.channel.zoneinfo)
                out[slot] = [p for p in self._shifted(slot.channel, begin, begin + timedelta(days=1))
                             if p.start >= begin]
                continue
            items = loaded[slot.revision_id]
            following = loaded.get(slot.next_revision_id, [])[:1] if slot.next_revision_id else []
            out[slot] = close_estimated_stops(items + following)[: len(items)]
        return out

    def _shifted(self, channel: Channel, start: datetime | None, end: datetime | None) -> list[Programme]:
        assert channel.shift_of
        source = self.store.get_channel(channel.shift_of)
        found = self.store.programmes_between([source], *timeshift.source_window(channel, start, end))
        return timeshift.shift(channel, close_estimated_stops(found[source.id]))

    def now_next(self, at: datetime | None = None) -> list[NowNext]:
        """What is on at ``at`` (default: now) on every channel, and what comes next.

        A few hours ahead hold "next" for nearly every channel; only channels
        off the air that long are looked up again over two days. The store
        reads only what decides it (:meth:`Store.now_next`); a timeshift
        channel is its source's guide, shifted.
        """
        at = aware(at, "at") or self.clock()
        chosen = self.store.list_channels()
        found = self.store.now_next([c for c in chosen if not c.shift_of], at,
                                    at + timedelta(hours=NEXT_WITHIN_HOURS))
        quiet = [c for c in chosen if not c.shift_of and found[c.id][1] is None]
        if quiet:
            found.update(self.store.now_next(quiet, at, at + QUIET_WITHIN))
        shifted = [c.id for c in chosen if c.shift_of]
        if shifted:
            found.update(self._shifted_now_next(shifted, at))
        return [NowNext(c, *found[c.id]) for c in chosen]

    def _shifted_now_next(self, channel_ids: Sequence[str], at: datetime
                          ) -> dict[str, tuple[Programme | None, Programme | None]]:
        """Now/next of timeshift channels, from their guides over the same windows."""
        near = self.guide(channel_ids, start=at, end=at + timedelta(hours=NEXT_WITHIN_HOURS))
        items = {item.channel.id: item for item in near.channels}
        quiet = [c for c, item in items.items() if not any(p.start > at for p in item.programmes)]
        if quiet:
            items.update((item.channel.id, item) for item in self.guide(quiet, at, at + QUIET_WITHIN).channels)
        return {channel_id: (next((p for p in item.programmes if p.start <= at < p.stop), None),
                             next((p for p in item.programmes if p.start > at), None))
                for channel_id, item in items.items()}


__all__ = ["EpgError", "NowNext", "Principal", "Published", "Service", "hash_token", "utcnow"]
