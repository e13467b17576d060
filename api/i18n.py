"""The pages' language: English or Russian, from a switch that sticks (a cookie) or ``Accept-Language``.

Messages are the English text itself, looked up in ``translations/LANG.toml``
(a missing one shows in English); dates, weekdays and month names come from
CLDR through Babel in the page's language. The API's messages stay English.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from fastapi import Request

#: Languages the pages are served in; the first is the default.
LANGUAGES = ("en", "ru")
NAMES = {"en": "English", "ru": "Русский"}
#: The cookie ``?lang=`` sets, so a reader's choice sticks across pages.
COOKIE = "lang"
_FOLDER = Path(__file__).resolve().parent / "translations"


def negotiate(request: Request) -> str:
    """``?lang=`` (a switch), else the cookie it set, else the best of ``Accept-Language``, else English."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    ranked = []
    for index, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        ranked.append((-quality, index, tag.split("-")[0].strip().lower()))
    return next((tag for _, _, tag in sorted(ranked) if tag in LANGUAGES), LANGUAGES[0])


@cache
def _catalog(lang: str) -> dict[str, str]:
    path = _FOLDER / f"{lang}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def translator(lang: str) -> Callable[..., str]:
    """``_("Today")`` in ``lang``; ``_("{n} programmes", n=3)`` fills its placeholders after translating."""
    catalog = _catalog(lang)

    def translate(message: str, **values: object) -> str:
        text = catalog.get(message, message)
        return text.format(**values) if values else text

    return translate


def day_long(value: date, lang: str) -> str:
    """``Friday 7 January 2022``, ``Пятница 7 января 2022``."""
    text = format_date(value, "EEEE d MMMM y", locale=lang)
    return text[:1].upper() + text[1:]


def day_short(value: date, lang: str) -> str:
    """``Fri 7 Jan``, ``пт 7 янв.``."""
    return format_date(value, "EEE d MMM", locale=lang)
