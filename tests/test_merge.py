"""Several sources per channel merged programme by programme, and a re-import replacing only its window
(issue 12): the merge rules on their own, then through the store and the API on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from epg.details import Icon, ProgrammeDetails
from epg.errors import ValidationError
from epg.merge import FILLABLE, MERGED, Layer, merge
from epg.models import Programme, Provenance, Rating
from epg.service import Service
from feeds.xmltv_reader import read_xmltv

MSK = ZoneInfo("Europe/Moscow")
DAY = date(2022, 1, 7)
URL = "/api/channels/bigasia.ru/days/2022-01-07"


def at(hhmm: str, day: date = DAY) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MSK)


def show(start: str, stop: str, title: str, **fields: object) -> Programme:
    return Programme(start=at(start), stop=at(stop), title=title, **fields)


# --- the rules --------------------------------------------------------------------------------------------------


def test_the_higher_source_wins_where_it_has_programmes_and_the_lower_fills_its_gaps() -> None:
    text = [show("09:00", "10:00", "Новости"), show("10:00", "11:00", "Фильм")]
    guide = [show("07:00", "09:00", "Утро"), show("09:30", "10:30", "Сериал"), show("11:00", "12:00", "Спорт")]
    merged = merge([Layer("text", text), Layer("xmltv", guide)])
    assert [(p.start.strftime("%H:%M"), p.title, p.provenance.source if p.provenance else None)
            for p in merged.programmes] == [
        ("07:00", "Утро", "xmltv"), ("09:00", "Новости", "text"), ("10:00", "Фильм", "text"),
        ("11:00", "Спорт", "xmltv")]
    assert merged.left_out == ["xmltv 09:30 'Сериал' left out: it overlaps text 09:00 'Новости'"]


def test_the_same_broadcast_in_a_lower_source_fills_in_what_the_higher_lacks() -> None:
    poster = ProgrammeDetails(icons=(Icon(src="https://img.example/p.jpg"),), desc_lang="ru")
    text = [show("21:00", "23:00", "Шерлок Холмс", rating=Rating(system="RU", value="16+", min_age=16))]
    guide = [show("21:00", "22:50", "ШЕРЛОК ХОЛМС.", description="Детектив.", sub_title="Собака",
                  rating=Rating(system="RU", value="12+", min_age=12), year=1981, details=poster)]
    (film,) = merge([Layer("text", text), Layer("xmltv", guide)]).programmes
    assert (film.title, film.rating.value if film.rating else None) == ("Шерлок Холмс", "16+")  # the higher's
    assert (film.description, film.sub_title, film.year) == ("Детектив.", "Собака", 1981)  # filled in
    assert film.details is not None and film.details.icons == poster.icons and film.details.desc_lang == "ru"
    assert film.provenance == Provenance(source="text", filled={
        "description": "xmltv", "sub_title": "xmltv", "year": "xmltv", "details": "xmltv"})
    assert film.stop == at("23:00")  # a printed stop is never replaced


def test_details_that_describe_a_field_the_higher_source_has_are_not_taken() -> None:
    marks = ProgrammeDetails.model_validate({"ratings": [{"value": "12+", "system": "RU"}]})
    text = [show("21:00", "23:00", "Фильм", rating=Rating(system="RU", value="16+", min_age=16))]
    guide = [show("21:00", "23:00", "Фильм", rating=Rating(system="RU", value="12+", min_age=12), details=marks)]
    (film,) = merge([Layer("text", text), Layer("xmltv", guide)]).programmes
    assert film.details is None and film.rating is not None and film.rating.value == "16+"


def test_an_assumed_stop_gives_way_to_the_next_programme_of_any_source() -> None:
    text = [show("18:00", "23:59", "Вечер", stop_estimated=True)]
    guide = [show("06:00", "18:00", "День"), show("20:00", "21:00", "Кино")]
    assert [(p.title, p.stop.strftime("%H:%M")) for p in merge([Layer("text", text),
                                                               Layer("xmltv", guide)]).programmes] == [
        ("День", "18:00"), ("Вечер", "20:00"), ("Кино", "21:00")]
    lower = [show("07:00", "23:59", "Утро", stop_estimated=True)]
    assert [(p.title, p.stop.strftime("%H:%M")) for p in merge([Layer("text", [show("09:00", "10:00", "Новости")]),
                                                               Layer("xmltv", lower)]).programmes] == [
        ("Утро", "09:00"), ("Новости", "10:00")]
    matched = merge([Layer("text", [show("18:00", "23:59", "Вечер", stop_estimated=True)]),
                     Layer("xmltv", [show("18:00", "19:30", "вечер")])]).programmes
    assert [(p.stop.strftime("%H:%M"), p.stop_estimated) for p in matched] == [("19:30", False)]


def test_flags_and_identity_are_never_filled_in() -> None:
    assert not {"premiere", "live", "repeat", "subtitles", "start", "title", "id", "sequence"} & set(FILLABLE)
    assert {"description", "sub_title", "rating", "categories", "season", "episode", "year", "country"} <= set(
        FILLABLE)


def test_a_long_day_in_two_sources_merges_without_comparing_every_pair() -> None:
    # 3,000 programmes a source; the sweep looks at neighbours only (quadratic would be 9 million pairs).
    text = [Programme(start=at("00:00") + timedelta(minutes=i), stop=at("00:00") + timedelta(minutes=i + 1),
                      title=f"T{i}") for i in range(0, 6000, 2)]
    guide = [Programme(start=at("00:00") + timedelta(minutes=i), stop=at("00:00") + timedelta(minutes=i + 1),
                       title=f"G{i}") for i in range(1, 6001, 2)]
    merged = merge([Layer("text", text), Layer("xmltv", guide)])
    assert len(merged.programmes) == 6000 and not merged.left_out
    assert [p.title for p in merged.programmes[:3]] == ["T0", "G1", "T2"]


# --- through the store ------------------------------------------------------------------------------------------

TEXT = "09:00 Новости 12+\n10:00 Шерлок Холмс 16+\n12:00 Погода 0+\n"


def guide_xml(*programmes: tuple[str, str, str, str]) -> bytes:
    """An XMLTV guide for bigasia.ru: (start, stop, title, extra elements) in Moscow time."""
    rows = "".join(
        f'<programme start="{start}00 +0300" stop="{stop}00 +0300" channel="bigasia.ru">'
        f'<title lang="ru">{title}</title>{extra}</programme>' for start, stop, title, extra in programmes)
    return (f'<?xml version="1.0" encoding="UTF-8"?><tv><channel id="bigasia.ru"><display-name>Большая Азия'
            f'</display-name></channel>{rows}</tv>').encode()


def import_guide(service: Service, data: bytes) -> None:
    guide = read_xmltv(data)
    service.import_guide(guide.channels, guide.programmes, guide.repairs, raw=data, principal=None)


GUIDE = guide_xml(
    ("202201070700", "202201070900", "Утро", ""),
    ("202201071000", "202201071150", "Шерлок Холмс",
     '<desc lang="ru">Детектив по Конан Дойлу.</desc><icon src="https://img.example/sherlock.jpg"/>'),
    ("202201071400", "202201071500", "Сериал", ""))


def test_a_day_two_sources_publish_shows_their_merge_with_provenance(service: Service, client: TestClient,
                                                                     auth: dict[str, str]) -> None:
    import_guide(service, GUIDE)
    assert client.put(URL, content=TEXT.encode(), headers=auth).status_code == 200
    day = client.get(URL).json()
    assert day["revision"]["source"] == MERGED
    rows = [(p["start"][11:16], p["title"], p["provenance"]["source"], sorted(p["provenance"]["filled"]))
            for p in day["programmes"]]
    assert rows == [("07:00", "Утро", "xmltv", []), ("09:00", "Новости", "text", []),
                    ("10:00", "Шерлок Холмс", "text", ["description", "details"]),
                    ("12:00", "Погода", "text", []), ("14:00", "Сериал", "xmltv", [])]
    sherlock = day["programmes"][2]
    assert sherlock["description"] == "Детектив по Конан Дойлу." and sherlock["stop"][11:16] == "12:00"
    assert day["programmes"][3]["stop"][11:16] == "14:00"  # the text's assumed last stop gave way
    assert sherlock["age_rating"] == "16+"
    xmltv = client.get("/xmltv.xml").text
    assert "https://img.example/sherlock.jpg" in xmltv and "Утро" in xmltv and xmltv.count("<programme ") == 5


def test_republishing_a_merged_day_moves_events_and_never_duplicates_them(service: Service) -> None:
    service.publish_text("bigasia.ru", DAY, TEXT.encode(), principal=None)
    before = {p.title: p.id for p in service.day("bigasia.ru", DAY).programmes}
    import_guide(service, GUIDE)  # the day becomes a merge: what it showed keeps its ids
    merged = service.day("bigasia.ru", DAY)
    assert merged.source == MERGED
    assert {p.title: p.id for p in merged.programmes if p.title in before} == before
    first = {p.title: (p.id, p.sequence) for p in merged.programmes}
    service.publish_text("bigasia.ru", DAY, TEXT.replace("09:00 Новости", "09:15 Новости").encode(), principal=None)
    again = service.day("bigasia.ru", DAY)
    assert {p.title: p.id for p in again.programmes} == {t: i for t, (i, _) in first.items()}
    moved = next(p for p in again.programmes if p.title == "Новости")
    assert moved.start == at("09:15") and moved.sequence == first["Новости"][1] + 1
    shown = service.guide().channels[0].programmes
    assert len({p.id for p in shown}) == len(shown) == 5


def test_the_history_keeps_the_merges_and_says_what_they_hold(service: Service) -> None:
    service.publish_text("bigasia.ru", DAY, TEXT.encode(), principal=None)
    import_guide(service, GUIDE)
    history = service.history("bigasia.ru", DAY)
    assert [(r.number, r.source) for r in history] == [(1, "text"), (2, "xmltv"), (3, MERGED)]
    assert history[-1].diagnostics[0].message == "Shown as the merge of text revision 1, xmltv revision 2."
    with pytest.raises(ValidationError, match="merge of the day's sources"):
        service.rollback("bigasia.ru", DAY, 3, principal=None)
    service.rollback("bigasia.ru", DAY, 1, principal=None)  # a source's own revision: merged again on top
    assert [r.source for r in service.history("bigasia.ru", DAY)][-2:] == ["text", MERGED]


def test_changing_the_priorities_merges_again(service: Service) -> None:
    service.publish_text("bigasia.ru", DAY, TEXT.encode(), principal=None)
    import_guide(service, GUIDE)
    channel = service.channel("bigasia.ru")
    service.update_channel(channel.model_copy(update={"sources": ["xmltv", "text"]}))
    sherlock = next(p for p in service.day("bigasia.ru", DAY).programmes if p.title == "Шерлок Холмс")
    assert sherlock.provenance is not None and sherlock.provenance.source == "xmltv"
    assert sherlock.rating is not None and sherlock.rating.value == "16+"  # the guide has none: text fills it
    assert sherlock.stop == at("11:50")


def test_the_reserved_source_name_is_refused(service: Service) -> None:
    guide = read_xmltv(GUIDE)
    with pytest.raises(ValidationError, match="reserved"):
        service.import_guide(guide.channels, guide.programmes, guide.repairs, raw=GUIDE, principal=None,
                             source=MERGED)
    assert service.store.days_of("bigasia.ru") == []


def test_the_etag_of_a_merged_day_is_a_valid_if_match_for_the_next_upload(
        service: Service, client: TestClient, auth: dict[str, str]) -> None:
    assert client.put(URL, content=TEXT.encode(), headers=auth).status_code == 200
    import_guide(service, GUIDE)
    etag = client.get(URL).headers["ETag"]
    changed = TEXT.replace("Погода", "Прогноз погоды").encode()
    assert client.put(URL, content=changed, headers={**auth, "If-Match": etag}).status_code == 200
    assert client.put(URL, content=TEXT.encode(), headers={**auth, "If-Match": etag}).status_code == 412


# --- a second import replaces its window only -------------------------------------------------------------------

WHOLE = guide_xml(*[(f"2022010{d}{h:02d}00", f"2022010{d}{h + 1:02d}00", f"Передача {d}.{h}", "")
                    for d in (7, 8, 9) for h in range(6, 23)])


def titles(service: Service, day: date) -> list[str]:
    return [p.title for p in service.day("bigasia.ru", day).programmes]


def test_a_second_import_of_a_source_replaces_exactly_the_window_its_guide_covers(service: Service) -> None:
    import_guide(service, WHOLE)
    import_guide(service, guide_xml(("202201071230", "202201071330", "Замена", ""),
                                    ("202201071330", "202201071500", "Замена 2", "")))
    day = titles(service, DAY)
    assert day[:7] == [f"Передача 7.{h}" for h in range(6, 13)]  # 12:00 ran into the window: cut at 12:30
    assert day[7:9] == ["Замена", "Замена 2"]
    assert day[9:] == [f"Передача 7.{h}" for h in range(15, 23)]
    noon = service.day("bigasia.ru", DAY).programmes[6]
    assert (noon.title, noon.stop) == ("Передача 7.12", at("12:30"))
    assert titles(service, date(2022, 1, 8)) == [f"Передача 8.{h}" for h in range(6, 23)]


def test_a_day_inside_the_window_that_the_new_guide_leaves_empty_is_emptied(service: Service) -> None:
    import_guide(service, WHOLE)
    import_guide(service, guide_xml(("202201072200", "202201072300", "Поздно", ""),
                                    ("202201091000", "202201091100", "Утром", "")))
    assert titles(service, DAY)[-1] == "Поздно"
    assert titles(service, date(2022, 1, 8)) == []
    assert titles(service, date(2022, 1, 9)) == ["Утром", *[f"Передача 9.{h}" for h in range(11, 23)]]


def test_a_retried_import_onto_a_merged_day_answers_its_own_result_again(
        service: Service, client: TestClient, auth: dict[str, str], token: str) -> None:
    assert client.put(URL, content=TEXT.encode(), headers=auth).status_code == 200
    keyed = {"Authorization": f"Bearer {token}", "Content-Type": "application/xml", "Idempotency-Key": "guide-1"}
    first = client.post("/api/import", content=GUIDE, headers=keyed)
    again = client.post("/api/import", content=GUIDE, headers=keyed)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["days"] == first.json()["days"] == [
        {"channel": "bigasia.ru", "date": "2022-01-07", "programmes": 3, "revision": 2}]  # not the merge (3)
    assert again.json()["programmes"] == first.json()["programmes"] == 3
    assert [r.source for r in service.history("bigasia.ru", DAY)] == ["text", "xmltv", MERGED]
