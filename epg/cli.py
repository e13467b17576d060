"""The ``epg`` command line: parse, channels, import, export, tokens, serve, demo.

The entry point is the one place in ``epg`` allowed to reach the feed writers
and the web app: it is an edge, like the API.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click

from epg.errors import EpgError, ParseError
from epg.settings import Settings

# The domain models (pydantic) and everything behind them are imported inside the commands that use them,
# so that `epg --help` starts about as fast as click itself.

F = TypeVar("F", bound=Callable[..., Any])


def _store() -> Any:
    """The store at EPG_DATABASE_URL at the current schema: all a command that only lists needs."""
    from epg.store import Store

    settings = Settings.from_env()
    store = Store(settings.database_url, settings.sqlite_busy_timeout_ms)
    store.create_schema()
    return store


def _service() -> Any:
    from epg.service import Service

    service = Service(_store(), max_upload_bytes=Settings.from_env().max_upload_bytes)
    service.after_publish = _render_pieces
    return service


def _render_pieces(service: Any, published: list[Any]) -> None:
    """After a publish: render the feed pieces it changed, as the server does (loaded only when publishing)."""
    from feeds.pieces import prerender_published

    prerender_published(service, published)


def _fail_on_epg_errors(func: F) -> F:
    """Domain errors become one line on stderr and exit status 1; no traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ParseError as exc:
            for diagnostic in exc.diagnostics:
                click.echo(f"line {diagnostic.line}: {diagnostic.message}", err=True)
            raise click.ClickException(exc.message) from exc
        except EpgError as exc:
            raise click.ClickException(exc.message) from exc

    return wrapper  # type: ignore[return-value]


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date like 2022-01-07") from exc
    if not 1900 <= parsed.year < 2200:
        raise click.BadParameter(f"{value} is outside the years 1900–2199")
    return parsed


def _tz(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    from epg.models import zone

    try:
        zone(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    return value


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="FILE") from exc


def _write_output(data: bytes, output: str | None) -> None:
    with _open_output(output) as sink:
        sink.write(data)


@contextmanager
def _open_output(output: str | None) -> Iterator[BinaryIO]:
    if output and output != "-":
        with Path(output).open("wb") as sink:
            yield sink
    else:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()


@click.group()
@click.version_option(package_name="epg")
def main() -> None:
    """epg: TV schedule text in; XMLTV, iCal and JSON guides out.

    The database is EPG_DATABASE_URL (default: sqlite:///epg.sqlite3 in the
    current directory).
    """


@main.command()
@click.argument("file", default="-")
@click.option("--date", "first_day", required=True, callback=_date, help="First broadcast day in the text.")
@click.option("--tz", required=True, callback=_tz, help="IANA zone of the times in the text.")
@click.option("--channel", "channel_id", default="channel.epg", show_default=True, help="Channel id for feeds.")
@click.option("--format", "fmt", type=click.Choice(["json", "xmltv", "ical"]), default="json", show_default=True)
def parse(file: str, first_day: date, tz: str, channel_id: str, fmt: str) -> None:
    """Parse schedule text from FILE (or stdin) and print programmes with diagnostics."""
    from epg.identity import assign_ids
    from epg.models import Channel, ChannelGuide, Guide, zone
    from epg.schedule import read_schedule
    from feeds.ical import write_ical
    from feeds.jsonfeed import parse_output
    from feeds.xmltv import write_xmltv

    try:
        channel = Channel(id=channel_id, name=channel_id, tz=tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--channel") from exc
    schedule = read_schedule(_read_input(file), first_day, zone(tz))
    if not schedule.programmes:
        for diagnostic in schedule.diagnostics:
            click.echo(f"line {diagnostic.line}: {diagnostic.message}", err=True)
        click.echo("Error: no programme could be read from the text.", err=True)
        sys.exit(1)
    if fmt == "json":
        _write_output(parse_output(schedule.programmes, schedule.diagnostics, schedule.channels), None)
        return
    stamp = datetime.combine(first_day, time(0), tzinfo=zone(tz))
    ids = assign_ids([], schedule.programmes, lambda i: str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                                     f"{channel.id}/{first_day}/{i}")), stamp)
    if fmt == "xmltv":
        _write_output(write_xmltv(Guide(channels=[ChannelGuide(channel=channel, programmes=ids)])), None)
    else:
        _write_output(write_ical(channel, ids), None)


@main.group()
def channels() -> None:
    """Add and list channels."""


@channels.command("add")
@click.argument("channel_id", metavar="ID")
@click.option("--name", required=True)
@click.option("--tz", required=True, callback=_tz, help="IANA zone, e.g. Europe/Moscow.")
@click.option("--lang", default=None, help="Language of the titles its text uploads give (ISO 639-1, e.g. ru); "
              "unset, feeds tag them with none.")
@click.option("--number", default=None, help="Channel number shown by players.")
@click.option("--day-start", default="05:00", show_default=True, help="When the broadcast day begins.")
@click.option("--alias", "aliases", multiple=True,
              help="Another name documents print for it (repeatable); matched ignoring case, ё/е and punctuation.")
@_fail_on_epg_errors
def channels_add(channel_id: str, name: str, tz: str, lang: str | None, number: str | None, day_start: str,
                 aliases: tuple[str, ...]) -> None:
    """Add a channel; its ID is kept as typed (a DNS-like one such as bigasia.ru is best)."""
    from pydantic import ValidationError

    from epg.models import DNS_ID_RE, Channel

    try:
        channel = Channel(id=channel_id, name=name, tz=tz, lang=lang, number=number,
                          day_start=time.fromisoformat(day_start), aliases=list(aliases))
    except ValidationError as exc:
        raise click.BadParameter("; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())) from exc
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    _service().add_channel(channel)
    click.echo(f"Added {channel.id} ({channel.name}, {channel.tz}).")
    if not DNS_ID_RE.match(channel.id):
        click.echo(f"warning: {channel.id!r} is not DNS-like (e.g. bigasia.ru), as XMLTV recommends; it is kept "
                   "as typed, and tv_validate_file will name it", err=True)


@channels.command("list")
@_fail_on_epg_errors
def channels_list() -> None:
    """List channels."""
    found = _store().list_channels()  # not the service, which would load the parser and the rest for a list
    if not found:
        click.echo("No channels yet. Add one with: epg channels add ID --name NAME --tz ZONE "
                   "(or load the demo with: epg demo)")
    for channel in found:
        aliases = f"\t{', '.join(channel.aliases)}" if channel.aliases else ""
        click.echo(f"{channel.id}\t{channel.name}\t{channel.tz}{aliases}")


@channels.command("alias")
@click.argument("channel_id", metavar="ID")
@click.argument("aliases", metavar="TEXT...", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Remove these aliases instead of adding them.")
@_fail_on_epg_errors
def channels_alias(channel_id: str, aliases: tuple[str, ...], remove: bool) -> None:
    """Add (or --remove) other names a document may print for channel ID."""
    service = _service()
    channel = (service.change_aliases(channel_id, remove=aliases) if remove
               else service.change_aliases(channel_id, add=aliases))
    click.echo(f"{channel.id} ({channel.name}) aliases: {', '.join(channel.aliases) or 'none'}.")


def _progress() -> Any:
    """A progress display on stderr, so stdout stays clean for data."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)


@main.command("import")
@click.argument("file")
@click.option("--channel", "channel_id", default=None,
              help="Read the whole text as this channel's (default: every channel its headings name).")
@click.option("--date", "first_day", default=None, callback=_date,
              help="First broadcast day of a text schedule (needed only when it names no dates).")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "xmltv"]), default="auto", show_default=True,
              help="auto: an XMLTV guide (plain or .gz) is recognised by its first bytes.")
@click.option("--source", default=None, help="Source name for an XMLTV import (default: xmltv).")
@click.option("--skip-unknown", is_flag=True, help="Publish the channels epg knows; list the others as skipped.")
@_fail_on_epg_errors
def import_(file: str, channel_id: str | None, first_day: date | None, fmt: str, source: str | None,
            skip_unknown: bool) -> None:
    """Publish schedule text (every channel it names, or --channel's), or import an XMLTV guide (FILE or -)."""
    data = _read_input(file)
    if fmt == "auto":
        from feeds.detect import is_xmltv

        fmt = "xmltv" if is_xmltv(data) else "text"
    if fmt == "xmltv":
        _import_xmltv(data, source or "xmltv")
        return
    if channel_id is None:
        _import_document(data, first_day, skip_unknown)
        return
    service = _service()
    if first_day is None:
        first_day = service.first_named_day(data)
    published = service.publish_text(channel_id, first_day, data, principal=None, days_from_text=True)
    for diagnostic in published.diagnostics:
        if diagnostic.severity != "info":
            click.echo(f"line {diagnostic.line}: {diagnostic.severity}: {diagnostic.message}", err=True)
    if not published.stored:  # the days already hold exactly this upload
        click.echo(published.diagnostics[0].message)
        return
    for grid in published.grids:
        number = grid.revision.number if grid.revision else "?"
        click.echo(f"Published {grid.channel.id} {grid.day.isoformat()}: "
                   f"{len(grid.programmes)} programmes (revision {number}).")


def _import_document(data: bytes, first_day: date | None, skip_unknown: bool) -> None:
    """Publish every channel a document names, in one transaction; list what was skipped."""
    published = _service().publish_document(data, first_day=first_day, principal=None, skip_unknown=skip_unknown)
    for diagnostic in published.diagnostics:
        if diagnostic.severity != "info":
            click.echo(f"line {diagnostic.line}: {diagnostic.severity}: {diagnostic.message}", err=True)
    for part in published.skipped:
        days = ", ".join(d.day.isoformat() for d in part.days)
        click.echo(f"Skipped “{part.name}” (not a known channel): "
                   f"{sum(len(d.programmes) for d in part.days)} programmes on {days}.")
    if not published.stored:
        click.echo(published.diagnostics[0].message)
        return
    for part in published.channels:
        for day in part.days if part.channel else []:
            number = day.revision.number if day.revision else "?"
            click.echo(f"Published {part.channel.id} {day.day.isoformat()} (“{part.name}”): "
                       f"{len(day.programmes)} programmes (revision {number}).")


def _import_xmltv(data: bytes, source: str) -> None:
    import io

    from feeds.xmltv_reader import read_xmltv

    with _progress() as progress:
        stream = progress.wrap_file(io.BytesIO(data), total=len(data), description="Reading XMLTV")
        guide = read_xmltv(stream)
    for repair in guide.repairs:
        click.echo(f"line {repair.line}: {repair.severity}: {repair.message}", err=True)
    content_type = "application/gzip" if data[:2] == b"\x1f\x8b" else "application/xml"
    read = len(guide.repairs)
    grids = _service().import_guide(guide.channels, guide.programmes, guide.repairs, raw=data, principal=None,
                                    source=source, content_type=content_type)
    for repair in guide.repairs[read:]:  # what the import skipped
        click.echo(f"line {repair.line}: {repair.severity}: {repair.message}", err=True)
    programmes = sum(len(g.programmes) for g in grids)
    channels = len({g.channel.id for g in grids})
    click.echo(f"Imported {programmes} programmes on {channels} channel(s), {len(grids)} day(s), "
               f"as source {source!r}; {len(guide.repairs)} repair(s) reported.")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["xmltv", "ical", "json"]), default="xmltv", show_default=True)
@click.option("--channel", "channel_ids", multiple=True, help="Only this channel (repeatable).")
@click.option("--from", "from_day", callback=_date, default=None,
              help="First day, counted in UTC (default: everything stored).")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Number of days from --from.")
@click.option("--broadcast-days", is_flag=True,
              help="Count --from and --days in each channel's broadcast days, as /xmltv.xml does (XMLTV only).")
@click.option("-o", "--output", default=None, help="Write to this file instead of stdout.")
@_fail_on_epg_errors
def export(fmt: str, channel_ids: tuple[str, ...], from_day: date | None, days: int | None,
           broadcast_days: bool, output: str | None) -> None:
    """Write the stored guide as XMLTV, iCal (one channel) or JSON.

    XMLTV is written from the stored channel-day pieces: the bytes
    /xmltv.xml serves for the same broadcast days. A --from window in UTC
    cuts programmes rather than days, so that XMLTV is rendered a channel at
    a time instead, as JSON is. Memory stays flat however large the guide.
    """
    if broadcast_days and fmt != "xmltv":
        raise click.UsageError("--broadcast-days is for XMLTV, whose feed is made of broadcast days")
    service = _service()
    chosen = list({c.id: c for c in map(service.channel, channel_ids)}.values()) if channel_ids else None
    if fmt == "xmltv" and (from_day is None or broadcast_days):
        _export_broadcast_days(service, chosen, from_day, days, output)
        return
    start = end = None
    if from_day is not None:  # days are counted in UTC, so the same command gives the same file anywhere
        start = datetime.combine(from_day, time(0), tzinfo=UTC)
        if days:
            end = start + timedelta(days=days)
    chosen = chosen if chosen is not None else service.channels()
    if fmt == "xmltv":
        _export_utc_window(service, chosen, start, end, output)
        return
    if fmt == "json":  # a channel at a time, as XMLTV: a whole guide held at once ran out of memory
        from feeds.jsonfeed import iter_json

        with _open_output(output) as sink:
            for piece in iter_json(service.guide([c.id], start, end).channels[0] for c in chosen):
                sink.write(piece)
        return
    from feeds.ical import write_ical

    if len(chosen) != 1:
        raise click.UsageError("iCal export needs exactly one --channel")
    item = service.guide([chosen[0].id], start, end).channels[0]
    _write_output(write_ical(item.channel, item.programmes), output)


def _export_broadcast_days(service: Any, chosen: list[Any] | None, first: date | None, days: int | None,
                           output: str | None) -> None:
    """XMLTV of broadcast days (default: every day stored) through the feed's pieces, as ``/xmltv.xml`` writes it."""
    from feeds.pieces import PieceCache, xmltv_guide

    ids = [c.id for c in chosen] if chosen is not None else None
    if first is None or days is None:  # to the last day stored (--days without --from counts nothing, as before)
        span = service.day_span(ids)
        first = first or (span[0] if span else date.min)
        days = max(0, (span[1] - first).days + 1) if span else 0
    everyone = (ids if ids is not None else [c.id for c in service.channels()]) if days else []
    # Each piece is read once here, so none is kept in memory; the database keeps them for the next export.
    with _open_output(output) as sink:
        for piece in xmltv_guide(service, PieceCache(0), everyone, first, days):
            sink.write(piece)


def _export_utc_window(service: Any, chosen: list[Any], start: datetime | None, end: datetime | None,
                       output: str | None) -> None:
    """XMLTV of the programmes overlapping a UTC window, rendered a channel at a time (no pieces: not whole days)."""
    import tempfile

    from feeds.xmltv import assemble, render_channel_day

    # Bodies first, spooled to disk, so that only channels with programmes get a <channel> (one with none
    # fails tv_validate_file, as the served feed knows), and memory stays flat however large the guide.
    with _progress() as progress, tempfile.TemporaryFile() as spool:
        task = progress.add_task("Exporting", total=len(chosen))
        shown = []
        for channel in chosen:
            item = service.guide([channel.id], start, end).channels[0]
            if item.programmes:
                shown.append(channel)
                spool.write(render_channel_day(channel, item.programmes))
            progress.advance(task)
        spool.seek(0)
        with _open_output(output) as sink:
            for piece in assemble(shown, iter(lambda: spool.read(1 << 20), b"")):
                sink.write(piece)


@main.group()
def tokens() -> None:
    """Manage bearer tokens for publishing."""


@tokens.command("create")
@click.argument("name")
@click.option("--channel", "channel_ids", multiple=True, help="Limit the token to this channel (repeatable).")
@_fail_on_epg_errors
def tokens_create(name: str, channel_ids: tuple[str, ...]) -> None:
    """Create a token and print it once; only its hash is stored."""
    click.echo(_service().create_token(name, list(channel_ids) or None))


@tokens.command("list")
@_fail_on_epg_errors
def tokens_list() -> None:
    """List tokens (names and scope; token values are never stored)."""
    for item in _service().tokens():
        scope = ",".join(item["channels"]) if item["channels"] else "all channels"
        state = f"revoked {item['revoked']:%Y-%m-%d}" if item["revoked"] else "active"
        click.echo(f"{item['name']}\t{scope}\t{state}")


@tokens.command("revoke")
@click.argument("name")
@_fail_on_epg_errors
def tokens_revoke(name: str) -> None:
    """Revoke a token by name."""
    _service().revoke_token(name)
    click.echo(f"Revoked {name}.")


@main.command()
@click.argument("channel_id", metavar="CHANNEL")
@click.argument("day", callback=_date, metavar="DATE")
@_fail_on_epg_errors
def history(channel_id: str, day: date) -> None:
    """List the revisions of a channel-day, oldest first."""
    revisions = _service().history(channel_id, day)
    if not revisions:
        click.echo(f"No revisions of {channel_id} on {day.isoformat()} yet. Publish one with: "
                   f"epg import FILE --channel {channel_id} --date {day.isoformat()}")
        return
    click.echo("revision\tpublished (UTC)\tsource\tby\twarnings\tnote")
    for revision in revisions:
        warnings = sum(1 for d in revision.diagnostics if d.severity != "info")
        note = next((d.message for d in revision.diagnostics if d.message.startswith("Rollback to revision")), "")
        click.echo(f"{revision.number}\t{revision.created:%Y-%m-%d %H:%M:%S}\t{revision.source}\t"
                   f"{revision.author or '-'}\t{warnings}\t{note}")


@main.command()
@click.argument("channel_id", metavar="CHANNEL")
@click.argument("day", callback=_date, metavar="DATE")
@click.option("--from", "from_number", type=int, required=True, help="Older revision number.")
@click.option("--to", "to_number", type=int, default=None, help="Newer revision (default: current).")
@_fail_on_epg_errors
def diff(channel_id: str, day: date, from_number: int, to_number: int | None) -> None:
    """Show what changed between two revisions of a channel-day."""
    changes = _service().diff(channel_id, day, from_number, to_number)
    for p in changes.removed:
        click.echo(f"- {p.start:%H:%M} {p.title}")
    for p in changes.added:
        click.echo(f"+ {p.start:%H:%M} {p.title}")
    for change in changes.changed:
        before, after = change.before, change.after
        click.echo(f"~ {_shown(before)} → {_shown(after)} ({', '.join(change.changes)})")
    if changes.empty:
        click.echo("No changes.")


def _shown(programme: Any) -> str:
    """A programme as ``diff`` shows it: start–stop, title and sub-title, age mark."""
    text = f"{programme.start:%H:%M}–{programme.stop:%H:%M} {programme.title}"
    if programme.sub_title:
        text += f". {programme.sub_title}"
    if programme.rating:
        text += f" {programme.rating.value}"
    return text


@main.command()
@click.argument("channel_id", metavar="CHANNEL")
@click.argument("day", callback=_date, metavar="DATE")
@click.argument("number", type=int)
@_fail_on_epg_errors
def rollback(channel_id: str, day: date, number: int) -> None:
    """Publish revision NUMBER of a channel-day again, as a new revision."""
    grid = _service().rollback(channel_id, day, number, principal=None)
    click.echo(f"Published revision {grid.revision.number if grid.revision else '?'} "
               f"({len(grid.programmes)} programmes) from revision {number}.")


@main.command()
@click.argument("programme_id", metavar="PROGRAMME_ID")
@click.option("--set", "fields", multiple=True, metavar="FIELD=VALUE",
              help="A field to set (repeatable): the value as JSON if it reads as JSON (1981, null, [\"Drama\"]), "
                   "else as text.")
@click.option("--patch", "patch_file", type=click.File("rb"), default=None,
              help="A JSON merge patch from a file, or - for stdin "
                   "('{\"details\": {\"icons\": [{\"src\": \"https://…\"}]}}').")
@_fail_on_epg_errors
def edit(programme_id: str, fields: tuple[str, ...], patch_file: Any) -> None:
    """Edit one programme (see PATCH /api/programmes/ID): what text cannot say, as a new revision of its day."""
    import json

    if fields and patch_file is not None:
        raise click.UsageError("give --set or --patch, not both")
    if patch_file is not None:
        raw = patch_file.read()
    else:
        patch: dict[str, object] = {}
        for item in fields:
            name, equals, value = item.partition("=")
            if not equals:
                raise click.UsageError(f"--set {item!r}: write FIELD=VALUE")
            try:
                patch[name.strip()] = json.loads(value)
            except json.JSONDecodeError:
                patch[name.strip()] = value
        raw = json.dumps(patch, ensure_ascii=False).encode("utf-8")
    channel, programme = _service().edit_programme(programme_id, raw, principal=None)
    click.echo(f"Edited {programme.title!r} on {channel.id} at {programme.start:%Y-%m-%d %H:%M} "
               f"(sequence {programme.sequence}).")


@main.command()
@_fail_on_epg_errors
def demo() -> None:
    """Add the demo channels and publish their days (idempotent)."""
    from epg.demo import load_demo

    done = load_demo(_service())
    click.echo("Demo data: " + (", ".join(done) if done else "already loaded") + ".")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int,
              help="Worker processes (use PostgreSQL when running several).")
@click.option("--demo", "with_demo", is_flag=True, help="Load the demo data first.")
def serve(host: str, port: int, workers: int, with_demo: bool) -> None:
    """Serve the guide, the feeds and the API over HTTP."""
    import uvicorn

    if with_demo:
        from epg.demo import load_demo

        load_demo(_service())
    click.echo(f"epg serving on http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, log_level="info")


if __name__ == "__main__":
    main()
