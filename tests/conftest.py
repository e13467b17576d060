"""Shared fixtures: real SQLite files (and PostgreSQL when EPG_TEST_POSTGRES_URL is set), no mocks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings
from sqlalchemy import create_engine, text

from api.app import create_app
from epg.models import Channel
from epg.service import Service
from epg.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FOUNDING_PAGE = SHARED / "examples" / "bigasia-2022-01-07.txt"
XMLTV_DTD = SHARED / "anchors" / "xmltv" / "xmltv.dtd"
ANCHORS = SHARED / "anchors" / "xmltv"

#: The instant tests pretend it is, unless they move the clock.
NOW = datetime(2022, 1, 7, 14, 0, tzinfo=UTC)

BIGASIA = Channel(id="bigasia.ru", name="Большая Азия", tz="Europe/Moscow", lang="ru", number="1")

POSTGRES_URL = os.environ.get("EPG_TEST_POSTGRES_URL")

# CI's verdict must be a function of the commit: there every property test draws the same examples
# (EPG_HYPOTHESIS_PROFILE=ci, set by .ci/run). Runs elsewhere draw new ones each time, which is where
# new failing examples are found; each becomes a named regression test.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("EPG_HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """EPG_TEST_POSTGRES_URL narrowed to a schema of this test run's own, dropped afterwards.

    Several runs (a developer's and CI's) can share the one test database
    without seeing each other's tables.
    """
    if not POSTGRES_URL:
        pytest.skip("EPG_TEST_POSTGRES_URL not set")
    schema = f"epg_test_{os.getpid()}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


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
    """A URL to an empty database: a new SQLite file, or this run's PostgreSQL schema wiped clean."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'epg.sqlite3'}"
        return
    url = request.getfixturevalue("postgres_url")
    wipe = Store(url)
    wipe.drop_schema()
    wipe.close()
    yield url


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
