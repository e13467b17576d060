"""Schemathesis against /openapi.json: no server error, no response that breaks its own schema.

The examples are bounded for CI; raise EPG_SCHEMATHESIS_EXAMPLES for a longer run.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from api.app import create_app
from epg.demo import load_demo
from epg.service import Service
from epg.store import Store

EXAMPLES = int(os.environ.get("EPG_SCHEMATHESIS_EXAMPLES", "15"))


def _app() -> object:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"epg-schemathesis-{os.getpid()}.sqlite3"
    path.unlink(missing_ok=True)
    store = Store(f"sqlite:///{path}")
    store.create_schema()
    service = Service(store, clock=lambda: datetime(2022, 1, 7, 14, 0, tzinfo=UTC))
    load_demo(service, today=datetime(2022, 1, 7).date())
    return create_app(service=service)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_route_keeps_to_its_schema(case: schemathesis.Case) -> None:
    case.call_and_validate()
