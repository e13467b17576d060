"""Properties of the reading pipeline, checked on generated input with hypothesis.

(a) Whatever it is given — arbitrary text, arbitrary bytes, corpus listings
    with lines inserted, deleted, duplicated or garbled — the parser never
    raises, never fails inside (no ``error`` diagnostic), and reads the same
    input the same way twice.
(b) Canonical text round-trips: programmes written by
    :func:`epg.canonical.format_canonical` (``HH:MM Title. Sub-title 12+``)
    read back as the same starts, titles, sub-titles and ratings.

CI runs a modest, fixed number of examples per property. To search long::

    EPG_HYPOTHESIS_EXAMPLES=100000 .venv/bin/pytest tests/test_parser_properties.py

(hypothesis keeps what it finds in ``.hypothesis/`` and replays it first).
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from epg.canonical import format_canonical
from epg.models import Programme, Rating
from epg.parser import parse_text, prose_reason, read_title
from epg.ratings import make_rating
from epg.schedule import Schedule, read_schedule

EXAMPLES = int(os.environ.get("EPG_HYPOTHESIS_EXAMPLES", "60"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

LISTINGS = Path(__file__).resolve().parent / "data" / "listings"
SOURCES = sorted(p for p in LISTINGS.iterdir() if p.suffix in (".txt", ".html"))
ZONES = [ZoneInfo(name) for name in ("Europe/Moscow", "Europe/Berlin", "America/New_York", "Asia/Almaty", "UTC")]
DAY = date(2022, 1, 10)


def _snapshot(schedule: Schedule) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return ([p.model_dump() for p in schedule.programmes], [d.model_dump() for d in schedule.diagnostics])


def _read_twice(data: bytes | str, day: date, tz: ZoneInfo) -> Schedule:
    """Read ``data`` twice; both readings must agree and neither may have failed inside.

    Bytes that begin like a document (``%PDF``, a zip) may be refused as one, with an error that says why;
    the parser failing inside says "Could not read the text"."""
    first = read_schedule(data, day, tz)
    assert not [d for d in first.diagnostics if d.message.startswith("Could not read the text")], first.diagnostics
    refused = [d for d in first.diagnostics if d.severity == "error"]
    assert not refused or (len(first.diagnostics) == 1 and not first.programmes), first.diagnostics
    assert _snapshot(read_schedule(data, day, tz)) == _snapshot(first)
    return first


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
zones = st.sampled_from(ZONES)


# -- (a) never raises, deterministic ---------------------------------------------------------------

@PROPERTY
@given(text=st.text(), day=days, tz=zones)
def test_any_text_is_read_without_failing(text: str, day: date, tz: ZoneInfo) -> None:
    _read_twice(text, day, tz)


@PROPERTY
@given(data=st.binary(), day=days, tz=zones)
def test_any_bytes_are_read_without_failing(data: bytes, day: date, tz: ZoneInfo) -> None:
    _read_twice(data, day, tz)


_SCHEDULE_ALPHABET = st.sampled_from(list("0123456789:.-–— \t,;()+«»\"'!?/|") + list("АБВгдеЖзиNewsFilmТ/сХ/ф"))
schedule_like = st.lists(
    st.one_of(
        st.from_regex(r"\A[0-2]?\d[:.h\-][0-5]\d(:[0-5]\d)?( ?[-–] ?[0-2]\d:[0-5]\d)? [^\n\r]{0,40}\Z"),
        st.text(_SCHEDULE_ALPHABET, max_size=40),
        st.sampled_from(["", "Понедельник, 10 января", "ПН 11.01", "Mo., 10.01.", "12+", "Время;Название;Возраст",
                         "18:00", "9.00, 12.00 Новости", "<table><tr><td>06:00</td><td>Новости</td></tr>"]),
    ),
    max_size=30,
).map("\n".join)


@PROPERTY
@given(text=schedule_like, day=days, tz=zones)
def test_schedule_like_text_is_read_without_failing(text: str, day: date, tz: ZoneInfo) -> None:
    schedule = _read_twice(text, day, tz)
    assert all(p.start < p.stop for p in schedule.programmes)


@st.composite
def mutated_listing(draw: st.DrawFn) -> tuple[bytes, date, ZoneInfo]:
    """A corpus listing with lines inserted, deleted, duplicated or garbled, in its own encoding or UTF-8."""
    source = draw(st.sampled_from(SOURCES))
    expected = json.loads(source.with_name(source.stem + ".expected.json").read_text(encoding="utf-8"))
    encoding = expected.get("encoding") or "utf-8"
    lines = source.read_bytes().decode(encoding).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "garble"]))
        if action == "insert":
            lines.insert(at, draw(st.one_of(st.text(max_size=60), schedule_like)))
        elif lines and action == "delete":
            del lines[min(at, len(lines) - 1)]
        elif lines and action == "duplicate":
            lines.insert(at, lines[min(at, len(lines) - 1)])
        elif lines:
            line = lines[min(at, len(lines) - 1)]
            cut = draw(st.integers(0, len(line)))
            lines[min(at, len(lines) - 1)] = line[:cut] + draw(st.text(max_size=8)) + line[cut:]
    text = "\n".join(lines)
    keep_encoding = draw(st.booleans())
    data = text.encode(encoding, errors="replace") if keep_encoding else text.encode("utf-8", errors="replace")
    return data, date.fromisoformat(expected["date"]), ZoneInfo(expected["tz"])


@PROPERTY
@given(case=mutated_listing())
def test_mutated_listings_are_read_without_failing(case: tuple[bytes, date, ZoneInfo]) -> None:
    _read_twice(*case)


# -- (b) canonical text round-trips ----------------------------------------------------------------

_WORDS = ["Новости", "Время", "покажет", "Доброе", "утро", "News", "Tonight", "heute", "journal", "Дом-2", "60",
          "минут", "Что?", "Где?", "Когда?", "Mr.", "Bean", "Д.Е.Л.О.", "Ocean's", "8", "Joko", "&", "Klaas",
          "Жизнь", "других", "Голос", "60+", "Мама", "в", "16", "«Кухня»", "Тайны", "следствия", "Zürich", "Été",
          "Кріпосна", "Сніданок", "з", "1+1", "Le", "Grand", "Bleu", "!", "—", "Вести", "в", "20:00"]
title_words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5).map(" ".join)
ratings: st.SearchStrategy[Rating | None] = st.one_of(
    st.none(),
    st.sampled_from([make_rating("RU", v) for v in ("0+", "6+", "12+", "16+", "18+")]
                    + [make_rating("VCHIP", v) for v in ("TV-Y", "TV-G", "TV-PG", "TV-14", "TV-MA")]
                    + [make_rating("MPA", v) for v in ("G", "PG", "PG-13", "R", "NC-17")]
                    + [make_rating("FSK", v) for v in ("0", "6", "12", "16", "18")]
                    + [make_rating("CSA", v) for v in ("10", "12", "16", "18")]
                    + [make_rating("BBFC", v) for v in ("U", "PG", "12A", "15", "18")]),
)


@st.composite
def programmes(draw: st.DrawFn) -> list[Programme]:
    """Programmes the parser could itself have read: each title and sub-title reads back alone as itself."""
    tz = ZoneInfo("Europe/Moscow")  # no clock changes since 2014: every wall time is one instant
    moment = datetime(2022, 1, 10, 5, 0, tzinfo=tz)
    out = []
    for _ in range(draw(st.integers(1, 12))):
        moment += timedelta(minutes=draw(st.integers(0, 600)), seconds=draw(st.sampled_from([0, 0, 0, 30])))
        title = draw(title_words)
        alone, rating_alone = read_title(title)
        assume(prose_reason(title) is None)
        assume(alone.title == title and alone.sub_title is None and rating_alone is None)
        sub_title = draw(st.one_of(st.none(), title_words))
        if sub_title is not None:
            sub_alone, sub_rating = read_title(sub_title)
            assume(sub_alone.title == sub_title and sub_alone.sub_title is None and sub_rating is None)
        out.append(Programme(start=moment, stop=moment + timedelta(minutes=5), title=title, sub_title=sub_title,
                             rating=draw(ratings)))
    return out


def _essence(programme: Programme) -> tuple[datetime, str, str | None, Rating | None]:
    return programme.start, programme.title, programme.sub_title, programme.rating


@PROPERTY
@given(written=programmes())
def test_canonical_text_reads_back_as_the_same_programmes(written: list[Programme]) -> None:
    text = format_canonical(written)
    read = read_schedule(text, written[0].start.date(), ZoneInfo("Europe/Moscow")).programmes
    assert [_essence(p) for p in read] == [_essence(p) for p in written], text


@PROPERTY
@given(text=schedule_like)
def test_canonical_text_of_anything_read_reads_back_the_same(text: str) -> None:
    tz = ZoneInfo("Europe/Moscow")
    first = read_schedule(text, DAY, tz).programmes
    assume(first)
    again = read_schedule(format_canonical(first), DAY, tz).programmes
    assert [_essence(p) for p in again] == [_essence(p) for p in first]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_canonical_text_of_each_listing_reads_back_the_same(source: Path) -> None:
    expected = json.loads(source.with_name(source.stem + ".expected.json").read_text(encoding="utf-8"))
    day, tz = date.fromisoformat(expected["date"]), ZoneInfo(expected["tz"])
    first = read_schedule(source.read_bytes(), day, tz).programmes
    again = read_schedule(format_canonical(first), day, tz).programmes
    assert [_essence(p) for p in again] == [_essence(p) for p in first]


def test_canonical_text_looks_like_a_listing() -> None:
    tz = ZoneInfo("Europe/Moscow")
    programme = Programme(start=datetime(2022, 1, 7, 17, 15, tzinfo=tz), stop=datetime(2022, 1, 7, 18, tzinfo=tz),
                          title="Жажда странствий", sub_title="Иордания", rating=make_rating("RU", "12+"))
    dotted = programme.model_copy(update={"title": "Москва. Кремль. Путин", "sub_title": None, "rating": None})
    assert format_canonical([programme, dotted]) == (
        "07.01.2022\n17:15 Жажда странствий. Иордания 12+\n17:15 «Москва. Кремль. Путин»\n")
    assert parse_text(format_canonical([programme]), date(2022, 1, 7)).entries[0].parts.title == "Жажда странствий"


def test_bytes_that_begin_like_a_pdf_are_a_refused_document_not_a_parser_failure() -> None:
    """Regression: b"%PDF" came back as "Could not read the text: … No /Root object!", the parser's own failure."""
    schedule = read_schedule(b"%PDF", DAY, ZONES[0])

    [refusal] = schedule.diagnostics
    assert refusal.severity == "error" and "PDF" in refusal.message
    assert not refusal.message.startswith("Could not read the text")
