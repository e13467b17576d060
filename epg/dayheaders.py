"""Day headers: ``Понедельник, 10 января``, ``ПН 10.01``, ``Monday 10 January``, ``Mo., 10.01.``.

Month and weekday names, full and short, come from CLDR (through Babel) for
the languages in :data:`CLDR_LANGUAGES`, so ``czwartek 12 lutego`` and
``pirmadienis, gruodžio 14`` read like ``Monday 10 January``.

A header is a line made only of a weekday, a day and month (as words or as
``dd.mm[.yyyy]``), and punctuation. Anything else on the line (``07.01.2022
ТАСС``) makes it prose, not a header.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from babel import Locale

#: Languages whose month and weekday names come from CLDR (through Babel); earlier ones win a clash.
CLDR_LANGUAGES = ("ru", "uk", "be", "kk", "ky", "de", "fr", "en", "pl", "lt", "es", "it", "pt", "nl", "tr", "cs",
                  "hu", "ro", "sk", "sv", "da", "nb", "fi")

#: Forms CLDR lacks (Austrian "Jänner" in other locales, Russian three-letter weekdays, English "Tues"), and
#: the reading a two-letter weekday keeps where languages disagree ("Di" is Tuesday, "Do" Thursday).
_EXTRA_MONTHS = {1: "jänner"}
_EXTRA_WEEKDAYS = {
    1: "пнд mon mo lun", 2: "втр tue tues di mar", 3: "срд wed mi mer", 4: "чтв thu thur thurs do jeu",
    5: "птн fri fr ven пятниця", 6: "сбт sat sa sam", 7: "вск sun so dim",
}
# Lithuanian names the day a programme airs in the accusative ("šeštadienį 21.45"), which CLDR does not list.
for _number, _name in enumerate(("pirmadienį", "antradienį", "trečiadienį", "ketvirtadienį", "penktadienį",
                                 "šeštadienį", "sekmadienį"), start=1):
    _EXTRA_WEEKDAYS[_number] += " " + _name


def _forms(name: str) -> list[str]:
    """A name as a header may print it: lower case without its abbreviation dot, then (if it differs) without
    accents. Only Latin names lose their accents: Cyrillic й and ё without them are other letters."""
    name = name.lower().rstrip(".")
    plain = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return [name, plain] if plain != name and plain.isascii() else [name]


@cache
def _names() -> tuple[dict[str, int], dict[str, int]]:
    """Month and weekday names → numbers; read from CLDR on first use (loading 23 locales takes a moment)."""
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for number, extra in _EXTRA_MONTHS.items():
        for name in extra.split():
            months[name] = number
    for number, extra in _EXTRA_WEEKDAYS.items():
        for name in extra.split():
            weekdays[name] = number
    # Names as CLDR spells them first, for every language; then their accent-less forms of three letters or
    # more where no language spells a name so ("marz" is März; "st" stays Czech Wednesday, not Lithuanian "št").
    plain_months: dict[str, int] = {}
    plain_weekdays: dict[str, int] = {}
    for code in CLDR_LANGUAGES:
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    exact, *plain = _forms(name)
                    if width == "wide" or len(exact) >= 3:
                        months.setdefault(exact, number)
                    for form in plain:
                        plain_months.setdefault(form, number)
                for cldr_day, name in locale.days[context][width].items():
                    exact, *plain = _forms(name)
                    if width == "wide" or len(exact) >= 2:
                        weekdays.setdefault(exact, cldr_day + 1)  # CLDR counts Monday as 0
                    for form in plain:
                        plain_weekdays.setdefault(form, cldr_day + 1)
    for form, number in plain_months.items():
        if len(form) >= 3:
            months.setdefault(form, number)
    for form, number in plain_weekdays.items():
        if len(form) >= 3:
            weekdays.setdefault(form, number)
    return months, weekdays


_TOKEN = re.compile(r"\d{4}-\d\d-\d\d|[^\W\d_]+(?:['ʼ][^\W\d_]+)?|\d{1,4}(?:\.\d{1,2}(?:\.\d{2,4})?)?\.?|\S",
                    re.U)
_ISO_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?\.?$")
#: The years a schedule can be for; others are not days a listing names.
_YEARS = (1900, 2199)
_FILLER = {"г", "года", "год", "le", "den", "der", "the", "of", "de", "du", "року", "р", "st", "nd", "rd", "th", "er"}


@dataclass(frozen=True)
class DayHeader:
    """A day named by the text; ``year`` is None when the text gives none."""

    day: int
    month: int
    year: int | None = None
    weekday: int | None = None

    def resolve(self, near: date) -> date | None:
        """The date meant, taking the year from ``near`` when the header has none.

        Without a year, the date nearest to ``near`` is meant. When the header
        names a weekday and two years are both within half a year of ``near``,
        the one whose calendar agrees wins (``Sunday 30 October`` near
        1 May 2022 is 2022-10-30, not Saturday 2021-10-30); a weekday that
        agrees with no such year is a typo the caller reports.
        """
        if self.year is not None:
            try:
                return date(self.year, self.month, self.day)
            except ValueError:
                return None
        candidates = []
        for year in (near.year - 1, near.year, near.year + 1):
            try:
                candidates.append(date(year, self.month, self.day))
            except ValueError:
                continue
        plausible = [d for d in candidates if abs((d - near).days) <= 183]
        agreeing = [d for d in plausible if d.isoweekday() == self.weekday]
        return min(agreeing or candidates, key=lambda d: abs((d - near).days)) if candidates else None


def is_weekday(word: str) -> bool:
    """Whether ``word`` names a day of the week in one of the known languages (``Montag``, ``Sa.``)."""
    return word.strip().lower().rstrip(".") in _names()[1]


_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})\.?\s+([^\W\d_]{3,})")


#: A month's name, then the day: ``on June 8``, ``gruodžio 14``.
_MONTH_DAY = re.compile(r"(?<!\w)([^\W\d_]{3,})\.?\s+(\d{1,2})(?![\d:.h]\d|\d)")


def days_named(text: str, near: date) -> list[date]:
    """The days a sentence names by day and month (``з 26 лютого``, ``on 8 June``, ``on June 8``), nearest to
    ``near``."""
    months = _names()[0]
    found = []
    for pattern, day_at, month_at in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for match in pattern.finditer(text):
            month = months.get(match.group(month_at).lower())
            if month is not None:
                day = DayHeader(day=int(match.group(day_at)), month=month).resolve(near)
                if day is not None:
                    found.append(day)
    return found


@cache
def _wide_months() -> frozenset[str]:
    """Months' full names, as CLDR spells them in each language (format and stand-alone), lower case."""
    return frozenset(_forms(name)[0] for code in CLDR_LANGUAGES for context in ("format", "stand-alone")
                     for name in Locale.parse(code).months[context]["wide"].values())


#: How many letters a language may add to a month's full name to inflect it (Kazakh ``сәуірде``, "in April").
_ENDING = 4


def names_month(word: str) -> bool:
    """Whether ``word`` is a month's name in one of the known languages: as CLDR spells it (``лютого``, ``Feb.``),
    or its full name with an ending of a few letters (``сәуірде``, ``Nisan'da``)."""
    bare = word.lower().rstrip(".")
    if bare in _names()[0]:
        return True
    wide = _wide_months()
    return any(bare[:cut] in wide for cut in range(max(3, len(bare) - _ENDING), len(bare)))


def next_weekday(word: str, near: date) -> date | None:
    """The first day from ``near`` on that ``word`` names (``šeštadienį`` in a tip: the coming Saturday)."""
    number = _names()[1].get(word.strip().lower().rstrip("."))
    if number is None:
        return None
    return near + timedelta(days=(number - near.isoweekday()) % 7)


def parse_day_header(line: str) -> DayHeader | None:
    """The day a header line names, or None if the line is not a header."""
    text = line.strip().strip("*#=-–—:|").strip()
    if not text or len(text) > 60:
        return None
    day = month = year = weekday = None
    months, weekdays = _names()
    word_end = -1  # where the last word of letters ended
    for found in _TOKEN.finditer(text.lower()):  # lazily: most lines fail at their first words
        token = found.group()
        if token in ",.;:-–—/()|":
            continue
        if token[0].isdecimal() and found.start() == word_end:
            return None  # a number glued to a word is a name (Pro7, with Czech "pro" for December), not a day
        if token[0].isalpha():
            word_end = found.end()
        bare = token.rstrip(".")
        numeric = _NUMERIC_DATE.match(token)
        iso = _ISO_DATE.match(token) if len(token) == 10 else None
        if iso and day is None:
            year, month, day = int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
        elif bare in weekdays and weekday is None:
            weekday = weekdays[bare]
        elif bare in months and month is None:
            month = months[bare]
        elif numeric and day is None:
            day, month = int(numeric.group(1)), int(numeric.group(2))
            if numeric.group(3):
                year = int(numeric.group(3))
                year += 2000 if len(numeric.group(3)) == 2 else 0
        elif bare.isdecimal() and len(bare) <= 2 and day is None:
            day = int(bare)
        elif bare.isdecimal() and len(bare) == 4 and year is None:
            year = int(bare)
        elif bare in _FILLER:
            continue
        else:
            return None
    if day is None or month is None or not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if year is not None and not _YEARS[0] <= year <= _YEARS[1]:
        return None  # "31.12.9999" is a placeholder, not a broadcast day
    return DayHeader(day=day, month=month, year=year, weekday=weekday)
