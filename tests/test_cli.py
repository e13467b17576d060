"""The ``epg`` command line, run in-process with click's CliRunner over a real SQLite file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar
from lxml import etree

from epg.cli import main
from epg.service import Service, hash_token
from epg.store import Store
from tests.conftest import FOUNDING_PAGE, XMLTV_DTD

FOUR = (
    "16:55 История дракона 12+\n"
    "17:00 Китайская панорама 12+\n"
    "17:15 Жажда странствий. Иордания 12+\n"
    "18:00 Новости 12+\n"
)
NO_PROGRAMME = "Прогноз погоды\n\nПодпишитесь на рассылку\n"
PARSE_FOUNDING = ["parse", str(FOUNDING_PAGE), "--date", "2022-01-07", "--tz", "Europe/Moscow"]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The SQLite file every command in the test uses, via EPG_DATABASE_URL."""
    path = tmp_path / "epg.sqlite3"
    monkeypatch.setenv("EPG_DATABASE_URL", f"sqlite:///{path}")
    return path


def run(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def ok(*args: str, stdin: str | bytes | None = None) -> Result:
    result = run(*args, stdin=stdin)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def add_bigasia() -> None:
    ok("channels", "add", "bigasia.ru", "--name", "Большая Азия", "--tz", "Europe/Moscow", "--number", "1")


def import_four(tmp_path: Path) -> Result:
    return ok("import", write(tmp_path, "day.txt", FOUR), "--channel", "bigasia.ru", "--date", "2022-01-07")


# -- parse ----------------------------------------------------------------------


def test_parse_founding_page_prints_the_four_programmes() -> None:
    result = ok(*PARSE_FOUNDING)

    document = json.loads(result.stdout)
    assert [(p["start"], p["stop"], p["title"], p["sub_title"], p["age_rating"], p["min_age"])
            for p in document["programmes"]] == [
        ("2022-01-07T16:55:00+03:00", "2022-01-07T17:00:00+03:00", "История дракона", None, "12+", 12),
        ("2022-01-07T17:00:00+03:00", "2022-01-07T17:15:00+03:00", "Китайская панорама", None, "12+", 12),
        ("2022-01-07T17:15:00+03:00", "2022-01-07T18:00:00+03:00", "Жажда странствий", "Иордания", "12+", 12),
        ("2022-01-07T18:00:00+03:00", "2022-01-07T19:00:00+03:00", "Новости", None, "12+", 12),
    ]
    assert [p["stop_estimated"] for p in document["programmes"]] == [False, False, False, True]


def test_parse_warns_that_the_last_stop_was_assumed() -> None:
    document = json.loads(ok(*PARSE_FOUNDING).stdout)

    last_line = document["programmes"][-1]["line"]
    warnings = [d for d in document["diagnostics"] if d["severity"] == "warning"]
    assert [d["line"] for d in warnings] == [last_line]
    assert "assumed" in warnings[0]["message"]


def test_parse_reports_a_diagnostic_for_each_noise_line() -> None:
    document = json.loads(ok(*PARSE_FOUNDING).stdout)

    programme_lines = {p["line"] for p in document["programmes"]}
    text_lines = [n for n, line in enumerate(FOUNDING_PAGE.read_text("utf-8").splitlines(), start=1)
                  if line.strip()]
    noise = [n for n in text_lines if n not in programme_lines]
    info_lines = [d["line"] for d in document["diagnostics"] if d["severity"] == "info"]
    assert noise and info_lines == noise


def test_parse_reads_stdin_given_as_dash() -> None:
    result = ok("parse", "-", "--date", "2022-01-07", "--tz", "Europe/Moscow", stdin=FOUR.encode())

    assert [p["title"] for p in json.loads(result.stdout)["programmes"]] == [
        "История дракона", "Китайская панорама", "Жажда странствий", "Новости"]


def test_parse_reads_stdin_by_default() -> None:
    result = ok("parse", "--date", "2022-01-07", "--tz", "Asia/Tokyo", stdin="09:00 Morning News\n")

    [programme] = json.loads(result.stdout)["programmes"]
    assert programme["start"] == "2022-01-07T09:00:00+09:00"


def test_parse_reads_a_time_range_joined_by_a_hyphen() -> None:
    """Regression: '06:00-07:00 Title' was skipped as having no time."""
    result = ok("parse", "-", "--date", "2022-01-07", "--tz", "Europe/Moscow", stdin="06:00-07:00 Утро\n")

    [programme] = json.loads(result.stdout)["programmes"]
    assert (programme["start"], programme["stop"], programme["title"]) == (
        "2022-01-07T06:00:00+03:00", "2022-01-07T07:00:00+03:00", "Утро")


def test_parse_text_without_programmes_exits_1_naming_the_lines() -> None:
    result = run("parse", "-", "--date", "2022-01-07", "--tz", "Europe/Moscow", stdin=NO_PROGRAMME)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no programme" in result.stderr
    assert "line 1:" in result.stderr
    assert "line 3:" in result.stderr


def test_parse_without_date_is_a_usage_error() -> None:
    result = run("parse", str(FOUNDING_PAGE), "--tz", "Europe/Moscow")

    assert result.exit_code == 2
    assert "--date" in result.stderr


def test_parse_with_a_bad_date_is_a_usage_error() -> None:
    result = run("parse", str(FOUNDING_PAGE), "--date", "07.01.2022", "--tz", "Europe/Moscow")

    assert result.exit_code == 2
    assert "07.01.2022" in result.stderr


def test_parse_with_an_unknown_zone_is_a_usage_error() -> None:
    result = run("parse", str(FOUNDING_PAGE), "--date", "2022-01-07", "--tz", "Mars/Olympus")

    assert result.exit_code == 2
    assert "Mars/Olympus" in result.stderr


def test_parse_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("parse", str(tmp_path / "nope.txt"), "--date", "2022-01-07", "--tz", "Europe/Moscow")

    assert result.exit_code == 2
    assert "nope.txt" in result.stderr


def test_parse_as_xmltv_is_valid_against_the_dtd() -> None:
    result = ok(*PARSE_FOUNDING, "--format", "xmltv", "--channel", "bigasia.ru")

    document = etree.fromstring(result.stdout_bytes)
    dtd = etree.DTD(str(XMLTV_DTD))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()
    assert [p.findtext("title") for p in document.iter("programme")] == [
        "История дракона", "Китайская панорама", "Жажда странствий", "Новости"]
    assert {p.get("channel") for p in document.iter("programme")} == {"bigasia.ru"}


def test_parse_as_ical_has_four_events() -> None:
    result = ok(*PARSE_FOUNDING, "--format", "ical")

    events = Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
    assert len(events) == 4
    assert str(events[2]["SUMMARY"]) == "Жажда странствий. Иордания"
    assert len({str(e["UID"]) for e in events}) == 4


def test_parse_with_a_bad_channel_id_is_a_usage_error() -> None:
    result = run(*PARSE_FOUNDING, "--channel", "not a channel")

    assert result.exit_code == 2
    assert "not a channel" in result.stderr


# -- channels -------------------------------------------------------------------


def test_added_channel_is_listed(db: Path) -> None:
    added = ok("channels", "add", "bigasia.ru", "--name", "Большая Азия", "--tz", "Europe/Moscow")
    ok("channels", "add", "news.example.tv", "--name", "News", "--tz", "Europe/London")

    listed = ok("channels", "list")

    assert "bigasia.ru" in added.stdout
    assert listed.stdout.splitlines() == [
        "bigasia.ru\tБольшая Азия\tEurope/Moscow", "news.example.tv\tNews\tEurope/London"]
    assert db.exists()


def test_channels_list_is_empty_on_a_new_database(db: Path) -> None:
    assert ok("channels", "list").stdout.startswith("No channels yet")  # nothing stored


def test_adding_a_channel_twice_exits_1(db: Path) -> None:
    add_bigasia()

    result = run("channels", "add", "bigasia.ru", "--name", "Другое", "--tz", "Europe/Moscow")

    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert ok("channels", "list").stdout.splitlines() == ["bigasia.ru\tБольшая Азия\tEurope/Moscow"]


def test_bad_channel_id_is_a_usage_error_naming_it(db: Path) -> None:
    result = run("channels", "add", "Big Asia/1", "--name", "Большая Азия", "--tz", "Europe/Moscow")

    assert result.exit_code == 2
    assert "Big Asia/1" in result.stderr
    assert "no space" in result.stderr


def test_bad_channel_id_is_refused_and_nothing_stored(db: Path) -> None:
    result = run("channels", "add", "Big,Asia", "--name", "Большая Азия", "--tz", "Europe/Moscow")

    assert result.exit_code == 2
    assert ok("channels", "list").stdout.startswith("No channels yet")  # nothing stored


def test_an_id_that_is_not_dns_like_is_kept_as_typed_with_a_warning(db: Path) -> None:
    """Issue 12: ids are the source's own (a playlist's tvg-id matches them exactly): a warning, never a rewrite."""
    added = ok("channels", "add", "DasErste.HD_1", "--name", "Das Erste", "--tz", "Europe/Berlin")

    assert "not DNS-like" in added.stderr
    assert ok("channels", "list").stdout.startswith("DasErste.HD_1\t")
    assert run("channels", "add", "daserste.hd_1", "--name", "Copy", "--tz", "Europe/Berlin").exit_code != 0


def test_channel_with_an_unknown_zone_is_a_usage_error(db: Path) -> None:
    result = run("channels", "add", "bigasia.ru", "--name", "Большая Азия", "--tz", "Moscow")

    assert result.exit_code == 2
    assert "Moscow" in result.stderr
    assert ok("channels", "list").stdout.startswith("No channels yet")  # nothing stored


# -- import and export ------------------------------------------------------------


def test_import_publishes_the_day(db: Path, tmp_path: Path) -> None:
    add_bigasia()

    result = import_four(tmp_path)

    assert "Published bigasia.ru 2022-01-07: 4 programmes (revision 1)." in result.stdout
    assert "assumed" in result.stderr  # the warning about the last stop


def test_import_from_stdin(db: Path) -> None:
    add_bigasia()

    result = ok("import", "-", "--channel", "bigasia.ru", "--date", "2022-01-07", stdin=FOUR.encode())

    assert "4 programmes" in result.stdout


def test_import_again_makes_a_new_revision(db: Path, tmp_path: Path) -> None:
    add_bigasia()
    import_four(tmp_path)

    again = import_four(tmp_path)  # the same file: nothing to publish (issue 15, item 10)
    changed = ok("import", write(tmp_path, "day2.txt", FOUR + "19:00 Фильм\n"), "--channel", "bigasia.ru",
                 "--date", "2022-01-07")

    assert "Nothing published" in again.stdout and "revision 1" in again.stdout
    assert "(revision 2)" in changed.stdout


def test_import_of_text_without_programmes_exits_1_naming_the_lines(db: Path, tmp_path: Path) -> None:
    add_bigasia()

    result = run("import", write(tmp_path, "noise.txt", NO_PROGRAMME), "--channel", "bigasia.ru",
                 "--date", "2022-01-07")

    assert result.exit_code == 1
    assert "line 1:" in result.stderr
    assert "line 3:" in result.stderr
    assert "no programme" in result.stderr
    assert "Traceback" not in result.output


def test_import_to_an_unknown_channel_exits_1(db: Path, tmp_path: Path) -> None:
    result = run("import", write(tmp_path, "day.txt", FOUR), "--channel", "nowhere.tv", "--date", "2022-01-07")

    assert result.exit_code == 1
    assert "nowhere.tv" in result.stderr


def test_import_of_a_missing_file_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    add_bigasia()

    result = run("import", str(tmp_path / "nope.txt"), "--channel", "bigasia.ru", "--date", "2022-01-07")

    assert result.exit_code == 2
    assert "nope.txt" in result.stderr


def test_import_with_a_bad_date_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    add_bigasia()

    result = run("import", write(tmp_path, "day.txt", FOUR), "--channel", "bigasia.ru", "--date", "tomorrow")

    assert result.exit_code == 2
    assert "tomorrow" in result.stderr


def test_export_json_of_one_channel(db: Path, tmp_path: Path) -> None:
    add_bigasia()
    import_four(tmp_path)

    result = ok("export", "--format", "json", "--channel", "bigasia.ru")

    [channel] = json.loads(result.stdout)["channels"]
    assert channel["channel"]["id"] == "bigasia.ru"
    assert [p["title"] for p in channel["programmes"]] == [
        "История дракона", "Китайская панорама", "Жажда странствий", "Новости"]
    assert channel["programmes"][0]["start"] == "2022-01-07T16:55:00+03:00"


def test_export_xmltv_is_valid_against_the_dtd(db: Path, tmp_path: Path) -> None:
    add_bigasia()
    import_four(tmp_path)

    result = ok("export", "--format", "xmltv", "--channel", "bigasia.ru")

    document = etree.fromstring(result.stdout_bytes)
    dtd = etree.DTD(str(XMLTV_DTD))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()
    assert len(list(document.iter("programme"))) == 4


def test_export_ical_of_one_channel(db: Path, tmp_path: Path) -> None:
    add_bigasia()
    import_four(tmp_path)

    result = ok("export", "--format", "ical", "--channel", "bigasia.ru")

    events = Calendar.from_ical(result.stdout_bytes).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "История дракона", "Китайская панорама", "Жажда странствий. Иордания", "Новости"]


def test_export_ical_without_channel_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    add_bigasia()
    ok("channels", "add", "news.example.tv", "--name", "News", "--tz", "Europe/London")
    import_four(tmp_path)

    result = run("export", "--format", "ical")

    assert result.exit_code == 2
    assert "--channel" in result.stderr
    assert result.stdout == ""


def test_export_to_a_file(db: Path, tmp_path: Path) -> None:
    add_bigasia()
    import_four(tmp_path)
    target = tmp_path / "guide.xml"

    result = ok("export", "--format", "xmltv", "-o", str(target))

    assert result.stdout == ""
    assert target.read_bytes().count(b"<programme ") == 4


def test_export_from_a_later_day_leaves_earlier_days_out(db: Path, tmp_path: Path) -> None:
    add_bigasia()
    import_four(tmp_path)

    within = ok("export", "--format", "json", "--from", "2022-01-07", "--days", "1")
    after = ok("export", "--format", "json", "--from", "2022-01-09")

    assert len(json.loads(within.stdout)["channels"][0]["programmes"]) == 4
    assert json.loads(after.stdout)["channels"][0]["programmes"] == []


def test_export_of_an_unknown_channel_exits_1(db: Path) -> None:
    result = run("export", "--channel", "nowhere.tv")

    assert result.exit_code == 1
    assert "nowhere.tv" in result.stderr


# -- tokens -----------------------------------------------------------------------


def test_created_token_authenticates_and_is_stored_only_as_a_hash(db: Path) -> None:
    result = ok("tokens", "create", "operator")

    token = result.stdout.strip()
    assert token.startswith("epg_") and len(token) > 40
    store = Store(f"sqlite:///{db}")
    try:
        assert Service(store).authenticate(token).name == "operator"
    finally:
        store.close()
    stored = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    assert hash_token(token).encode() in stored  # the scan does see the tokens table
    assert token.encode() not in stored
    assert token.removeprefix("epg_").encode() not in stored


def test_token_for_an_unknown_channel_exits_1(db: Path) -> None:
    result = run("tokens", "create", "operator", "--channel", "nowhere.tv")

    assert result.exit_code == 1
    assert "nowhere.tv" in result.stderr
    assert result.stdout == ""


def test_token_name_taken_exits_1(db: Path) -> None:
    ok("tokens", "create", "operator")

    result = run("tokens", "create", "operator")

    assert result.exit_code == 1
    assert "operator" in result.stderr


# -- demo -------------------------------------------------------------------------


def test_demo_is_idempotent(db: Path) -> None:
    first = ok("demo")
    store = Store(f"sqlite:///{db}")
    try:
        revisions_after_first = [len(store.history(c.id, d)) for c in store.list_channels()
                                 for d in store.days_of(c.id)]

        second = ok("demo")

        assert [len(store.history(c.id, d)) for c in store.list_channels()
                for d in store.days_of(c.id)] == revisions_after_first
    finally:
        store.close()
    assert "bigasia.ru 2022-01-07" in first.stdout
    assert second.stdout == "Demo data: already loaded.\n"
    assert set(revisions_after_first) == {1}


def test_export_leaves_out_channels_without_programmes_so_tv_validate_file_passes(db: Path, tmp_path: Path) -> None:
    """Issue 15, item 20: an exported channel with no programme failed tv_validate_file."""
    from tests.test_feeds_xmltv import tv_validate

    add_bigasia()
    ok("channels", "add", "empty.tv", "--name", "Empty", "--tz", "UTC")
    import_four(tmp_path)
    target = tmp_path / "guide.xml"

    ok("export", "--format", "xmltv", "-o", str(target))

    document = etree.parse(str(target))
    assert [c.get("id") for c in document.iter("channel")] == ["bigasia.ru"]
    assert "No programme" not in tv_validate(target)


# -- edit ----------------------------------------------------------------------

EDITED_DAY = date(2022, 1, 7)
POSTER = "https://img.example/news.jpg"


def test_edit_changes_a_programme_with_set_or_a_patch_file(tmp_path: Path, db: Path) -> None:
    add_bigasia()
    import_four(tmp_path)
    service = Service(Store(f"sqlite:///{db}"))
    news = next(p for p in service.day("bigasia.ru", EDITED_DAY).programmes if p.title == "Новости")
    said = ok("edit", str(news.id), "--set", "description=Главное за день", "--set", "year=2022").output
    assert said == f"Edited 'Новости' on bigasia.ru at 2022-01-07 18:00 (sequence {news.sequence + 1}).\n"
    patch = tmp_path / "poster.json"
    patch.write_text(json.dumps({"details": {"icons": [{"src": POSTER}]}}), encoding="utf-8")
    ok("edit", str(news.id), "--patch", str(patch))
    edited_news = next(p for p in service.day("bigasia.ru", EDITED_DAY).programmes if p.id == news.id)
    assert (edited_news.description, edited_news.year) == ("Главное за день", 2022)
    assert edited_news.details is not None and edited_news.details.icons[0].src == POSTER
    kept = service.store.raw_input(service.history("bigasia.ru", EDITED_DAY)[-1].id)
    assert kept == patch.read_bytes()  # the patch file is the upload, byte for byte
    refused = run("edit", str(news.id), "--set", "start=2022-01-07T19:00:00+03:00")
    assert refused.exit_code == 1 and "'start' cannot be edited" in refused.output
    assert len(service.history("bigasia.ru", EDITED_DAY)) == 3
