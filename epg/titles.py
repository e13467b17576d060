"""Title structure: pull genre, flags, season/episode, year/country and sub-title out of a title.

Pure string work on one programme's text (the time and the age mark already
removed). Each rule is a small, named step so its reason can be read and
tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Genre abbreviations and words that open a title, and the category they stand for.
GENRE_PREFIXES: dict[str, str] = {
    "х/ф": "Художественный фильм",
    "т/с": "Телесериал",
    "д/ф": "Документальный фильм",
    "д/с": "Документальный сериал",
    "м/ф": "Мультфильм",
    "м/с": "Мультсериал",
    "художественный фильм": "Художественный фильм",
    "документальный фильм": "Документальный фильм",
    "документальный сериал": "Документальный сериал",
    "телесериал": "Телесериал",
    "мультфильм": "Мультфильм",
    "мультсериал": "Мультсериал",
    "сериал": "Сериал",
    "фильм": "Фильм",
    "spielfilm": "Spielfilm",
    "fernsehfilm": "Fernsehfilm",
    "dokumentation": "Dokumentation",
    "serie": "Serie",
    "série": "Série",
    "téléfilm": "Téléfilm",
    "documentaire": "Documentaire",
    "film": "Film",
    "movie": "Movie",
}
# Abbreviations (with a slash) are unambiguous; whole words only count when a
# quoted title or a colon follows, so "Film Club" stays a title.
_ABBREV = sorted((k for k in GENRE_PREFIXES if "/" in k), key=len, reverse=True)
_WORDS = sorted((k for k in GENRE_PREFIXES if "/" not in k), key=len, reverse=True)
_ABBREV_RE = re.compile(r"^(?P<g>" + "|".join(map(re.escape, _ABBREV)) + r")\s*[.:]?\s*", re.I)
_WORD_RE = re.compile(
    r"^(?P<g>" + "|".join(map(re.escape, _WORDS)) + r")(?:\s*[:\-–—]\s*|\s+(?=[«\"„“]))", re.I
)
_SUFFIX_RE = re.compile(r",\s*(?P<g>" + "|".join(map(re.escape, _WORDS)) + r")\s*$", re.I)

_FLAGS: list[tuple[str, re.Pattern[str]]] = [
    ("premiere", re.compile(
        r"(?<!\w)(?:Премьера|ПРЕМЬЕРА|Premiere|Première|Erstausstrahlung|NEU)(?:\s+сезона)?!?(?!\w)")),
    # "Live" alone is part of titles ("Live and Let Die"); only the marked forms count.
    ("live", re.compile(
        r"(?<!\w)(?:Прямая трансляция|Прямой эфир|ПРЯМОЙ ЭФИР|LIVE|\(Live\)|Live-Übertragung|En direct)(?!\w)")),
    ("repeat", re.compile(r"\(R\)|\(Повтор\)|(?<!\w)(?:Повтор|Wiederholung|Rediffusion)(?!\w)")),
    ("subtitles", re.compile(r"\(S\)|(?<!\w)(?:с субтитрами|Untertitel|sous-titré)(?!\w)", re.I)),
]

_N = r"(\d{1,4})"
_EPISODE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("se", re.compile(r"(?<!\w)S(\d{1,3})\s?E(\d{1,4})(?!\w)", re.I)),
    ("episode", re.compile(rf"(?<!\w){_N}\s?-?(?:я|й)?\s+и\s+\d{{1,4}}\s?-?(?:я|й)?\s+сери[ия]", re.I)),
    ("episode", re.compile(rf"(?<!\w){_N}\s?-?(?:я|й)?\s*-\s*\d{{1,4}}\s?-?(?:я|й)?\s+сери[ий]", re.I)),
    ("episode", re.compile(rf"(?<!\w){_N}\s?-?(?:я)?\s+сери[яи]", re.I)),
    ("episode", re.compile(rf"(?<!\w)(?:Серия|Folge|Épisode|Episode|Ep\.|Эпизод|Серія)\s*№?\s*{_N}(?!\w)", re.I)),
    ("season", re.compile(rf"(?<!\w){_N}\s?-?(?:й)?\s+сезон(?!\w)", re.I)),
    ("season", re.compile(rf"(?<!\w)(?:Сезон|Staffel|Saison|Season)\s*{_N}(?!\w)", re.I)),
]

_YEAR_COUNTRY_RE = re.compile(r"\((?:(?P<country>[^()\d]{2,60}?),?\s+)?(?P<year>(?:18|19|20)\d{2})(?:\s*г\.?)?\)")
_QUOTES = {"«": "»", '"': '"', "„": "“", "“": "”", "'": "'"}
# A full stop that ends an abbreviation or an initial does not end a title.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "nr", "prof", "др", "ст", "им", "г", "гг",
    "проф", "акад", "ул", "пр", "св", "т", "д", "с", "н", "e", "т.е", "т.д", "и.о",
}


@dataclass
class TitleParts:
    """What :func:`split_title` found in one programme's text."""

    title: str
    sub_title: str | None = None
    categories: list[str] = field(default_factory=list)
    season: int | None = None
    episode: int | None = None
    premiere: bool = False
    live: bool = False
    repeat: bool = False
    subtitles: bool = False
    year: int | None = None
    country: str | None = None


def _tidy(text: str) -> str:
    text = re.sub(r"\(\s*[,;]?\s*\)|\[\s*\]", " ", text)
    text = re.sub(r"\s{2,}", " ", text)
    return text.strip(" \t,;|–—-:.").strip() if not _ends_with_initials(text) else text.strip()


def _ends_with_initials(text: str) -> bool:
    """``Д.Е.Л.О.`` and ``Ст. Петербург Jr.``-style endings keep their final dot."""
    return bool(re.search(r"(?:^|[\s.])\w\.\s*$", text.strip()))


def _strip_quotes(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        inner = text[1:-1]
        if _QUOTES[text[0]] not in inner[1:-1] or (text[0] == "«" and inner.count("«") == inner.count("»")):
            return inner.strip()
    return text


def _take_quoted_title(text: str) -> tuple[str, str] | None:
    """``«Title». Sub`` or ``«Title» (...)``: the quoted part is the title."""
    if not text or text[0] not in _QUOTES:
        return None
    close = _QUOTES[text[0]]
    depth, i = 0, 0
    for i, ch in enumerate(text):
        if text[0] == "«" and ch == "«":
            depth += 1
        elif ch == close:
            depth -= 1 if text[0] == "«" else 0
            if (text[0] != "«" and i > 0) or depth == 0:
                break
    else:
        return None
    return text[1:i].strip(), text[i + 1 :].strip()


def _split_sub_title(text: str) -> tuple[str, str | None]:
    """``Жажда странствий. Иордания`` → title and sub-title, but ``Д.Е.Л.О.`` stays whole.

    Split at the first ". " whose left side is a word of two or more letters
    that is not a known abbreviation, and whose right side starts with a
    capital letter, a digit or a quote.
    """
    for match in re.finditer(r"([^\s.]+)\.\s+(?=[A-ZА-ЯЁЇІЄҐ0-9«\"„“])", text):
        word = match.group(1).strip("«»\"„“()")
        if len(word) < 2 or word.lower() in _ABBREVIATIONS or "." in text[max(0, match.start(1) - 2) : match.start(1)]:
            continue
        left, right = text[: match.end(1)], text[match.end() :]
        if right.strip(". "):
            return left.strip(), right.strip().rstrip(".").strip() or None
    return text, None


def split_title(text: str) -> TitleParts:
    """Split a programme's text (no time, no age mark) into its parts."""
    parts = TitleParts(title="")
    for name, pattern in _FLAGS:
        if pattern.search(text):
            setattr(parts, name, True)
            text = pattern.sub(" ", text)
    for kind, pattern in _EPISODE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if kind == "se":
            parts.season, parts.episode = int(match.group(1)), int(match.group(2))
        elif kind == "episode" and parts.episode is None:
            parts.episode = int(match.group(1))
        elif kind == "season" and parts.season is None:
            parts.season = int(match.group(1))
        text = text[: match.start()] + " " + text[match.end() :]
    match = _YEAR_COUNTRY_RE.search(text)
    if match:
        parts.year = int(match.group("year"))
        parts.country = (match.group("country") or "").strip(" ,") or None
        text = text[: match.start()] + " " + text[match.end() :]
    text = _tidy(text)

    for regex in (_ABBREV_RE, _WORD_RE):
        match = regex.match(text)
        if match and text[match.end() :].strip():
            parts.categories.append(GENRE_PREFIXES[match.group("g").lower()])
            text = text[match.end() :].strip()
            break
    match = _SUFFIX_RE.search(text)
    if match and text[: match.start()].strip():
        parts.categories.append(GENRE_PREFIXES[match.group("g").lower()])
        text = text[: match.start()].strip()

    quoted = _take_quoted_title(text)
    if quoted and quoted[0]:
        title, rest = quoted
        rest = _tidy(rest.lstrip(".").strip())
        parts.title, parts.sub_title = title, _strip_quotes(rest) or None
    else:
        title, sub = _split_sub_title(text)
        parts.title = _strip_quotes(_tidy(title))
        parts.sub_title = _strip_quotes(sub) if sub else None
    return parts
