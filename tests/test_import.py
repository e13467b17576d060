"""Importing other publishers' XMLTV guides as a source: CLI and HTTP, then exporting again."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from lxml import etree

from epg.cli import main
from epg.service import Service
from feeds.xmltv import write_xmltv
from tests.conftest import ANCHORS, XMLTV_DTD
from tests.test_feeds_xmltv import tv_validate_keeping_ids

GUIDES = sorted(ANCHORS.glob("sample_*.xml"))


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.stem)
def test_each_real_guide_imports_and_exports_valid_xmltv(guide: Path, service: Service, client: TestClient,
                                                          token: str, tmp_path: Path) -> None:
    data = guide.read_bytes()
    response = client.post("/api/import", content=data,
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"})
    assert response.status_code == 200, response.text
    body = response.json()
    source_count = len(etree.fromstring(data).findall("programme"))
    assert 0 < body["programmes"] <= source_count
    exported = write_xmltv(service.guide(body["channels"]))
    assert len(etree.fromstring(exported).findall("programme")) == body["programmes"]
    assert etree.DTD(str(XMLTV_DTD)).validate(etree.fromstring(exported))
    path = tmp_path / "out.xml"
    path.write_bytes(exported)
    source_ids = {c.get("id") or "" for c in etree.fromstring(data).iter("channel")}
    tv_validate_keeping_ids(path, source_ids)
    assert body["channels"] == sorted(i for i in source_ids if i in body["channels"])  # no id rewritten


def test_the_iptvx_guide_keeps_programmes_perl_tools_would_drop(service: Service, client: TestClient,
                                                               token: str) -> None:
    data = (ANCHORS / "sample_epg_iptvx_one.xml").read_bytes()
    body = client.post("/api/import", content=gzip.compress(data),
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/gzip"}).json()
    assert body["programmes"] == 230
    assert any("order" in r["message"] for r in body["repairs"])
    day = service.day(body["days"][0]["channel"], date.fromisoformat(body["days"][0]["date"]))
    assert day.source == "xmltv"


def test_import_is_refused_without_a_token_or_for_the_wrong_type(client: TestClient, token: str) -> None:
    data = (ANCHORS / "sample_nzxmltv_com.xml").read_bytes()
    assert client.post("/api/import", content=data, headers={"Content-Type": "application/xml"}).status_code == 401
    wrong = client.post("/api/import", content=b"16:55 News", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/xml"})
    assert wrong.status_code == 415
    assert client.get("/api/channels").json()[0]["id"] == "bigasia.ru" and len(client.get("/api/channels").json()) == 1


def test_an_entity_bomb_is_refused_and_nothing_is_stored(client: TestClient, token: str) -> None:
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE tv [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;">\n]>\n'
            b'<tv><channel id="x.tv"><display-name>&b;</display-name></channel></tv>\n')
    response = client.post("/api/import", content=bomb, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/xml"})
    assert response.status_code == 422
    assert "entit" in response.json()["detail"].lower()
    assert len(client.get("/api/channels").json()) == 1


def test_a_channel_limited_token_cannot_create_channels_by_import(client: TestClient, service: Service) -> None:
    limited = service.create_token("limited", ["bigasia.ru"])
    data = (ANCHORS / "sample_nzxmltv_com.xml").read_bytes()
    response = client.post("/api/import", content=data, headers={
        "Authorization": f"Bearer {limited}", "Content-Type": "application/xml"})
    assert response.status_code == 403
    assert len(client.get("/api/channels").json()) == 1


def test_cli_detects_xmltv_and_reimporting_keeps_programme_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    monkeypatch.setenv("EPG_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    runner = CliRunner()
    guide = ANCHORS / "sample_epgshare01_online.xml"
    first = runner.invoke(main, ["import", str(guide)])
    assert first.exit_code == 0, first.output
    assert "Imported 203 programmes on 2 channel(s)" in first.stdout
    exported = runner.invoke(main, ["export", "--format", "json"]).stdout
    assert runner.invoke(main, ["import", str(guide)]).exit_code == 0
    assert runner.invoke(main, ["export", "--format", "json"]).stdout == exported
    text = runner.invoke(main, ["import", str(guide), "--format", "text"])
    # Read as text (issue 13: a text without --channel is a document naming its channels), XML gives no programme.
    assert text.exit_code == 1 and "no programme could be read" in text.output


def test_each_channel_day_keeps_only_the_repairs_on_its_own_programmes(service: Service, client: TestClient,
                                                                       token: str) -> None:
    guide = b"""<tv>
<channel id="one.example.tv"><display-name>One</display-name></channel>
<channel id="two.example.tv"><display-name>Two</display-name></channel>
<programme start="20220107180000 +0300" channel="one.example.tv"><title>Last one</title></programme>
<programme start="20220107180000 +0300" stop="20220107190000 +0300" channel="two.example.tv"><title>Fine</title>
</programme>
<programme start="20220107190000 XYZ" channel="two.example.tv"><title>Lost</title></programme>
</tv>
"""
    body = client.post("/api/import", content=guide,
                       headers={"Authorization": f"Bearer {token}", "Content-Type": "application/xml"}).json()
    assert {(r["line"], r["severity"]) for r in body["repairs"]} >= {(4, "warning"), (7, "warning")}
    one = service.history("one.example.tv", date(2022, 1, 7))[-1].diagnostics
    two = service.history("two.example.tv", date(2022, 1, 7))[-1].diagnostics
    assert [d.line for d in one if d.line] == [4]  # "no stop and nothing follows" on its own programme
    assert all(d.line != 4 for d in two)
    others = len(body["repairs"]) - 1
    assert one[-1].line == 0 and one[-1].message.startswith(f"{others} more repair(s) in the imported guide")
