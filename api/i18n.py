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

from babel import Locale
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


# -- the operators' page's scripts -------------------------------------------------------------

#: Every English message operator.js and documents.js show through ``t()``. The page embeds their
#: translations (``script_messages``), so the scripts need no catalogue of their own.
SCRIPT_MESSAGES = (
    # signing in, channel and day
    "This token is unknown or revoked. Check it and sign in again.",
    "Could not check the token: {detail}",
    "all channels",
    "Signed in as {name} ({scope})",
    "Could not load the channels: {detail}",
    "There are no channels yet: add one with `epg channels add` first.",
    "Published · revision {n} · {programmes}",
    "Not published yet",
    # the editor and the preview
    "Read {name} ({lines}).",
    "The programmes read from the text appear here as you type, next to the line each came from; "
    "lines that were skipped or look doubtful are marked.",
    "Reading…",
    "The server could not be reached ({error}).",
    "Ready to publish {programmes} to {channel} for {day}.",
    "Ready to publish {programmes} to {channel} for {day}, replacing revision {n}.",
    "end assumed",
    "info",
    "warning",
    "error",
    "Live",
    "Premiere",
    "Repeat",
    "Nothing was read from the text.",
    "The token was not accepted: {detail}. Sign in again.",
    "This token may not publish to {channel}: {detail}",
    "Nothing could be published: {detail}",
    # publishing
    "Publishing…",
    "The server could not be reached ({error}); nothing was published.",
    "Published revision {n} · {programmes}.",
    "See it in the guide",
    "channel page",
    "Reload",
    "Reloaded: you now see the latest version of the day. Publish again to replace it.",
    "Someone else published this day in between; reload to see their version before you publish.",
    "Not published: {detail}",
    # history
    "No history: nothing has been published for this day.",
    "Nothing has been published for this day yet.",
    "Compare with current",
    "Roll back to this",
    "Confirm: roll back to {n}",
    "Revision {n}",
    "current",
    "author unknown",
    "Comparing…",
    "Comparing revisions is not available here ({detail}).",
    "Revision {from} → revision {to} (current)",
    "The two revisions have the same programmes.",
    "Added in {n}",
    "Removed in {n}",
    "Changed",
    "moved",
    "retitled",
    "re-rated",
    "changed",
    "Rolled back: revision {made} now has the programmes of revision {n}.",
    "Someone else published this day in between; reload before rolling back.",
    "Not rolled back: {detail}",
    # editing one programme
    "Edit",
    "Save",
    "Title",
    "Sub-title",
    "Description",
    "Poster (an https address)",
    "Episode as shown on screen",
    "Saved {title}: the day has a new revision.",
    # documents naming several channels, and aliases
    "Reading {name}…",
    "Ready to publish {programmes} on {channels}.",
    "Ready to publish {programmes} on {channels}; {skipped}.",
    "None of the channels in this document is known: add them or their names first.",
    "Not allowed: {detail}",
    "Nothing could be read: {detail}",
    "Not ready to publish.",
    "Skip these channels",
    "This document names {channels} epg does not know: add each (or add its name to a channel below), "
    "or skip them.",
    "{day} · revision {n}",
    "unknown channel: skipped",
    "unknown type",
    "Published {channels} ({days}).",
    "Nothing published.",
    "Remove {alias}",
    "None yet.",
    "error {status}",
)
#: Messages with a count, by their English forms for one and for other. A translation gives a form for
#: each of its language's CLDR plural categories as ``"{n} programme|few" = "{n} передачи"``.
SCRIPT_PLURALS = {
    "{n} programme": "{n} programmes",
    "{n} line": "{n} lines",
    "{n} error": "{n} errors",
    "{n} warning": "{n} warnings",
    "{n} skipped": "{n} skipped",
    "{n} channel": "{n} channels",
    "{n} channel skipped": "{n} channels skipped",
    "{n} day": "{n} days",
    "{n} byte": "{n} bytes",
}


@cache
def script_messages(lang: str) -> dict[str, str]:
    """The scripts' messages in ``lang`` (English where one is missing); a plural as ``KEY|CATEGORY`` per category.

    The browser picks the category with ``Intl.PluralRules``, from the same CLDR rules Babel has here.
    """
    catalog = _catalog(lang)
    messages = {key: catalog.get(key, key) for key in SCRIPT_MESSAGES}
    categories = sorted(Locale.parse(lang).plural_form.tags | {"other"})
    for one, other in SCRIPT_PLURALS.items():
        for category in categories:
            messages[f"{one}|{category}"] = catalog.get(f"{one}|{category}", one if category == "one" else other)
    return messages
