"""The JSON guide: same data as the other feeds, from the same models."""

from __future__ import annotations

import json

from feeds.jsonfeed import write_json
from tests.golden import assert_golden
from tests.sample_guide import GUIDE, PROGRAMMES


def test_sample_guide_matches_golden_file() -> None:
    assert_golden("guide.json", write_json(GUIDE))


def test_json_carries_every_programme_with_contract_fields() -> None:
    body = json.loads(write_json(GUIDE))
    items = body["channels"][0]["programmes"]
    assert [i["title"] for i in items] == [p.title for p in PROGRAMMES]
    first = items[0]
    assert first["start"] == "2022-01-07T16:55:00+03:00"
    assert first["age_rating"] == "12+" and first["min_age"] == 12 and first["rating_system"] == "RU"
    for key in ("stop", "sub_title", "categories", "season", "episode", "premiere", "live", "line", "id"):
        assert key in first
