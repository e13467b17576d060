"""XMLTV as players read it: DTD-valid (lxml and tv_validate_file), exact bytes, right times."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from feeds.xmltv import write_xmltv
from tests.conftest import XMLTV_DTD
from tests.golden import assert_golden
from tests.sample_guide import GUIDE


def validate_dtd(data: bytes) -> None:
    dtd = etree.DTD(str(XMLTV_DTD))
    doc = etree.fromstring(data)
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()


def tv_validate(path: Path) -> str:
    """Run Debian's tv_validate_file with the local DTD (without it, it tries the network)."""
    tool = shutil.which("tv_validate_file")
    if tool is None:
        pytest.fail("tv_validate_file is missing: install Debian's xmltv-util (make system-deps)")
    result = subprocess.run([tool, "--dtd-file", str(XMLTV_DTD), str(path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_sample_guide_matches_golden_file() -> None:
    assert_golden("guide.xml", write_xmltv(GUIDE))


def test_sample_guide_is_valid_against_the_dtd() -> None:
    validate_dtd(write_xmltv(GUIDE))


def test_sample_guide_passes_tv_validate_file(tmp_path: Path) -> None:
    path = tmp_path / "guide.xml"
    path.write_bytes(write_xmltv(GUIDE))
    assert "Validated ok" in tv_validate(path)


def test_times_carry_numeric_offsets_and_every_programme_has_a_stop() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    programmes = doc.findall("programme")
    assert len(programmes) == len(GUIDE.channels[0].programmes)
    assert programmes[0].get("start") == "20220107165500 +0300"
    assert all(p.get("stop") for p in programmes)


def test_rating_is_written_the_way_players_read_it() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    rating = doc.find("programme/rating")
    assert rating is not None and rating.get("system") == "RU"
    assert rating.findtext("value") == "12+"


def test_episode_numbers_in_xmltv_ns_are_zero_based() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    method = next(p for p in doc.findall("programme") if p.findtext("title") == "Метод")
    numbers = {e.get("system"): e.text for e in method.findall("episode-num")}
    assert numbers == {"xmltv_ns": "1.2.", "onscreen": "S02E03"}


def test_hostile_text_is_escaped_and_read_back_unchanged() -> None:
    doc = etree.fromstring(write_xmltv(GUIDE))
    titles = [p.findtext("title") for p in doc.findall("programme")]
    assert titles == [p.title for p in GUIDE.channels[0].programmes]
    assert doc.findall("programme")[6].findtext("desc") == GUIDE.channels[0].programmes[6].description


def test_control_characters_are_dropped_not_fatal() -> None:
    programme = GUIDE.channels[0].programmes[0].model_copy(update={"title": "Bad\x00\x07 title\x1f"})
    guide = GUIDE.model_copy(update={"channels": [GUIDE.channels[0].model_copy(update={"programmes": [programme]})]})
    data = write_xmltv(guide)
    validate_dtd(data)
    assert etree.fromstring(data).findtext("programme/title") == "Bad title"


def test_one_element_per_line() -> None:
    for line in write_xmltv(GUIDE).decode("utf-8").splitlines()[3:-1]:
        stripped = line.strip()
        opening = stripped.count("<") - stripped.count("</")
        assert opening <= 1, line
