"""Uploads read in worker processes (api.workers) read exactly as on the request's thread.

The other tests' apps parse on the request's thread (conftest sets
EPG_PARSE_WORKERS=0 to spare a process start per test); these start the
real worker processes ``epg serve`` uses.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from datetime import date
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from api.app import create_app
from api.workers import ParsePool
from epg.errors import DocumentRefused, EpgError, NotFound, ParseError, Rejected, UnknownChannels, ValidationError
from epg.models import Diagnostic
from epg.schedule import read_schedule
from epg.service import Service
from epg.settings import Settings
from tests.test_api import DAY_URL

#: Two days with day headers, a description, a running time, a rating, lines the parser skips and doubts.
TEXT = (
    "Пятница, 7 января\n"
    "06:00 Доброе утро 12+\n"
    "Ведущие рассказывают о главном.\n"
    "09:00 Новости (с субтитрами)\n"
    "??:?? где-то днём\n"
    "09:15 Х/ф «Летят журавли» (СССР, 1957) 12+ 95'\n"
    "25:70 Не время\n"
    "Суббота, 8 января\n"
    "07:00 Т/с «Интерны». 12-я серия 16+\n"
    "08:30 Мультфильмы 0+\n"
)


def test_the_workers_read_a_text_as_read_schedule_does() -> None:
    tz = ZoneInfo("Europe/Moscow")
    here = read_schedule(TEXT.encode(), date(2022, 1, 7), tz)
    pool = ParsePool(1)
    try:
        there = pool.read_schedule(TEXT.encode(), date(2022, 1, 7), tz)
        assert multiprocessing.active_children(), "the text was read in a worker process"
    finally:
        pool.close()

    assert there == here
    assert there.diagnostics and len(there.by_day) == 2


def test_an_upload_through_the_workers_answers_as_one_parsed_on_the_request_thread(service: Service) -> None:
    token = service.create_token("workers")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
    with TestClient(create_app(Settings(parse_workers=0), service=service)) as client:
        in_thread = client.put(DAY_URL, params={"dry_run": "true"}, content=TEXT.encode(), headers=headers)
        refused_in_thread = client.put(DAY_URL, content=b"no programme here\n", headers=headers)
    app = create_app(Settings(parse_workers=2), service=service)
    with TestClient(app) as client:
        assert isinstance(app.state.read_schedule.__self__, ParsePool)
        pooled = client.put(DAY_URL, params={"dry_run": "true"}, content=TEXT.encode(), headers=headers)
        refused = client.put(DAY_URL, content=b"no programme here\n", headers=headers)
        assert multiprocessing.active_children(), "the uploads were read in worker processes"
        published = client.put(DAY_URL, content=TEXT.encode(), headers=headers)
        shown = client.get(DAY_URL)
    assert app.state.read_schedule is read_schedule  # the app stopped: its workers are gone

    assert (pooled.status_code, pooled.content, pooled.headers.get("etag")) == \
        (in_thread.status_code, in_thread.content, in_thread.headers.get("etag"))
    assert pooled.json()["diagnostics"]
    assert (refused.status_code, refused.json()) == (refused_in_thread.status_code, refused_in_thread.json())
    assert refused.status_code == 422 and refused.json()["diagnostics"]
    assert published.status_code == 200 and published.headers["etag"]
    assert [(p["start"], p["title"]) for p in shown.json()["programmes"]] == \
        [(p["start"], p["title"]) for p in pooled.json()["programmes"]]


def test_a_dead_worker_costs_no_upload() -> None:
    tz = ZoneInfo("Europe/Moscow")
    expected = read_schedule(TEXT, date(2022, 1, 7), tz)
    pool = ParsePool(1)
    try:
        assert pool.read_schedule(TEXT, date(2022, 1, 7), tz) == expected
        for child in multiprocessing.active_children():
            os.kill(child.pid or 0, signal.SIGKILL)
            child.join(10)

        assert pool.read_schedule(TEXT, date(2022, 1, 7), tz) == expected  # read here, new workers started
        assert pool.read_schedule(TEXT, date(2022, 1, 7), tz) == expected  # by the new workers
    finally:
        pool.close()


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
