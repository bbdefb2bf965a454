#!/usr/bin/env bash
# Makes packages/fastapi/.venv from requirements.lock when it is missing or the lock changed
# (the lock's sha256 is kept in .venv/.lock-sha256). Used by run-tests.sh and the end-to-end run
# (tools/e2e/fastapi.ts). Prints the venv's path on stdout; progress goes to stderr.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="$HERE/.venv"
LOCK="$HERE/requirements.lock"
PY="${PYTHON:-python3}"

lock_sum="$(sha256sum "$LOCK" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
  echo "== python: creating $VENV from requirements.lock" >&2
  rm -rf "$VENV"
  if ! "$PY" -m venv "$VENV" >&2 \
    || ! "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$LOCK" >&2; then
    rm -rf "$VENV"
    echo "!! could not make $VENV from requirements.lock" >&2
    exit 1
  fi
  echo "$lock_sum" > "$VENV/.lock-sha256"
fi
echo "$VENV"
