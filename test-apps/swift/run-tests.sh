#!/usr/bin/env bash
# The Swift target's XCTests (npm test runs this): packages/swift-runtime's, then this app's,
# whose DevServerTests drive the generated CRM live store over HTTP against a real
# `sync-patterns dev` started here on a free port (passed as SYNC_DEV_SERVER) and stopped on exit.
# Where no Swift toolchain is on the PATH, every XCTest is recorded as skipped with that reason,
# so npm test's closing line names them instead of hiding them.
# Report: .test-results/test-apps__swift.json ({passed, failed, skipped, skippedSuites}).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
report="$root/.test-results/test-apps__swift.json"
mkdir -p "$root/.test-results"

# XCTest methods: `func test…()` in the test targets.
count_tests() { find "$1" -name '*.swift' -exec grep -hE '^\s*func test[A-Za-z0-9_]*\(' {} + | wc -l; }
runtime_tests=$(count_tests "$root/packages/swift-runtime/Tests")
app_tests=$(count_tests "$here/Tests")

write_report() { # passed failed skipped [reason]
  PASSED="$1" FAILED="$2" SKIPPED="$3" REASON="${4:-}" RUNTIME="$runtime_tests" APP="$app_tests" \
    node -e '
      const e = process.env;
      const r = { passed: +e.PASSED, failed: +e.FAILED, skipped: +e.SKIPPED };
      if (e.REASON) r.skippedSuites = [
        { name: "packages/swift-runtime XCTest", reason: e.REASON, tests: +e.RUNTIME },
        { name: "test-apps/swift XCTest (live store over HTTP)", reason: e.REASON, tests: +e.APP },
      ];
      require("fs").writeFileSync(process.argv[1], JSON.stringify(r) + "\n");
    ' "$report"
}

if ! command -v swift >/dev/null 2>&1; then
  write_report 0 0 $((runtime_tests + app_tests)) "no Swift toolchain (swift) on the PATH"
  echo "swift: not on the PATH; $((runtime_tests + app_tests)) XCTests recorded as skipped" >&2
  exit 0
fi

# Until XCTest has reported, the suite counts as failed (a build error must show).
write_report 0 1 0

port="${SYNC_DEV_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')}"
mkdir -p "$here/.build"
dev_log="$here/.build/dev-server.log"
node "$root/packages/cli/bin/sync-patterns.js" dev --spec "$root/fixtures/crm/openapi.yaml" \
  --port "$port" --quiet >"$dev_log" 2>&1 &
dev_pid=$!
trap 'kill "$dev_pid" 2>/dev/null || true; wait "$dev_pid" 2>/dev/null || true' EXIT
dev_url="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf "$dev_url/health" >/dev/null 2>&1 && break
  kill -0 "$dev_pid" 2>/dev/null || { echo "dev server exited:" >&2; cat "$dev_log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$dev_url/health" >/dev/null || { echo "dev server not healthy:" >&2; cat "$dev_log" >&2; exit 1; }

status=0
passed=0
failed=0
skipped=0
for dir in "$root/packages/swift-runtime" "$here"; do
  log="$(mktemp)"
  (cd "$dir" && SYNC_PATTERNS_ROOT="$root" SYNC_DEV_SERVER="$dev_url" swift test 2>&1) | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # XCTest's last summary line: "Executed N tests, with K tests skipped and M failures (…)".
  counts="$(node -e '
    const text = require("fs").readFileSync(process.argv[1], "utf8");
    const lines = text.match(/Executed \d+ tests?, with .*failures?/g) ?? [];
    const last = lines.at(-1);
    if (!last) { console.log("0 1 0"); process.exit(0); }
    const n = +last.match(/Executed (\d+)/)[1];
    const skippedCount = +(last.match(/(\d+) tests? skipped/)?.[1] ?? 0);
    const failures = +last.match(/(\d+) failures?/)[1];
    console.log(`${n - skippedCount - Math.min(failures, n)} ${failures} ${skippedCount}`);
  ' "$log")"
  read -r p f s <<<"$counts"
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
  rm -f "$log"
done
write_report "$passed" "$failed" "$skipped"
exit $status
