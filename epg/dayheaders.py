"""Day headers: ``Понедельник, 10 января``, ``ПН 10.01``, ``Monday 10 January``, ``Mo., 10.01.``.

A header is a line made only of a weekday, a day and month (as words or as
``dd.mm[.yyyy]``), and punctuation. Anything else on the line (``07.01.2022
ТАСС``) makes it prose, not a header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "января январь january janvier januar jänner січня січень qаңтар",
        "февраля февраль february février fevrier februar лютого лютий",
        "марта март march mars märz marz березня березень",
        "апреля апрель april avril квітня квітень",
        "мая май may mai травня травень",
        "июня июнь june juin juni червня червень",
        "июля июль july juillet juli липня липень",
        "августа август august août aout серпня серпень",
        "сентября сентябрь september septembre вересня вересень",
        "октября октябрь october octobre oktober жовтня жовтень",
        "ноября ноябрь november novembre листопада листопад",
        "декабря декабрь december décembre decembre dezember грудня грудень",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_SHORT_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                 "oct": 10, "nov": 11, "dec": 12, "янв": 1, "фев": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7,
                 "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12, "févr": 2, "déc": 12, "okt": 10, "dez": 12}
_MONTHS.update(_SHORT_MONTHS)

#: Weekday names and abbreviations → ISO weekday (1 = Monday).
_WEEKDAYS: dict[str, int] = {}
for _iso, _names in enumerate(
    [
        "понедельник пн пнд monday mon mo montag lundi lun понеділок",
        "вторник вт втр tuesday tue tues di dienstag mardi mar вівторок",
        "среда ср срд wednesday wed mi mittwoch mercredi mer середа",
        "четверг чт чтв thursday thu thur thurs do donnerstag jeudi jeu четвер",
        "пятница пт птн friday fri fr freitag vendredi ven пятниця п'ятниця пʼятниця",
        "суббота сб сбт saturday sat sa samstag samedi sam субота",
        "воскресенье вс вск sunday sun so sonntag dimanche dim неділя нд",
    ],
    start=1,
):
    for _name in _names.split():
        _WEEKDAYS[_name] = _iso

_TOKEN = re.compile(r"[^\W\d_]+(?:['ʼ][^\W\d_]+)?|\d{1,4}(?:\.\d{1,2}(?:\.\d{2,4})?)?\.?|\S", re.U)
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


def parse_day_header(line: str) -> DayHeader | None:
    """The day a header line names, or None if the line is not a header."""
    text = line.strip().strip("*#=-–—:|").strip()
    if not text or len(text) > 60:
        return None
    day = month = year = weekday = None
    for found in _TOKEN.finditer(text.lower()):  # lazily: most lines fail at their first words
        token = found.group()
        if token in ",.;:-–—/()|":
            continue
        bare = token.rstrip(".")
        numeric = _NUMERIC_DATE.match(token)
        if bare in _WEEKDAYS and weekday is None:
            weekday = _WEEKDAYS[bare]
        elif bare in _MONTHS and month is None:
            month = _MONTHS[bare]
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
