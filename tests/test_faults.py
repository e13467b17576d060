"""Faults on real processes and real databases: concurrent publishes, a killed server, a locked, unreachable or
full database.

Nothing is mocked. Servers are ``epg serve`` subprocesses on free loopback
ports, publishers are separate processes or threads, the databases are SQLite
files and (when ``EPG_TEST_POSTGRES_URL`` is set) a private PostgreSQL schema,
the disk that fills up is a 512 KiB tmpfs (or, without root, SQLite's own page
limit). What each test checks is the store's promise: every publish lands
whole or fails with a clear error, no publish is lost, and the service comes
back once the fault is gone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from api.app import create_app
from bench.http_load import epg_serve, free_port
from epg.errors import Conflict, StoreError
from epg.models import Channel
from epg.service import Service
from epg.settings import Settings
from epg.store import Store
from epg.tables import programmes, revisions

CHANNEL = Channel(id="faults.epg", name="Faults", tz="Europe/Moscow", lang="ru", number="1")
WEEKDAYS = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота", "Воскресенье"]
MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря"]
#: Far enough ahead that no other test's days collide, near enough to pass the ten-year sanity check.
FIRST_DAY = date.today() + timedelta(days=30)
PROBLEM = "application/problem+json"


# --- schedule text whose every revision can be recognised ----------------------------------------------------------

def count_for(tag: str) -> int:
    """How many programmes a day published under ``tag`` holds: differs between tags, so a half write shows."""
    return 6 + sum(map(ord, tag)) % 9


def schedule_text(first: date, days: int, tag: str, per_day: int | None = None) -> bytes:
    """``days`` days from ``first`` under day headers, each with ``per_day`` (default :func:`count_for`) programmes
    whose titles carry ``tag``."""
    per_day = per_day or count_for(tag)
    lines = []
    for n in range(days):
        day = first + timedelta(days=n)
        lines.append(f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]}")
        step = (20 * 60) // per_day
        for k in range(per_day):
            minute = 5 * 60 + k * step
            lines.append(f"{minute // 60:02d}:{minute % 60:02d} Передача {tag} номер {k}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def tag_of(title: str) -> str:
    return title.split()[1]


@dataclass(frozen=True)
class StoredRevision:
    day: date
    number: int
    tags: frozenset[str]
    count: int


def stored_revisions(url: str, days: list[date]) -> list[StoredRevision]:
    """Every revision of the channel's ``days``, with the tags and the number of its programmes, read directly."""
    store = Store(url)
    try:
        found = []
        with store.engine.connect() as conn:
            for row in conn.execute(select(revisions.c.id, revisions.c.day, revisions.c.number).where(
                    revisions.c.channel_id == CHANNEL.id, revisions.c.day.in_(days))):
                titles = list(conn.execute(select(programmes.c.title).where(programmes.c.revision_id == row.id))
                              .scalars())
                found.append(StoredRevision(row.day, row.number, frozenset(tag_of(t) for t in titles), len(titles)))
        return found
    finally:
        store.close()


def current_numbers(url: str, days: list[date]) -> dict[date, int | None]:
    store = Store(url)
    try:
        out: dict[date, int | None] = {}
        for day in days:
            history = store.history(CHANNEL.id, day)
            out[day] = history[-1].number if history else None
            if history:
                grid = store.get_day(CHANNEL, day)
                assert grid.revision is not None
                assert grid.revision.number == out[day], f"{day}: the day points at an older revision"
        return out
    finally:
        store.close()


def prepared(url: str) -> str:
    """Create the schema, the channel and an all-channel token; return the token."""
    store = Store(url)
    try:
        store.create_schema()
        service = Service(store)
        service.add_channel(CHANNEL)
        return service.create_token("faults")
    finally:
        store.close()


def assert_whole_and_none_lost(url: str, days: list[date], landed: list[str]) -> None:
    """Each revision holds exactly one publish's programmes, all of them; every landed publish is on every day."""
    found = stored_revisions(url, days)
    for revision in found:
        assert len(revision.tags) == 1, f"{revision}: programmes of several publishes in one revision"
        (tag,) = revision.tags
        assert revision.count == count_for(tag), f"{revision}: a partial revision"
    for day in days:
        on_day = sorted((r for r in found if r.day == day), key=lambda r: r.number)
        assert [r.number for r in on_day] == list(range(1, len(landed) + 1)), f"{day}: revisions lost or numbered twice"
        assert sorted(next(iter(r.tags)) for r in on_day) == sorted(landed), f"{day}: a publish is missing"


# --- (a) concurrent publishes -------------------------------------------------------------------------------------

def _publish_rounds(url: str, worker: int, rounds: int, days: int, guarded: bool) -> list[tuple[str, str]]:
    """A publisher process: ``rounds`` multi-day publishes; (outcome, tag or message) for each."""
    store = Store(url)
    service = Service(store)
    outcomes = []
    try:
        for n in range(rounds):
            tag = f"w{worker}r{n}"
            expected = None
            if guarded:  # the editor's If-Match: the revision it saw, which another publisher may replace first
                history = store.history(CHANNEL.id, FIRST_DAY)
                expected = history[-1].id if history else None
            try:
                service.publish_text(CHANNEL.id, FIRST_DAY, schedule_text(FIRST_DAY, days, tag), principal=None,
                                     if_revision=expected, if_absent=guarded and expected is None)
            except Conflict as exc:
                outcomes.append(("conflict", exc.message))
            except StoreError as exc:
                outcomes.append(("store", exc.message))
            except Exception as exc:  # reported to the test, which fails on it
                outcomes.append(("unexpected", f"{type(exc).__name__}: {exc}"))
            else:
                outcomes.append(("ok", tag))
    finally:
        store.close()
    return outcomes


def test_concurrent_publishes_from_processes_land_whole_or_fail_clearly(store_url: str) -> None:
    prepared(store_url)
    workers, rounds, days = 4, 5, 3
    # Not a plain fork: the test process may hold threads (TestClient portals) whose locks a fork would copy
    # held. A fork server is a clean process, started once, that imports this module and forks publishers fast.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with context.Pool(workers) as pool:
        results = pool.starmap(_publish_rounds, [(store_url, w, rounds, days, w % 2 == 1) for w in range(workers)])
    outcomes = [o for worker in results for o in worker]
    assert not [o for o in outcomes if o[0] == "unexpected"], outcomes
    landed = [tag for kind, tag in outcomes if kind == "ok"]
    assert landed, outcomes
    all_days = [FIRST_DAY + timedelta(days=n) for n in range(days)]
    assert_whole_and_none_lost(store_url, all_days, landed)
    assert set(current_numbers(store_url, all_days).values()) == {len(landed)}


def test_concurrent_publishes_over_http_give_200_412_or_503_and_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'epg.sqlite3'}"
    token = prepared(url)
    server = epg_serve(url, tmp_path / "serve.log")
    days, threads, rounds = 2, 6, 4
    path = f"/api/channels/{CHANNEL.id}/days/{FIRST_DAY.isoformat()}"

    def publisher(worker: int) -> list[tuple[int, str, str]]:
        out = []
        with httpx.Client(base_url=server.url, timeout=60.0) as client:
            for n in range(rounds):
                tag = f"h{worker}r{n}"
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
                if worker % 2:
                    seen = client.get(path)
                    headers |= {"If-Match": seen.headers["etag"]} if seen.status_code == 200 else {"If-None-Match": "*"}
                response = client.put(path, content=schedule_text(FIRST_DAY, days, tag), headers=headers)
                out.append((response.status_code, response.headers.get("content-type", ""), tag))
        return out

    try:
        with ThreadPoolExecutor(threads) as pool:
            answers = [a for worker in pool.map(publisher, range(threads)) for a in worker]
    finally:
        server.stop()
    assert {status for status, _, _ in answers} <= {200, 412, 503}, answers
    assert all(kind.startswith(PROBLEM) for status, kind, _ in answers if status != 200)
    landed = [tag for status, _, tag in answers if status == 200]
    assert landed
    assert_whole_and_none_lost(url, [FIRST_DAY + timedelta(days=n) for n in range(days)], landed)


def test_unconditional_publish_racing_another_first_publish_lands_on_postgres(postgres_url: str) -> None:
    """Regression: the loser of two first publishes of a day got 412 with no precondition sent."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from epg.tables import days as days_table
    from epg.tables import uploads

    application = f"epg_fault_race_{os.getpid()}"
    url = f"{postgres_url}&application_name={application}"
    wipe = Store(postgres_url)
    wipe.drop_schema()
    wipe.close()
    token = prepared(url)
    other = Store(postgres_url)
    store = Store(url)
    now = datetime.now(UTC)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
    try:
        with other.engine.connect() as conn, TestClient(create_app(service=Service(store)),
                                                        raise_server_exceptions=False) as client:
            held = conn.begin()  # another writer's first publish of the day, not yet committed
            upload = conn.execute(insert(uploads).values(created=now, author="other", content_type="text/plain",
                                                         size=1, sha256="0" * 64, raw=b"x")
                                  .returning(uploads.c.id)).scalar_one()
            revision = conn.execute(insert(revisions).values(
                channel_id=CHANNEL.id, day=FIRST_DAY, source="text", number=1, author="other", created=now,
                upload_id=upload, diagnostics=[]).returning(revisions.c.id)).scalar_one()
            conn.execute(insert(days_table).values(channel_id=CHANNEL.id, day=FIRST_DAY, source="text",
                                                   revision_id=revision, updated=now))
            answers: list[httpx.Response] = []
            sender = threading.Thread(target=lambda: answers.append(client.put(
                f"/api/channels/{CHANNEL.id}/days/{FIRST_DAY.isoformat()}",
                content=schedule_text(FIRST_DAY, 1, "mine"), headers=headers)))
            sender.start()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not postgres_waiting_on_a_lock(postgres_url, application):
                time.sleep(0.01)
            held.commit()
            sender.join(20)
        assert answers, "the publish did not finish"
        response = answers[0]
        assert response.status_code != 412, f"412 without a precondition: {response.text}"
        assert response.status_code == 200, response.text
        assert response.json()["revision"]["number"] == 2
    finally:
        store.close()
        other.close()


def postgres_waiting_on_a_lock(url: str, application: str) -> bool:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username, dbname=parsed.database,
                         password=parsed.password, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                           "AND wait_event_type = 'Lock'", (application,)).fetchone()
    return bool(row and row[0])


# --- (b) the server killed in the middle of a publish ---------------------------------------------------------------

def sqlite_write_in_progress(path: Path) -> bool:
    """Whether some connection holds SQLite's write lock (probed with a non-waiting BEGIN IMMEDIATE)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def postgres_write_in_progress(url: str, application: str) -> bool:
    """Whether a backend of ``application`` is inside a transaction that has written (holds an xid)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username, dbname=parsed.database,
                         password=parsed.password, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                           "AND backend_xid IS NOT NULL", (application,)).fetchone()
    return bool(row and row[0])


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (its upload workers, their resource tracker), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    """Whether process ``pid`` still runs: it exists and is not a zombie (one that ended, waiting to be reaped by
    whichever process adopted it, which in a container may never come)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_server_killed_mid_publish_leaves_every_day_old_or_new_never_half(store_url: str, tmp_path: Path) -> None:
    application = f"epg_fault_kill_{os.getpid()}"
    postgres = store_url.startswith("postgresql")
    url = f"{store_url}&application_name={application}" if postgres else store_url
    token = prepared(url)
    old_days, new_days, per_day = 5, 30, 100
    all_days = [FIRST_DAY + timedelta(days=n) for n in range(new_days)]
    env = {"EPG_MAX_UPLOAD_BYTES": "50000000"}
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
    path = f"/api/channels/{CHANNEL.id}/days/{FIRST_DAY.isoformat()}"
    server = epg_serve(url, tmp_path / "serve-1.log", env=env)
    try:
        with httpx.Client(base_url=server.url, timeout=60.0) as client:
            old = client.put(path, content=schedule_text(FIRST_DAY, old_days, "old"), headers=headers)
            assert old.status_code == 200, old.text
        big = schedule_text(FIRST_DAY, new_days, "new", per_day)
        outcome: list[object] = []

        def send() -> None:
            try:
                with httpx.Client(base_url=server.url, timeout=60.0) as client:
                    outcome.append(client.put(path, content=big, headers=headers).status_code)
            except httpx.TransportError as exc:
                outcome.append(exc)

        sender = threading.Thread(target=send)
        sender.start()
        in_flight = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and sender.is_alive():
            if postgres_write_in_progress(url, application) if postgres else sqlite_write_in_progress(
                    Path(url.removeprefix("sqlite:///"))):
                in_flight = True
                break
            time.sleep(0.002)
        workers = children(server.process.pid)
        server.kill()
        sender.join(30)
    finally:
        server.kill()
    assert in_flight, f"the publish was never seen in flight: {outcome}"
    assert workers, "the server ran its upload workers"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(running(pid) for pid in workers):
        time.sleep(0.05)
    assert not [pid for pid in workers if running(pid)], "the killed server's workers ended"
    assert outcome and isinstance(outcome[0], httpx.TransportError), outcome  # the client saw the connection die

    if not postgres:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    server = epg_serve(url, tmp_path / "serve-2.log", env=env)
    try:
        with httpx.Client(base_url=server.url, timeout=60.0) as client:
            states = set()
            for n, day in enumerate(all_days):
                response = client.get(f"/api/channels/{CHANNEL.id}/days/{day.isoformat()}")
                if response.status_code == 404:
                    assert n >= old_days, f"{day} lost its old revision"
                    states.add("old")
                    continue
                assert response.status_code == 200, response.text
                body = response.json()
                tags = {tag_of(p["title"]) for p in body["programmes"]}
                assert len(tags) == 1, f"{day}: mixed revisions {tags}"
                number = body["revision"]["number"]
                state = {"old": ("old", 1, count_for("old")), "new": ("new", 2 if n < old_days else 1, per_day)}
                name, want_number, want_count = state[tags.pop()]
                assert (number, len(body["programmes"])) == (want_number, want_count), f"{day}: {body['revision']}"
                states.add(name)
            assert len(states) == 1, f"the publish landed on some days only: {states}"
            # The restarted server takes publishes again.
            again = client.put(path, content=schedule_text(FIRST_DAY, 2, "again"), headers=headers)
            assert again.status_code == 200, again.text
    finally:
        server.stop()


# --- (c) the SQLite database locked by someone else ---------------------------------------------------------------

def test_locked_sqlite_database_is_a_503_problem_and_publishing_resumes_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EPG_SQLITE_BUSY_TIMEOUT_MS", "300")  # instead of 10 s, so the test is quick
    path = tmp_path / "epg.sqlite3"
    url = f"sqlite:///{path}"
    token = prepared(url)
    store = Store(url, Settings.from_env().sqlite_busy_timeout_ms)  # EPG_SQLITE_BUSY_TIMEOUT_MS=300, below

    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
    day_path = f"/api/channels/{CHANNEL.id}/days/{FIRST_DAY.isoformat()}"
    with TestClient(create_app(service=Service(store)), raise_server_exceptions=False) as client:
        assert client.put(day_path, content=schedule_text(FIRST_DAY, 1, "before"), headers=headers).status_code == 200
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            t0 = time.monotonic()
            locked = client.put(day_path, content=schedule_text(FIRST_DAY, 1, "during"), headers=headers)
            waited = time.monotonic() - t0
            reading = client.get(day_path)  # WAL: readers are not blocked by the writer's lock
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert locked.status_code == 503, locked.text
        assert locked.headers["content-type"].startswith(PROBLEM)
        assert "database is locked" in locked.json()["detail"]
        assert 0.25 <= waited < 5, "the store should wait for the lock as long as configured, then give up"
        assert reading.status_code == 200 and {tag_of(p["title"]) for p in reading.json()["programmes"]} == {"before"}
        after = client.put(day_path, content=schedule_text(FIRST_DAY, 1, "after"), headers=headers)
        assert after.status_code == 200, after.text
        assert after.json()["revision"]["number"] == 2
    store.close()


# --- (d) PostgreSQL unreachable -----------------------------------------------------------------------------------

def closed_port() -> int:
    return free_port()  # nobody listens there: connections are refused at once


def test_unreachable_postgres_is_a_503_problem_naming_the_database() -> None:
    port = closed_port()
    store = Store(f"postgresql+psycopg://postgres@127.0.0.1:{port}/epg")
    with TestClient(create_app(service=Service(store)), raise_server_exceptions=False) as client:
        for path in ("/api/channels", "/api/now", "/xmltv.xml"):
            response = client.get(path)
            assert response.status_code == 503, (path, response.text)
            assert response.headers["content-type"].startswith(PROBLEM)
            detail = response.json()["detail"]
            assert "database is unavailable" in detail and f"port {port}" in detail, detail
    store.close()


class Proxy:
    """A TCP forwarder on a loopback port: the database "goes away" when it stops and "comes back" when it starts."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):  # wakes the accepting thread; close() alone leaves it listening
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for s in self._sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._sockets.clear()


def test_postgres_going_away_is_a_503_and_the_same_app_recovers_when_it_is_back(postgres_url: str) -> None:
    from sqlalchemy.engine import make_url

    live = make_url(postgres_url)
    proxy = Proxy((live.host or "127.0.0.1", live.port or 5432))
    proxy.start()
    url = live.set(port=proxy.port).render_as_string(hide_password=False)
    wipe = Store(postgres_url)
    wipe.drop_schema()
    wipe.close()
    prepared(url)
    store = Store(url)
    try:
        with TestClient(create_app(service=Service(store)), raise_server_exceptions=False) as client:
            assert client.get("/api/channels").status_code == 200
            proxy.stop()
            gone = client.get("/api/channels")
            assert gone.status_code == 503, gone.text
            assert gone.headers["content-type"].startswith(PROBLEM)
            assert "database is unavailable" in gone.json()["detail"]
            proxy.start()
            back = client.get("/api/channels")
            assert back.status_code == 200, back.text
            assert [c["id"] for c in back.json()] == [CHANNEL.id]
    finally:
        store.close()
        proxy.stop()


def test_epg_serve_started_while_postgres_is_down_answers_503_until_it_is_back(postgres_url: str,
                                                                             tmp_path: Path) -> None:
    """Regression: the app migrated while it was built, so it died instead of answering 503s."""
    from sqlalchemy.engine import make_url

    wipe = Store(postgres_url)
    wipe.drop_schema()
    wipe.close()
    prepared(postgres_url)
    live = make_url(postgres_url)
    proxy = Proxy((live.host or "127.0.0.1", live.port or 5432))  # not started: nothing listens on its port yet
    url = live.set(port=proxy.port).render_as_string(hide_password=False)
    server = epg_serve(url, tmp_path / "serve.log", ready_path="/docs", timeout=20)
    try:
        assert httpx.get(f"{server.url}/api/channels").status_code == 503
        proxy.start()
        assert httpx.get(f"{server.url}/api/channels").status_code == 200
    finally:
        server.stop()
        proxy.stop()


def test_a_new_app_on_a_live_url_serves_after_an_unreachable_one(postgres_url: str) -> None:
    dead = Store(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/epg")
    with TestClient(create_app(service=Service(dead)), raise_server_exceptions=False) as client:
        assert client.get("/api/channels").status_code == 503
    dead.close()
    wipe = Store(postgres_url)
    wipe.drop_schema()
    wipe.close()
    prepared(postgres_url)
    live = Store(postgres_url)
    with TestClient(create_app(service=Service(live)), raise_server_exceptions=False) as client:
        assert client.get("/api/channels").status_code == 200
    live.close()


# --- (e) the disk full ----------------------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 512 KiB tmpfs when we may mount one (root), else None (the test then caps SQLite's pages instead)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = False
    if os.geteuid() == 0 and shutil.which("mount"):
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)],
                                 capture_output=True, check=False).returncode == 0
    try:
        yield folder if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def test_disk_full_fails_the_publish_clearly_keeps_the_old_data_and_recovers(small_disk: Path | None,
                                                                            tmp_path: Path) -> None:
    folder = small_disk or tmp_path
    path = folder / "epg.sqlite3"
    url = f"sqlite:///{path}"
    token = prepared(url)
    store = Store(url)
    limit = {"pages": 1 << 30}
    if small_disk is None:  # no tmpfs: SQLite's own size limit stands in for the disk's

        @event.listens_for(store.engine, "connect")
        def _cap(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count={limit['pages']}")

    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain; charset=utf-8"}
    day_path = f"/api/channels/{CHANNEL.id}/days/{FIRST_DAY.isoformat()}"
    with TestClient(create_app(service=Service(store)), raise_server_exceptions=False) as client:
        first = client.put(day_path, content=schedule_text(FIRST_DAY, 1, "kept"), headers=headers)
        assert first.status_code == 200, first.text
        filler = folder / "filler"
        if small_disk is not None:
            free = shutil.disk_usage(folder).free
            filler.write_bytes(b"\0" * max(free - 16 * 1024, 0))
        else:
            with store.engine.connect() as conn:
                limit["pages"] = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one()) + 2
            store.engine.dispose()
        big = schedule_text(FIRST_DAY, 30, "big", 60)
        full = client.put(day_path, content=big, headers=headers)
        assert full.status_code == 503, full.text
        assert full.headers["content-type"].startswith(PROBLEM)
        assert "full" in full.json()["detail"], full.json()
        kept = client.get(day_path)
        assert kept.status_code == 200, kept.text
        assert kept.json()["revision"]["number"] == 1
        assert {tag_of(p["title"]) for p in kept.json()["programmes"]} == {"kept"}
        assert len(kept.json()["programmes"]) == count_for("kept")
        assert client.get(f"/api/channels/{CHANNEL.id}/days/{(FIRST_DAY + timedelta(days=5)).isoformat()}"
                          ).status_code == 404

        if small_disk is not None:
            filler.unlink()
        else:
            limit["pages"] = 1 << 30
            store.engine.dispose()
        again = client.put(day_path, content=schedule_text(FIRST_DAY, 3, "again"), headers=headers)
        assert again.status_code == 200, again.text
        assert again.json()["revision"]["number"] == 2
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        count = db.execute("SELECT count(*) FROM revisions").fetchone()[0]
    assert count == 1 + 3  # the first day's two revisions and the two other days of the last publish

