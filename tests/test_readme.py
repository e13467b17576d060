"""The README's commands, run as a first-time user would after ``make run`` (issue 15, item 17).

The quick start must say how to reach the ``epg`` command, every ``epg``
command the README shows must exist, and the token recipe must print a token.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EPG = Path(sys.executable).parent / "epg"


def _shown_commands() -> list[list[str]]:
    """``epg SUBCOMMAND [SUBSUBCOMMAND]`` of every ``epg …`` line in the README's shell blocks."""
    found = set()
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            match = re.search(r"(?:^|\$\()epg ((?:[a-z]+)(?: (?:create|list|revoke|add))?)", line.strip())
            if match:
                found.add(match.group(1))
    return [command.split() for command in sorted(found)]


def test_the_quick_start_says_how_to_reach_the_epg_command() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert ". .venv/bin/activate" in quick_start and ".venv/bin/epg" in quick_start
    assert EPG.exists(), "make installs the epg command into the virtualenv"


@pytest.mark.parametrize("command", _shown_commands(), ids=" ".join)
def test_every_command_the_readme_shows_exists(command: list[str]) -> None:
    result = subprocess.run([str(EPG), *command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_readme_token_recipe_prints_a_token(tmp_path: Path) -> None:
    env = {**os.environ, "EPG_DATABASE_URL": f"sqlite:///{tmp_path / 'epg.sqlite3'}"}
    subprocess.run([str(EPG), "demo"], env=env, check=True, capture_output=True, timeout=120)

    token = subprocess.run([str(EPG), "tokens", "create", "newsroom"], env=env, check=True, capture_output=True,
                           text=True, timeout=60).stdout.strip()

    assert re.fullmatch(r"epg_[\w-]{20,}", token)
