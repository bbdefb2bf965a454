"""`sync-patterns check-backend` against the FastAPI CRM, with `sync-patterns dev --shapes-only`
serving the shape feed of the same Postgres (through the capture triggers it installs on the
app's tables): the real app passes; each deliberately broken variant fails with the line that
names its fault."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from conftest import APP_DIR, CLI, CRM_SPEC, ROOT, run_cli

URL_LINE = re.compile(r"(http://127\.0\.0\.1:\d+)")


@contextmanager
def process(cmd: list[str], cwd: str, env: dict[str, str], ready: str) -> Iterator[str]:
    """Starts `cmd`, waits for a line containing `ready` with a URL; yields the URL."""
    p = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    found: list[str] = []
    seen: list[str] = []
    done = threading.Event()

    def read() -> None:
        assert p.stdout is not None
        for line in p.stdout:
            seen.append(line)
            m = URL_LINE.search(line)
            if not found and ready in line and m:
                found.append(m.group(1))
                done.set()
        done.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        done.wait(90)
        if not found:
            raise RuntimeError(f"{' '.join(cmd)} did not start:\n{''.join(seen)}")
        yield found[0]
    finally:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(10)


@contextmanager
def crm_app(database_url: str, broken: str | None = None) -> Iterator[str]:
    cmd = [sys.executable, "-m", "crm_app", "--database-url", database_url, "--port", "0"]
    if broken:
        cmd += ["--broken", broken]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with process(cmd, str(APP_DIR), env, "listening on") as url:
        yield url


@pytest.fixture(scope="module")
def shapes(module_database: str, node: str) -> Iterator[tuple[str, str]]:
    """The database (tables created by the app) and a dev server serving its shape feed."""
    with crm_app(module_database):
        pass  # creates the tables; the dev server then installs its capture triggers on them
    cmd = [node, str(CLI), "dev", "--spec", str(CRM_SPEC), "--port", "0", "--shapes-only",
           "--database-url", module_database]
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    with process(cmd, str(ROOT), env, "sync-patterns dev:") as url:
        yield module_database, f"{url}/v1/shape"


def test_shapes_only_serves_no_rest(shapes: tuple[str, str]) -> None:
    import httpx

    base = shapes[1].removesuffix("/v1/shape")
    r = httpx.get(f"{base}/contacts")
    assert r.status_code == 404 and "--shapes-only" in r.json()["message"]
    r = httpx.get(shapes[1], params={"table": "contacts", "offset": "-1"})
    assert r.status_code == 401  # the shape feed is scoped by principal, like REST
    r = httpx.get(
        shapes[1], params={"table": "contacts", "offset": "-1"}, headers=TOKEN_HEADERS
    )
    assert r.status_code == 200 and "electric-handle" in r.headers


def test_shapes_only_refuses_a_database_without_the_backends_tables(
    fresh_database: str, node: str
) -> None:
    r = run_cli(
        node, "dev", "--spec", str(CRM_SPEC), "--port", "0", "--shapes-only",
        "--database-url", fresh_database, timeout=60,
    )
    assert r.returncode == 1
    assert "--shapes-only: table accounts does not exist" in r.stderr, r.stderr
    assert "migrations first" in r.stderr
    r = run_cli(node, "dev", "--spec", str(CRM_SPEC), "--shapes-only")
    assert r.returncode == 2 and "--shapes-only needs --database-url" in r.stderr


# The dev server's shape feed answers 401 without a bearer token; the CRM app accepts any.
TOKEN = "check-backend"
TOKEN_HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def check(node: str, api: str, shape_url: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        node, "check-backend", "--spec", str(CRM_SPEC), "--url", api, "--shapes", shape_url,
        "--token", TOKEN, "--timeout", "5000", "--settle", "700", timeout=300,
    )


def fails(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("FAIL")]


def test_the_fastapi_crm_keeps_the_contract(shapes: tuple[str, str], node: str) -> None:
    db, shape_url = shapes
    with crm_app(db) as api:
        r = check(node, api, shape_url)
    assert fails(r.stdout) == [], r.stdout
    assert r.returncode == 0, r.stdout + r.stderr
    for table in ("contacts", "accounts", "line_items"):
        assert re.search(
            rf"PASS {table}: the create's txid \d+ arrives on the shape with the insert", r.stdout
        ), r.stdout
    assert re.search(r"check-backend: \d+ passed, 0 failed", r.stdout)


def test_a_wrong_txid_is_caught(shapes: tuple[str, str], node: str) -> None:
    db, shape_url = shapes
    with crm_app(db, "wrong-txid") as api:
        r = check(node, api, shape_url)
    assert r.returncode == 1, r.stdout
    assert any(
        re.search(
            r"^FAIL contacts: the create's txid \d+ arrives on the shape with the insert of \S+ "
            r"— the insert arrived with txids \[\d+\]: the txid was not read in the writing transaction",
            line,
        )
        for line in fails(r.stdout)
    ), r.stdout


def test_a_replay_that_writes_twice_is_caught(shapes: tuple[str, str], node: str) -> None:
    db, shape_url = shapes
    with crm_app(db, "double-write") as api:
        r = check(node, api, shape_url)
    assert r.returncode == 1, r.stdout
    assert any(
        re.search(
            r"^FAIL contacts: a replayed create writes nothing .* — the replay wrote again: insert of ",
            line,
        )
        for line in fails(r.stdout)
    ), r.stdout
