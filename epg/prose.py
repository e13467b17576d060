"""Programmes an article names in running text: ``О 9:40 – документальний фільм «7300 днів».``

A newspaper or news page tells what is on in sentences: a time, then,
a few words on, the programme's name in quotes. Only a text that holds no
schedule lines is read so (the parser decides), and each mention must be
plain: the name within eight words after the time (twelve after a word
saying its kind), no other number between, in the same sentence, which names
no other day. Failing that, the name right before the time (``«Сьогодні» о
13:00``, or with a short clause on it between), a sentence's opening name
and a verb saying it airs (``Balika Vadhu airs on June 8 at 8 pm``), or the
one name closing the sentence before, when that sentence has no time of its
own. A channel's quoted name is never a programme's. Pure: text in, values out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date

from epg.airtimes import AIRTIME, UNTIL, airtime_seconds
from epg.dayheaders import days_named, names_month
from epg.lexicon import lexicon

#: A name in quotes of any of the corpus languages' kinds.
_QUOTED = re.compile(r"«([^«»]{0,60}«[^«»]{1,40}»[^«»]{0,20})»|“([^“”]{0,60}“[^“”]{1,40}”[^“”]{0,20})”"
                     r"|«([^«»]{1,80})»|“([^“”]{1,80})”|\"([^\"]{1,80})\"|„([^„“”]{1,80})[“”]"
                     r"|(?<!\w)‘([^‘’]{1,80})’(?!\w)")
#: Where a sentence (or a clause after a semicolon) ends.
_END = re.compile(r"[.!?](?=\s+[^\W\d_])|;")
_DIGIT = re.compile(r"\d")
#: A day of the month, then the word after it: a month (``20 cáýirde``), or not (``До 28 річниці``, "28th
#: anniversary").
_DAY_NUMBER = re.compile(r"(?<![\d.:,])([1-9]|[12]\d|3[01])\s+([^\W\d_]{3,}(?:['’][^\W\d_]+)?)")
_NEAR_WORDS = 8
#: How far a quoted name right after a word saying its kind (``au documentaire «L’Aventure météo»``) may stand.
_FAR_WORDS = 12
_WINDOW = 120
#: Words that put a time to a name (``«Сьогодні» о 13:00``, ``і ў 18:30``), from the lexicons' ``[airtimes] at``.
_AT = "|".join(re.escape(w) for w in sorted(lexicon().at_words, key=len, reverse=True)) or "(?!)"
_UNTIL = "|".join(re.escape(w) for w in sorted(UNTIL, key=len, reverse=True))
#: What stands between times that share one name: a comma or "and", perhaps with an "at" (``12:00, 15:00 і
#: 18:00``, ``у 12:30 і ў 18:30``, ``о 8:45, 15:45 та з 20:00``).
_JOINED = re.compile(rf"\s*(?:,|,?\s*(?:і|и|та|й|and|et|und|y|e|i|és|ve|ir|oraz)\s)\s*(?:(?:{_AT})\s+)?"
                     # a repeat in brackets: "О 15:30 (повтор о 21:20) – «…»" (but not an end: "(до 16:00)")
                     rf"|\s*\((?!\s*(?:{_UNTIL})\s)(?:\s*[^\W\d_]+){{0,2}}\s*", re.I)
#: A sentence that opens with a programme's name, then a verb saying it airs (the lexicons' ``[airtimes] airs``):
#: ``Balika Vadhu airs on June 8 at 8 pm on Colors.``, ``‘Think Big’ airs on June 8 at 4 pm.``
_AIRS = "|".join(re.escape(w) for w in sorted(lexicon().airs_words, key=len, reverse=True)) or "(?!)"
_NAME_AIRS = re.compile(rf"\s*(?P<quote>[‘'\"“«„]?)(?P<name>[^\s.!?;:,«»“”\"‘’„]+(?:\s+[^\s.!?;:,«»“”\"‘’„]+){{0,7}}?)"
                        rf"[’'\"”»“]?\s+(?i:{_AIRS})\s+")
_AIRS_HINT = re.compile(rf"\s(?i:{_AIRS})\s")
#: Short words a name in capitals may hold in lower case (``Rhodes of the Deep``).
_JOINERS = frozenset({"of", "the", "and", "a", "an", "in", "on", "to", "for", "with", "de", "la", "le", "du", "des",
                      "di", "del", "e", "et", "y", "und", "der", "die", "das", "von"})
#: A sentence's end, then the next opening with a quoted name: ``… de sa disparition. "Brassens, la …"``.
_STOP_THEN_QUOTE = re.compile(r"[.!?]\s+(?=[«“\"„‘])")
_QUOTE_CHARS = re.compile(r"[«“\"„‘]")
#: A name closing its sentence: ``… sur TF1 "Chase". Les deux …``.
_SENTENCE_GAP = re.compile(r"\s*[.!?]\s*")
#: What may stand between a date and its time: nothing, or an "at" word (``26 sáýirde 15.00-de``).
_AT_THEN_TIME = re.compile(rf"\s*,?\s*(?:(?:{_AT})\s+)?", re.I)
#: What may stand between a quoted name and the time it airs at: ``«Сьогодні» о 13:00``, ``‘Corujão’ (02h20``.
_NAME_THEN_AT = re.compile(rf"\s*(?:\(|,?\s*(?:{_AT})\s+)?", re.I)
#: A clause on the name between it and its time: ``«Головна команда», яка продовжить ефір о 23:40``.
_NAME_THEN_CLAUSE = re.compile(rf",\s+(?:[^\W\d_]+\s+){{1,5}}(?:{_AT})\s+", re.I)
_NAME_THEN_BRACKET = re.compile(r"\s*\(\s*")
#: Channels' names as the lexicons list them (``[channels] names``): quoted in a sentence, the channel that shows
#: the programme (``о 8:50 та 19:30 "1+1" традиційно покаже … ‒ "ТСН. Незалежність"``), not the programme.
_CHANNELS = frozenset(name.casefold() for name in lexicon().channels)
#: A versus word between two teams' quoted names, the first perhaps with its town in brackets: ``«Oqjetpes»
#: (Kókshetaý) pen «Jeńis»``; from the lexicons' ``[fixtures] versus``.
_VERSUS = "|".join(re.escape(w) for w in sorted(lexicon().versus, key=len, reverse=True)) or "(?!)"
_TO_SECOND_TEAM = re.compile(rf"(?:\s*\([^()\d]{{1,40}}\))?\s+(?:{_VERSUS})\s+(?=[«“\"„‘])", re.I)
_TOWN = re.compile(r"\s*\([^()\d]{1,40}\)")
_VERSUS_HINT = re.compile(rf"\s(?:{_VERSUS})\s", re.I)
#: What parts two matches at one time: ``«Aqtóbe» men «Ulytaý» (Jezqazǵan), «Astana» men «Atyraý»``.
_NEXT_MATCH = re.compile(r"\s*,\s*(?=[«“\"„‘])")
#: A list item that opens with its times and a dash: ``- у 11:00 і 20:30 – старонкі твора …;``.
_ITEM = re.compile(rf"\s*[-–—•·*]\s+(?:(?:{_AT})\s+)?(?=\d)", re.I)
_ITEM_DASH = re.compile(r"\s*[–—-]\s+(?=\S)")
#: Words that say what kind of programme a quoted name is (``праект «Наша музыка»``, ``документальний фільм
#: «7300 днів»``): the lexicons' genres and descriptors.
_KIND = re.compile("(?<!\\w)(?:" + "|".join(re.escape(w) for w in sorted(
    {*lexicon().genres, *(w.lower() for w in lexicon().descriptors)}, key=len, reverse=True)) + ")$", re.I)
_KIND_WORD = re.compile(_KIND.pattern.removesuffix("$") + "(?!\\w)", re.I)
_BRACKETS_AT_END = re.compile(r"(?:\s*\([^()]*\))+$")
#: Who presents the programme, between its quoted name and the colon before its sub-title: a short word in lower
#: case and a name in capitals (``«Свет мастацкага слова» з Настассяй Ермалюк: сустрэча з …``).
_WITH_HOST = re.compile(r"\s+[a-zß-ÿа-яёіїєґў]{1,4}(?:\s+[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐЎ][^\W\d_]*(?:-[^\W\d_]+)?){1,3}(?=:\s)")
#: A sub-title after a quoted name and a colon, to the end of the clause: ``“Час на джаз”: Сэм Кук;``.
_AFTER_COLON = re.compile(r":\s+([^;:.!?\d]{2,100}?)\s*(?:[;.!?]|$)")


def _programme_name(quoted: re.Match[str]) -> bool:
    """Whether a quoted name may be a programme's: not a channel's name (``"1+1" традиційно покаже …``)."""
    return _name(quoted).casefold() not in _CHANNELS


def _another_day(text: str, day: date, start: int, limit: int, time_at: int, time_starts: frozenset[int]) -> bool:
    """Whether the sentence from ``start`` names another day than ``day``, by its month or before the time."""
    return any(named != day for named in days_named(text[start:limit], day)) or any(
        int(n.group(1)) != day.day and _names_day(text, n, time_starts)
        for n in _DAY_NUMBER.finditer(text, start, time_at))


def _names_day(text: str, number: re.Match[str], time_starts: frozenset[int]) -> bool:
    """Whether a number before a word names a day of the month: the word is a month's name (``26 лютого``), or
    a time follows right after it (``time_starts``: where the text's times start), as a date before its time
    reads in a language whose months CLDR does not spell (Kazakh in Latin letters: ``20 cáýirde 15.00-de``).
    ``До 28 річниці`` ("to the 28th anniversary") is neither."""
    if names_month(number.group(2)):
        return True
    gap = _AT_THEN_TIME.match(text, number.end())
    return gap is not None and gap.end() in time_starts


def _opening_name(text: str, start: int, time_at: int) -> str | None:
    """The programme's name a sentence opens with when a verb saying it airs follows, and the time comes within a
    few words after (``Rhodes Across India’ airs on June 8 at 1 pm``). Unquoted, it must be a name in capitals of
    two words or more, so "It airs at 9 pm" and "The series airs at 9 pm" name nothing."""
    opening = _NAME_AIRS.match(text, start, time_at)
    if opening is None or len(text[opening.end():time_at].split()) > _NEAR_WORDS:
        return None
    name = opening.group("name")
    words = name.split()
    if not opening.group("quote") and (len(words) < 2 or not words[0][:1].isupper() or not all(
            w[:1].isupper() or w[:1].isdigit() or w in _JOINERS for w in words)):
        return None
    return name


def _closing_name(text: str, names: list[re.Match[str]], name_ends: list[int], sentence_start: int,
                  times: list[tuple[re.Match[str], tuple[int, int | None]]]) -> re.Match[str] | None:
    """The quoted name that closes the sentence before, when the time's own sentence names none and the sentence
    before names only it and has no time of its own: ``Ce soir vous découvrirez sur TF1 "Chase". Les deux premiers
    épisodes seront diffusés dès 23h40 ce soir.``"""
    last = bisect_right(name_ends, sentence_start) - 1
    if last < 0 or not _SENTENCE_GAP.fullmatch(text, names[last].end(), sentence_start):
        return None
    before = max(text.rfind(". ", 0, names[last].start()), text.rfind("; ", 0, names[last].start()), 0)
    if any(before <= time.start() < names[last].start() for time, _ in times):
        return None  # the sentence before has its own time: the name is that time's
    if last > 0 and names[last - 1].start() >= before:
        return None  # it names more than one: which one the time is for is not said
    return names[last]


def _opening_next(text: str, at: int, next_time: int) -> re.Match[str] | None:
    """The quoted name that opens the sentence after, when the time's own sentence names none and the sentence
    after has no time of its own: ``Sur France 2 à 20h35, diffusion du biopic sur Brassens. "Brassens, la mauvaise
    réputation" vous fera revivre …``."""
    stop = _STOP_THEN_QUOTE.search(text, at, min(next_time, at + _WINDOW))
    if stop is None or _QUOTE_CHARS.search(text, at, stop.start()) or _END.search(text, at, stop.start()):
        return None  # none right after the time's sentence, or a quoted name in it (not a programme's)
    name = _QUOTED.match(text, stop.end())
    if name is None or not _programme_name(name) or not _name(name)[:1].isupper():
        return None
    end = _END.search(text, name.end())
    return name if (end.start() if end else len(text)) <= next_time else None


def _name(quoted: re.Match[str]) -> str:
    return next(group for group in quoted.groups() if group).strip()


def _fixture(text: str, quoted: re.Match[str]) -> int | None:
    """Where the match of two teams that ``quoted`` names first ends (``«Қайрат» (Алматы) пен «Атырау»``), or
    None when the quoted name is no team of a match."""
    joined = _TO_SECOND_TEAM.match(text, quoted.end())
    second = _QUOTED.match(text, joined.end()) if joined else None
    if second is None:
        return None
    town = _TOWN.match(text, second.end())
    return town.end() if town else second.end()


def _list_item(text: str, times: list[tuple[re.Match[str], tuple[int, int | None]]]) -> tuple[list[int], str] | None:
    """The times and the whole item of a list line that says, in its own words, what is on at them: ``- у 02:00
    – музыка Джорджа Гершвіна;``, ``- у 06:10 – творчасць ВІА “Голубые гитары”;``. None when the line is no such
    item, or when its item is a quoted name, perhaps after a word saying its kind (``праект «Наша музыка»``):
    that name is the title, as in any sentence."""
    opening = _ITEM.match(text)
    if opening is None or not times or times[0][0].start() != opening.end():
        return None
    last = 0
    while last + 1 < len(times) and _JOINED.fullmatch(text, times[last][0].end(), times[last + 1][0].start()):
        last += 1
    dash = _ITEM_DASH.match(text, times[last][0].end())
    if dash is None:
        return None
    spans = [(q.start(), q.end()) for q in _QUOTED.finditer(text, dash.end())]
    end = next((stop.start() for stop in _END.finditer(text, dash.end())
                if not any(a < stop.start() < b for a, b in spans)), len(text))
    item = _BRACKETS_AT_END.sub("", text[dash.end():end].strip().rstrip(".").strip())
    quoted = next((a for a, b in spans if b <= end), None)
    if not item or len(item) > 300 or item[0] in "«“\"„‘":
        return None  # no item, more than a list's item, or a quoted name first: the sentence rules read it
    if quoted is not None and _KIND.search(text[dash.end():quoted].strip()):
        return None
    return [value[0] for _, value in times[:last + 1]], item


def _sub_title(text: str, quoted: re.Match[str], limit: int) -> str | None:
    host = _WITH_HOST.match(text, quoted.end()) if text.find(":", quoted.end(), quoted.end() + 60) > 0 else None
    at = host.end() if host else quoted.end()
    after = _AFTER_COLON.match(text, at, max(limit, at))
    if after is None or len(after.group(1).split()) > 12:
        return None
    sub = after.group(1).strip()
    whole = _QUOTED.fullmatch(sub)
    return _name(whole) if whole else sub


def mentions(text: str, day: date) -> list[tuple[int, str, str | None]]:
    """(seconds after midnight, name as printed, sub-title or None) for each programme a line of prose names
    on ``day``. Times joined by a comma or "and" share one name: the name right before the first of them
    (``«Сьогодні» о 13:00, 15:00 і 23:00``), else the one after the last (``у 07:05 і 14:05 – “…”``)."""
    found: list[tuple[int, str, str | None]] = []
    times = [(m, v) for m in AIRTIME.finditer(text) if (v := airtime_seconds(m)) is not None]
    time_starts = frozenset(m.start() for m, _ in times)
    names = [q for q in _QUOTED.finditer(text) if _programme_name(q)] if times else []
    name_starts, name_ends = [q.start() for q in names], [q.end() for q in names]
    sentence_start = scanned = 0
    versus = bool(names) and bool(_VERSUS_HINT.search(text))  # matches of two teams may be named
    airs = bool(times) and bool(_AIRS_HINT.search(text))  # a sentence may open with a name that airs
    item = _list_item(text, times) if text[:3].lstrip()[:1] in "-–—•·*" else None
    if item is not None:
        return [(start, item[1], None) for start in item[0]]
    joined: list[tuple[re.Match[str], int]] = []  # earlier times joined to this one: they share its name
    for index, (match, value) in enumerate(times):
        if index + 1 < len(times) and _JOINED.fullmatch(text, match.end(), times[index + 1][0].start()):
            joined.append((match, value[0]))
            continue
        run, joined = [*joined, (match, value[0])], []
        first = run[0][0]
        for stop in _END.finditer(text, scanned, first.start()):  # each stretch looked at once: linear
            inside = bisect_right(name_starts, stop.start()) - 1  # a full stop inside a quoted name ends nothing
            if inside < 0 or name_ends[inside] <= stop.start():
                sentence_start = stop.end()
        scanned = max(scanned, match.start())
        before = text[max(0, first.start() - 12):first.start()].split()
        if before and before[-1].lower().lstrip("(") in UNTIL:
            continue  # "до 16:00": an end
        limit = min(times[index + 1][0].start() if index + 1 < len(times) else len(text), match.end() + _WINDOW)
        closing = next((stop for stop in _END.finditer(text, match.end(), limit)  # ("ТСН. Незалежність": no end)
                        if (inside := bisect_right(name_starts, stop.start()) - 1) < 0
                        or name_ends[inside] <= stop.start()), None)
        limit = closing.start() if closing else limit
        last = bisect_right(name_ends, first.start()) - 1  # the last quoted name that closes before the time
        before_name = names[last] if last >= 0 and names[last].start() >= sentence_start else None
        before_match = None  # "A" мен "B" (17:00): a match of two teams right before the time, named whole
        if versus and before_name is not None and last >= 1 and names[last - 1].start() >= sentence_start:
            end = _fixture(text, names[last - 1])
            if end is not None and end >= before_name.end() and _NAME_THEN_AT.fullmatch(text, end, first.start()):
                before_match = (names[last - 1].start(), end)
        if (before_name is not None and before_match is None
                and not _NAME_THEN_AT.fullmatch(text, before_name.end(), first.start())
                and not ((clause := _NAME_THEN_CLAUSE.fullmatch(text, before_name.end(), first.start()))
                         and not _KIND_WORD.search(clause.group()))):  # ("«Новини», а потім серіал о 20:00": not)
            before_name = None  # «Сьогодні» о 13:00: a name right before the time (and its "at")
        quoted = next((q for q in _QUOTED.finditer(text, match.end(), limit) if _programme_name(q)), None)
        if quoted is not None:
            between = text[match.end():quoted.start()]
            if _QUOTE_CHARS.search(between):  # a channel's quoted name between is no number or words of its own
                between = _QUOTED.sub(lambda q: q.group() if _programme_name(q) else "", between)
            words = len(between.split())
            if ((words > _NEAR_WORDS and not (words <= _FAR_WORDS and _KIND.search(between.rstrip())))
                    or _DIGIT.search(between)
                    or ("," in between and before_name is not None)):
                quoted = None  # too far, past another number, or in the next clause when a name came before
            elif index + 1 < len(times) and _NAME_THEN_BRACKET.fullmatch(
                    text, (_fixture(text, quoted) if versus else None) or quoted.end(), times[index + 1][0].start()):
                quoted = None  # '… қабылдаса (17:00), "A" мен "B" (17:00)': a name with its own time in brackets
        quoted = quoted or before_name
        if quoted is None:
            opening = _opening_name(text, sentence_start, first.start()) if airs else None
            if opening is not None and not _another_day(text, day, sentence_start, limit, first.start(), time_starts):
                found += [(start, opening, None) for _, start in run]
                continue
            quoted = _closing_name(text, names, name_ends, sentence_start, times) or _opening_next(
                text, match.end(), times[index + 1][0].start() if index + 1 < len(times) else len(text))
            if quoted is None:
                continue
        if _another_day(text, day, sentence_start, limit, first.start(), time_starts):
            continue  # "з 26 лютого з 10.00 …", "Sondaı-aq 20 cáýirde 15.00-de …": another day's
        if before_match is not None and quoted is before_name:
            found += [(start, text[before_match[0]:before_match[1]], None) for _, start in run]
            continue
        end = _fixture(text, quoted) if versus and quoted.start() > match.end() else None
        if end is not None:
            # A match of two teams, named whole with their quotes; and each match after it, parted by commas.
            team: re.Match[str] | None = quoted
            while team is not None and end is not None:
                found += [(start, text[team.start():end], None) for _, start in run]
                comma = _NEXT_MATCH.match(text, end, limit)
                team = _QUOTED.match(text, comma.end(), limit) if comma else None
                end = _fixture(text, team) if team else None
            continue
        name = _name(quoted)
        if (name[:1].isupper() or name[:1].isdigit()) and len(name.split()) <= 10:
            sub = _sub_title(text, quoted, len(text)) if quoted.start() > match.end() else None
            found += [(start, name, sub) for _, start in run]
    return found
