"""Publishing a document that names several channels (issue 13): aliases, one transaction, scopes, previews.

Every test runs on SQLite and, when EPG_TEST_POSTGRES_URL is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from sqlalchemy import text

from epg.channelnames import matching, names_channel, suggested_ids
from epg.cli import main
from epg.errors import AlreadyExists, EpgError, Forbidden, Rejected, UnknownChannels, ValidationError
from epg.models import Channel
from epg.service import Service
from epg.store import Store
from tests.test_documents import pdf, xlsx
from tests.test_event_loop import read_while_held

DAY = date(2022, 1, 7)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERVIY = Channel(id="perviy.ru", name="Первый канал", tz="Europe/Moscow")
RUSSIA = Channel(id="russia1.ru", name="Россия 1", tz="Europe/Moscow")
NTV = Channel(id="ntv.ru", name="NTV", tz="Asia/Yekaterinburg", aliases=["НТВ"])

#: A newspaper page: one day header, then three channels under their names as the paper prints them.
NEWSPAPER = (
    "Пятница, 7 января 2022\n"
    "ПЕРВЫЙ КАНАЛ\n"
    "06:00 Доброе утро 12+\n"
    "09:00 Новости\n"
    "10:00 Жить здорово! 16+\n"
    "Россия-1\n"
    "05:00 Утро России\n"
    "09:00 О самом главном 12+\n"
    "11:00 Вести\n"
    "НТВ\n"
    "06:00 Сегодня\n"
    "08:00 Мальцева 12+\n"
    "10:00 Суд присяжных 16+\n"
)
TITLES = {
    "perviy.ru": ["Доброе утро", "Новости", "Жить здорово!"],
    "russia1.ru": ["Утро России", "О самом главном", "Вести"],
    "ntv.ru": ["Сегодня", "Мальцева", "Суд присяжных"],
}


@pytest.fixture
def channels(service: Service) -> Service:
    for channel in (PERVIY, RUSSIA, NTV):
        service.add_channel(channel)
    return service


def titles(service: Service, channel_id: str, day: date = DAY) -> list[str]:
    return [p.title for p in service.day(channel_id, day).programmes]


def stored_days(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM days")).scalar_one())


# -- matching printed names ---------------------------------------------------------------------


def test_a_printed_name_matches_by_id_name_or_alias_ignoring_case_yo_and_punctuation() -> None:
    green = Channel(id="green.tv", name="Зелёный канал", tz="UTC", aliases=["Green Channel HD"])
    others = [PERVIY, NTV]
    for printed in ("ЗЕЛЕНЫЙ КАНАЛ", "зелёный  канал", "Зеленый-канал!", "green.tv", "GREEN TV",
                    "green channel (HD)", "Green-Channel-HD"):
        assert matching(printed, [green, *others]) == [green], printed
    assert matching("Зелёный", [green, *others]) == []  # a part of a name is not the name
    assert matching("Н. Т. В.", [green, *others]) == [NTV]
    # A heading over a one-channel upload names the channel by an alias too, as whole words.
    assert names_channel("Сегодня на НТВ:", NTV)
    assert not names_channel("Плюсы недели", Channel(id="x.tv", name="Плюс", tz="UTC"))


def test_suggested_ids_are_dns_like_and_distinct() -> None:
    assert suggested_ids(["Россия-1", "Первый канал", "TV 5", "電視台", "電視台", "電視台"], ["tv-5.tv"]) == [
        "rossiya-1.tv", "pervyy-kanal.tv", "tv-5-2.tv", "channel.tv", "channel-2.tv", "channel-3.tv"]
    assert all(Channel(id=i, name="x", tz="UTC").id == i for i in suggested_ids(["Ёлки ТВ+", "ZDF neo"]))


def test_a_one_channel_upload_keeps_the_block_an_alias_names(channels: Service) -> None:
    published = channels.publish_text("ntv.ru", DAY, NEWSPAPER.encode(), principal=None)
    assert [p.title for p in published.grids[0].programmes] == TITLES["ntv.ru"]


def test_an_alias_that_would_name_two_channels_is_refused(channels: Service) -> None:
    with pytest.raises(AlreadyExists, match=r"ntv\.ru") as refused:
        channels.add_channel(Channel(id="ntv2.ru", name="NTV 2", tz="UTC", aliases=["Н.Т.В"]))
    assert refused.value.field == "aliases"
    with pytest.raises(AlreadyExists, match=r"perviy\.ru"):
        channels.change_aliases("russia1.ru", add=["первый-канал"])
    assert [c.id for c in channels.channels() if c.id == "ntv2.ru"] == []
    assert channels.channel("russia1.ru").aliases == []


def test_a_name_two_channels_answer_to_refuses_the_document_naming_both(channels: Service, store: Store) -> None:
    # A channel's name is no alias: it may equal another's alias (as two names could always be alike) …
    channels.add_channel(Channel(id="ntv-mir.tv", name="нтв", tz="UTC"))
    # … and a document printing it is refused as ambiguous, naming both channels.
    with pytest.raises(ValidationError, match=r"“НТВ” names 2 channels: ntv-mir\.tv \(нтв\), ntv\.ru \(NTV\)"):
        channels.publish_document(NEWSPAPER.encode(), first_day=None, principal=None)
    assert stored_days(store) == 0


def test_aliases_are_added_and_removed_and_kept_in_the_store(channels: Service, store: Store) -> None:
    channels.change_aliases("russia1.ru", add=["РОССИЯ 1 HD", "Russia One", "россия-1-hd", "Россия-1"])
    # One per folded form, and none that is the channel's own name.
    assert store.get_channel("russia1.ru").aliases == ["РОССИЯ 1 HD", "Russia One"]
    channels.change_aliases("russia1.ru", remove=["russia one"])
    assert store.get_channel("russia1.ru").aliases == ["РОССИЯ 1 HD"]
    with pytest.raises(EpgError, match="no alias 'Euronews'"):
        channels.change_aliases("russia1.ru", remove=["Euronews"])
    with pytest.raises(ValidationError, match="no letter or digit"):
        channels.change_aliases("russia1.ru", add=["—"])


# -- publishing every channel of a document ----------------------------------------------------------


def test_a_three_channel_newspaper_publishes_each_channel_in_one_upload(channels: Service, store: Store) -> None:
    published = channels.publish_document(NEWSPAPER.encode(), first_day=None, principal=None)
    assert published.stored
    assert [(c.name, c.channel.id if c.channel else None) for c in published.channels] == [
        ("ПЕРВЫЙ КАНАЛ", "perviy.ru"), ("Россия-1", "russia1.ru"), ("НТВ", "ntv.ru")]
    for channel_id, expected in TITLES.items():
        assert titles(channels, channel_id) == expected
    # Each channel's times are read in its own zone.
    assert channels.day("ntv.ru", DAY).programmes[0].start.isoformat() == "2022-01-07T06:00:00+05:00"
    assert channels.day("perviy.ru", DAY).programmes[0].start.isoformat() == "2022-01-07T06:00:00+03:00"
    uploads = {d.revision.upload_id for c in published.channels for d in c.days if d.revision}
    assert len(uploads) == 1
    # Each day carries the warnings about its own lines: the last programme of each block has no stop.
    (ntv_day,) = published.channels[2].days
    assert [d.line for d in ntv_day.diagnostics if d.severity == "warning"] == [13]


def test_the_same_document_again_publishes_nothing(channels: Service) -> None:
    channels.publish_document(NEWSPAPER.encode(), first_day=None, principal=None)
    again = channels.publish_document(NEWSPAPER.encode(), first_day=None, principal=None)
    assert not again.stored and "Nothing published" in again.diagnostics[0].message
    assert [len(channels.history(c, DAY)) for c in TITLES] == [1, 1, 1]


def test_unknown_channels_refuse_the_document_with_the_commands_that_add_them(service: Service,
                                                                             store: Store) -> None:
    service.add_channel(PERVIY)
    with pytest.raises(UnknownChannels) as refused:
        service.publish_document(NEWSPAPER.encode(), first_day=None, principal=None)
    assert refused.value.names == ["Россия-1", "НТВ"]
    message = refused.value.message
    assert "epg channels add rossiya-1.tv --name 'Россия-1' --tz Europe/Moscow" in message
    assert "epg channels alias ID 'Россия-1'" in message
    assert "epg channels add ntv.tv --name 'НТВ' --tz Europe/Moscow" in message
    assert stored_days(store) == 0


def test_skip_unknown_publishes_the_known_channels_and_lists_the_others(service: Service) -> None:
    service.add_channel(PERVIY)
    published = service.publish_document(NEWSPAPER.encode(), first_day=None, principal=None, skip_unknown=True)
    assert published.stored and [c.name for c in published.skipped] == ["Россия-1", "НТВ"]
    assert titles(service, "perviy.ru") == TITLES["perviy.ru"]


def test_one_transaction_a_failure_in_the_third_channel_leaves_the_first_two_unpublished(
        channels: Service, store: Store) -> None:
    # The database itself refuses the third channel's revision, after the first two were written.
    with store.engine.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql("CREATE TRIGGER refuse_ntv BEFORE INSERT ON revisions WHEN NEW.channel_id = "
                                 "'ntv.ru' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        else:
            conn.exec_driver_sql("CREATE FUNCTION refuse_ntv() RETURNS trigger AS $$ BEGIN IF NEW.channel_id = "
                                 "'ntv.ru' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ "
                                 "LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER refuse_ntv BEFORE INSERT ON revisions FOR EACH ROW "
                                 "EXECUTE FUNCTION refuse_ntv()")
    with pytest.raises(EpgError):
        channels.publish_document(NEWSPAPER.encode(), first_day=None, principal=None)
    assert stored_days(store) == 0
    assert channels.history("perviy.ru", DAY) == [] and channels.history("russia1.ru", DAY) == []


def test_a_blocking_problem_in_the_third_channel_publishes_nothing(service: Service, store: Store) -> None:
    service.add_channel(PERVIY)
    service.add_channel(RUSSIA)
    service.add_channel(NTV.model_copy(update={"block_on_warnings": True, "max_gap_minutes": 60}))
    overlapping = NEWSPAPER.replace("08:00 Мальцева 12+\n10:00", "08:00-09:30 Мальцева 12+\n09:00")
    with pytest.raises(Rejected) as refused:
        service.publish_document(overlapping.encode(), first_day=None, principal=None)
    assert any(d.line == 13 and "starts before “Мальцева” ends" in d.message for d in refused.value.diagnostics)
    assert stored_days(store) == 0


def test_a_token_limited_to_some_channels_is_refused_naming_the_others(channels: Service, store: Store) -> None:
    token = channels.create_token("perviy-desk", ["perviy.ru"])
    with pytest.raises(Forbidden, match=r"russia1\.ru, ntv\.ru"):
        channels.publish_document(NEWSPAPER.encode(), first_day=None, principal=channels.authenticate(token))
    assert stored_days(store) == 0


def test_a_dry_run_previews_every_channel_and_day_and_stores_nothing(service: Service, store: Store) -> None:
    service.add_channel(PERVIY)
    preview = service.publish_document(NEWSPAPER.encode(), first_day=None, principal=None, dry_run=True,
                                       skip_unknown=True)
    assert not preview.stored and stored_days(store) == 0
    by_name = {c.name: c for c in preview.channels}
    assert by_name["ПЕРВЫЙ КАНАЛ"].channel == PERVIY and by_name["Россия-1"].channel is None
    assert [p.title for p in by_name["Россия-1"].days[0].programmes] == TITLES["russia1.ru"]
    assert [d.day for d in by_name["ПЕРВЫЙ КАНАЛ"].days] == [DAY]


def test_a_document_naming_no_channel_asks_for_one(channels: Service) -> None:
    with pytest.raises(ValidationError, match="--channel") as refused:
        channels.publish_document(b"06:00 News\n07:00 Sport\n", first_day=DAY, principal=None)
    assert refused.value.field == "channel"


def test_the_first_day_is_needed_only_when_the_document_names_no_dates(channels: Service) -> None:
    undated = NEWSPAPER.split("\n", 1)[1].encode()
    with pytest.raises(ValidationError, match="line 2") as refused:
        channels.publish_document(undated, first_day=None, principal=None)
    assert refused.value.field == "date"
    published = channels.publish_document(undated, first_day=date(2022, 1, 8), principal=None)
    assert titles(channels, "ntv.ru", date(2022, 1, 8)) == TITLES["ntv.ru"] and published.stored


# -- the command line -------------------------------------------------------------------------------


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def database(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("EPG_DATABASE_URL", store_url)
    return store_url


def test_cli_imports_every_channel_a_newspaper_names(database: str, tmp_path: Path) -> None:
    assert cli("channels", "add", "perviy.ru", "--name", "Первый канал", "--tz", "Europe/Moscow").exit_code == 0
    assert cli("channels", "add", "russia1.ru", "--name", "Россия", "--tz", "Europe/Moscow",
               "--alias", "Россия 1", "--alias", "Russia One").exit_code == 0
    assert cli("channels", "add", "ntv.ru", "--name", "NTV", "--tz", "Asia/Yekaterinburg").exit_code == 0
    page = tmp_path / "newspaper.txt"
    page.write_text(NEWSPAPER, encoding="utf-8")

    refused = cli("import", str(page))
    assert refused.exit_code == 1
    assert "“НТВ” (programmes from line 11): epg channels add ntv.tv --name 'НТВ' --tz " in refused.output
    assert "epg channels alias ID 'НТВ'" in refused.output

    aliased = cli("channels", "alias", "ntv.ru", "НТВ", "ntv")
    assert aliased.exit_code == 0 and "aliases: НТВ." in aliased.output  # "ntv" is the id already
    clash = cli("channels", "alias", "perviy.ru", "нтв")
    assert clash.exit_code == 1 and "ntv.ru" in clash.output

    done = cli("import", str(page))
    assert done.exit_code == 0, done.output
    assert "Published ntv.ru 2022-01-07 (“НТВ”): 3 programmes (revision 1)." in done.output
    assert "Published russia1.ru 2022-01-07 (“Россия-1”): 3 programmes (revision 1)." in done.output
    listed = cli("channels", "list").output.splitlines()
    assert "russia1.ru\tРоссия\tEurope/Moscow\tРоссия 1, Russia One" in listed
    assert "perviy.ru\tПервый канал\tEurope/Moscow" in listed

    # --channel still reads the text as one channel's (the block that names it): that day holds it already.
    forced = cli("import", str(page), "--channel", "perviy.ru")
    assert forced.exit_code == 0 and "Nothing published: this upload is the one already published" in forced.output


def test_cli_skip_unknown_lists_what_it_skipped(database: str, tmp_path: Path) -> None:
    assert cli("channels", "add", "perviy.ru", "--name", "Первый канал", "--tz", "Europe/Moscow").exit_code == 0
    page = tmp_path / "newspaper.txt"
    page.write_text(NEWSPAPER, encoding="utf-8")
    done = cli("import", str(page), "--skip-unknown")
    assert done.exit_code == 0, done.output
    assert "Skipped “Россия-1” (not a known channel): 3 programmes on 2022-01-07." in done.output
    assert "Skipped “НТВ”" in done.output and "Published perviy.ru 2022-01-07" in done.output


# -- HTTP ------------------------------------------------------------------------------------------


def post(client: TestClient, token: str, body: str | bytes = NEWSPAPER, **params: str) -> object:
    return client.post("/api/documents", params=params, content=body.encode() if isinstance(body, str) else body,
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"})


def test_http_publishes_a_document_in_one_request(client: TestClient, channels: Service, token: str) -> None:
    response = client.post("/api/documents", headers={"Authorization": f"Bearer {token}"},
                           files={"file": ("page.html", "<html><body><p>" + NEWSPAPER.replace("\n", "</p><p>")
                                           + "</p></body></html>", "text/html")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] and body["skipped"] == []
    assert [(c["name"], c["channel"]["id"], c["status"]) for c in body["channels"]] == [
        ("ПЕРВЫЙ КАНАЛ", "perviy.ru", "published"), ("Россия-1", "russia1.ru", "published"),
        ("НТВ", "ntv.ru", "published")]
    (day,) = body["channels"][1]["days"]
    assert day["date"] == "2022-01-07" and day["revision"]["number"] == 1
    assert [p["title"] for p in day["programmes"]] == TITLES["russia1.ru"] and day["programmes"][0]["id"]
    grid = client.get("/api/channels/ntv.ru/days/2022-01-07").json()
    assert [p["title"] for p in grid["programmes"]] == TITLES["ntv.ru"]


def test_http_dry_run_previews_per_channel_and_stores_nothing(client: TestClient, service: Service, token: str,
                                                              store: Store) -> None:
    service.add_channel(PERVIY)
    response = post(client, token, dry_run="true", skip_unknown="true")
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert not body["stored"] and body["skipped"] == ["Россия-1", "НТВ"]
    assert [(c["name"], c["status"], c["channel"] and c["channel"]["id"]) for c in body["channels"]] == [
        ("ПЕРВЫЙ КАНАЛ", "preview", "perviy.ru"), ("Россия-1", "skipped", None), ("НТВ", "skipped", None)]
    first = body["channels"][0]["days"][0]
    assert first["revision"] is None and [p["title"] for p in first["programmes"]] == TITLES["perviy.ru"]
    assert any(d["line"] == 5 and d["severity"] == "warning" for d in first["diagnostics"])
    assert stored_days(store) == 0


def test_http_unknown_channels_are_a_422_listing_them(client: TestClient, service: Service, token: str,
                                                      store: Store) -> None:
    service.add_channel(PERVIY)
    response = post(client, token)
    assert response.status_code == 422  # type: ignore[attr-defined]
    problem = response.json()  # type: ignore[attr-defined]
    assert problem["unknown_channels"] == ["Россия-1", "НТВ"] and problem["field"] == "channel"
    assert problem["type"] == "/problems/unknown-channels" and client.get(problem["type"]).status_code == 200
    assert problem["unknown_count"] == 2
    assert "epg channels add rossiya-1.tv --name 'Россия-1'" in problem["detail"]
    assert stored_days(store) == 0
    skipped = post(client, token, skip_unknown="true")
    assert skipped.status_code == 200 and skipped.json()["skipped"] == ["Россия-1", "НТВ"]  # type: ignore[attr-defined]


def test_http_a_token_for_some_channels_gets_403_naming_the_others(client: TestClient, channels: Service,
                                                                   store: Store) -> None:
    token = channels.create_token("russia-desk", ["russia1.ru"])
    for params in ({}, {"dry_run": "true"}):
        response = post(client, token, **params)
        assert response.status_code == 403  # type: ignore[attr-defined]
        assert "perviy.ru, ntv.ru" in response.json()["detail"]  # type: ignore[attr-defined]
    assert stored_days(store) == 0


def test_http_refuses_what_is_not_a_document_and_needs_a_token(client: TestClient, channels: Service,
                                                               token: str) -> None:
    assert client.post("/api/documents", content=NEWSPAPER.encode()).status_code == 401
    png = post(client, token, b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert png.status_code == 415  # type: ignore[attr-defined]
    too_big = post(client, token, "06:00 Новости\n" * 20_000)
    assert too_big.status_code == 413  # type: ignore[attr-defined]
    undated = post(client, token, NEWSPAPER.split("\n", 1)[1])
    assert undated.status_code == 422 and undated.json()["field"] == "date"  # type: ignore[attr-defined]
    dated = post(client, token, NEWSPAPER.split("\n", 1)[1], date="2022-01-08")
    assert dated.status_code == 200 and dated.json()["stored"]  # type: ignore[attr-defined]


def test_http_channels_take_and_return_aliases_and_refuse_a_clash(client: TestClient, channels: Service,
                                                                  token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    made = client.post("/api/channels", headers=headers, json={
        "id": "green.tv", "name": "Зелёный канал", "tz": "Europe/Moscow", "aliases": ["Green HD", " GREEN-HD "]})
    assert made.status_code == 201, made.text
    assert client.get("/api/channels/green.tv").json()["aliases"] == ["Green HD"]
    clash = client.put("/api/channels/russia1.ru", headers=headers,
                       json={**RUSSIA.model_dump(mode="json"), "aliases": ["ЗЕЛЕНЫЙ КАНАЛ"]})
    assert clash.status_code == 409 and clash.json()["field"] == "aliases"
    assert "green.tv" in clash.json()["detail"]
    assert client.get("/api/channels/russia1.ru").json()["aliases"] == []
    bad = client.post("/api/channels", headers=headers, json={
        "id": "x.tv", "name": "X", "tz": "UTC", "aliases": ["…"]})
    assert bad.status_code == 422 and "aliases" in bad.json()["field"]


def test_the_operator_page_offers_documents_and_aliases_in_russian(client: TestClient) -> None:
    page = client.get("/operator?lang=ru").text
    assert "Документ с несколькими каналами" in page and "Опубликовать все каналы" in page
    assert "Другие названия выбранного канала" in page
    assert "A document with several channels" in client.get("/operator?lang=en").text


# -- other formats: every document arrives as parsed text with channel blocks ---------------------------------


def test_http_publishes_an_xlsx_grid_with_channels_across(client: TestClient, channels: Service, token: str) -> None:
    data = xlsx(("Пятница", [
        ["Пятница, 7 января 2022", None, None, None],
        ["Время", "Первый канал", "Россия 1", "НТВ"],
        ["06:00", "Доброе утро", "Утро России", "Утро. Самое лучшее"],
        ["09:00", "Новости", "Вести", "Сегодня"],
    ], []))
    response = client.post("/api/documents", content=data, headers={
        "Authorization": f"Bearer {token}", "Content-Type": XLSX_TYPE})
    assert response.status_code == 200, response.text
    assert [(c["name"], c["channel"]["id"]) for c in response.json()["channels"]] == [
        ("Первый канал", "perviy.ru"), ("Россия 1", "russia1.ru"), ("НТВ", "ntv.ru")]
    assert titles(channels, "russia1.ru") == ["Утро России", "Вести"]
    assert channels.day("ntv.ru", DAY).programmes[1].start.isoformat() == "2022-01-07T09:00:00+05:00"


def test_cli_imports_a_two_column_pdf_page(database: str, tmp_path: Path) -> None:
    assert cli("channels", "add", "daserste.de", "--name", "ARD", "--tz", "Europe/Berlin",
               "--alias", "Das Erste").exit_code == 0
    assert cli("channels", "add", "zdf.de", "--name", "ZDF", "--tz", "Europe/Berlin").exit_code == 0
    page = tmp_path / "fernsehen.pdf"
    page.write_bytes(pdf([
        ["Das Erste", "20:00 Tagesschau", "20:15 Tatort: Borowski", "21:45 Hart aber fair"],
        ["ZDF", "19:00 heute", "19:25 Die Rosenheim-Cops", "20:15 Der Bergdoktor"],
    ], heading="Fernsehen am Montag, 11. März 2024"))
    undated = cli("import", str(page))  # the heading is not read as a day header: the page names no date
    assert undated.exit_code == 1 and "give the first day (--date" in undated.output
    done = cli("import", str(page), "--date", "2024-03-11")
    assert done.exit_code == 0, done.output
    assert "Published daserste.de 2024-03-11 (“Das Erste”): 3 programmes (revision 1)." in done.output
    assert "Published zdf.de 2024-03-11 (“ZDF”): 3 programmes (revision 1)." in done.output


def test_a_read_completes_while_a_document_is_held_in_progress(channels: Service, token: str) -> None:
    """Reading and publishing a document run off the event loop: readers never wait for it."""
    def send(client: httpx.AsyncClient, token: str, _id: str | None) -> Coroutine[Any, Any, httpx.Response]:
        return client.post("/api/documents", content=NEWSPAPER.encode(), headers={
            "Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"})

    assert read_while_held(channels, "publish_document", send, "/api/channels") == (200, True, 200)
    assert titles(channels, "ntv.ru") == TITLES["ntv.ru"]


def test_http_retry_of_a_document_with_its_idempotency_key_is_answered_again_not_published_again(
        client: TestClient, channels: Service, token: str, store: Store) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8",
               "Idempotency-Key": "paper-2022-01-07"}
    first = client.post("/api/documents", content=NEWSPAPER.encode(), headers=headers)
    retry = client.post("/api/documents", content=NEWSPAPER.encode(), headers=headers)
    other = client.post("/api/documents", content=NEWSPAPER.replace("Новости", "Вести").encode(), headers=headers)

    assert first.status_code == retry.status_code == 200, retry.text
    assert retry.headers["Idempotent-Replayed"] == "true" and not retry.json()["stored"]
    revisions = [[d["revision"]["number"] for d in c["days"]] for c in retry.json()["channels"]]
    assert revisions == [[d["revision"]["number"] for d in c["days"]] for c in first.json()["channels"]]
    assert other.status_code == 422 and other.json()["field"] == "Idempotency-Key"
    assert stored_days(store) == 3


def test_http_a_document_naming_thousands_of_unknown_channels_lists_a_bounded_number(
        client: TestClient, service: Service, token: str) -> None:
    page = "".join(f"Канал номер {n}\n06:00 Новости\n07:00 Погода\n" for n in range(1, 1201))

    response = post(client, token, "Пятница, 7 января 2022\n" + page)

    problem = response.json()  # type: ignore[attr-defined]
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert problem["unknown_count"] == 1200 and len(problem["unknown_channels"]) == 200
    assert len(response.content) < 100_000  # type: ignore[attr-defined]
