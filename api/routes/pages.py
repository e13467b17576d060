"""The viewers' guide page: channels down the side, the day's time across, now marked."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.deps import ServiceDep

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))

PX_PER_MINUTE = 4


@router.get("/", response_class=HTMLResponse)
def guide_page(request: Request, service: ServiceDep,
               day: Annotated[date | None, Query(description="Day to show (default: today).")] = None,
               ) -> HTMLResponse:
    now = service.clock()
    channels = service.channels()
    # Times across are those of the first channel's zone, over its broadcast day.
    tz = channels[0].zoneinfo if channels else ZoneInfo("UTC")
    day_start = channels[0].day_start if channels else time(5)
    shown = day or now.astimezone(tz).date()
    start = datetime.combine(shown, day_start, tzinfo=tz)
    end = start + timedelta(hours=24)
    guide = service.guide(start=start, end=end)
    rows = []
    for item in guide.channels:
        blocks = []
        for p in item.programmes:
            left = max(0.0, (p.start - start).total_seconds() / 60) * PX_PER_MINUTE
            right = min((end - start).total_seconds() / 60, (p.stop - start).total_seconds() / 60) * PX_PER_MINUTE
            blocks.append({"p": p, "left": left, "width": max(right - left, 2),
                           "on_now": p.start <= now < p.stop})
        rows.append({"channel": item.channel, "blocks": blocks})
    hours = [{"label": (start + timedelta(hours=h)).strftime("%H:%M"), "left": h * 60 * PX_PER_MINUTE}
             for h in range(24)]
    now_left = (now - start).total_seconds() / 60 * PX_PER_MINUTE if start <= now < end else None
    return templates.TemplateResponse(request, "guide.html", {
        "rows": rows, "hours": hours, "day": shown, "now_left": now_left,
        "prev_day": shown - timedelta(days=1), "next_day": shown + timedelta(days=1),
        "width": 24 * 60 * PX_PER_MINUTE, "tz": str(tz), "now": now.astimezone(tz),
    })
