"""The web pages people use: the viewers' guide, programme, channel and search pages, and the operators' page.

Pages are rendered on the server with Jinja2 and read completely without JavaScript; the little plain
JavaScript in ``api/static`` only adds comfort (scroll to now, details in a dialog). The operators' page is
the exception: it drives the JSON API from the browser with the operator's bearer token.

Handlers stay thin: they call a service method or two and shape the result for a template.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from api import i18n
from api.caching import cached_response
from api.deps import Day, ServiceDep
from epg.errors import NotFound
from epg.models import Channel, Programme, Revision
from epg.service import check_day

API_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = API_DIR / "static"

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(API_DIR / "templates"))

State = Literal["past", "now", "later"]
SEARCH_LIMIT = 100
#: Pages load scripts and styles from /static only (style attributes carry the grid's positions), so an
#: injected script could not run where an operator's token lives.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' https: data:; connect-src 'self'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
DayQ = Annotated[date | None, Query(description="Broadcast day to show (default: today).")]


# -- formatting (Jinja filters) ----------------------------------------------


def hm(value: datetime) -> str:
    return value.strftime("%H:%M")


@pass_context
def day_long(context: Context, value: date) -> str:
    """``Friday 7 January 2022`` (``Пятница 7 января 2022``), in the page's language."""
    return i18n.day_long(value, context.get("lang", "en"))


@pass_context
def day_short(context: Context, value: date) -> str:
    """``Fri 7 Jan`` (``пт 7 янв.``), in the page's language."""
    return i18n.day_short(value, context.get("lang", "en"))


def duration(value: timedelta, translate: Any = None) -> str:
    """``45 min``, ``1 h``, ``2 h 15 min`` (``2 ч 15 мин`` with a Russian ``translate``)."""
    _ = translate or i18n.translator("en")
    minutes = round(value.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return str(_("{minutes} min", minutes=rest))
    return str(_("{hours} h {minutes} min", hours=hours, minutes=rest) if rest else _("{hours} h", hours=hours))


@pass_context
def _duration(context: Context, value: timedelta) -> str:
    return duration(value, context.get("_"))


def utc_offset(value: datetime) -> str:
    """``UTC+03:00`` for a Moscow time."""
    offset = value.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    hours, rest = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def age_class(programme: Programme) -> str:
    """A CSS class grading the age mark: ``age-kids`` (0–6), ``age-12``, ``age-16``, ``age-18``."""
    age = programme.rating.min_age if programme.rating else None
    if age is None:
        return "age-other"
    if age <= 6:
        return "age-kids"
    return "age-12" if age < 16 else "age-16" if age < 18 else "age-18"


@cache
def _static_version(name: str) -> str:
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    """``/static/NAME?v=HASH``: the hash changes with the file, so browsers never keep a stale copy."""
    return f"/static/{name}?v={_static_version(name)}"


templates.env.filters.update(hm=hm, day_long=day_long, day_short=day_short, duration=_duration,
                             utc_offset=utc_offset, age_class=age_class)
templates.env.globals["static"] = static_url


def render(request: Request, template: str, context: dict[str, Any]) -> HTMLResponse:
    """A page in the reader's language (``?lang=`` sets it for the pages that follow, by a cookie)."""
    lang = i18n.negotiate(request)
    switch = {code: str(request.url.include_query_params(lang=code)) for code in i18n.LANGUAGES}
    context = {**context, "lang": lang, "_": i18n.translator(lang), "languages": i18n.NAMES, "switch": switch}
    response = templates.TemplateResponse(request, template, context,
                                          headers={**PAGE_HEADERS, "Vary": "Accept-Language, Cookie"})
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


# -- time helpers ---------------------------------------------------------------


def broadcast_day(instant: datetime, tz: ZoneInfo, day_start: time) -> date:
    """The broadcast day ``instant`` belongs to: before ``day_start`` (05:00) it is still the day before."""
    local = instant.astimezone(tz)
    return (local - timedelta(hours=day_start.hour, minutes=day_start.minute)).date()


def day_window(day: Day, tz: ZoneInfo, day_start: time) -> tuple[datetime, datetime]:
    """[start, end) of a broadcast day; 23 or 25 hours long on the days clocks change."""
    return (datetime.combine(day, day_start, tzinfo=tz),
            datetime.combine(day + timedelta(days=1), day_start, tzinfo=tz))


def minutes_between(a: datetime, b: datetime) -> float:
    """Elapsed minutes (in UTC: subtracting in one zone would count wall-clock time across a clock change)."""
    return (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds() / 60


def in_zone(programme: Programme, tz: ZoneInfo) -> Programme:
    """The programme with its start and stop told in ``tz``."""
    return programme.model_copy(update={"start": programme.start.astimezone(tz), "stop": programme.stop.astimezone(tz)})


def state_of(programme: Programme, now: datetime) -> State:
    if programme.stop <= now:
        return "past"
    return "now" if programme.start <= now else "later"


# -- view models ----------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A programme placed on the guide's time line, in minutes from the start of the day shown."""

    programme: Programme
    offset: float
    length: float
    state: State

    @property
    def size(self) -> str:
        """How much text fits: ``wide``, ``narrow`` (title only) or ``tiny`` (none)."""
        return "tiny" if self.length < 6 else "narrow" if self.length < 14 else "wide"


@dataclass(frozen=True)
class Row:
    channel: Channel
    blocks: list[Block]


@dataclass(frozen=True)
class Hour:
    label: str
    offset: float


@dataclass(frozen=True)
class FeedLinks:
    """One iCal feed as an https URL, a ``webcal://`` subscription and a Google Calendar subscribe link."""

    https: str
    webcal: str
    google: str


@dataclass(frozen=True)
class Listing:
    """A programme shown in a list: its channel, itself in the zone of the page, and how it stands to now."""

    channel: Channel
    programme: Programme
    state: State


def feed_links(request: Request, channel: Channel, title: str | None = None) -> FeedLinks:
    """The channel's iCal feed (only ``title``'s episodes when given), addressed from the request's host."""
    base = str(request.base_url).rstrip("/")
    url = f"{base}/ical/{quote(channel.id)}.ics" + (f"?{urlencode({'title': title})}" if title else "")
    webcal = "webcal://" + url.split("://", 1)[1]
    return FeedLinks(https=url, webcal=webcal,
                     google="https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=":/"))


def guide_zone(channels: list[Channel]) -> tuple[ZoneInfo, time]:
    """The guide shows every channel in the first channel's zone, over its broadcast day."""
    return (channels[0].zoneinfo, channels[0].day_start) if channels else (ZoneInfo("UTC"), time(5))


#: How many days before and after today the day picker offers (the arrows go further).
PICKER_PAST, PICKER_AHEAD = 7, 14


def day_links(base: str, shown: date, today: date) -> dict[str, Any]:
    """Links of the day picker; ``base`` is the page's path."""
    sep = "&" if "?" in base else "?"
    prev_day, next_day = shown - timedelta(days=1), shown + timedelta(days=1)
    # The picker lists days in the page's language (a native date input shows the browser's own format, so a
    # Russian guide read 12/07/2026): a week back and two ahead of today, and the day shown.
    choices = sorted({today + timedelta(days=n) for n in range(-PICKER_PAST, PICKER_AHEAD + 1)} | {shown})
    return {"base": base, "day": shown, "today": today, "is_today": shown == today, "choices": choices,
            "prev": prev_day, "next": next_day,
            "prev_url": f"{base}{sep}day={prev_day.isoformat()}", "next_url": f"{base}{sep}day={next_day.isoformat()}",
            "today_url": base}


# -- pages --------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def guide_page(request: Request, service: ServiceDep, day: DayQ = None) -> HTMLResponse:
    """The guide grid: channels down the side, the broadcast day across, now marked."""
    now = service.clock()
    channels = service.channels()
    tz, day_start = guide_zone(channels)
    today = broadcast_day(now, tz, day_start)
    shown = check_day(day, today) if day else today
    start, end = day_window(shown, tz, day_start)
    guide = service.guide(start=start, end=end)
    total = minutes_between(start, end)
    rows = []
    for item in guide.channels:
        blocks = []
        for p in item.programmes:
            offset = max(0.0, minutes_between(start, p.start))
            length = min(total, minutes_between(start, p.stop)) - offset
            blocks.append(Block(in_zone(p, tz), round(offset, 2), round(length, 2), state_of(p, now)))
        rows.append(Row(item.channel, blocks))
    hours = []
    instant = start.astimezone(UTC)
    while instant < end:
        hours.append(Hour(instant.astimezone(tz).strftime("%H:%M"), minutes_between(start, instant)))
        instant += timedelta(hours=1)
    return render(request, "guide.html", {
        "nav": "guide", "rows": rows, "hours": hours, "minutes": total, "tz": tz, "start": start,
        "now": now.astimezone(tz), "now_offset": round(minutes_between(start, now), 2) if start <= now < end else None,
        "picker": day_links("/", shown, today),
    })


@router.get("/programme/{programme_id}", response_class=HTMLResponse)
def programme_page(request: Request, programme_id: str, service: ServiceDep) -> HTMLResponse:
    """Everything known of one programme, with calendar links."""
    channel, found = service.programme(programme_id)
    tz = channel.zoneinfo
    programme = in_zone(found, tz)
    around = service.guide([channel.id], found.start - timedelta(hours=12), found.stop + timedelta(hours=12))
    neighbours = around.channels[0].programmes
    here = next((i for i, p in enumerate(neighbours) if p.id == found.id), -1)
    before = neighbours[here - 1] if here > 0 else None
    after = neighbours[here + 1] if 0 <= here < len(neighbours) - 1 else None
    guide_tz, guide_day_start = guide_zone(service.channels())
    return render(request, "programme.html", {
        "channel": channel, "p": programme, "state": state_of(found, service.clock()),
        "day": broadcast_day(programme.start, tz, channel.day_start),
        "guide_day": broadcast_day(programme.start, guide_tz, guide_day_start),
        "guide_start": programme.start.astimezone(guide_tz) if guide_tz.key != tz.key else None,
        "guide_tz": guide_tz,
        "channel_feed": feed_links(request, channel), "series_feed": feed_links(request, channel, programme.title),
        "ics": f"/api/programmes/{quote(programme_id)}.ics", "before": before, "after": after,
    })


@router.get("/channel/{channel_id}", response_class=HTMLResponse)
def channel_page(request: Request, channel_id: str, service: ServiceDep, day: DayQ = None) -> HTMLResponse:
    """One channel's broadcast day as a list, now highlighted, with its feeds."""
    channel = service.channel(channel_id)
    now = service.clock()
    tz = channel.zoneinfo
    today = broadcast_day(now, tz, channel.day_start)
    shown = check_day(day, today) if day else today
    programmes: list[Programme] = []
    revision: Revision | None = None
    try:
        grid = service.day(channel.id, shown)
        programmes, revision = grid.programmes, grid.revision
    except NotFound:
        pass  # nothing published for that day yet: an empty list, not an error
    listings = [Listing(channel, in_zone(p, tz), state_of(p, now)) for p in programmes]
    return render(request, "channel.html", {
        "nav": "guide", "channel": channel, "listings": listings, "revision": revision, "tz": tz,
        "now": now.astimezone(tz), "feed": feed_links(request, channel),
        "picker": day_links(f"/channel/{quote(channel.id)}", shown, today),
    })


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, service: ServiceDep,
                q: Annotated[str, Query(max_length=200, description="Words to look for.")] = "",
                channel: Annotated[str, Query(description="Only this channel.")] = "",
                past: Annotated[bool, Query(description="Include programmes that have ended.")] = False,
                ) -> HTMLResponse:
    """Programmes whose title matches, from today on (or all of them with ``past``), with channel and time."""
    now = service.clock()
    channels = service.channels()
    tz, day_start = guide_zone(channels)
    query = q.strip()
    results: list[tuple[Channel, Programme]] = []
    if query:
        start = None if past else day_window(broadcast_day(now, tz, day_start), tz, day_start)[0]
        results = service.search(query, [channel] if channel else None, start, None, limit=SEARCH_LIMIT)
    groups: dict[date, list[Listing]] = {}
    for found_on, p in results:
        listing = Listing(found_on, in_zone(p, tz), state_of(p, now))
        groups.setdefault(broadcast_day(p.start, tz, day_start), []).append(listing)
    for listings in groups.values():  # what is on or still to come first; what has ended goes last
        listings.sort(key=lambda item: item.state == "past")
    return render(request, "search.html", {
        "nav": "search", "q": query, "channel": channel, "past": past, "channels": channels, "tz": tz,
        "groups": sorted(groups.items()), "count": len(results), "limited": len(results) >= SEARCH_LIMIT,
        "today": broadcast_day(now, tz, day_start), "now": now.astimezone(tz),
    })


@router.get("/operator", response_class=HTMLResponse)
def operator_page(request: Request, service: ServiceDep,
                  channel: Annotated[str, Query(description="Channel to select.")] = "",
                  day: DayQ = None) -> HTMLResponse:
    """The operators' page: paste schedule text, preview it, publish it, see the day's history."""
    channels = service.channels()
    tz, day_start = guide_zone(channels)
    today = broadcast_day(service.clock(), tz, day_start)
    return render(request, "operator.html", {
        "nav": "operator", "channel": channel, "day": check_day(day, today) if day else today,
        "messages": i18n.script_messages(i18n.negotiate(request)),  # its scripts' words in the page's language
    })


# -- static files -------------------------------------------------------------------


@router.get("/static/{name}")
def static_file(request: Request, name: str) -> Response:
    """A file of ``api/static`` (CSS, JavaScript, icons), with an ETag and 304s like every other read."""
    path = STATIC_DIR / name
    if "/" in name or name.startswith(".") or not path.is_file():
        raise NotFound(f"no static file {name!r}")
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type.endswith(("javascript", "+xml")):
        media_type += "; charset=utf-8"
    return cached_response(request, path.read_bytes(), media_type)
