"""Shared fixtures: real SQLite files (and PostgreSQL when EPG_TEST_POSTGRES_URL is set), no mocks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from epg.models import Channel
from epg.service import Service
from epg.store import Store, metadata

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FOUNDING_PAGE = SHARED / "examples" / "bigasia-2022-01-07.txt"
XMLTV_DTD = SHARED / "anchors" / "xmltv" / "xmltv.dtd"
ANCHORS = SHARED / "anchors" / "xmltv"

#: The instant tests pretend it is, unless they move the clock.
NOW = datetime(2022, 1, 7, 14, 0, tzinfo=UTC)

BIGASIA = Channel(id="bigasia.ru", name="Большая Азия", tz="Europe/Moscow", lang="ru", number="1")

POSTGRES_URL = os.environ.get("EPG_TEST_POSTGRES_URL")


class Clock:
    """A clock tests can move; the service reads it for 'now' and revision times."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _store_params() -> list[object]:
    params: list[object] = ["sqlite"]
    params.append(pytest.param("postgres", marks=pytest.mark.skipif(
        not POSTGRES_URL, reason="EPG_TEST_POSTGRES_URL not set")))
    return params


@pytest.fixture(params=_store_params())
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a new SQLite file, or the PostgreSQL test database wiped clean."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'epg.sqlite3'}"
        return
    assert POSTGRES_URL
    wipe = Store(POSTGRES_URL)
    metadata.drop_all(wipe.engine)
    wipe.close()
    yield POSTGRES_URL


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    store = Store(store_url)
    store.create_schema()
    yield store
    store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'epg.sqlite3'}")
    store.create_schema()
    yield store
    store.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(store: Store, clock: Clock) -> Service:
    service = Service(store, clock=clock, max_upload_bytes=100_000)
    service.add_channel(BIGASIA)
    return service


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service=service)) as client:
        yield client


@pytest.fixture
def token(service: Service) -> str:
    return service.create_token("operator")


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
