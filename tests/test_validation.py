"""Checks before publishing: what they flag, and what blocks a publish."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from epg.errors import Rejected
from epg.models import Channel, Programme
from epg.service import Service
from epg.validation import blocking, validate_grid

MSK = ZoneInfo("Europe/Moscow")
DAY = date(2022, 1, 7)
CHANNEL = Channel(id="check.example.tv", name="Check", tz="Europe/Moscow", max_gap_minutes=120)


def programme(start: str, stop: str, title: str, line: int) -> Programme:
    def at(hhmm: str) -> datetime:
        return datetime.combine(DAY, datetime.strptime(hhmm, "%H:%M").time(), tzinfo=MSK)
    return Programme(start=at(start), stop=at(stop), title=title, line=line)


def test_a_clean_day_has_no_findings() -> None:
    grid = [programme("06:00", "07:00", "Утро", 1), programme("07:00", "08:00", "Новости", 2)]
    assert validate_grid(CHANNEL, DAY, grid) == []


def test_overlap_gap_and_zero_length_are_flagged_on_their_lines() -> None:
    grid = [programme("06:00", "07:30", "Утро", 1), programme("07:00", "07:00", "Пусто", 2),
            programme("12:00", "13:00", "Полдень", 3)]
    findings = validate_grid(CHANNEL, DAY, grid)
    assert {(f.line, f.severity) for f in findings} == {(2, "warning"), (2, "error"), (3, "warning")}
    assert any("no length" in f.message for f in findings)
    assert any("270 minutes" in f.message for f in findings)


def test_a_programme_longer_than_a_day_is_an_error() -> None:
    marathon = Programme(start=datetime(2022, 1, 7, 6, tzinfo=MSK), stop=datetime(2022, 1, 8, 12, tzinfo=MSK),
                         title="Марафон", line=4)
    findings = validate_grid(CHANNEL, DAY, [marathon])
    assert [(f.line, f.severity) for f in findings] == [(4, "error")]
    assert "runs 30.0 hours, longer than the 24 hours" in findings[0].message
    exactly_a_day = marathon.model_copy(update={"stop": datetime(2022, 1, 8, 6, tzinfo=MSK)})
    assert validate_grid(CHANNEL, DAY, [exactly_a_day]) == []


def test_a_programme_far_outside_the_broadcast_day_is_flagged() -> None:
    stray = Programme(start=datetime(2022, 1, 9, 12, tzinfo=MSK), stop=datetime(2022, 1, 9, 13, tzinfo=MSK),
                      title="Чужой", line=7)
    findings = validate_grid(CHANNEL, DAY, [stray])
    assert [(f.line, "outside the broadcast day" in f.message) for f in findings] == [(7, True)]


def test_warnings_block_only_channels_that_ask_for_it() -> None:
    grid = [programme("06:00", "07:00", "Утро", 1), programme("12:00", "13:00", "Полдень", 2)]
    findings = validate_grid(CHANNEL, DAY, grid)
    assert blocking(CHANNEL, findings) == []
    strict = CHANNEL.model_copy(update={"block_on_warnings": True})
    assert [f.line for f in blocking(strict, findings)] == [2]


def test_a_blocked_publish_stores_nothing(service: Service) -> None:
    service.add_channel(CHANNEL.model_copy(update={"block_on_warnings": True}))
    with pytest.raises(Rejected) as caught:
        service.publish_text(CHANNEL.id, DAY, "06:00 - 07:00 Утро\n12:00 Полдень\n".encode(), principal=None)
    assert any(d.line == 2 for d in caught.value.diagnostics)
    assert service.history(CHANNEL.id, DAY) == []
