"""The categories every feed gives a programme: its own, the class players sort by, and Live.

Players classify by a few English words (Jellyfin and Emby map "Movie",
"Series", "News", "Sports" and "Kids" to their own sections), and viewers
filter calendars by category. XMLTV, JSON and iCal, and the feeds' category
filter, all take the list from :func:`feed_categories`, so a filter for
``Movie`` finds what a player files under films. Pure: no I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache

from epg.models import Programme

MOVIE, SERIES, NEWS, SPORTS, KIDS = "Movie", "Series", "News", "Sports", "Kids"
#: The category words :func:`classify` can add, and the one written for live programmes.
CLASSES = (MOVIE, SERIES, NEWS, SPORTS, KIDS)
LIVE = "Live"

_KIDS_CATEGORIES = {"мультфильм", "мультфильмы", "мультсериал", "анимационный фильм", "анимационный сериал",
                    "детский", "детям", "детская программа", "для детей", "kids", "children", "kinder",
                    "kindersendung", "zeichentrick", "jeunesse", "dessin animé", "cartoon", "cartoons"}
_MOVIE_CATEGORIES = {"художественный фильм", "фильм", "кинофильм", "телефильм", "film", "movie", "movies",
                     "feature film", "spielfilm", "fernsehfilm", "téléfilm", "long métrage", "cinéma"}
_SERIES_CATEGORIES = {"телесериал", "сериал", "мини-сериал", "документальный сериал", "series", "serie", "série",
                      "serien", "tv series", "sitcom", "soap", "telenovela", "feuilleton"}
_NEWS_CATEGORIES = {"новости", "информационная программа", "news", "nachrichten", "actualités", "journal"}
_SPORTS_CATEGORIES = {"спорт", "sport", "sports", "спортивная программа", "football", "soccer", "fußball"}
# Title prefixes an unparsed title may still carry ("Х/ф Ирония судьбы").
_TITLE_PREFIX = re.compile(r"^\s*(?P<p>[хтдмХТДМ]/[фсФС])[\s.:]")
_PREFIX_CLASS = {"х/ф": MOVIE, "т/с": SERIES, "д/с": SERIES, "м/ф": KIDS, "м/с": KIDS}
_NEWS_TITLE = re.compile(r"^\s*[«\"]?(?:Новости|Вести|News|Nachrichten|Tagesschau|heute journal|Le journal|"
                         r"Известия|Время)(?!\w)(?!\s+покажет)", re.I)
_SPORTS_TITLE = re.compile(
    r"(?<!\w)(?:Футбол|Хоккей|Биатлон|Баскетбол|Волейбол|Гандбол|Теннис|Бокс|Смешанные единоборства|"
    r"Фигурное катание|Лыжные гонки|Формула[ -]1|Чемпионат мира|Лига чемпионов|Лига Европы|РПЛ|КХЛ|"
    r"Football|Soccer|Hockey|Biathlon|Basketball|Volleyball|Tennis|Boxing|Formula 1|Champions League|"
    r"Premier League|Fußball|Bundesliga|Eishockey|Handball|Olympi\w*|Олимпи\w*|Sport|Sports|Sportschau|"
    r"Sportstudio|Спорт|Спортивн\w*)(?!\w)", re.I)


@lru_cache(maxsize=4096)  # a guide repeats a few category lists for thousands of programmes
def _folded(categories: tuple[str, ...]) -> frozenset[str]:
    return frozenset(c.strip().casefold() for c in categories)


def is_series(programme: Programme) -> bool:
    """A programme that is one episode of something: a series category, a series prefix or episode numbers."""
    cats = _folded(tuple(programme.categories))
    if cats & _SERIES_CATEGORIES or "мультсериал" in cats or "анимационный сериал" in cats:
        return True
    prefix = _TITLE_PREFIX.match(programme.title)
    if prefix and prefix.group("p").lower() in {"т/с", "д/с", "м/с"}:
        return True
    return (programme.season or 0) > 0 or (programme.episode or 0) > 0


def classify(programme: Programme) -> str | None:
    """The one English category players classify by, or None when nothing says which.

    First match wins: Kids (cartoons), Movie (feature films), Series (a
    series category or prefix), News (a news title or category), Sports (a
    sport's name in the title or a sport category), then Series again when
    season or episode numbers are known. Categories are compared whole and
    case-insensitively, so "Документальный фильм" is not a "Фильм".
    """
    cats = _folded(tuple(programme.categories))
    prefix = _TITLE_PREFIX.match(programme.title)
    by_prefix = _PREFIX_CLASS.get(prefix.group("p").lower()) if prefix else None
    if cats & _KIDS_CATEGORIES or by_prefix == KIDS:
        return KIDS
    if cats & _MOVIE_CATEGORIES or by_prefix == MOVIE:
        return MOVIE
    if cats & _SERIES_CATEGORIES or by_prefix == SERIES:
        return SERIES
    if cats & _NEWS_CATEGORIES or _NEWS_TITLE.match(programme.title):
        return NEWS
    if cats & _SPORTS_CATEGORIES or _SPORTS_TITLE.search(programme.title):
        return SPORTS
    if (programme.season or 0) > 0 or (programme.episode or 0) > 0:
        return SERIES
    return None


def feed_categories(programme: Programme) -> list[tuple[str, str]]:
    """(text, language or "") of each category a feed writes: the programme's own first (as printed, in no
    stated language), then its class and Live (in English); each once, compared ignoring case."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for text in programme.categories:
        key = " ".join(text.split()).casefold()
        if key and key not in seen:
            seen.add(key)
            out.append((text.strip(), ""))
    for extra, wanted in ((classify(programme), True), (LIVE, programme.live)):
        if extra and wanted and extra.casefold() not in seen:
            seen.add(extra.casefold())
            out.append((extra, "en"))
    return out


def category_names(programme: Programme) -> list[str]:
    """:func:`feed_categories` without languages: what JSON and iCal list, and what filters match."""
    return [text for text, _ in feed_categories(programme)]
