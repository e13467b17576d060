"""History, diff, rollback and tokens from the command line, in-process, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from epg.cli import main

FIRST = "16:55 История дракона 12+\n17:00 Китайская панорама 12+\n18:00 Новости 12+\n"
SECOND = "16:55 История дракона 12+\n17:00 Другая передача 12+\n18:00 Новости 12+\n"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("EPG_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    runner = CliRunner()
    assert runner.invoke(main, ["channels", "add", "bigasia.ru", "--name", "Большая Азия",
                                "--tz", "Europe/Moscow"]).exit_code == 0
    for text in (FIRST, SECOND):
        result = runner.invoke(main, ["import", "-", "--channel", "bigasia.ru", "--date", "2022-01-07"], input=text)
        assert result.exit_code == 0, result.output
    return runner


def test_history_lists_both_revisions(run: CliRunner) -> None:
    result = run.invoke(main, ["history", "bigasia.ru", "2022-01-07"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.output.splitlines()] == ["revision", "1", "2"]


def test_diff_shows_the_retitled_programme(run: CliRunner) -> None:
    result = run.invoke(main, ["diff", "bigasia.ru", "2022-01-07", "--from", "1"])
    assert result.exit_code == 0
    assert result.output == "~ 17:00–18:00 Китайская панорама 12+ → 17:00–18:00 Другая передача 12+ (retitled)\n"


def test_rollback_makes_revision_three_equal_to_one(run: CliRunner) -> None:
    result = run.invoke(main, ["rollback", "bigasia.ru", "2022-01-07", "1"])
    assert result.exit_code == 0 and "revision 3" in result.output
    last = run.invoke(main, ["history", "bigasia.ru", "2022-01-07"]).output.splitlines()[-1]
    assert last.startswith("3\t") and last.endswith("Rollback to revision 1.")  # history marks rollbacks
    assert run.invoke(main, ["diff", "bigasia.ru", "2022-01-07", "--from", "1"]).output == "No changes.\n"


def test_rollback_to_a_missing_revision_fails_clearly(run: CliRunner) -> None:
    result = run.invoke(main, ["rollback", "bigasia.ru", "2022-01-07", "7"])
    assert result.exit_code == 1
    assert "no revision 7" in result.output
    assert len(run.invoke(main, ["history", "bigasia.ru", "2022-01-07"]).output.splitlines()) == 1 + 2


def test_tokens_can_be_listed_and_revoked(run: CliRunner) -> None:
    token = run.invoke(main, ["tokens", "create", "newsroom"]).output.strip()
    assert token.startswith("epg_")
    listed = run.invoke(main, ["tokens", "list"]).output
    assert listed == "newsroom\tall channels\tactive\n" and token not in listed
    assert run.invoke(main, ["tokens", "revoke", "newsroom"]).exit_code == 0
    assert "revoked" in run.invoke(main, ["tokens", "list"]).output
    assert run.invoke(main, ["tokens", "revoke", "newsroom"]).exit_code == 1
