#!/usr/bin/env bash
# The Swift target's XCTests (npm test runs this): packages/swift-runtime's, then this app's,
# whose DevServerTests drive the generated CRM live store over HTTP against a real
# `sync-patterns dev` started here on a free port (passed as SYNC_DEV_SERVER) and stopped on exit.
# Then the gates (#19): every golden builds, no compiler warning in our code, swift format lint.
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
# The gates after the XCTests: two per golden (builds, no warnings), the runtime's and this app's
# warnings, and swift format lint.
gate_checks=$(($(find "$root/generators/swift/__goldens__" -mindepth 1 -maxdepth 1 -type d | wc -l) * 2 + 3))

write_report() { # passed failed skipped [reason]
  PASSED="$1" FAILED="$2" SKIPPED="$3" REASON="${4:-}" RUNTIME="$runtime_tests" APP="$app_tests" GATES="$gate_checks" \
    node -e '
      const e = process.env;
      const r = { passed: +e.PASSED, failed: +e.FAILED, skipped: +e.SKIPPED };
      if (e.REASON) r.skippedSuites = [
        { name: "packages/swift-runtime XCTest", reason: e.REASON, tests: +e.RUNTIME },
        { name: "test-apps/swift XCTest (live store over HTTP)", reason: e.REASON, tests: +e.APP },
        { name: "Swift gates (goldens build, no warnings, swift format lint)", reason: e.REASON, tests: +e.GATES },
      ];
      require("fs").writeFileSync(process.argv[1], JSON.stringify(r) + "\n");
    ' "$report"
}

if ! command -v swift >/dev/null 2>&1; then
  write_report 0 0 $((runtime_tests + app_tests + gate_checks)) "no Swift toolchain (swift) on the PATH"
  echo "swift: not on the PATH; $((runtime_tests + app_tests)) XCTests and $gate_checks gate checks recorded as skipped" >&2
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
  if [ "$dir" = "$here" ]; then app_log="$log"; else runtime_log="$log"; fi
done

# Where this toolchain's own tools can check it (#19):
# - no compiler warning in our sources (the runtime, this app, the generated code it links), read
#   from the logs of the builds above, which compile everything from scratch on a fresh clone;
# - every golden fixture builds as a library, each one a target of a scratch package beside this
#   app, and its generated code raises no warning either;
# - `swift format lint --strict` finds nothing in the goldens, the runtime and this app
#   (swift-format ships with the toolchain; the repository's .swift-format holds its settings).
# Each counts as one test.
check() { # name, command…
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "swift gate failed: $name" >&2
    failed=$((failed + 1))
    status=1
  fi
}

# Lines `<our file>:<line>:<col>: warning: …` in a build log (dependencies SwiftPM fetched into
# .build excluded; the golden package's symlinked sources under .build/golden-fixtures count).
our_warnings() {
  grep -E "^($root/packages/swift-runtime|$here|$root/generators/swift/__goldens__)/[^:]+:[0-9]+:[0-9]+: warning:" "$1" |
    grep -Ev '/\.build/(checkouts|repositories|artifacts)/' | sort -u
}
no_warnings() { # log
  local found
  found="$(our_warnings "$1")"
  [ -z "$found" ] && return 0
  echo "$found" >&2
  return 1
}

goldens="$root/generators/swift/__goldens__"
golden_pkg="$here/.build/golden-fixtures"
golden_targets=()
mkdir -p "$golden_pkg/Sources"
for dir in "$goldens"/*/; do
  name="$(basename "$dir")"
  target="Golden_$(echo "$name" | tr -c 'A-Za-z0-9\n' '_')"
  golden_targets+=("$target")
  rm -rf "${golden_pkg:?}/Sources/$target"
  ln -s "${dir%/}" "$golden_pkg/Sources/$target"
done
{
  echo '// swift-tools-version: 6.0'
  echo '// Scratch package (test-apps/swift/run-tests.sh): one library target per Swift golden.'
  echo 'import PackageDescription'
  echo 'let package = Package('
  echo '  name: "GoldenFixtures",'
  echo '  platforms: [.macOS(.v14), .iOS(.v17)],'
  echo '  dependencies: ['
  echo "    .package(path: \"$root/packages/swift-runtime\"),"
  echo '    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),'
  echo '  ],'
  echo '  targets: ['
  for target in "${golden_targets[@]}"; do
    echo "    .target(name: \"$target\", dependencies: ["
    echo '      .product(name: "SyncPatternsClient", package: "swift-runtime"),'
    echo '      .product(name: "SyncPatternsRuntime", package: "swift-runtime"),'
    echo '      .product(name: "GRDB", package: "GRDB.swift"),'
    if [ -e "$golden_pkg/Sources/$target/.sync-patterns-manifest.json" ]; then
      echo '    ], exclude: [".sync-patterns-manifest.json"]),'
    else
      echo '    ]),'
    fi
  done
  echo '  ],'
  echo '  swiftLanguageModes: [.v6]'
  echo ')'
} >"$golden_pkg/Package.swift"
for target in "${golden_targets[@]}"; do
  log="$(mktemp)"
  (cd "$golden_pkg" && swift build --target "$target" 2>&1) | tee "$log"
  build_status="${PIPESTATUS[0]}"
  check "golden ${target#Golden_} builds" test "$build_status" -eq 0
  check "golden ${target#Golden_} has no warnings" no_warnings "$log"
  rm -f "$log"
done
check "runtime has no warnings" no_warnings "$runtime_log"
check "test app has no warnings" no_warnings "$app_log"
if swift format --version >/dev/null 2>&1; then
  check "swift format lint --strict" \
    swift format lint --strict --recursive \
      "$goldens" "$root/packages/swift-runtime/Sources" "$root/packages/swift-runtime/Tests" \
      "$root/packages/swift-runtime/Package.swift" "$here/Sources" "$here/Tests" "$here/Package.swift"
else
  echo "swift format: not in this toolchain; the lint gate is skipped" >&2
  skipped=$((skipped + 1))
fi
rm -f "$runtime_log" "$app_log"
write_report "$passed" "$failed" "$skipped"
exit $status
