"""Browser tests: the real server in a subprocess, Debian's Chromium driven through Playwright for Python.

They are marked ``browser`` and skipped, with the reason, when /usr/bin/chromium or Playwright is missing.
Screenshots (desktop and a 390-px phone) go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

try:
    from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright
except ImportError:  # pragma: no cover - the dev environment has it
    sync_playwright = None  # type: ignore[assignment]

DESKTOP: ViewportSize = {"width": 1280, "height": 860}
PHONE: ViewportSize = {"width": 390, "height": 844}

SKIP_REASON = (f"{CHROMIUM} is not installed (apt-get install chromium)" if not CHROMIUM.exists()
               else "Playwright for Python is not installed" if sync_playwright is None else None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SKIP_REASON is None:
        return
    if os.environ.get("CI"):  # make system-deps installs both; in CI a skip would hide a broken set-up
        raise pytest.UsageError(f"browser tests cannot run: {SKIP_REASON}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@dataclass(frozen=True)
class Server:
    url: str
    token: str
    log: Path

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _epg(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "epg.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, f"epg {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``epg serve`` on a free port over a fresh SQLite file holding the demo data, and a token for it."""
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    tmp = tmp_path_factory.mktemp("server")
    env = {**os.environ, "EPG_DATABASE_URL": f"sqlite:///{tmp / 'epg.sqlite3'}", "PYTHONUNBUFFERED": "1"}
    _epg("demo", env=env)
    token = _epg("tokens", "create", "browser", env=env).strip().splitlines()[-1]
    port = _free_port()
    log = tmp / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "epg.cli", "serve", "--port", str(port)], cwd=ROOT,
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/api/channels", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 30 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield Server(url=url, token=token, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _watch(page: Page) -> list[str]:
    """The JavaScript errors ``page`` raises; the test fails on any."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Moscow", **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop browser tab."""
    context = _context(browser, viewport=DESKTOP)
    tab = context.new_page()
    errors = _watch(tab)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A 390-px-wide phone tab with touch."""
    context = _context(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    tab = context.new_page()
    errors = _watch(tab)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save ``artifacts/screenshots/NAME.png`` from the top of the page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page)
    return path
