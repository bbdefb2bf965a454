#!/usr/bin/env bash
# The README's main-job command (`npm run demo`). On a fresh clone it:
#   1. installs what it needs (`npm ci` when node_modules is missing or older than the lockfile),
#   2. builds the workspace,
#   3. validates fixtures/crm and generates its React client into test-apps/react/src/generated,
#   4. starts `sync-patterns dev` (embedded PGlite, seeded from test-apps/react/seed/crm.json),
#   5. builds the CRM app against it and serves it (vite preview),
#   6. prints the URL and runs until Ctrl-C, which stops both servers (no orphans).
#
# Environment: API_PORT (4100), APP_PORT (5173), DEMO_DATA_DIR (tmp/demo/db; the data survives
# restarts, the seed only fills empty tables), DEMO_RESET=1 (start from the seed again).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export NX_DAEMON=false NX_NO_CLOUD=true
spec=fixtures/crm/openapi.yaml
api_port=${API_PORT:-4100}
app_port=${APP_PORT:-5173}
work=$root/tmp/demo
data_dir=${DEMO_DATA_DIR:-$work/db}
api_url=${VITE_API_BASE_URL:-http://localhost:$api_port}
app_url=http://localhost:$app_port/

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$api_port" "$app_port"; do
  if port_busy "$p"; then
    echo "demo: port $p is already in use (set API_PORT / APP_PORT, or stop what holds it)" >&2
    exit 1
  fi
done

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

step "building"
npm run build --silent
# The app imports the live runtime's build (dist/); build it even if the root build skips it.
npx --no-install tsc -b packages/react-runtime

step "validating $spec"
node packages/cli/bin/sync-patterns.js validate --spec "$spec"

step "generating the React client → test-apps/react/src/generated"
(cd test-apps/react && npm run generate --silent)

mkdir -p "$work"
[ "${DEMO_RESET:-0}" = 1 ] && rm -rf "$data_dir"

# Each server runs in its own process group (setsid), so stopping it stops its children too.
pids=()
stop() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    printf '\n== stopping\n'
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM -- "-${pids[i]}" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pid" 2>/dev/null || true
    done
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

wait_http() { # url name pid log
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "demo: $2 exited; its log ($4):" >&2
      tail -n 30 "$4" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "demo: $2 did not answer at $1 within 60 s (log: $4)" >&2
  exit 1
}

step "starting sync-patterns dev on :$api_port (PGlite in $data_dir)"
# The request log goes to a file (not --quiet: the dev server then skips --seed).
setsid node packages/cli/bin/sync-patterns.js dev --spec "$spec" --port "$api_port" \
  --data-dir "$data_dir" --seed test-apps/react/seed/crm.json >"$work/dev-server.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$api_port/health" "sync-patterns dev" "${pids[0]}" "$work/dev-server.log"
echo "   API and shapes at http://127.0.0.1:$api_port (log: tmp/demo/dev-server.log)"

step "building the CRM app (Vite)"
(cd test-apps/react && VITE_API_BASE_URL=$api_url npx --no-install tsc --noEmit -p tsconfig.json &&
  VITE_API_BASE_URL=$api_url npx --no-install vite build --logLevel warn)

step "serving the app on :$app_port"
APP_PORT=$app_port setsid sh -c 'cd test-apps/react && exec npx --no-install vite preview' \
  >"$work/app.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$app_port/" "vite preview" "${pids[1]}" "$work/app.log"

cat <<EOF

  ┌──────────────────────────────────────────────────────────────┐
  │  Acme CRM is running:  $(printf '%-38s' "$app_url")│
  │  Open it in two windows: edits in one show up in the other.  │
  │  Ctrl-C stops everything.                                    │
  └──────────────────────────────────────────────────────────────┘

EOF
set +e
wait -n "${pids[@]}"
echo "demo: a server stopped on its own (logs in tmp/demo/)" >&2
exit 1
