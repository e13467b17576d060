"""Editing one programme over HTTP (issue 12): a poster, a description, an episode id that text cannot say,
published as a revision like any other, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from epg.edits import EDITABLE, edited
from epg.errors import ValidationError
from epg.models import Programme
from epg.service import Service
from tests.test_merge import GUIDE, TEXT, at, import_guide

DAY = date(2022, 1, 7)
URL = "/api/channels/bigasia.ru/days/2022-01-07"
POSTER = "https://img.example/sherlock.jpg"


def patch(client: TestClient, token: str, programme_id: str, body: object, **headers: str) -> httpx.Response:
    response: httpx.Response = client.patch(
        f"/api/programmes/{programme_id}", content=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/merge-patch+json", **headers})
    return response


def sherlock(client: TestClient) -> dict[str, Any]:
    return next(p for p in client.get(URL).json()["programmes"] if p["title"] == "Шерлок Холмс")


def test_an_edit_adds_a_poster_a_description_and_an_episode_id_as_a_new_revision(
        service: Service, client: TestClient, auth: dict[str, str], token: str) -> None:
    assert client.put(URL, content=TEXT.encode(), headers=auth).status_code == 200
    before = sherlock(client)
    body = {"description": "Детектив по Конан Дойлу.", "details": {
        "icons": [{"src": POSTER}], "episode_nums": [{"value": "0.4.", "system": "xmltv_ns"}]}}
    response = patch(client, token, str(before["id"]), body)
    assert response.status_code == 200, response.text
    after = sherlock(client)
    assert (after["id"], after["sequence"]) == (before["id"], before["sequence"] + 1)
    assert after["description"] == "Детектив по Конан Дойлу." and after["start"] == before["start"]
    history = client.get(URL + "/revisions", headers=auth).json()
    assert [r["number"] for r in history] == [1, 2]
    assert history[-1]["content_type"] == "application/merge-patch+json"
    assert history[-1]["diagnostics"][0]["message"] == "Edited 'Шерлок Холмс' at 10:00: description, details."
    kept = service.store.raw_input(history[-1]["id"])
    assert json.loads(kept) == body  # the edit is kept byte for byte, as every upload
    programme = next(p for p in etree.fromstring(client.get("/xmltv.xml").content).iter("programme")
                     if p.findtext("title") == "Шерлок Холмс")
    assert [icon.get("src") for icon in programme.iter("icon")] == [POSTER]
    assert programme.findtext("episode-num") == "0.4."
    assert (programme.findtext("desc") or "").startswith("Детектив")
    # null clears a field; the other details stay
    assert patch(client, token, str(before["id"]), {"description": None}).status_code == 200
    cleared = sherlock(client)
    assert cleared["description"] is None and cleared["details"]["icons"] == [
        {"src": POSTER, "width": None, "height": None}]


def test_on_a_merged_day_an_edit_goes_to_the_source_the_programme_came_from(
        service: Service, client: TestClient, auth: dict[str, str], token: str) -> None:
    assert client.put(URL, content=TEXT.encode(), headers=auth).status_code == 200
    import_guide(service, GUIDE)
    morning = next(p for p in client.get(URL).json()["programmes"] if p["title"] == "Утро")
    assert patch(client, token, morning["id"], {"sub_title": "Выпуск 1"}).status_code == 200
    assert [r.source for r in service.history("bigasia.ru", DAY)][-2:] == ["xmltv", "merged"]
    shown = next(p for p in client.get(URL).json()["programmes"] if p["title"] == "Утро")
    assert (shown["id"], shown["sub_title"], shown["provenance"]["source"]) == (morning["id"], "Выпуск 1", "xmltv")
    # A description the guide filled in, edited: the text's own programme gets it, and it wins.
    film = sherlock(client)
    assert film["provenance"]["filled"]["description"] == "xmltv"
    assert patch(client, token, str(film["id"]), {"description": "Своими словами."}).status_code == 200
    film = sherlock(client)
    assert film["description"] == "Своими словами." and "description" not in film["provenance"]["filled"]
    assert [r.source for r in service.history("bigasia.ru", DAY)][-2:] == ["text", "merged"]


@pytest.mark.parametrize(("body", "field"), [
    ({"start": "2022-01-07T11:00:00+03:00"}, "start"),
    ({"provenance": None}, "provenance"),
    ({"colour": "red"}, "colour"),
    ({"season": -1}, "season"),
    ({"episode": 2**40}, "episode"),
    ({"rating": {"system": "RU" * 20, "value": "12+"}}, "rating.system"),
    ({"details": {"icons": [{"src": "javascript:alert(1)"}]}}, "details.icons.0.src"),
    ({"details": "a poster"}, "details"),
    ([], "body"),
])
def test_an_edit_that_does_not_fit_is_refused_naming_the_field_and_changes_nothing(
        client: TestClient, auth: dict[str, str], token: str, body: object, field: str) -> None:
    assert client.put(URL, content=TEXT.encode(), headers=auth).status_code == 200
    response = patch(client, token, str(sherlock(client)["id"]), body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert len(client.get(URL + "/revisions", headers=auth).json()) == 1


def test_an_edit_needs_a_token_json_and_an_existing_programme(client: TestClient, auth: dict[str, str],
                                                              token: str) -> None:
    assert client.put(URL, content=TEXT.encode(), headers=auth).status_code == 200
    programme_id = str(sherlock(client)["id"])
    assert client.patch(f"/api/programmes/{programme_id}", content=b"{}",
                        headers={"Content-Type": "application/json"}).status_code == 401
    assert patch(client, token, programme_id, {"year": 1981}, **{"Content-Type": "text/plain"}).status_code == 415
    garbled = client.patch(f"/api/programmes/{programme_id}", content=b"{not json", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    assert garbled.status_code == 422 and "not JSON" in garbled.json()["detail"]
    assert patch(client, token, "no-such-id", {"year": 1981}).status_code == 404


def test_editable_fields_are_the_models_own_but_when_and_which() -> None:
    assert "description" in EDITABLE and "details" in EDITABLE and "title" in EDITABLE
    assert not {"start", "stop", "id", "sequence", "provenance"} & set(EDITABLE)
    p = Programme(start=at("10:00"), stop=at("11:00"), title="Фильм", id="x", sequence=3)
    changed = edited(p, {"year": 1981, "details": {"keywords": [{"text": "детектив"}]}})
    assert (changed.year, changed.id, changed.sequence, changed.start) == (1981, "x", 3, p.start)
    assert edited(changed, {"details": {"keywords": None}}).details is None
    with pytest.raises(ValidationError, match="JSON object"):
        edited(p, {})
