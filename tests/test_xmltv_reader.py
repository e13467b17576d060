"""Reading other people's XMLTV: the four real anchors, every repair with its line, hostile input refused,
and the reader as the writer's inverse."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from epg.errors import ValidationError
from epg.models import DNS_ID_RE, Channel, ChannelGuide, Diagnostic, Guide, Programme, Rating
from epg.ratings import make_rating
from feeds.xmltv import write_xmltv
from feeds.xmltv_reader import XmltvImport, dns_id, read_xmltv
from tests.conftest import ANCHORS
from tests.sample_guide import BERLIN_GUIDE, GUIDE
from tests.test_feeds_xmltv import perl_tool, tv_validate_keeping_ids, validate_dtd

IPTVX = ANCHORS / "sample_epg_iptvx_one.xml"
TMA = ANCHORS / "sample_epg_tmacaraibes_com.xml"
EPGSHARE = ANCHORS / "sample_epgshare01_online.xml"
NZ = ANCHORS / "sample_nzxmltv_com.xml"

#: (file, {channel id: programme count}) as SOURCES.md describes them (no duplicates in any of the four).
# Ids as each guide writes them (issue 12: playlists match them exactly, so they are never rewritten).
KEPT = "is kept as written, though not DNS-like as XMLTV recommends: playlists match it exactly"

COUNTS = [(IPTVX, {"12-omsk": 230}), (TMA, {"TMA.gp@SD": 318}),
          (EPGSHARE, {"AlJazeera.Arabic.net": 41, "AlJazeera.English.net": 162}), (NZ, {"1": 2})]
# details: what the reader keeps verbatim from the document (tests/test_xmltv_lossless.py checks it); the
# programmes written from text have none.
IGNORED = {"id", "sequence", "modified", "line", "stop_estimated", "details"}


def as_guide(result: XmltvImport) -> Guide:
    return Guide(channels=[ChannelGuide(channel=c, programmes=result.programmes[c.id]) for c in result.channels])


def messages(result: XmltvImport) -> list[tuple[int, str, str]]:
    return [(d.line, d.severity, d.message) for d in result.repairs]


def find(result: XmltvImport, text: str) -> list[Diagnostic]:
    return [d for d in result.repairs if text in d.message]


def doc(body: str, doctype: str = "") -> bytes:
    """A small XMLTV document; ``body`` starts on line 4 (line 2 holds the DOCTYPE, if any)."""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<tv>\n{body}\n</tv>\n'.encode()


def channel(id_: str = "one.tv", lang: str = "ru") -> str:
    return f'<channel id="{id_}"><display-name lang="{lang}">One</display-name></channel>'


def prog(start: str, stop: str | None = "", title: str = "T", extra: str = "", ch: str = "one.tv") -> str:
    stop_attr = f' stop="{stop}"' if stop else ""
    return f'<programme start="{start}"{stop_attr} channel="{ch}"><title>{title}</title>{extra}</programme>'


def only(result: XmltvImport) -> list[Programme]:
    [items] = result.programmes.values()
    return items


# --- the four anchors ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,counts", COUNTS, ids=lambda v: v.name if isinstance(v, Path) else "")
def test_each_anchor_imports_every_channel_and_programme(path: Path, counts: dict[str, int]) -> None:
    result = read_xmltv(path.read_bytes())
    assert [c.id for c in result.channels] == list(counts)
    assert {k: len(v) for k, v in result.programmes.items()} == counts
    for items in result.programmes.values():
        assert [p.start for p in items] == sorted(p.start for p in items)
        assert all(p.stop > p.start and not p.stop_estimated for p in items)


@pytest.mark.parametrize("path", [c[0] for c in COUNTS], ids=lambda p: p.name)
def test_each_anchor_exports_valid_xmltv(path: Path, tmp_path: Path) -> None:
    data = write_xmltv(as_guide(read_xmltv(path.read_bytes())))
    validate_dtd(data)
    out = tmp_path / path.name
    out.write_bytes(data)
    source_ids = {c.get("id") or "" for c in etree.fromstring(path.read_bytes()).iter("channel")}
    complained = tv_validate_keeping_ids(out, source_ids)
    assert all(not DNS_ID_RE.match(i) for i in complained)


@pytest.mark.parametrize("path", [c[0] for c in COUNTS], ids=lambda p: p.name)
def test_export_import_export_gives_identical_bytes(path: Path) -> None:
    first = write_xmltv(as_guide(read_xmltv(path.read_bytes())))
    again = read_xmltv(first)
    assert write_xmltv(as_guide(again)) == first
    assert [d.severity for d in again.repairs] == ["info"] * len(again.repairs)  # only the zone note is left


def test_perl_tools_keep_every_programme_of_the_repaired_iptvx_feed(tmp_path: Path) -> None:
    # The source has <desc> before <title>; tv_sort drops 229 of its 230 programmes. Ours it keeps.
    out = tmp_path / "iptvx.xml"
    out.write_bytes(write_xmltv(as_guide(read_xmltv(IPTVX.read_bytes()))))
    result = perl_tool("tv_sort", str(out))
    assert result.stderr == ""
    assert len(etree.fromstring(result.stdout.encode()).findall("programme")) == 230


def test_iptvx_repairs() -> None:
    result = read_xmltv(IPTVX.read_bytes())
    assert messages(result) == [
        (4, "info", f"channel id '12-omsk' {KEPT}"),
        (4, "info", "channel '12-omsk': time zone Etc/GMT-3 derived from the offset of its first programme"),
        (4, "info", "channel '12-omsk': no language given; its texts keep none"),
        (5, "info", "children of <programme> out of DTD order (<title> after <desc>); all kept "
                    "(229 times, first here)"),
    ]
    assert result.channels[0].tz == "Etc/GMT-3"
    assert result.channels[0].name == "12 канал Омск"
    assert result.channels[0].icon == "https://iptvx.one/picons/12-omsk.png"


def test_iptvx_programmes_checked_by_hand() -> None:
    items = read_xmltv(IPTVX.read_bytes()).programmes["12-omsk"]
    first, last = items[0], items[-1]
    assert first.title == "д/с Необыкновенные люди"
    assert first.start == datetime(2025, 9, 22, 1, 45, tzinfo=UTC) + timedelta(hours=-3)
    assert first.start.utcoffset() == timedelta(hours=3)
    assert first.stop == datetime.fromisoformat("2025-09-22T03:00:00+03:00")
    assert first.description is not None and first.description.startswith("В этом документальном цикле герои")
    assert first.line == 5
    no_desc = next(p for p in items if p.line == 49)
    assert (no_desc.title, no_desc.description) == ("Омск. Здесь все свои. Интервью на радио «Гордость»", None)
    assert last.title == "т/с Тайны города Эн. 5 с."
    assert (last.start.isoformat(), last.stop.isoformat()) == ("2025-09-29T14:20:00+03:00", "2025-09-29T15:20:00+03:00")
    assert all(p.rating is None for p in items)  # the feed has none


def test_tmacaraibes_repairs_and_choices() -> None:
    result = read_xmltv(TMA.read_bytes())
    assert messages(result) == [
        (3, "info", f"channel id 'TMA.gp@SD' {KEPT}"),
        (3, "info", "channel 'TMA.gp@SD': time zone Etc/GMT+4 derived from the offset of its first programme"),
    ]
    [tma] = result.channels
    assert (tma.name, tma.lang, tma.tz, tma.url) == ("TMA", "fr", "Etc/GMT+4", "http://www.tmacaraibes.com")
    items = result.programmes["TMA.gp@SD"]
    first = items[0]
    assert (first.title, first.description) == ("GLOBAL", "Toutes les musiques africaines et caribéennes.")
    assert first.start == datetime.fromisoformat("2026-05-03T00:00:00-04:00")
    assert first.rating == Rating(system="CSA", value="Tout public", min_age=0)
    assert first.categories == ["music"]
    # Four titles per programme: the one in the channel's language (fr) is chosen.
    spotlight = next(p for p in items if p.line == 236)
    assert spotlight.title == "COEUR D’ARTISTE"
    assert spotlight.start == datetime.fromisoformat("2026-05-04T04:00:00-04:00")
    assert spotlight.stop == datetime.fromisoformat("2026-05-04T04:09:00-04:00")
    assert next(p for p in items if p.line == 179).title == "Tématik Afrobeat"


def test_epgshare01_repairs_and_programmes() -> None:
    result = read_xmltv(EPGSHARE.read_bytes())
    assert messages(result) == [
        (5, "info", "channel 'AlJazeera.Arabic.net': time zone Etc/GMT-1 derived from the offset of its first "
                    "programme"),
        (11, "info", "channel 'AlJazeera.English.net': time zone Etc/GMT-1 derived from the offset of its first "
                     "programme"),
    ]
    arabic = result.programmes["AlJazeera.Arabic.net"]
    assert (arabic[0].title, arabic[0].start.isoformat()) == ("نشرة الأخبار", "2025-02-08T00:00:00+01:00")
    assert arabic[0].description == "جولة في أهم الأحداث العربية والعالمية."
    last = result.programmes["AlJazeera.English.net"][-1]
    assert (last.title, last.line) == ("101 East : Bhutan’s Climate Crisis", 825)
    assert (last.start.isoformat(), last.stop.isoformat()) == ("2025-02-11T23:30:00+01:00", "2025-02-12T00:00:00+01:00")


def test_nzxmltv_repairs() -> None:
    result = read_xmltv(NZ.read_bytes())
    assert messages(result) == [
        (4, "info", f"channel id '1' {KEPT}"),
        (4, "info", "channel '1': time zone Etc/UTC derived from the offset of its first programme"),
        (4, "info", "children of <channel> out of DTD order (<icon> after <url>); all kept"),
        (9, "warning", "non-standard element <desc> in <channel> ignored"),
        (10, "warning", "non-standard element <lcn> in <channel> ignored"),
        (17, "info", "empty <date> ignored"),
        (48, "warning", "non-standard element <series-desc> in <programme> ignored (2 times, first here)"),
        (91, "warning", "non-standard element <audio-description> in <programme> ignored"),
    ]


def test_nzxmltv_programmes_checked_by_hand() -> None:
    result = read_xmltv(NZ.read_bytes())
    [tvnz] = result.channels
    assert (tvnz.id, tvnz.name, tvnz.lang, tvnz.number) == ("1", "TVNZ 1", "en", None)
    sunday, rich = result.programmes["1"]
    assert (sunday.title, sunday.sub_title, sunday.year) == ("Sunday", "Sunday", None)  # <date></date>
    assert (sunday.season, sunday.episode) == (2023, 37)  # xmltv_ns 2022.36.0 counts from zero
    assert sunday.start == datetime(2023, 11, 21, 10, 30, tzinfo=UTC)
    assert rich.title == "Rich House, Poor House"
    assert (rich.season, rich.episode, rich.year, rich.country) == (8, 6, 2017, "United Kingdom")
    assert rich.categories == ["Documentary", "Factual"]
    assert rich.rating == Rating(system="New Zealand", value="G", min_age=None)
    assert rich.repeat and rich.subtitles and not rich.premiere


def test_gzip_and_file_objects_read_the_same() -> None:
    data = TMA.read_bytes()
    plain = read_xmltv(data)
    assert read_xmltv(gzip.compress(data)) == plain
    with TMA.open("rb") as handle:
        assert read_xmltv(handle) == plain
    assert read_xmltv(io.BytesIO(gzip.compress(data))) == plain


# --- hostile input ---------------------------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tv [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tv><channel id="a.tv"><display-name>&lol9;</display-name></channel>
<programme start="20220101000000 +0000" channel="a.tv"><title>&lol9;</title></programme></tv>
"""


def passwd_words() -> list[str]:
    text = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    users = [line.split(":")[0] + ":" for line in text.splitlines() if ":" in line][:5]
    return [*users, "/bin/", "nologin"]


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        read_xmltv(data)
    return str(info.value)


def test_billion_laughs_is_refused_before_anything_expands() -> None:
    message = refused(BILLION_LAUGHS)
    assert message.startswith("line 2: the DOCTYPE declares entities")
    assert "lol" not in message
    assert refused(gzip.compress(BILLION_LAUGHS)).startswith("line 2: the DOCTYPE declares entities")
    assert refused(b"\xef\xbb\xbf" + BILLION_LAUGHS).startswith("line 2: the DOCTYPE declares entities")
    assert refused(BILLION_LAUGHS.decode().encode("utf-16")).startswith("line 2: the DOCTYPE declares entities")


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE tv [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>',
    '<!DOCTYPE tv [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    '<!DOCTYPE tv SYSTEM "xmltv.dtd" [\n  <!-- it\'s "quoted" ] -->\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>',
], ids=["general", "parameter", "after-a-comment"])
def test_external_entities_are_refused_and_nothing_of_the_file_leaks(doctype: str) -> None:
    data = doc(channel("a.tv") + prog("20220101000000 +0000", title="&xxe;", ch="a.tv"), doctype)
    message = refused(data)
    assert "declares entities" in message
    for word in passwd_words():
        assert word not in message


def test_an_external_dtd_is_never_loaded() -> None:
    # A DOCTYPE naming a file as its DTD is ordinary (SYSTEM "xmltv.dtd"); it must not be read.
    data = doc(channel("a.tv") + prog("20220101000000 +0000", "20220101010000 +0000", ch="a.tv"),
               '<!DOCTYPE tv SYSTEM "file:///etc/passwd">')
    result = read_xmltv(data)
    everything = repr(result) + write_xmltv(as_guide(result)).decode()
    for word in passwd_words():
        assert word not in everything
    assert [p.title for p in only(result)] == ["T"]


def test_undeclared_entities_are_read_as_html_or_dropped_and_reported() -> None:
    data = doc(channel("a.tv") + prog("20220101000000 +0000", "20220101010000 +0000", title="A&nbsp;B&bogus;C",
                                      ch="a.tv"), '<!DOCTYPE tv SYSTEM "xmltv.dtd">')
    result = read_xmltv(data)
    assert only(result)[0].title == "A\xa0BC"
    assert (4, "info", "undeclared entity &nbsp; read as its HTML meaning '\\xa0'") in messages(result)
    assert (4, "warning", "undeclared entity &bogus; dropped") in messages(result)


def test_a_truncated_file_is_an_error_naming_the_line() -> None:
    data = IPTVX.read_bytes()
    cut = data[: len(data) // 2]
    lines = cut.count(b"\n") + 1
    assert refused(cut) == f"line {lines}: not well-formed XML: AttValue: ' expected"
    assert refused(data[:-30]).startswith("line 234: not well-formed XML: Premature end of data in tag title")
    assert refused(gzip.compress(data)[:5000]).startswith("the gzip data is damaged or truncated")


@pytest.mark.parametrize("data,start", [
    (b"", "line 1: the document is empty"),
    (b" \n ", "line 1: the document is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "line 1: not well-formed XML: Start tag expected"),
    ("Новости 12+\n18:00 Время".encode(), "line 1: not well-formed XML: Start tag expected"),
    (b"\x1f\x8bnot really gzip", "the gzip data is damaged or truncated"),
    (b"<html>\n<body><p>schedule</p></body></html>", "line 1: root element is <html>, not <tv>"),
    (b'<tv><channel id="a.tv"><display-name>A&nbsp;B</display-name></channel></tv>',
     "line 1: not well-formed XML: Entity 'nbsp' not defined"),
], ids=["empty", "blank", "png", "plain-text", "bad-gzip", "html", "entity-without-dtd"])
def test_non_xmltv_bytes_are_a_clear_error(data: bytes, start: str) -> None:
    assert refused(data).startswith(start)


# --- repairs ---------------------------------------------------------------------------------------------------------

def test_named_time_zones_are_mapped_and_unknown_ones_skip_the_programme() -> None:
    body = "\n".join([channel(),
                      prog("20220107180000 MSK", "20220107190000 MSK", "Новости"),
                      prog("20220107190000 msk", "20220107170000 UTC", "Вечер"),
                      prog("20220107170000 GMT", "20220107190000 CET", "Ночь"),
                      prog("20220107210000 XYZ", "20220107220000 +0300", "Пропало"),
                      prog("20220107210000 +0300", "20220107220000", "Поздно")])
    result = read_xmltv(doc(body))
    items = only(result)
    assert [p.title for p in items] == ["Новости", "Вечер", "Ночь", "Поздно"]
    assert [p.start.astimezone(UTC).hour for p in items] == [15, 16, 17, 18]
    assert [p.stop.astimezone(UTC).hour for p in items] == [16, 17, 18, 22]
    assert (5, "info", "time zone name 'MSK' read as +0300 (3 times, first here)") in messages(result)
    assert (6, "info", "time zone name 'UTC' read as +0000") in messages(result)
    assert (7, "info", "time zone name 'GMT' read as +0000") in messages(result)
    assert (7, "info", "time zone name 'CET' read as +0100") in messages(result)
    assert (8, "warning", "programme skipped: unknown time zone 'XYZ' in '20220107210000 XYZ' in its start") in (
        messages(result))
    assert (9, "info", "time without a zone; UTC assumed, as the DTD says") in messages(result)


def test_a_missing_stop_is_the_next_start_or_the_length_or_an_estimated_hour() -> None:
    body = "\n".join([channel(),
                      prog("20220107180000 +0300", None, "Первая"),
                      prog("20220107183000 +0300", None, "Вторая", '<length units="minutes">20</length>'),
                      prog("20220107190000 +0300", None, "Последняя")])
    result = read_xmltv(doc(body))
    items = only(result)
    assert [(p.start.strftime("%H:%M"), p.stop.strftime("%H:%M"), p.stop_estimated) for p in items] == [
        ("18:00", "18:30", False), ("18:30", "18:50", False), ("19:00", "20:00", True)]
    assert (5, "info", "no stop; the next programme's start used") in messages(result)
    assert (6, "info", "no stop; start + <length> used") in messages(result)
    assert (7, "warning", "no stop and nothing follows; assumed to run 60 minutes") in messages(result)


def test_a_programme_longer_than_a_day_is_cut_to_one_with_a_warning() -> None:
    body = "\n".join([channel(),
                      prog("20220107060000 +0300", "20220108180000 +0300", "Марафон"),
                      prog("20220108180000 +0300", None, "Долгий", '<length units="hours">30</length>')])
    items = only(result := read_xmltv(doc(body)))
    assert [(p.title, p.stop - p.start) for p in items] == [("Марафон", timedelta(hours=24)),
                                                            ("Долгий", timedelta(hours=24))]
    assert (5, "warning", "runs 36.0 hours; cut to 24, the longest programme the store keeps") in messages(result)
    assert (6, "warning", "runs 30.0 hours; cut to 24, the longest programme the store keeps") in messages(result)


def test_duplicates_are_dropped_and_programmes_sorted() -> None:
    body = "\n".join([channel(),
                      prog("20220107190000 +0300", "20220107200000 +0300", "Второй"),
                      prog("20220107180000 +0300", "20220107190000 +0300", "Первый"),
                      prog("20220107190000 +0300", "20220107200000 +0300", "Второй", "<desc>копия</desc>"),
                      prog("20220107190000 +0300", "20220107200000 +0300", "Другой")])
    result = read_xmltv(doc(body))
    items = only(result)
    assert [(p.title, p.line) for p in items] == [("Первый", 6), ("Второй", 5), ("Другой", 8)]
    assert [d for d in messages(result) if "duplicate" in d[2]] == [
        (7, "warning", "duplicate programme 'Второй' at 2022-01-07T19:00:00+03:00 on the same channel dropped")]


def test_non_standard_elements_are_reported_once_per_name() -> None:
    extra = '<x-rating>5</x-rating><series-desc>S</series-desc>'
    body = "\n".join([channel(), *(prog(f"2022010718{m}00 +0300", f"2022010718{m + 10}00 +0300", extra=extra)
                                   for m in (10, 20, 30))])
    result = read_xmltv(doc(body))
    assert len(only(result)) == 3
    assert [d for d in messages(result) if "non-standard" in d[2]] == [
        (5, "warning", "non-standard element <x-rating> in <programme> ignored (3 times, first here)"),
        (5, "warning", "non-standard element <series-desc> in <programme> ignored (3 times, first here)")]


def test_children_out_of_order_are_all_kept() -> None:
    body = channel() + "\n" + ('<programme start="20220107180000 +0300" stop="20220107190000 +0300" '
                               'channel="one.tv"><rating><value>16+</value></rating><desc>Описание</desc>'
                               '<date>1999</date><title>Заголовок</title><category>Драма</category></programme>')
    result = read_xmltv(doc(body))
    [p] = only(result)
    assert (p.title, p.description, p.year, p.categories) == ("Заголовок", "Описание", 1999, ["Драма"])
    assert p.rating == make_rating("RU", "16")
    assert (5, "info", "children of <programme> out of DTD order (<desc> after <rating>); all kept") in (
        messages(result))


def test_empty_and_odd_dates() -> None:
    body = "\n".join([channel(), prog("20220107180000 +0300", "20220107190000 +0300", "A", "<date></date>"),
                      prog("20220107190000 +0300", "20220107200000 +0300", "B", "<date>19901011</date>"),
                      prog("20220107200000 +0300", "20220107210000 +0300", "C", "<date>n/a</date>")])
    result = read_xmltv(doc(body))
    assert [p.year for p in only(result)] == [None, 1990, None]
    assert (5, "info", "empty <date> ignored") in messages(result)
    assert (7, "warning", "<date> 'n/a' is not a year; ignored") in messages(result)


def test_several_languages_pick_the_channels_own_without_a_report() -> None:
    titles = '<title lang="en">Evening</title><title lang="de">Abend</title><sub-title lang="fr">Soir</sub-title>' \
             '<desc lang="en">E</desc><desc lang="de">D</desc>'
    body = "\n".join([channel("one.tv", "de_AT"), channel("two.tv", "it"),
                      f'<programme start="20220107180000 +0100" stop="20220107190000 +0100" channel="one.tv">'
                      f'{titles}</programme>',
                      f'<programme start="20220107180000 +0100" stop="20220107190000 +0100" channel="two.tv">'
                      f'{titles}</programme>'])
    result = read_xmltv(doc(body))
    one, two = result.programmes["one.tv"][0], result.programmes["two.tv"][0]
    assert (one.title, one.description, one.sub_title) == ("Abend", "D", "Soir")
    assert (two.title, two.description, two.sub_title) == ("Evening", "E", "Soir")
    assert [c.lang for c in result.channels] == ["de", "it"]
    assert not [d for d in result.repairs if "title" in d.message or "lang" in d.message]


@pytest.mark.parametrize("numbers,expected", [
    ('<episode-num system="xmltv_ns">1.2.0/1</episode-num>', (2, 3)),
    ('<episode-num system="xmltv_ns"> 2/3 . 4/10 . </episode-num>', (3, 5)),
    ('<episode-num system="xmltv_ns">.5.</episode-num>', (None, 6)),
    ('<episode-num system="xmltv_ns">3..</episode-num>', (4, None)),
    ('<episode-num system="onscreen">S01E02</episode-num>', (1, 2)),
    ('<episode-num system="onscreen">S1 E2</episode-num>', (1, 2)),
    ('<episode-num>s03e14</episode-num>', (3, 14)),
    ('<episode-num system="onscreen">E7</episode-num>', (None, 7)),
    ('<episode-num system="onscreen">Part one</episode-num>', (None, None)),
    ('<episode-num system="xmltv_ns">0.0.0</episode-num><episode-num system="onscreen">S09E09</episode-num>',
     (1, 1)),
    ('<episode-num system="xmltv_ns">junk</episode-num><episode-num system="onscreen">S09E09</episode-num>',
     (9, 9)),
])
def test_episode_numbers(numbers: str, expected: tuple[int | None, int | None]) -> None:
    result = read_xmltv(doc(channel() + "\n" + prog("20220107180000 +0300", "20220107190000 +0300",
                                                    extra=numbers)))
    [p] = only(result)
    assert (p.season, p.episode) == expected


@pytest.mark.parametrize("ratings,expected", [
    ('<rating system="CSA"><value>-12</value></rating>', Rating(system="CSA", value="-12", min_age=12)),
    ('<rating system="CSA"><value>Tout public</value></rating>', Rating(system="CSA", value="Tout public",
                                                                       min_age=0)),
    ('<rating system="VCHIP"><value>TV-14</value></rating>', Rating(system="VCHIP", value="TV-14", min_age=14)),
    ('<rating system="VCHIP"><value>TV-14-LV</value></rating>', Rating(system="VCHIP", value="TV-14-LV",
                                                                       min_age=14)),
    ("<rating><value>12+</value></rating>", Rating(system="RU", value="12+", min_age=12)),
    ('<rating system="RU"><value>16</value></rating>', Rating(system="RU", value="16+", min_age=16)),
    ('<rating system="MPAA"><value>PG-13</value><icon src="pg13.png"/></rating>',
     Rating(system="MPA", value="PG-13", min_age=13)),
    ('<rating system="FSK"><value>12</value></rating>', Rating(system="FSK", value="FSK 12", min_age=12)),
    ('<rating system="BBFC"><value>15</value></rating>', Rating(system="BBFC", value="15", min_age=15)),
    ('<rating system="Kijkwijzer"><value>AL</value></rating><rating system="VCHIP"><value>TV-PG</value></rating>',
     Rating(system="VCHIP", value="TV-PG", min_age=10)),
    ("<rating><value>Family</value></rating>", None),
])
def test_ratings_are_normalized_like_the_parser_does(ratings: str, expected: Rating | None) -> None:
    result = read_xmltv(doc(channel() + "\n" + prog("20220107180000 +0300", "20220107190000 +0300",
                                                    extra=ratings)))
    assert only(result)[0].rating == expected


@pytest.mark.parametrize("original", ["TMA.gp@SD", "1", "12-omsk", "DasErste.de", "Канал1.рф", "I_Love.TV"])
def test_channel_ids_are_kept_as_the_source_wrote_them(original: str) -> None:
    """Regression (issue 12): 'DasErste.de' came out as 'daserste.de' and '1' as '1.xmltv', so playlists holding
    the guide's ids stopped matching."""
    result = read_xmltv(doc("\n".join([channel(original), prog("20220107180000 +0300", "20220107190000 +0300",
                                                                "Один", ch=original)])))
    assert [c.id for c in result.channels] == [original] and list(result.programmes) == [original]


@pytest.mark.parametrize("original,mapped", [
    ("ch_5 HD", "ch-5-hd.xmltv"), ("a/b", "a-b.xmltv"), ("Канал 1,2", "1-2.xmltv"), ("--", "--")])
def test_only_ids_no_url_can_carry_are_mapped(original: str, mapped: str) -> None:
    assert (dns_id(original) if " " in original or "/" in original or "," in original else original) == mapped
    Channel(id=mapped, name="x", tz="UTC")  # the model accepts it


def test_id_mapping_applies_to_programmes_and_keeps_distinct_channels_apart() -> None:
    body = "\n".join([channel("A B.tv"), channel("a-b.tv"), channel("A-B.tv"),
                      prog("20220107180000 +0300", "20220107190000 +0300", "Один", ch="A B.tv"),
                      prog("20220107180000 +0300", "20220107190000 +0300", "Два", ch="a-b.tv"),
                      prog("20220107180000 +0300", "20220107190000 +0300", "Три", ch="nowhere"),
                      prog("20220107180000 +0300", "20220107190000 +0300", "Четыре", ch="A-B.tv")])
    data = doc(body)
    result = read_xmltv(data)
    assert [c.id for c in result.channels] == ["a-b.tv", "a-b-2.tv", "A-B-3.tv", "nowhere"]
    assert {k: [p.title for p in v] for k, v in result.programmes.items()} == {
        "a-b.tv": ["Один"], "a-b-2.tv": ["Два"], "A-B-3.tv": ["Четыре"], "nowhere": ["Три"]}
    assert (9, "warning", "programmes name channel 'nowhere', which has no <channel>; added with its id as name") in (
        messages(result))
    assert read_xmltv(data) == result  # deterministic


def test_channel_zone_comes_from_the_first_offset_or_the_caller() -> None:
    body = "\n".join([channel(),
                      prog("20220326230000 +0100", "20220327030000 +0200", "Через переход"),
                      prog("20220327030000 +0200", "20220327040000 +0200", "После")])
    result = read_xmltv(doc(body))
    assert result.channels[0].tz == "Etc/GMT-1"
    assert (4, "warning", "channel 'one.tv': time zone Etc/GMT-1 derived from the offset of its first programme; "
                          "offsets vary (+0100, +0200), so times stay exact but are shown at one offset: give the "
                          "channel's IANA zone") in messages(result)
    berlin = read_xmltv(doc(body), zones={"one.tv": "Europe/Berlin"})
    assert berlin.channels[0].tz == "Europe/Berlin"
    assert [p.start.isoformat() for p in only(berlin)] == ["2022-03-26T23:00:00+01:00", "2022-03-27T03:00:00+02:00"]
    assert [p.start for p in only(berlin)] == [p.start for p in only(result)]
    assert not find(berlin, "time zone")
    minus = read_xmltv(doc(channel() + prog("20220107180000 -0400", "20220107190000 -0400")))
    assert minus.channels[0].tz == "Etc/GMT+4"  # IANA's Etc zones invert the sign
    india = read_xmltv(doc(channel() + prog("20220107180000 +0530", "20220107190000 +0530")))
    assert india.channels[0].tz == "Asia/Kolkata"


# --- the reader as the writer's inverse ------------------------------------------------------------------------------

def test_our_own_sample_guides_read_back_unchanged() -> None:
    for guide in (GUIDE, BERLIN_GUIDE):
        result = read_xmltv(write_xmltv(guide))
        for item in guide.channels:
            got = result.programmes[item.channel.id]
            assert [p.model_dump(exclude=IGNORED) for p in got] == [
                p.model_copy(update={"sub_title": " ".join(p.sub_title.split()) if p.sub_title else None})
                .model_dump(exclude=IGNORED) for p in item.programmes]
            assert (result.channels[0].name, result.channels[0].number, result.channels[0].lang) == (
                item.channel.name, item.channel.number, item.channel.lang)


_TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=40) \
    .map(str.strip).filter(bool)
_CATEGORY = st.sampled_from(["Художественный фильм", "Телесериал", "Мультфильм", "Документальный фильм", "Драма",
                             "Комедия", "Spielfilm", "Dokumentation", "Спорт", "Музыка", "Documentary", "Talk"])
_RATING = st.sampled_from([make_rating("RU", "0"), make_rating("RU", "16"), make_rating("VCHIP", "TV-PG"),
                           make_rating("MPA", "R"), make_rating("FSK", "12"), make_rating("CSA", "10"),
                           make_rating("BBFC", "12A")])
_ZONES = ["Europe/Moscow", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Australia/Sydney"]


@st.composite
def guides(draw: st.DrawFn) -> Guide:
    ids = draw(st.lists(st.sampled_from(["one.tv", "two.example.org", "news-24.ru", "k1.de"]), min_size=1,
                        max_size=3, unique=True))
    channels = []
    for channel_id in ids:
        ch = Channel(id=channel_id, name=draw(_TEXT), tz=draw(st.sampled_from(_ZONES)),
                     lang=draw(st.sampled_from(["ru", "en", "de", "fr"])),
                     number=draw(st.none() | st.integers(1, 999).map(str)))
        moment = datetime(2021, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 3 * 365 * 24 * 60)))
        items = []
        for _ in range(draw(st.integers(1, 5))):
            length = timedelta(minutes=draw(st.integers(1, 300)))
            items.append(Programme(
                start=moment.astimezone(ch.zoneinfo), stop=(moment + length).astimezone(ch.zoneinfo),
                title=draw(_TEXT), sub_title=draw(st.none() | _TEXT),
                description=draw(st.none() | st.lists(_TEXT, min_size=1, max_size=3).map("\n".join)),
                categories=draw(st.lists(_CATEGORY, max_size=3, unique=True)), rating=draw(st.none() | _RATING),
                season=draw(st.none() | st.integers(1, 40)), episode=draw(st.none() | st.integers(1, 500)),
                premiere=draw(st.booleans()), live=draw(st.booleans()), repeat=draw(st.booleans()),
                subtitles=draw(st.booleans()), year=draw(st.none() | st.integers(1900, 2030)),
                country=draw(st.none() | st.sampled_from(["Россия", "США", "Deutschland", "France"]))))
            moment += length + timedelta(minutes=draw(st.sampled_from([0, 0, 5])))
        channels.append(ChannelGuide(channel=ch, programmes=items))
    return Guide(channels=channels)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guides())
def test_reading_what_we_wrote_gives_the_same_programmes(guide: Guide) -> None:
    data = write_xmltv(guide)
    result = read_xmltv(data)
    assert [c.id for c in result.channels] == [c.channel.id for c in guide.channels]

    def dump(items: list[Programme]) -> list[dict[str, Any]]:
        return [p.model_dump(exclude=IGNORED) for p in items]

    for item in guide.channels:
        assert dump(result.programmes[item.channel.id]) == dump(item.programmes)
    assert all(d.severity == "info" for d in result.repairs), result.repairs
    assert write_xmltv(as_guide(result)) == write_xmltv(as_guide(read_xmltv(write_xmltv(as_guide(result)))))
