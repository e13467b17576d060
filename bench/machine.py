"""What the benchmarks ran on: hardware, OS, interpreters, databases and tool versions.

Figures mean little without the machine behind them, and on a shared
machine the load when the run started matters as much as the CPU model, so
:func:`describe` records both. Every probe is best-effort: a tool or a
database that is missing is reported as such, never raised.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

#: The PostgreSQL the benchmarks and CI use unless EPG_TEST_POSTGRES_URL says otherwise.
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PACKAGES = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "psycopg", "pydantic", "lxml", "icalendar", "httpx",
            "hypothesis", "rich")


def postgres_url() -> str:
    return os.environ.get("EPG_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def cpu_model() -> str:
    found = re.search(r"model name\s*:\s*(.+)", _read("/proc/cpuinfo"))
    return found.group(1).strip() if found else platform.processor() or "unknown"


def memory_gib() -> float | None:
    found = re.search(r"MemTotal:\s+(\d+) kB", _read("/proc/meminfo"))
    return int(found.group(1)) / 1024 / 1024 if found else None


def os_name() -> str:
    found = re.search(r'PRETTY_NAME="([^"]+)"', _read("/etc/os-release"))
    return f"{found.group(1) if found else platform.system()}, kernel {platform.release()}"


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _debian_version(package: str) -> str | None:
    if not shutil.which("dpkg-query"):
        return None
    done = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True,
                          check=False)
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def tool_version(name: str, package: str | None = None) -> str:
    """``name``'s Debian package version when installed through apt, else whether it is on PATH."""
    path = shutil.which(name)
    if path is None:
        return "not installed"
    version = _debian_version(package or name)
    return f"{version} (Debian)" if version else f"installed at {path}"


def postgres_version(url: str | None = None) -> str:
    """The server version behind ``url`` (default: the test database), or why it could not be read."""
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        parsed = make_url(url or postgres_url())
        with psycopg.connect(host=parsed.host or "127.0.0.1", port=parsed.port or 5432,
                             user=parsed.username or "postgres", dbname=parsed.database or "postgres",
                             password=parsed.password, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except Exception as exc:  # any failure is a finding to report, not a reason to stop
        return f"unavailable ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
    return str(row[0]) if row else "unknown"


def code_version() -> str:
    """The commit measured, and whether the product's code differs from it (read-only git commands)."""
    root = Path(__file__).resolve().parent.parent
    if not shutil.which("git") or not (root / ".git").exists():
        return "unknown (not a git checkout)"
    head = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %cd %s", "--date=iso"],
                          capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(root), "diff", "--quiet", "HEAD", "--", "epg", "feeds", "api"],
                           capture_output=True, check=False).returncode
    return f"{head or 'unknown'}" + (" — plus uncommitted changes in epg/, feeds/ or api/" if dirty else "")


def package_versions() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def describe() -> dict[str, str]:
    """Everything worth printing above a table of figures, as label → text."""
    import lxml.etree

    memory = memory_gib()
    versions = package_versions()
    return {
        "Code": code_version(),
        "CPU": f"{cpu_model()} ({os.cpu_count()} logical cores)",
        "RAM": f"{memory:.1f} GiB" if memory else "unknown",
        "OS": os_name(),
        "Load average at start (1/5/15 min)": load_average(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "SQLite (library Python links)": sqlite3.sqlite_version,
        "PostgreSQL": postgres_version(),
        "libxml2 (lxml)": ".".join(map(str, lxml.etree.LIBXML_VERSION)),
        "Python packages": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "tv_cat (xmltv-util)": tool_version("tv_cat", "xmltv-util"),
        "wrk": tool_version("wrk"),
        "perl": tool_version("perl"),
    }


def markdown(info: dict[str, str]) -> str:
    return "\n".join(f"- **{label}**: {value}" for label, value in info.items())


if __name__ == "__main__":
    print(markdown(describe()))
