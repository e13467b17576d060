"""Golden files: compare bytes exactly; ``EPG_UPDATE_GOLDEN=1 pytest`` rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("EPG_UPDATE_GOLDEN") == "1" or not path.exists():
        if os.environ.get("CI") and not path.exists():
            raise AssertionError(f"golden file {name} is missing; run EPG_UPDATE_GOLDEN=1 pytest and review it")
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs from the golden file (EPG_UPDATE_GOLDEN=1 to accept)"
