"""Channel ids as their source wrote them (issue 12): players match a guide's channels to a playlist by the exact
``tvg-id``, so ``DasErste.de`` must come out as ``DasErste.de``; people type ids in any case, so every place that
takes a typed id finds the channel ignoring case."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import text

from epg import migrations
from epg.models import Channel
from epg.service import Service
from epg.store import Store

GUIDE = b"""<?xml version="1.0" encoding="UTF-8"?>
<tv>
<channel id="DasErste.de"><display-name lang="de">Das Erste</display-name></channel>
<channel id="1"><display-name>TVNZ 1</display-name></channel>
<programme channel="DasErste.de" start="20220107200000 +0100" stop="20220107201500 +0100">
<title>Tagesschau</title></programme>
<programme channel="1" start="20220107180000 +1300" stop="20220107190000 +1300"><title>1News at Six</title></programme>
</tv>
"""


@pytest.fixture
def imported(client: TestClient, auth: dict[str, str]) -> dict[str, object]:
    response = client.post("/api/import", content=GUIDE, headers={**auth, "Content-Type": "application/xml"})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_an_imported_guide_keeps_its_channel_ids_in_every_feed(client: TestClient, auth: dict[str, str],
                                                                imported: dict[str, object]) -> None:
    """Regression: 'DasErste.de' came out as 'daserste.de' and '1' as '1.xmltv', so playlists stopped matching."""
    assert imported["channels"] == ["1", "DasErste.de"]
    xmltv = etree.fromstring(client.get("/xmltv.xml", params={"from": "2022-01-07", "days": 1}).content)
    assert sorted(c.get("id") for c in xmltv.iter("channel")) == ["1", "DasErste.de"]
    assert sorted({p.get("channel") for p in xmltv.iter("programme")}) == ["1", "DasErste.de"]
    assert client.get("/api/channels/DasErste.de").json()["id"] == "DasErste.de"
    channel = {**client.get("/api/channels/DasErste.de").json(), "stream_url": "https://example.org/daserste.m3u8"}
    assert client.put("/api/channels/DasErste.de", json=channel, headers={"Authorization": auth["Authorization"]}
                      ).status_code == 200
    assert 'tvg-id="DasErste.de"' in client.get("/playlist.m3u").text


@pytest.mark.parametrize("typed", ["daserste.de", "DASERSTE.DE", "DasErste.de"])
def test_a_typed_id_in_any_case_finds_the_channel_and_it_keeps_its_own(
        client: TestClient, auth: dict[str, str], imported: dict[str, object], service: Service, typed: str) -> None:
    assert client.get(f"/api/channels/{typed}").json()["id"] == "DasErste.de"
    assert client.get(f"/api/channels/{typed}/days/2022-01-07").status_code == 200
    guide = client.get("/api/guide", params={"channels": typed, "from": "2022-01-07"}).json()
    assert [c["channel"]["id"] for c in guide["channels"]] == ["DasErste.de"]
    body = {**client.get("/api/channels/DasErste.de").json(), "id": typed, "number": "1"}
    changed = client.put(f"/api/channels/{typed}", json=body, headers={"Authorization": auth["Authorization"]})
    assert changed.json()["id"] == "DasErste.de", changed.text
    limited = service.create_token("Das Erste desk", [typed])
    text_upload = client.put(f"/api/channels/{typed.upper()}/days/2022-01-08", content=b"20:00 Tagesschau\n",
                             headers={"Authorization": f"Bearer {limited}", "Content-Type": "text/plain"})
    assert text_upload.status_code == 200, text_upload.text


def test_two_ids_that_differ_only_by_case_are_one_channel(service: Service) -> None:
    service.add_channel(Channel(id="DasErste.de", name="Das Erste", tz="Europe/Berlin"))

    with pytest.raises(Exception, match="already exists"):
        service.add_channel(Channel(id="daserste.DE", name="Copy", tz="Europe/Berlin"))
    assert [c.id for c in service.channels() if c.id.lower() == "daserste.de"] == ["DasErste.de"]


def test_a_timeshift_channel_names_its_source_as_stored(service: Service) -> None:
    service.add_channel(Channel(id="DasErste.de", name="Das Erste", tz="Europe/Berlin"))

    shifted = service.add_channel(Channel(id="DasErste.plus1.de", name="Das Erste +1", tz="Europe/Berlin",
                                          shift_of="daserste.de", shift_hours=1))

    assert shifted.shift_of == "DasErste.de"


def test_upgrading_gives_existing_channels_their_key_and_downgrading_removes_it(store_url: str) -> None:
    from alembic import command

    store = Store(store_url)
    migrations.upgrade(store.engine, "0007")
    with store.engine.begin() as conn:  # a channel as an older version stored it
        conn.execute(text("INSERT INTO channels (id, name, tz, lang, day_start, sources, max_gap_minutes, "
                          "block_on_warnings, shift_hours, aliases, created) VALUES ('bigasia.ru', 'Большая Азия', "
                          "'Europe/Moscow', 'ru', 300, '[\"text\"]', 180, false, 0, '[]', '2022-01-01 00:00:00')"))
    store.create_schema()
    assert store.get_channel("BigAsia.RU").id == "bigasia.ru"
    command.downgrade(migrations.config(store.engine), "0007")
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT id FROM channels")).scalar() == "bigasia.ru"
    store.create_schema()
    assert store.get_channel("BIGASIA.ru").name == "Большая Азия"
    store.close()


def test_history_of_a_day_is_found_however_the_id_is_typed(service: Service) -> None:
    service.add_channel(Channel(id="DasErste.de", name="Das Erste", tz="Europe/Berlin"))
    service.publish_text("daserste.de", date(2022, 1, 7), b"20:00 Tagesschau\n", principal=None)

    assert [r.number for r in service.history("DASERSTE.DE", date(2022, 1, 7))] == [1]
