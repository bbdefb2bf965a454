#!/usr/bin/env bash
# The README's test command (`npm test`). On a fresh clone it installs what it needs, builds the
# workspace, runs every project's tests through the Nx task graph, and ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci)"
  npm ci --no-audit --no-fund || exit 1
fi
# kotlin-compiler's launchers ship without the executable bit.
chmod +x node_modules/kotlin-compiler/bin/* 2>/dev/null || true

rm -rf .test-results
echo "== building"
npm run build || exit 1

echo "== testing (nx run-many -t test)"
npx nx run-many -t test --parallel=1 --outputStyle=stream
status=$?

# The CRM test app in real Chromium against a real `sync-patterns dev` (two users, offline,
# restart, must-refetch, confirmed rollback). Needs Debian's chromium (.ci/run installs it).
echo "== end-to-end (tools/e2e)"
npx tsx tools/e2e/run.ts || status=1

node tools/test-summary.mjs || status=1
exit $status
