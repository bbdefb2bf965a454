#!/usr/bin/env bash
# The README's test command (`npm test`; CI runs it too, through .ci/run). On a fresh clone it sets
# up what the suites need (tools/setup/env.sh: the Debian packages, installed with apt-get as root
# or named with the command to run otherwise; a throwaway PostgreSQL cluster unless DATABASE_URL is
# given, stopped and deleted on exit; the Python suites' virtual environments), installs the npm
# dependencies, builds the workspace, runs every project's tests through the Nx task graph, runs
# the end-to-end suite, and ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true

# `section <name>` prints the section's header and closes the previous one's clock; `timings`
# prints how long each took, so a CI run shows where its minutes went (CI's budget is 25 minutes).
timing_names=()
timing_secs=()
section_start=$SECONDS
section_name="setup"
section() {
  timing_names+=("$section_name")
  timing_secs+=($((SECONDS - section_start)))
  section_name="$1"
  section_start=$SECONDS
  echo "== $1"
}
timings() {
  section "summary"
  local i line="== timings:"
  for i in "${!timing_names[@]}"; do line+=" ${timing_names[$i]} ${timing_secs[$i]} s,"; done
  echo "${line%,}; total ${SECONDS} s"
}

# shellcheck source=setup/env.sh
source tools/setup/env.sh
setup_packages || exit 1
setup_postgres || exit 1

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  section "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund || exit 1
fi
# kotlin-compiler's launchers ship without the executable bit.
chmod +x node_modules/kotlin-compiler/bin/* 2>/dev/null || true
setup_python || exit 1

rm -rf .test-results
section "building"
npm run build || exit 1

section "testing (nx run-many -t test)"
npx nx run-many -t test --parallel=1 --outputStyle=stream
status=$?

# The Python suites: sync-patterns-fastapi and the FastAPI CRM test app, with check-backend
# against it and its deliberately broken variants (venv from packages/fastapi/requirements.lock).
section "python (packages/fastapi/run-tests.sh)"
bash packages/fastapi/run-tests.sh || status=1

# The Swift target's XCTests (runtime, and the CRM live store against `sync-patterns dev`) where a
# Swift toolchain is on the PATH; recorded as skipped, with the reason, where it is not.
section "swift (test-apps/swift/run-tests.sh)"
bash test-apps/swift/run-tests.sh || status=1

# The CRM test app in real Chromium against a real `sync-patterns dev` (two users, offline,
# restart, must-refetch, confirmed rollback, refused writes), on free ports.
section "end-to-end (tools/e2e)"
npx tsx tools/e2e/run.ts || status=1

# The real-world corpus (../shared/realworld) through all three targets and their gates.
section "real-world corpus (tools/corpus)"
npx tsx tools/corpus/run.ts || status=1

# schemathesis against `sync-patterns dev` on fixtures/crm and the annotated real-world specs:
# 0 5xx and 0 responses that violate the spec's own schemas (documented exceptions aside).
section "schemathesis (tools/schemathesis)"
python3 tools/schemathesis/run.py || status=1

timings
node tools/test-summary.mjs || status=1
exit $status
