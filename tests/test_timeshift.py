"""A "+2" channel: the source's programmes two hours later, in every feed, with no data copied."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from api.routes import feeds
from epg.errors import NotFound, ValidationError
from epg.models import Channel
from epg.service import Service

DAY = date(2022, 1, 7)
PLUS2 = Channel(id="plus2.bigasia.ru", name="Большая Азия +2", tz="Asia/Yekaterinburg", shift_of="bigasia.ru",
                shift_hours=2)
TEXT = "16:55 История дракона 12+\n17:00 Китайская панорама 12+\n18:00 Новости 12+\n"


@pytest.fixture
def shifted(service: Service) -> Service:
    service.add_channel(PLUS2)
    service.publish_text("bigasia.ru", DAY, TEXT.encode(), principal=None)
    return service


def test_the_shifted_channel_shows_the_source_two_hours_later(shifted: Service) -> None:
    source, plus2 = shifted.guide(["bigasia.ru", PLUS2.id]).channels
    assert [(p.start - s.start).total_seconds() for p, s in zip(plus2.programmes, source.programmes,
                                                                strict=True)] == [7200] * 3
    assert plus2.programmes[0].start.isoformat() == "2022-01-07T20:55:00+05:00"
    assert {p.id for p in plus2.programmes}.isdisjoint({p.id for p in source.programmes})


def test_a_correction_to_the_source_reaches_the_shifted_channel(shifted: Service) -> None:
    shifted.publish_text("bigasia.ru", DAY, TEXT.replace("Новости", "Вести").encode(), principal=None)
    titles = [p.title for p in shifted.guide([PLUS2.id]).channels[0].programmes]
    assert titles == ["История дракона", "Китайская панорама", "Вести"]


def test_publishing_to_a_shifted_channel_is_refused(shifted: Service) -> None:
    with pytest.raises(ValidationError, match=r"publish to bigasia\.ru"):
        shifted.publish_text(PLUS2.id, DAY, TEXT.encode(), principal=None)


def test_a_shift_of_a_shift_or_of_nothing_is_refused(shifted: Service) -> None:
    with pytest.raises(ValidationError):
        shifted.add_channel(Channel(id="plus4.bigasia.ru", name="x", tz="UTC", shift_of=PLUS2.id, shift_hours=2))
    with pytest.raises(NotFound, match="no channel"):
        shifted.add_channel(Channel(id="plus9.example.tv", name="x", tz="UTC", shift_of="none.example", shift_hours=9))


def test_the_shifted_channel_is_in_xmltv_ical_and_now_next(shifted: Service, client: TestClient) -> None:
    xml = client.get("/xmltv.xml", params={"from": "2022-01-07", "days": 2}).content
    starts = [p.get("start") for p in etree.fromstring(xml).findall(f"programme[@channel='{PLUS2.id}']")]
    assert starts[0] == "20220107205500 +0500"
    ics = client.get(f"/ical/{PLUS2.id}.ics", params={"from": "2022-01-07"}).text
    assert ics.count("BEGIN:VEVENT") == 3 and "TZID=Asia/Yekaterinburg" in ics
    at = datetime(2022, 1, 7, 15, 57, tzinfo=UTC)  # 18:57 in Moscow: +2 shows what Moscow had at 16:57
    now = {item.channel.id: item.now.title if item.now else None for item in shifted.now_next(at)}
    assert now == {"bigasia.ru": "Новости", PLUS2.id: "История дракона"}
    assert shifted.day(PLUS2.id, DAY).programmes[0].title == "История дракона"


def test_a_correction_to_the_source_changes_the_shifted_feed_and_its_etag(shifted: Service, client: TestClient,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: a shifted channel's slot key ignored its source, so a player holding the old ETag got 304."""
    params = {"channels": PLUS2.id, "from": "2022-01-07", "days": 1}
    for whole in (64, 0):  # kept whole in the read cache, and streamed from pieces
        monkeypatch.setattr(feeds, "WHOLE_FEED_SLOTS", whole)
        shifted.publish_text("bigasia.ru", DAY, TEXT.encode(), principal=None)
        before = client.get("/xmltv.xml", params=params)
        assert "Новости" in before.text
        shifted.publish_text("bigasia.ru", DAY, TEXT.replace("Новости", "Вести").encode(), principal=None)
        after = client.get("/xmltv.xml", params=params, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and "Вести" in after.text and "Новости" not in after.text
        assert "last-modified" in after.headers
