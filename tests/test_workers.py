"""Day uploads run in worker processes (api.workers) and answer exactly as on the request's thread.

An app that opens its own store (as ``epg serve`` does) reads and publishes
each ``PUT …/days/{day}`` in a worker process over a store of its own; an
app handed a service (most tests) does it on the request's thread. These
tests run the real worker processes, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.workers import Workers
from epg.errors import DocumentRefused, EpgError, NotFound, ParseError, Rejected, UnknownChannels, ValidationError
from epg.models import Diagnostic
from epg.settings import Settings
from tests.conftest import BIGASIA
from tests.test_api import DAY_URL

#: Two days with day headers, a description, a running time, a rating, lines the parser skips and doubts.
TEXT = (
    "Пятница, 7 января 2022\n"
    "06:00 Доброе утро 12+\n"
    "Ведущие рассказывают о главном.\n"
    "09:00 Новости (с субтитрами)\n"
    "??:?? где-то днём\n"
    "09:15 Х/ф «Летят журавли» (СССР, 1957) 12+ 95'\n"
    "25:70 Не время\n"
    "Суббота, 8 января 2022\n"
    "07:00 Т/с «Интерны». 12-я серия 16+\n"
    "08:30 Мультфильмы 0+\n"
)
FEED = "/xmltv.xml?from=2022-01-07&days=2&channels=bigasia.ru"


@pytest.fixture
def settings(store_url: str) -> Iterator[Settings]:
    """Settings for an app that opens its own store (an empty database with Big Asia), with one worker."""
    with TestClient(create_app(Settings(database_url=store_url, upload_workers=0))) as client:
        client.app.state.service.add_channel(BIGASIA)  # type: ignore[attr-defined]
    yield Settings(database_url=store_url, upload_workers=1)


def _token(client: TestClient) -> dict[str, str]:
    token = client.app.state.service.create_token("workers")  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}


def test_a_day_upload_in_a_worker_answers_as_one_on_the_request_thread(settings: Settings) -> None:
    here = create_app(Settings(database_url=settings.database_url, upload_workers=0))
    with TestClient(here) as client:
        assert client.app.state.upload_workers is None  # type: ignore[attr-defined]
        auth = _token(client)
        dry_here = client.put(DAY_URL, params={"dry_run": "true"}, content=TEXT.encode(), headers=auth)
        refused_here = client.put(DAY_URL, content=b"no programme here\n", headers=auth)
        stale_here = client.put(DAY_URL, content=TEXT.encode(), headers={**auth, "If-Match": '"x"'})
    app = create_app(settings)
    with TestClient(app) as client:
        assert isinstance(app.state.upload_workers, Workers)
        dry = client.put(DAY_URL, params={"dry_run": "true"}, content=TEXT.encode(), headers=auth)
        assert multiprocessing.active_children(), "the upload ran in a worker process"
        refused = client.put(DAY_URL, content=b"no programme here\n", headers=auth)
        stale = client.put(DAY_URL, content=TEXT.encode(), headers={**auth, "If-Match": '"x"'})
        empty_feed = client.get(FEED)  # kept in the app's read cache
        published = client.put(DAY_URL, content=TEXT.encode(), headers={**auth, "Idempotency-Key": "k1"})
        again = client.put(DAY_URL, content=TEXT.encode(), headers={**auth, "Idempotency-Key": "k1"})
        shown = client.get(DAY_URL)
        feed = client.get(FEED)
    assert app.state.upload_workers is None  # the app stopped, and its workers with it

    assert (dry.status_code, dry.content, dict(dry.headers)) == \
        (dry_here.status_code, dry_here.content, dict(dry_here.headers))
    assert dry.status_code == 200 and dry.json()["diagnostics"]
    assert (refused.status_code, refused.json()) == (refused_here.status_code, refused_here.json())
    assert refused.status_code == 422 and refused.json()["diagnostics"]
    assert (stale.status_code, stale.json()) == (stale_here.status_code, stale_here.json())
    assert published.status_code == 200 and published.headers["etag"]
    assert (again.status_code, again.content, again.headers["etag"]) == \
        (200, published.content, published.headers["etag"])
    assert again.headers["idempotent-replayed"] == "true"
    assert shown.headers["etag"].split("/")[:3] == published.headers["etag"].split("/")[:3]  # the same revision
    assert [(p["start"], p["title"]) for p in shown.json()["programmes"]] == \
        [(p["start"], p["title"]) for p in dry.json()["programmes"]]
    # The worker's publish reached the serving process's read cache at once, not when it expired.
    assert "Летят журавли" not in empty_feed.text and "Летят журавли" in feed.text


def test_a_dead_worker_costs_no_upload(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        auth = _token(client)
        first = client.put(DAY_URL, params={"dry_run": "true"}, content=TEXT.encode(), headers=auth)
        for child in multiprocessing.active_children():
            os.kill(child.pid or 0, signal.SIGKILL)
            child.join(10)
        after = client.put(DAY_URL, params={"dry_run": "true"}, content=TEXT.encode(), headers=auth)  # run here
        later = client.put(DAY_URL, params={"dry_run": "true"}, content=TEXT.encode(), headers=auth)  # new workers

    assert first.status_code == after.status_code == later.status_code == 200
    assert first.content == after.content == later.content


def test_errors_cross_from_a_worker_whole() -> None:
    found = [Diagnostic(line=3, severity="error", message="no time")]
    errors: list[EpgError] = [
        ValidationError("bad day", field="date"), NotFound("no such channel", field="channel"),
        ParseError("nothing read", found), Rejected("not published", found),
        UnknownChannels("unknown", ["Россия 1"]), DocumentRefused("encrypted", field="body"),
    ]
    for error in errors:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert (str(back), back.args, vars(back)) == (str(error), error.args, vars(error))


def test_with_no_workers_tasks_run_on_the_callers_thread() -> None:
    workers = Workers(0)
    assert workers.run(divmod, 7, 2) == (3, 1)
    with pytest.raises(ValueError):
        Workers(-1)


DOCUMENT = ("Пятница, 7 января 2022\nБольшая Азия\n06:00 Доброе утро 12+\n09:00 Новости\n"
            "Россия 1\n05:00 Утро России\n09:00 Вести\n").encode()
GUIDE = (b'<tv><channel id="bigasia.ru"><display-name>Big Asia</display-name></channel>'
         b'<programme start="20220108060000 +0300" stop="20220108070000 +0300" channel="bigasia.ru">'
         b'<title>Morning</title></programme></tv>')


def test_documents_and_guides_in_a_worker_answer_as_on_the_request_thread(settings: Settings) -> None:
    sends = {
        "document preview": lambda c, a: c.post("/api/documents", params={"dry_run": "true", "skip_unknown": "true"},
                                                content=DOCUMENT, headers=a),
        "document naming an unknown channel": lambda c, a: c.post("/api/documents", content=DOCUMENT, headers=a),
    }
    with TestClient(create_app(Settings(database_url=settings.database_url, upload_workers=0))) as client:
        auth = _token(client)
        here = {name: send(client, auth) for name, send in sends.items()}
    with TestClient(create_app(settings)) as client:
        apart = {name: send(client, auth) for name, send in sends.items()}
        assert multiprocessing.active_children(), "the uploads ran in a worker process"
        published = client.post("/api/documents", params={"skip_unknown": "true"}, content=DOCUMENT, headers=auth)
        xml = {**auth, "Content-Type": "application/xml", "Idempotency-Key": "guide-1"}
        imported = client.post("/api/import", content=GUIDE, headers=xml)
        again = client.post("/api/import", content=GUIDE, headers=xml)
        feed = client.get(FEED)

    for name in sends:
        assert (apart[name].status_code, apart[name].content, apart[name].headers.get("content-type")) == \
            (here[name].status_code, here[name].content, here[name].headers.get("content-type")), name
    assert here["document naming an unknown channel"].status_code == 422
    assert here["document naming an unknown channel"].json()["unknown_channels"] == ["Россия 1"]
    assert published.status_code == 200 and published.json()["stored"]
    assert imported.status_code == 200 and imported.json()["programmes"] == 1
    assert "idempotent-replayed" not in imported.headers
    assert (again.status_code, again.headers["idempotent-replayed"], again.json()["days"]) == \
        (200, "true", imported.json()["days"])
    assert "Доброе утро" in feed.text and "Morning" in feed.text
