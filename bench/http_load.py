"""HTTP under load: epg's busiest reads against a bare FastAPI endpoint, driven by ``wrk`` from another process.

    python -m bench.http_load [--seconds 30] [--connections 64]

Both servers are started the same way — uvicorn, one worker, the settings
``epg serve`` uses (proxy headers, log level info, access log on) — on a free
port of 127.0.0.1, and ``wrk`` (Debian's, installed with apt-get when
missing and we are root) loads them in turn, so the ratio compares the
product with what the framework alone can do on this machine at this
moment. epg serves its demo database (``epg serve --demo``: three channels
with yesterday, today and tomorrow), so ``/api/now`` has something on now.

Runs: ``/api/now``; a warm single-channel ``/xmltv.xml?channels=…`` (its
channel-days rendered once, then served from the piece cache); the same
download with ``If-None-Match`` (every answer should be a 304, counted by a
wrk Lua script in a separate short run, since the callback slows wrk); and the bare JSON
endpoint, the baseline.

This module also holds the helpers the other benchmarks and the fault tests
use to run real servers: :func:`free_port`, :func:`start_server`,
:func:`epg_serve` and :func:`peak_rss_kib`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
EPG = str(Path(sys.executable).with_name("epg"))


# --- real servers ---------------------------------------------------------------------------------------------------

def free_port() -> int:
    """A TCP port on the loopback nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A server running in its own process, its port, and the file its output goes to."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM (uvicorn's graceful shutdown), then SIGKILL if it lingers; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the machine or the OOM killer takes the process."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)


def start_server(command: list[str], port: int, *, env: Mapping[str, str] | None = None, log: Path,
                 ready_path: str = "/", timeout: float = 60.0) -> Server:
    """Start ``command`` and wait until ``ready_path`` answers below 500; raise with its output otherwise."""
    sink = log.open("wb")
    process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                               cwd=ROOT, start_new_session=True)
    sink.close()
    server = Server(process, port, log)
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}:\n{server.output()[-3000:]}")
            try:
                if client.get(server.url + ready_path).status_code < 500:
                    return server
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    server.kill()
    raise RuntimeError(f"{' '.join(command)} did not answer {ready_path} within {timeout:.0f} s:\n"
                       f"{server.output()[-3000:]}")


def epg_serve(database_url: str, log: Path, *, demo: bool = False, port: int | None = None,
              env: Mapping[str, str] | None = None, timeout: float = 60.0,
              ready_path: str = "/api/channels") -> Server:
    """``epg serve`` on a free loopback port over ``database_url``, started exactly as an operator would.

    It is ready when ``ready_path`` answers below 500 (the default reads the database).
    """
    port = port or free_port()
    command = [EPG, "serve", "--host", HOST, "--port", str(port), *(["--demo"] if demo else [])]
    return start_server(command, port, env={"EPG_DATABASE_URL": database_url, **(env or {})}, log=log,
                        ready_path=ready_path, timeout=timeout)


def bare_serve(log: Path) -> Server:
    """The baseline: :func:`bare_app` under uvicorn with the options ``epg serve`` passes."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "bench.http_load:bare_app", "--host", HOST,
               "--port", str(port), "--workers", "1", "--proxy-headers", "--log-level", "info"]
    return start_server(command, port, log=log, ready_path="/bare")


def _status_kib(pid: int, key: str) -> int | None:
    try:
        found = re.search(rf"{key}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None
    return int(found.group(1)) if found else None


def peak_rss_kib(pid: int) -> int | None:
    """The process's resident-set high-water mark (``VmHWM``), while it still runs.

    The kernel refreshes the mark lazily, so a reading taken after the
    resident set shrank can be below an earlier one: :class:`RssSampler`
    keeps the highest of many readings.
    """
    return _status_kib(pid, "VmHWM")


class RssSampler:
    """Samples a process's ``VmHWM`` and ``VmRSS`` in a thread; ``peak_kib`` is the highest seen."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> int:
        for key in ("VmHWM", "VmRSS"):
            value = _status_kib(self.pid, key)
            if value is not None:
                self.peak_kib = max(self.peak_kib, value)
        return self.peak_kib

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


def bare_app() -> Any:
    """The baseline app: one JSON endpoint, no middleware, no database (a uvicorn factory)."""
    from fastapi import FastAPI

    app = FastAPI()
    payload = {"status": "ok", "channels": [{"id": f"ch{i}.bench.epg", "now": None, "next": None} for i in range(3)]}

    @app.get("/bare")
    def bare() -> dict[str, Any]:  # a plain def, run in the thread pool like epg's handlers
        return payload

    return app


# --- wrk ------------------------------------------------------------------------------------------------------------

COUNT_STATUSES = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; not_modified = 0; other = 0 end
function response(status, headers, body)
  if status == 304 then not_modified = not_modified + 1
  elseif status == 200 then ok = ok + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("not_modified"); b = b + t:get("ok"); c = c + t:get("other") end
  io.write(string.format("STATUSES 304=%d 200=%d other=%d\\n", a, b, c))
end
"""


def ensure_wrk() -> str | None:
    """The path of ``wrk``, installing Debian's package first when it is missing and we may."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True,
                      check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True, check=False)
    return shutil.which("wrk")


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not found:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


@dataclass
class WrkResult:
    """What one wrk run measured."""

    name: str
    url: str
    requests: int = 0
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    transfer_per_s: str = ""
    output: str = ""

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + self.socket_errors


def parse_wrk(name: str, url: str, output: str) -> WrkResult:
    result = WrkResult(name, url, output=output)
    if found := re.search(r"(\d+) requests in", output):
        result.requests = int(found.group(1))
    if found := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result.requests_per_s = float(found.group(1))
    if found := re.search(r"Transfer/sec:\s+(\S+)", output):
        result.transfer_per_s = found.group(1)
    if found := re.search(r"^\s+50%\s+(\S+)", output, re.M):
        result.p50_ms = _ms(found.group(1))
    if found := re.search(r"^\s+90%\s+(\S+)", output, re.M):
        result.p90_ms = _ms(found.group(1))
    if found := re.search(r"^\s+99%\s+(\S+)", output, re.M):
        result.p99_ms = _ms(found.group(1))
    if found := re.search(r"^[ \t]+Latency[ \t]+\S+[ \t]+\S+[ \t]+(\S+)", output, re.M):
        result.max_ms = _ms(found.group(1))
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result.non_2xx_3xx = int(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result.socket_errors = sum(int(n) for n in found.groups())
    if found := re.search(r"STATUSES 304=(\d+) 200=(\d+) other=(\d+)", output):
        result.statuses = {"304": int(found.group(1)), "200": int(found.group(2)), "other": int(found.group(3))}
    return result


def run_wrk(wrk: str, name: str, url: str, *, seconds: int, connections: int, threads: int = 2,
            script: str | None = None, headers: Mapping[str, str] | None = None) -> WrkResult:
    """One bounded wrk run against a loopback URL (refuses anything else)."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"load is only ever sent to the loopback, not {url}")
    with tempfile.TemporaryDirectory() as folder:
        command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
        for header, value in (headers or {}).items():
            command += ["-H", f"{header}: {value}"]
        if script:
            path = Path(folder) / "script.lua"
            path.write_text(script)
            command += ["-s", str(path)]
        done = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-1000:]}")
    return parse_wrk(name, url, done.stdout)


def conditional_script(etag: str) -> str:
    """The status-counting script, with ``If-None-Match`` set to ``etag`` on every request."""
    quoted = etag.replace("\\", "\\\\").replace('"', '\\"')
    return f'wrk.headers["If-None-Match"] = "{quoted}"\n' + COUNT_STATUSES


# --- the benchmark --------------------------------------------------------------------------------------------------

@dataclass
class LoadReport:
    runs: list[WrkResult]
    baseline: WrkResult | None
    seconds: int
    connections: int
    notes: list[str] = field(default_factory=list)
    error: str | None = None


def run(seconds: int = 30, connections: int = 64, progress: Any = None) -> LoadReport:
    """Start both servers in turn, load each endpoint for ``seconds``, and collect the figures."""
    report = LoadReport([], None, seconds, connections)
    wrk = ensure_wrk()
    if wrk is None:
        report.error = "wrk is not installed and could not be installed (needs root and apt-get)"
        return report

    def step(text: str) -> None:
        if progress is not None:
            progress(text)

    with tempfile.TemporaryDirectory(prefix="epg-load-") as folder:
        base = Path(folder)
        step("starting epg serve --demo")
        server = epg_serve(f"sqlite:///{base / 'demo.sqlite3'}", base / "epg.log", demo=True)
        try:
            channel = "tv1.demo.epg"
            feed = f"{server.url}/xmltv.xml?channels={channel}"
            with httpx.Client(timeout=30.0) as client:
                warm = client.get(feed, headers={"Accept-Encoding": "identity"})
                warm.raise_for_status()
                etag = warm.headers["etag"]
                again = client.get(feed, headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
                report.notes.append(f"single-channel feed: {len(warm.content):,} bytes, ETag {etag}; "
                                    f"a request with If-None-Match answered {again.status_code}")
                now = client.get(f"{server.url}/api/now")
                now.raise_for_status()
                report.notes.append(f"/api/now: {len(now.content):,} bytes for {len(now.json())} channels")
            for name, url, headers in (("epg /api/now", f"{server.url}/api/now", None),
                                       (f"epg /xmltv.xml?channels={channel} (warm)", feed, None),
                                       ("epg same feed, If-None-Match (304)", feed, {"If-None-Match": etag})):
                step(f"wrk {seconds} s × {connections} connections: {name}")
                result = run_wrk(wrk, name, url, seconds=seconds, connections=connections, headers=headers)
                if headers:
                    # Counting statuses takes a Lua callback per response, which slows wrk itself (it shares
                    # the cores with the server): a separate short run counts them, the timed run has none.
                    step(f"wrk 3 s, counting statuses: {name}")
                    result.statuses = run_wrk(wrk, name, url, seconds=3, connections=connections,
                                              script=conditional_script(etag)).statuses
                report.runs.append(result)
            rss = peak_rss_kib(server.process.pid)
            if rss:
                report.notes.append(f"epg server peak RSS after the runs: {rss / 1024:.0f} MiB")
        finally:
            server.stop()
        step("starting the bare FastAPI app")
        bare = bare_serve(base / "bare.log")
        try:
            step(f"wrk {seconds} s × {connections} connections: bare FastAPI JSON")
            report.baseline = run_wrk(wrk, "bare FastAPI JSON endpoint (baseline)", f"{bare.url}/bare",
                                      seconds=seconds, connections=connections)
        finally:
            bare.stop()
    return report


def to_dict(report: LoadReport) -> dict[str, Any]:
    def one(result: WrkResult) -> dict[str, Any]:
        return {k: v for k, v in result.__dict__.items() if k != "output"} | {"errors": result.errors}

    return {"seconds": report.seconds, "connections": report.connections, "notes": report.notes,
            "error": report.error, "runs": [one(r) for r in report.runs],
            "baseline": one(report.baseline) if report.baseline else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args(argv)
    report = run(args.seconds, args.connections, progress=lambda text: print(text, file=sys.stderr))
    print(json.dumps(to_dict(report), indent=2))
    return 0 if report.error is None else 1


if __name__ == "__main__":
    raise SystemExit(main())
