#!/usr/bin/env bash
# JUnit run of the Kotlin target (CI entry point; needs JDK 17 + Maven + node_modules):
#  1. fetches the Maven Central jars if missing (fetch-deps.sh),
#  2. ONE kotlinc invocation compiles the runtime, the Room stub, the committed goldens of every
#     fixture (generators/kotlin/__goldens__, each in its own package) and both test trees,
#  3. runs JUnit 5 with the console launcher and prints its summary.
# The goldens are what the vitest golden test proves equal to the generator's current output.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kotlin="$root/node_modules/kotlin-compiler"
deps="$("$here/fetch-deps.sh")"
cp="$deps:$kotlin/lib/kotlinx-coroutines-core-jvm.jar"
out="$here/build/junit-classes"
rm -rf "$out" && mkdir -p "$out"

start=$(date +%s)
"$kotlin/bin/kotlinc" -J-Xmx2g -Xplugin="$kotlin/lib/kotlinx-serialization-compiler-plugin.jar" -jvm-target 17 -nowarn \
  -cp "$cp" -d "$out" \
  "$root/packages/kotlin-runtime/src/main/kotlin" "$here/room-stub" \
  "$root/generators/kotlin/__goldens__" \
  "$root/packages/kotlin-runtime/src/test/kotlin" "$here/src/test/kotlin"
echo "kotlinc: $(( $(date +%s) - start )) s" >&2

cd "$root"
reports="$here/build/junit-reports"
rm -rf "$reports"
status=0
java -Dsync.vectors="$root/fixtures/runtime-vectors" \
  -jar "$here/.m2/lib/junit-platform-console-standalone-1.13.4.jar" execute \
  --class-path "$out:$cp:$kotlin/lib/kotlin-stdlib.jar" \
  --scan-class-path "$out" --disable-banner --details=summary --details-theme=ascii \
  --reports-dir="$reports" || status=$?
# One {passed, failed, skipped} summary for tools/test-summary.mjs, read from JUnit's XML report.
node "$here/junit-summary.mjs" "$reports" "$root/.test-results/test-apps__kotlin.json" || status=1
exit $status
