"""Title structure: pull genre, flags, season/episode, year/country and sub-title out of a title.

Pure string work on one programme's text (the time and the age mark already
removed). Each rule is a small, named step so its reason can be read and
tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from epg.lexicon import FLAGS, lexicon

_WORDS_OF = lexicon()
#: Genre words that open a title (every language's, from :mod:`epg.lexicon`), and the category each names.
#: Abbreviations read as Russian's unless the listing's language spells them out its own way (see :func:`_genre`).
GENRE_PREFIXES: dict[str, str] = {**{k: v for abbrevs in _WORDS_OF.abbreviations.values() for k, v in abbrevs.items()},
                                  **_WORDS_OF.abbreviations.get("ru", {}), **_WORDS_OF.genres}
# Abbreviations (with a slash) are unambiguous; whole words only count when a
# quoted title or a colon follows, so "Film Club" stays a title.
_ABBREV = sorted((k for k in GENRE_PREFIXES if "/" in k), key=len, reverse=True)
_WORDS = sorted((k for k in GENRE_PREFIXES if "/" not in k), key=len, reverse=True)
_ABBREV_RE = re.compile(r"^(?P<g>" + "|".join(map(re.escape, _ABBREV)) + r")\s*[.:]?\s*", re.I)
_WORD_RE = re.compile(
    r"^(?P<g>" + "|".join(map(re.escape, _WORDS)) + r")(?:\s*[:\-–—]\s*|\s+(?=[«\"„“]))", re.I
)
_SUFFIX_RE = re.compile(r",\s*(?P<g>" + "|".join(map(re.escape, _WORDS)) + r")\s*$", re.I)

# Letters that tell the Cyrillic languages of listings apart.
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһӘҒҚҢӨҰҮҺ]")


def listing_language(text: str) -> str:
    """``uk`` for a Ukrainian listing, else ``ru``: the language genre abbreviations expand in.

    Ukrainian and Russian share ``Т/с``, ``Х/ф``…, but a Ukrainian guide calls
    a series a ``Телесеріал``. The text is Ukrainian when its letters that only
    Ukrainian has (і ї є ґ) outnumber those only Russian has (ы э ъ ё), and
    no Kazakh letter (ә ғ қ ң ө ұ ү һ) shows that the і comes from Kazakh.
    """
    ukrainian = len(_UKRAINIAN_LETTERS.findall(text))
    if not ukrainian or _KAZAKH_LETTERS.search(text):
        return "ru"
    return "uk" if ukrainian > len(_RUSSIAN_LETTERS.findall(text)) else "ru"


def _genre(prefix: str, lang: str) -> str:
    """The category a genre prefix names, abbreviations spelt out in the listing's language (Russian's else)."""
    key = prefix.lower()
    abbreviations = _WORDS_OF.abbreviations
    return abbreviations.get(lang, {}).get(key) or abbreviations.get("ru", {}).get(key) or GENRE_PREFIXES[key]


def genre_name(cell: str, lang: str = "ru") -> str:
    """A genre as a table cell prints it, with abbreviations (``Т/с``) spelt out in the listing's language."""
    return _genre(cell, lang) if cell.lower() in _ABBREV else cell


def _flag_pattern(words: list[str]) -> tuple[tuple[str, ...], re.Pattern[str]]:
    """Hints and pattern for one flag: each word as written, or any word in brackets in any case.

    An entry written with its brackets (``(R)``) counts only so, as written: a
    bare ``R`` or ``S`` is part of a title.
    """
    bracketed = [w for w in words if w[:1] in "([" and w[-1:] in ")]"]
    bare = sorted((w for w in words if w not in bracketed), key=len, reverse=True)
    alternatives = [re.escape(w) for w in sorted(bracketed, key=len, reverse=True)]
    if bare:
        listed = "|".join(map(re.escape, bare))
        alternatives.append(rf"\((?i:{listed})\)")
        alternatives.append(rf"(?<!\w)(?:{listed})!?(?!\w)")
    hints = tuple(sorted({w.lower()[:4] for w in words}))
    return hints, re.compile("|".join(alternatives))


# Each marker pattern comes with hints: lower-case pieces of text it cannot match
# without. Testing them with ``in`` first keeps the (costly) patterns off most titles.
_FLAGS: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    (name, *_flag_pattern(_WORDS_OF.flags[name])) for name in FLAGS]


def _units(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\.", r"\.?") for w in sorted(words, key=len, reverse=True))


_HOURS, _MINUTES = _units(_WORDS_OF.hours), _units(_WORDS_OF.minutes)
#: A duration: ``1 h 30 min``, ``1 ч 20 мин``, ``(90 Min.)``, ``45'``, ``(2h10)``; never a clock time (``8h30``,
#: ``20h15``: French times, so ``NhMM`` counts only in brackets).
_DURATION = re.compile(
    rf"(?<![\w:.,])\(?(?:(?P<h>\d{{1,2}})\s?(?:{_HOURS})(?!\w)\.?\s*(?:(?P<hm>[0-5]?\d)\s?(?:{_MINUTES})(?!\w)\.?)?"
    rf"|(?<=\()(?P<h2>\d)h(?P<m2>[0-5]\d)(?=\))"
    rf"|(?P<m>\d{{1,3}})\s?(?:(?:{_MINUTES})(?!\w)\.?|['′](?!\w)))\)?",
)
_DURATION_HINT = re.compile(r"\d\s?[^\W\d_'′]|\d['′]")
#: Technical marks (picture, sound, access) and the subtitle marks, as they stand alone or in a bracket list.
_MARK_WORDS = sorted({*_WORDS_OF.marks, *(w.strip("()[]") for w in _WORDS_OF.flags["subtitles"])},
                     key=len, reverse=True)
_SUBTITLE_WORDS = {w.strip("()[]").lower() for w in _WORDS_OF.flags["subtitles"]}
_MARK_ITEM = re.compile(rf"(?:{'|'.join(map(re.escape, _MARK_WORDS))})(?:\s*:?\s+\d{{1,2}}[:.]\d\d)?", re.I)
#: Words that, opening or closing what stands where a sub-title would, say what kind of programme it is.
_DESCRIPTORS = "|".join(map(re.escape, sorted(_WORDS_OF.descriptors, key=len, reverse=True))) or "(?!)"
_DESCRIBES = re.compile(rf"^(?:{_DESCRIPTORS})(?!\w)|(?<!\w)(?:{_DESCRIPTORS})[.!]?$", re.I)
_MARK_GROUP = re.compile(r"[(\[](?P<items>[^()\[\]]{1,80})[)\]]")
_MARK_SET = frozenset(_WORDS_OF.marks)


_N = r"(\d{1,4})"


def _any_of(hint_lists: list[tuple[str, ...]]) -> re.Pattern[str]:
    """One case-sensitive pattern for all hints (run on lower-cased text): cheaper than many ``in`` tests."""
    return re.compile("|".join(sorted({re.escape(h) for hints in hint_lists for h in hints}, key=len, reverse=True)))


_FLAG_HINT = _any_of([hints for _, hints, _ in _FLAGS])
_EPISODE_WORDS = ("сери", "сері", "folge", "épisode", "episode", "ep.", "эпизод", "afl", "odc", "capítulo", "bölüm",
                  "part", "teil")
_EPISODE_PATTERNS: list[tuple[str, tuple[str, ...], re.Pattern[str]]] = [
    ("se", ("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"),
     re.compile(r"(?<!\w)[Ss](\d{1,3})\s?[Ee](\d{1,4})(?!\w)")),
    # Portuguese guides: "T5 EP15" (temporada 5, episódio 15).
    ("se", ("ep",), re.compile(r"(?<!\w)T(\d{1,2})\s?EP\s?(\d{1,4})(?!\w)")),
    ("episode", ("сери",), re.compile(rf"(?<!\w){_N}\s?-?(?:я|й)?\s+и\s+\d{{1,4}}\s?-?(?:я|й)?\s+сери[ия]", re.I)),
    ("episode", ("сери",), re.compile(rf"(?<!\w){_N}\s?-?(?:я|й)?\s*-\s*\d{{1,4}}\s?-?(?:я|й)?\s+сери[ий]", re.I)),
    ("episode", ("сери", "сері"), re.compile(rf"(?<!\w){_N}\s?-?(?:я|та|а)?\s+(?:сери[яи]|сері[яї])", re.I)),
    ("episode", _EPISODE_WORDS,
     re.compile(rf"(?<!\w)(?:Серия|Folge|Épisode|Episode|Ep\.|Эпизод|Серія|Afl\.|Aflevering|Odc\.|Odcinek|Capítulo"
                rf"|Bölüm|Part|Partie|Teil)\s*№?\s*{_N}(?:\s?/\s?\d{{1,4}})?(?!\w)",
                re.I)),
    ("season", ("сезон",), re.compile(rf"(?<!\w){_N}\s?-?(?:й)?\s+сезон(?!\w)", re.I)),
    ("season", ("сезон", "staffel", "saison", "season", "series", "sezon", "temporada"),
     re.compile(rf"(?<!\w)(?:Сезон|Staffel|Saison|Season|Series|Sezon|Temporada)\s*{_N}(?!\w)", re.I)),
]
_EPISODE_HINT = _any_of([hints for _, hints, _ in _EPISODE_PATTERNS])

#: An em dash joined to the words on both sides (``Countryfile—Warwickshire``): a series and its episode.
_JOINED_DASH = re.compile(r"(?<=[^\W_]|[!?.)])—(?=[^\W_]|[«\"(])")
#: What guides print after such a dash that names no episode: a series year (``2016/17``) or "Original Series".
_SERIES_NOTE = re.compile(r"(?:Original Series|(?:18|19|20)\d\d(?:\s?[/-]\s?(?:\d\d|(?:18|19|20)\d\d))?)", re.I)
_YEAR_COUNTRY_RE = re.compile(r"\((?:(?P<country>[^()\d]{2,60}?),?\s+)?(?P<year>(?:18|19|20)\d{2})(?:\s*г\.?)?\)")
_QUOTES = {"«": "»", '"': '"', "„": "“", "“": "”", "'": "'", "‘": "’"}
# A full stop that ends an abbreviation or an initial does not end a title.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "nr", "prof", "др", "ст", "им", "г", "гг",
    "проф", "акад", "ул", "пр", "св", "т", "д", "с", "н", "e", "т.е", "т.д", "и.о",
}


@dataclass(frozen=True, slots=True)
class TitleParts:
    """What :func:`split_title` found in one programme's text (frozen: parsers share the ones they remember)."""

    title: str
    sub_title: str | None = None
    categories: tuple[str, ...] = ()
    season: int | None = None
    episode: int | None = None
    premiere: bool = False
    live: bool = False
    repeat: bool = False
    subtitles: bool = False
    year: int | None = None
    country: str | None = None
    #: Seconds the text says the programme runs (``90 Min.``), or None.
    duration: int | None = None
    #: What the text says the programme is (``Pokalbių laida``, a talk show) where a sub-title would stand.
    description: str | None = None


@dataclass(slots=True)
class _Found:
    """The parts while :func:`split_title` collects them."""

    title: str = ""
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
    duration: int | None = None
    description: str | None = None

    def frozen(self) -> TitleParts:
        return TitleParts(self.title, self.sub_title, tuple(self.categories), self.season, self.episode,
                          self.premiere, self.live, self.repeat, self.subtitles, self.year, self.country,
                          self.duration, self.description)


_EMPTY_BRACKETS = re.compile(r"\(\s*[,;]?\s*\)|\[\s*\]")
_INITIAL_END = re.compile(r"(?:^|[\s.])\w\.\s*$")


def _tidy(text: str) -> str:
    """Drop emptied brackets, runs of spaces and the punctuation left at the ends."""
    if "(" in text or "[" in text:
        text = _EMPTY_BRACKETS.sub(" ", text)
    text = " ".join(text.split())
    return text.strip(" \t,;|–—-:.").strip() if not _ends_with_initials(text) else text.strip()


def tidy(text: str) -> str:
    """A name tidied as a title's or sub-title's parts are: emptied brackets, runs of spaces and the
    punctuation left at the ends dropped (``F()`` → ``F``)."""
    return _tidy(text)


def _ends_with_initials(text: str) -> bool:
    """``Д.Е.Л.О.`` and ``Ст. Петербург Jr.``-style endings keep their final dot."""
    return text.rstrip().endswith(".") and bool(_INITIAL_END.search(text.strip()))


def _closes(opening: str, char: str) -> bool:
    """Whether ``char`` closes a quote opened with ``opening``: „ closes with “ (German) or ” (Polish)."""
    return char == _QUOTES[opening] or (opening == "„" and char == "”")


def _strip_quotes(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in _QUOTES and _closes(text[0], text[-1]):
        inner = text[1:-1]
        if _QUOTES[text[0]] not in inner[1:-1] or (text[0] == "«" and _nested(inner)):
            return inner.strip().removesuffix(",").rstrip()  # ("“Saturday Night Live,”": the comma is the sentence's)
    return text


def _nested(inner: str) -> bool:
    """Whether each » in ``inner`` closes a « opened inside it: «a «b» c» is one quoted name, but in «A» пен «B»
    the first » closes the opening quote."""
    depth = 0
    for char in inner:
        if char in "«»":
            depth += 1 if char == "«" else -1
            if depth < 0:
                return False
    return depth == 0


def _take_quoted_title(text: str) -> tuple[str, str] | None:
    """``«Title». Sub`` or ``«Title» (...)``: the quoted part is the title."""
    if not text or text[0] not in _QUOTES:
        return None
    opening, close = text[0], _QUOTES[text[0]]
    depth = 1
    for i in range(1, len(text)):
        if opening == "«" and text[i] == "«":
            depth += 1  # «nested «quotes»» close only at the last »
        elif text[i] == close or (opening == "„" and text[i] == "”"):
            depth -= 1
            if depth == 0:
                return text[1:i].strip().removesuffix(",").rstrip(), text[i + 1 :].strip()
    return None


_SENTENCE_STOP = re.compile(r"([^\s.]+)\.\s+(?=[A-ZА-ЯЁЇІЄҐ0-9«\"„“])")
_COLON = re.compile(r"([^\W\d_]{2,}[!?]?):\s+(?=[A-ZА-ЯЁЇІЄҐÄÖÜÀÂÇÉÈÊÎÔÛ0-9«\"„“])")
_SPACED_COLON = re.compile(r"([^\W\d_]{2,}[!?]?) :\s+(?=\w)")
_FILM_WORDS = ("фильм", "фільм", "film", "movie")


def split_sub_title(text: str, colon: bool = True) -> tuple[str, str | None]:
    """``Жажда странствий. Иордания`` → title and sub-title, but ``Д.Е.Л.О.`` stays whole.

    Split at the first ". " whose left side is a word of two or more letters
    that is not a known abbreviation, and whose right side starts with a
    capital letter, a digit or a quote. Failing that, and when ``colon``
    allows it, split at ": " the same way (``Tatort: Der Mann im Keller``);
    film titles keep their colon (``Avengers: Endgame``), so callers pass
    ``colon=False`` for films.
    """
    colon_first = _COLON.search(text) if colon and ": " in text else None
    if colon_first and ". " in text[: colon_first.start()]:
        colon_first = None
    if ". " in text and colon_first is None:
        for stop in _SENTENCE_STOP.finditer(text):
            word = stop.group(1).strip("«»\"„“()")
            initials = "." in text[max(0, stop.start(1) - 2) : stop.start(1)]
            if len(word) < 2 or word.lower() in _ABBREVIATIONS or initials:
                continue
            left, right = text[: stop.end(1)], text[stop.end() :]
            if right.strip(". "):
                return left.strip(), right.strip().rstrip(".").strip() or None
    if colon and ": " in text:
        # French sets its colon off with a space ("Académie française : voyage au pays des immortels"): a
        # sub-title follows, whatever its case.
        colon_at = _SPACED_COLON.search(text) if " : " in text else None
        colon_at = colon_at or _COLON.search(text)
        if colon_at and text[colon_at.end() :].strip(". "):
            return text[: colon_at.end(1)].strip(), text[colon_at.end() :].strip().rstrip(".").strip() or None
    return text, None


#: Marks where a season/episode marker stood: what follows it is the episode's own title.
_MARK = "\x00"
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


def _take_flags(text: str, lower: str, parts: _Found) -> str:
    if not _FLAG_HINT.search(lower):
        return text
    for name, hints, pattern in _FLAGS:
        if any(hint in lower for hint in hints) and pattern.search(text):
            setattr(parts, name, True)
            text = pattern.sub(" ", text)
    return text


def _take_episode(text: str, lower: str, parts: _Found) -> str:
    """Season and episode numbers out of ``text``; each marker leaves :data:`_MARK` in its place."""
    if not _EPISODE_HINT.search(lower):
        return text
    for kind, hints, pattern in _EPISODE_PATTERNS:
        if not any(hint in lower for hint in hints):
            continue
        match = pattern.search(text)
        if not match:
            continue
        if kind == "se":
            parts.season, parts.episode = int(match.group(1)), int(match.group(2))
        elif kind == "episode" and parts.episode is None:
            parts.episode = int(match.group(1))
        elif kind == "season" and parts.season is None:
            parts.season = int(match.group(1))
        text = text[: match.start()] + f" {_MARK} " + text[match.end() :]
    return text


def _take_duration(text: str, parts: _Found) -> str:
    """A printed running time (``(90 Min.)``, ``1 h 30 min``) out of ``text`` into ``parts.duration``."""
    if not _DURATION_HINT.search(text):
        return text
    match = _DURATION.search(text)
    if match is None or (match.group().rstrip(")").endswith("'") and text.count("'") > 1):
        return text  # no duration, or a number before a closing quote ('Mañaneros 360')
    hours = int(match.group("h") or match.group("h2") or 0)
    minutes = int(match.group("hm") or match.group("m2") or match.group("m") or 0)
    if hours == 24 and not minutes and not match.group().startswith("("):
        return text  # "Noticias 24 horas", "Journal 24 heures": a name, not a day-long running time
    if 0 < hours * 60 + minutes <= 24 * 60:
        parts.duration = (hours * 60 + minutes) * 60
    return text[: match.start()] + " " + text[match.end():]


def _take_marks(text: str, parts: _Found) -> str:
    """Technical marks out of ``text``: a bracket list of them (``(HDTV, UT)``, ``(VPS 06:10)``), or at its end."""
    if "(" in text or "[" in text:
        for group in reversed(list(_MARK_GROUP.finditer(text))):
            items = [i.strip() for i in re.split(r"[,;]", group.group("items"))]
            if items and all(_MARK_ITEM.fullmatch(i) for i in items):
                parts.subtitles = parts.subtitles or any(i.lower() in _SUBTITLE_WORDS for i in items)
                text = text[: group.start()] + " " + text[group.end():]
    words = text.split()
    if words and (words[-1] in _MARK_SET or " ".join(words[-2:]) in _MARK_SET):
        # Marks at the end ("Tagesschau HD 16:9"), word by word from the end: linear however many there are.
        while len(words) > 1 and (words[-1] in _MARK_SET or " ".join(words[-2:]) in _MARK_SET):
            words = words[:-2] if len(words) > 2 and " ".join(words[-2:]) in _MARK_SET else words[:-1]
        text = " ".join(words)
    return text


def _take_genre(text: str, parts: _Found, lang: str) -> str:
    for regex in (_ABBREV_RE, _WORD_RE):
        match = regex.match(text)
        if match and text[match.end() :].strip():
            parts.categories.append(_genre(match.group("g"), lang))
            text = text[match.end() :].strip()
            break
    if "," in text:
        match = _SUFFIX_RE.search(text)
        if match and text[: match.start()].strip():
            parts.categories.append(_genre(match.group("g"), lang))
            text = text[: match.start()].strip()
    return text


_BRACKET_TAIL = re.compile(r"\s\((?P<inner>[^()]{1,30})\)$")
_CHANNEL_NOTE = re.compile(r"[^\W\d_]{1,5}\.")
_WORDED_MARKER = (r"(?:Series|Season|Episode|Part|Staffel|Folge|Teil|Saison|Épisode|Partie|Temporada|Capítulo)"
                  r"\s+[^\W\d_]+")
#: Season and episode markers with their numbers in words: ``(Series One, Episode One)``.
_WORDED_MARKERS = re.compile(rf"{_WORDED_MARKER}(?:,\s*{_WORDED_MARKER})*")


def _take_bracket_tail(text: str, parts: _Found) -> str:
    """A bracket closing the title: a genre (``Pooh amici per sempre (Show)``) goes to the categories, a
    channel's abbreviation (``Биржа труда (Рос.)``) to the description."""
    match = _BRACKET_TAIL.search(text)
    if match is None or not text[: match.start()].strip():
        return text
    inner = match.group("inner").strip()
    if inner.lower() in GENRE_PREFIXES and "/" not in inner:
        parts.categories.append(GENRE_PREFIXES[inner.lower()])
    elif _CHANNEL_NOTE.fullmatch(inner) and inner[0].isupper():
        parts.description = inner
    elif _WORDED_MARKERS.fullmatch(inner):
        pass  # "(Series One, Episode One)": season and episode in words, no title's part (their numbers are not read)
    else:
        return text
    return text[: match.start()].strip()


#: A team's town in brackets after its quoted name: ``«Қайрат» (Алматы) пен «Атырау»``.
_TOWN = re.compile(r"^\([^()\d]{1,40}\)\s*")
_CAPITAL_WORD = re.compile(r"(?<!\S)[A-ZÄÖÜÀ-ÖА-ЯЁ]{6,}(?!\S)")


def _take_capital_genre(text: str, parts: _Found) -> str:
    """A genre word in capitals between a name and its episode (``Monchhichi ANIMATIONSSERIE Der
    Streiche-Wettbewerb``, ``ZIB 18 NACHRICHTEN``): the category, and where the name ends."""
    capitals = text.isupper()  # a name all in capitals: only a genre word closing it counts
    for match in _CAPITAL_WORD.finditer(text):
        genre = GENRE_PREFIXES.get(match.group().lower())
        head, tail = text[: match.start()].strip(), text[match.end():].strip()
        if genre is None or len(head) < 5 or (capitals and tail):
            continue
        parts.categories.append(genre)
        return head + (". " + tail if tail else "")
    return text


#: A cast list after the name: ``Vikings avec Alex Høgh Andersen, Marco Ilsø, Gustaf Skarsgård...``; and the
#: director before it (``Le Chant du Loup d'Antonin Baudry avec …``).
_CREDITS = re.compile(r"\s(?:avec|with|mit|con|com|z|с|з)\s+(?=[^\W\d_])(?P<names>[^,]{2,40},\s*[^,]{2,40},.*)$")
_DIRECTOR = re.compile(r"\s(?:de|d'|d’|by|von|di)\s?[A-ZÀ-Ö][^\W\d_]+(?:[\s-][A-ZÀ-Ö][^\W\d_]+){0,2}$")


def _take_credits(text: str, parts: _Found) -> str:
    """A cast list (two commas or more of names after "with") out of the title, into the description."""
    match = _CREDITS.search(text)
    if match is None or not all(item.strip()[:1].isupper() for item in match.group("names").split(",")[:3]):
        return text
    parts.description = text[match.start():].strip()
    head = text[: match.start()]
    director = _DIRECTOR.search(head)
    return head[: director.start()] if director and head[: director.start()].strip() else head


_LABELS = {" ".join(w.casefold().split()) for w in _WORDS_OF.labels}


def is_label(text: str) -> bool:
    """Whether ``text`` is a now/next widget's label (``Programme à suivre``, ``Сейчас в эфире``), not a title."""
    return " ".join(text.casefold().split()).strip(" :.-–—•|") in _LABELS


def says_kind(text: str) -> bool:
    """Whether ``text`` opens or closes with a word that says what kind of programme it is (``magazyn
    sportowy``, ``Pokalbių laida``): a genre line, never an episode's name."""
    return bool(_DESCRIBES.search(text.strip()))


def _reads_as_prose(text: str) -> bool:
    """Seven words or more, most of them in lower case: a sentence, not an episode's name."""
    words = text.split()
    return len(words) >= 7 and sum(1 for w in words if w[:1].islower()) * 2 > len(words)


def _dash_to_stop(text: str) -> str:
    """``Series—2017, Episode`` → ``Series. Episode``: the joined em dash parts series from episode."""
    dash = _JOINED_DASH.search(text)
    if dash is None or ". " in text[: dash.start()]:
        return text  # (after "Series. ", the dash is the episode's own: "A. 0—А" keeps it)
    kept = [item for item in text[dash.end():].split(", ") if not _SERIES_NOTE.fullmatch(item.strip())]
    return text[: dash.start()] + (". " + ", ".join(kept) if kept else "")


def split_title(text: str, lang: str = "ru") -> TitleParts:
    """Split a programme's text (no time, no age mark) into its parts.

    The order matters and each step says why: flags and markers go first so
    they cannot be mistaken for a sub-title; the text after a season/episode
    marker (``S11E23 "Family"``) is the episode's title; a genre prefix
    (``Т/с``, ``Spielfilm:``) expands to a category in the listing's
    language ``lang``; a quoted name is the title whole, dots and all;
    otherwise the first ``. `` after a real word splits title from sub-title.
    """
    parts = _Found()
    colon = text.find(": ", 0, 40)
    if colon > 0 and is_label(text[:colon]) and text[colon + 2:].strip():
        text = text[colon + 2:]  # "Pick of the day: Stephen", "Next: Tagesschau": a label, then the name
    printed = text
    if "—" in text:
        text = _dash_to_stop(text)
    lower = text.lower()
    text = _take_flags(text, lower, parts)
    text = _take_marks(text, parts)
    if "," in text:
        text = _take_credits(text, parts)
    if _DIGIT.search(text):
        text = _take_duration(text, parts)
        text = _take_episode(text, lower, parts)
        match = _YEAR_COUNTRY_RE.search(text) if "(" in text else None
        if match:
            parts.year = int(match.group("year"))
            parts.country = (match.group("country") or "").strip(" ,") or None
            text = text[: match.start()] + " " + text[match.end() :]
    if " | " in text and text.lstrip()[:1] not in _QUOTES:  # (a quoted name keeps its pipe: «A | B»)
        head, _, tail = text.partition(" | ")
        if _tidy(head) and _tidy(tail) and _MARK not in tail:
            # "buten un binnen | regionalmagazin (30 Min.)": a pipe parts the title from what kind it is
            text, parts.description = head, _tidy(tail)
    episode_title: str | None = None
    if _MARK in text:
        head, _, tail = text.partition(_MARK)
        tail = _tidy(tail.replace(_MARK, " "))
        if re.search(r"[^\W\d_]", tail) and _tidy(head):
            episode_title = _strip_quotes(tail)
            text = head
        else:
            text = head + " " + tail
    text = _take_genre(_tidy(text), parts, lang)
    if _CAPITAL_WORD.search(text):
        text = _take_capital_genre(text, parts)
    if text.endswith(")"):
        text = _take_bracket_tail(text, parts)

    quoted = _take_quoted_title(text)
    if quoted and any(q in quoted[1] for q in _QUOTES) and _TOWN.sub("", quoted[1], count=1)[:1].islower():
        # '"Каспий" мен "Ақсу"', '«Қайрат» (Алматы) пен «Атырау»': the quoted name is part of a longer one (a
        # match of two teams, each perhaps with its town)
        quoted = None
    if episode_title and not quoted:
        # "Series. Series 1, Episode Title": the name before the marker is the title, colon and all.
        parts.title, parts.sub_title = _strip_quotes(_tidy(text)), episode_title
    elif quoted and quoted[0]:
        title, rest = quoted
        rest = _tidy(rest.lstrip(".").strip())
        if rest.startswith("(") and rest.endswith(")"):
            # «Title» (Ост.): a note in brackets after a quoted name is no sub-title.
            parts.title, parts.description = title, rest[1:-1].strip() or None
        else:
            parts.title, parts.sub_title = title, _strip_quotes(rest) or None
    else:
        film = parts.year is not None or any(w in c.lower() for c in parts.categories for w in _FILM_WORDS)
        title, sub = split_sub_title(text, colon=not film)
        parts.title = _strip_quotes(_tidy(title))
        parts.sub_title = _strip_quotes(sub) if sub else None
    if episode_title and not parts.sub_title:
        parts.sub_title = episode_title
    if parts.sub_title and (_DESCRIBES.search(parts.sub_title) or _reads_as_prose(parts.sub_title)):
        parts.description, parts.sub_title = parts.sub_title, None
    if not parts.title and _LETTER.search(printed):
        # Nothing but markers ("Премьера", "LIVE"): the marker is all the name the programme has.
        return TitleParts(title=_strip_quotes(_tidy(printed)))
    return parts.frozen()
