#!/usr/bin/env bash
# Runs the Python suites: packages/fastapi (sync-patterns-fastapi) and test-apps/fastapi (the CRM
# on FastAPI, and check-backend against it and its broken variants).
#
# - Creates packages/fastapi/.venv from requirements.lock when missing or when the lock changed
#   (venv.sh, shared with the end-to-end run).
# - Uses DATABASE_URL when set; otherwise starts a throwaway Postgres cluster (initdb + pg_ctl on a
#   free port, in a temp dir, as the `postgres` user when run as root) and stops it on exit.
#   Without any Postgres the database tests are skipped, loudly.
# - Type-checks the package (mypy --strict).
# - Writes JUnit XML and .test-results/fastapi.json {passed, failed, skipped} for the summary line.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$HERE/.venv"
RESULTS="$ROOT/.test-results"
PY="${PYTHON:-python3}"

bash "$HERE/venv.sh" >/dev/null || exit 1

PGTMP=""
cleanup() {
  if [ -n "$PGTMP" ]; then
    "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 \
      || runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$PGTMP"
  fi
}
trap cleanup EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  PGBIN="$(pg_config --bindir 2>/dev/null || true)"
  [ -x "$PGBIN/initdb" ] || PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -x "$PGBIN/initdb" ]; then
    PGTMP="$(mktemp -d /tmp/sync-fastapi-pg.XXXXXX)"
    PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    as_pg=()
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$PGTMP"
      as_pg=(runuser -u postgres --)
    fi
    echo "== python: starting a throwaway Postgres on port $PORT ($PGTMP)"
    if "${as_pg[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres >"$PGTMP/initdb.log" 2>&1 \
      && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -w -l "$PGTMP/server.log" \
        -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
      export DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
    else
      echo "!! could not start Postgres (see $PGTMP/*.log): the database tests will be SKIPPED" >&2
      cat "$PGTMP"/*.log >&2 2>/dev/null
    fi
  else
    echo "!! no DATABASE_URL and no initdb found: the database tests will be SKIPPED" >&2
  fi
fi

mkdir -p "$RESULTS"
status=0
echo "== python: mypy --strict (sync-patterns-fastapi)"
(cd "$HERE" && "$VENV/bin/mypy") || status=1

echo "== python: pytest packages/fastapi"
(cd "$HERE" && PYTHONPATH="$HERE/src" "$VENV/bin/pytest" -q -p no:cacheprovider \
  --junitxml="$RESULTS/fastapi-package.xml" tests)
rc=$?; [ $rc -eq 0 ] || status=1

echo "== python: pytest test-apps/fastapi"
(cd "$ROOT/test-apps/fastapi" && PYTHONPATH="$HERE/src:$ROOT/test-apps/fastapi" \
  "$VENV/bin/pytest" -q -p no:cacheprovider --junitxml="$RESULTS/fastapi-app.xml" tests)
rc=$?; [ $rc -eq 0 ] || status=1

# One {passed, failed, skipped} for tools/test-summary.mjs; a suite that wrote no report failed.
"$VENV/bin/python" - "$RESULTS" <<'PY' || status=1
import json, sys, xml.etree.ElementTree as ET
from pathlib import Path
results = Path(sys.argv[1])
total = {"passed": 0, "failed": 0, "skipped": 0}
for name in ("fastapi-package.xml", "fastapi-app.xml"):
    f = results / name
    if not f.exists():
        total["failed"] += 1
        print(f"!! {name}: no JUnit report (the suite did not run)")
        continue
    root = ET.parse(f).getroot()
    for s in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
        tests, fail = int(s.get("tests", 0)), int(s.get("failures", 0)) + int(s.get("errors", 0))
        skip = int(s.get("skipped", 0))
        total["passed"] += tests - fail - skip
        total["failed"] += fail
        total["skipped"] += skip
(results / "fastapi.json").write_text(json.dumps(total) + "\n")
print(f"== python: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
sys.exit(1 if total["failed"] else 0)
PY
exit $status
