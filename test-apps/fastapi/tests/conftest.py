"""Test support for the CRM app: a fresh Postgres database per test (from DATABASE_URL, skipped
LOUDLY without it), the repo's paths, and the built sync-patterns CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

APP_DIR = Path(__file__).resolve().parents[1]
ROOT = APP_DIR.parents[1]
CLI = ROOT / "packages/cli/bin/sync-patterns.js"
CRM_SPEC = ROOT / "fixtures/crm/openapi.yaml"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
NO_DB_REASON = (
    "DATABASE_URL is not set: the CRM app's Postgres tests (REST, check-backend) did NOT run. "
    "Set DATABASE_URL=postgresql://user@host:port/db, or use packages/fastapi/run-tests.sh, "
    "which starts a throwaway cluster."
)


def pytest_report_header() -> str:
    return f"DATABASE_URL: {'set' if DATABASE_URL else 'NOT SET — Postgres tests will be skipped'}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not DATABASE_URL:
        terminalreporter.write_sep("!", "POSTGRES TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(NO_DB_REASON, red=True)


def _admin_url() -> str:
    return make_url(DATABASE_URL).set(drivername="postgresql+psycopg").render_as_string(
        hide_password=False
    )


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A new, empty database; yields its plain postgresql:// URL (for node and for the app)."""
    yield from _fresh_database()


@pytest.fixture(scope="module")
def module_database() -> Iterator[str]:
    yield from _fresh_database()


def _fresh_database() -> Iterator[str]:
    if not DATABASE_URL:
        pytest.skip(NO_DB_REASON)
    name = f"crm_fastapi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(DATABASE_URL).set(database=name, drivername="postgresql")
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        pytest.fail("node is not on PATH (the sync-patterns CLI is a Node program)")
    if not (ROOT / "packages/cli/dist/main.js").exists():
        pytest.fail("the sync-patterns CLI is not built: run `npm run build` at the repo root first")
    return exe


def run_cli(node: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node, str(CLI), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
    )
