"""The document the app serves passes `sync-patterns validate` and generates the same React
client API as fixtures/crm (a golden of the public export names, and the same live schema)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import APP_DIR, CRM_SPEC, ROOT, run_cli

GOLDEN = Path(__file__).with_name("react-exports.golden.json")
FIXTURE_CLIENT = ROOT / "generators/react/__goldens__/crm"


def export(out: Path) -> dict[str, object]:
    subprocess.run(
        [sys.executable, str(APP_DIR / "export_openapi.py"), str(out)],
        cwd=APP_DIR,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    doc: dict[str, object] = json.loads(out.read_text())
    return doc


def react_exports(node: str, client_dir: Path) -> list[str]:
    r = subprocess.run(
        [node, str(APP_DIR / "tools/react-exports.mjs"), str(client_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    names: list[str] = json.loads(r.stdout)
    return names


def without_header(text: str) -> str:
    """Drops the generated header comment (it names the source spec)."""
    return text.split("*/", 1)[1]


def test_exported_document_is_the_served_one(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine

    from crm_app.app import create_app

    doc = export(tmp_path / "openapi.json")
    engine = create_engine("postgresql+psycopg://unused@127.0.0.1:1/unused")
    served = TestClient(create_app("postgresql://unused", create_tables=False, engine=engine))
    assert served.get("/openapi.json").json() == doc


def test_exported_document_passes_validate_without_warnings(node: str, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    export(spec)
    r = run_cli(node, "validate", "--spec", str(spec))
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr.lower(), r.stderr


def test_generated_react_client_has_the_fixtures_public_api(node: str, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    export(spec)
    out = tmp_path / "client"
    r = run_cli(node, "generate", "--target", "react", "--spec", str(spec), "--out", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    golden = json.loads(GOLDEN.read_text())
    # The golden is the fixture's API: if fixtures/crm changes, both sides must follow.
    assert react_exports(node, FIXTURE_CLIENT) == golden
    assert react_exports(node, out) == golden
    # Same sync semantics: identical live tables, columns, keys and modes.
    for name in ("live/schema.ts", "live/local-schema.ts"):
        ours = without_header((out / name).read_text())
        theirs = without_header((FIXTURE_CLIENT / name).read_text())
        assert ours == theirs, f"{name} differs from the fixture's"


def test_sync_annotations_in_the_served_document(tmp_path: Path) -> None:
    doc = export(tmp_path / "openapi.json")
    paths = doc["paths"]
    assert isinstance(paths, dict)
    assert paths["/contacts"]["x-sync"] == "live"
    assert paths["/accounts/{account_id}"]["x-sync"] == {"mode": "live", "local_first": False}
    assert paths["/accounts/{account_id}/line-items"]["x-sync"] == "live"
    assert paths["/people"]["x-sync"] == "push"
    schemas = doc["components"]["schemas"]  # type: ignore[index]
    assert schemas["Contact"]["properties"]["notes"]["x-sync-exclude"] is True
    assert schemas["Account"]["properties"]["owner_email"]["x-owner-only"] is True
    assert CRM_SPEC.exists()
