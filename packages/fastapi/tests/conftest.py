"""Test support: a fresh Postgres database per test session, from DATABASE_URL.

Without DATABASE_URL the database tests are skipped, and the run says so loudly (header, every
skip reason, and a warning at the end): a green run without them proves much less.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DATABASE_URL = os.environ.get("DATABASE_URL", "")
NO_DB_REASON = (
    "DATABASE_URL is not set: the Postgres tests (txid, idempotency, transactions) did NOT run. "
    "Set DATABASE_URL=postgresql://user@host:port/db (any database; a fresh one is created and "
    "dropped per run), or use packages/fastapi/run-tests.sh, which starts a throwaway cluster."
)


def sqlalchemy_url(url: str, driver: str = "psycopg") -> str:
    u = make_url(url)
    return u.set(drivername=f"postgresql+{driver}").render_as_string(hide_password=False)


def pytest_report_header() -> str:
    return f"DATABASE_URL: {'set' if DATABASE_URL else 'NOT SET — Postgres tests will be skipped'}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not DATABASE_URL:
        terminalreporter.write_sep("!", "POSTGRES TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(NO_DB_REASON, red=True)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh, empty database (a psycopg SQLAlchemy URL); dropped after the session."""
    if not DATABASE_URL:
        pytest.skip(NO_DB_REASON)
    name = f"sp_fastapi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(sqlalchemy_url(DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(sqlalchemy_url(DATABASE_URL)).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
