#!/usr/bin/env bash
# JUnit run of the Kotlin target (CI entry point; needs JDK 17 + Maven + node_modules):
#  1. fetches the Maven Central jars if missing (fetch-deps.sh),
#  2. generates the crm fixture's Kotlin with the CLI (build/e2e-crm, package e2e.crm), then ONE
#     kotlinc invocation compiles the runtime (+ its Room adapter), the Room stub, the committed
#     goldens of every fixture (generators/kotlin/__goldens__, each in its own package), that
#     generated app and both test trees,
#  3. starts `sync-patterns dev` on the crm fixture (embedded PGlite, a free port; DevServerTest
#     gets its URL as -Dsync.devServer) and stops it on exit,
#  4. runs JUnit 5 with the console launcher and prints its summary.
# The goldens are what the vitest golden test proves equal to the generator's current output.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# Until JUnit has reported, the summary says this suite failed: a compile error or a dead dev
# server must show in npm test's closing line, not vanish from it.
mkdir -p "$root/.test-results"
echo '{"passed":0,"failed":1,"skipped":0}' >"$root/.test-results/test-apps__kotlin.json"
kotlin="$root/node_modules/kotlin-compiler"
deps="$("$here/fetch-deps.sh")"
cp="$deps:$kotlin/lib/kotlinx-coroutines-core-jvm.jar"
out="$here/build/junit-classes"
rm -rf "$out" && mkdir -p "$out"

# The crm fixture's Kotlin exactly as the CLI generates it for an app (package e2e.crm), for the
# engine end-to-end test (EngineE2ETest).
e2e="$here/build/e2e-crm"
rm -rf "$e2e" && mkdir -p "$e2e"
printf 'spec: %s\ntargets:\n  kotlin: { out: ./out, package: e2e.crm }\n' "$root/fixtures/crm/openapi.yaml" >"$e2e/sync-patterns.config.yaml"
node "$root/packages/cli/bin/sync-patterns.js" generate --target kotlin --config "$e2e/sync-patterns.config.yaml" --quiet

start=$(date +%s)
"$kotlin/bin/kotlinc" -J-Xmx2g -Xplugin="$kotlin/lib/kotlinx-serialization-compiler-plugin.jar" -jvm-target 17 -nowarn \
  -cp "$cp" -d "$out" \
  "$root/packages/kotlin-runtime/src/main/kotlin" "$root/packages/kotlin-runtime/src/room/kotlin" "$here/room-stub" \
  "$root/generators/kotlin/__goldens__" "$e2e/out" \
  "$root/packages/kotlin-runtime/src/test/kotlin" "$here/src/test/kotlin"
echo "kotlinc: $(( $(date +%s) - start )) s" >&2

cd "$root"
# The dev server for DevServerTest: a free port (never CI's 4110/4183), killed on any exit.
port="${SYNC_DEV_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')}"
dev_log="$here/build/dev-server.log"
node "$root/packages/cli/bin/sync-patterns.js" dev --spec "$root/fixtures/crm/openapi.yaml" --port "$port" --quiet >"$dev_log" 2>&1 &
dev_pid=$!
trap 'kill "$dev_pid" 2>/dev/null || true; wait "$dev_pid" 2>/dev/null || true' EXIT
dev_url="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf "$dev_url/health" >/dev/null 2>&1 && break
  kill -0 "$dev_pid" 2>/dev/null || { echo "dev server exited:" >&2; cat "$dev_log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$dev_url/health" >/dev/null || { echo "dev server not healthy after 60 s:" >&2; cat "$dev_log" >&2; exit 1; }
echo "dev server: $dev_url" >&2

reports="$here/build/junit-reports"
rm -rf "$reports"
status=0
java -Dsync.vectors="$root/fixtures/runtime-vectors" -Dsync.devServer="$dev_url" \
  -jar "$here/.m2/lib/junit-platform-console-standalone-1.13.4.jar" execute \
  --class-path "$out:$cp:$kotlin/lib/kotlin-stdlib.jar" \
  --scan-class-path "$out" --disable-banner --details=summary --details-theme=ascii \
  --reports-dir="$reports" || status=$?
# One {passed, failed, skipped} summary for tools/test-summary.mjs, read from JUnit's XML report.
node "$here/junit-summary.mjs" "$reports" "$root/.test-results/test-apps__kotlin.json" || status=1
exit $status
