#!/usr/bin/env bash
# The Kotlin client of the e2e scenario 11-cross-platform (tools/e2e/crossplatform.ts).
#   cross-platform.sh build                    compiles it if its inputs changed (build/cross-platform)
#   cross-platform.sh run <api> <token> <db>   builds if needed, then runs it (JSON lines on stdin/stdout)
# What it compiles: the Kotlin runtime (+ its Room adapter), the Room stub, the crm fixture's Kotlin
# as the CLI generates it (package e2e.crm, regenerated here), the sqlite-jdbc test double of the
# Android driver (src/test/kotlin/testapp/Jdbc.kt), the test double of Room's generated DAOs
# (src/test/kotlin/testapp/JdbcRoomDatabase.kt) and src/crossplatform (the client). Jars from
# Maven Central (fetch-deps.sh), kotlinc from npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kotlin="$root/node_modules/kotlin-compiler"
build="$here/build/cross-platform"
classes="$build/classes"
deps="$("$here/fetch-deps.sh")"
cp="$deps:$kotlin/lib/kotlinx-coroutines-core-jvm.jar"

build() {
  local gen="$build/gen"
  rm -rf "$gen" && mkdir -p "$gen"
  printf 'spec: %s\ntargets:\n  kotlin: { out: ./out, package: e2e.crm }\n' "$root/fixtures/crm/openapi.yaml" >"$gen/sync-patterns.config.yaml"
  node "$root/packages/cli/bin/sync-patterns.js" generate --target kotlin --config "$gen/sync-patterns.config.yaml" --quiet
  local sources=("$root/packages/kotlin-runtime/src/main/kotlin" "$root/packages/kotlin-runtime/src/room/kotlin" "$here/room-stub"
    "$gen/out" "$here/src/test/kotlin/testapp/Jdbc.kt" "$here/src/test/kotlin/testapp/JdbcRoomDatabase.kt" "$here/src/crossplatform/kotlin")
  # Rebuilt only when a source changed (the stamp is a hash of every source file).
  local stamp
  stamp="$(find "${sources[@]}" -type f -name '*.kt' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)"
  if [[ -f "$classes/.stamp" && "$(cat "$classes/.stamp")" == "$stamp" ]]; then return 0; fi
  rm -rf "$classes" && mkdir -p "$classes"
  local start
  start=$(date +%s)
  echo "cross-platform: compiling the Kotlin client (kotlinc)" >&2
  "$kotlin/bin/kotlinc" -J-Xmx2g -Xplugin="$kotlin/lib/kotlinx-serialization-compiler-plugin.jar" -jvm-target 17 -nowarn \
    -cp "$cp" -d "$classes" "${sources[@]}" >&2
  echo "$stamp" >"$classes/.stamp"
  echo "cross-platform: kotlinc $(( $(date +%s) - start )) s" >&2
}

case "${1:-}" in
  build) build ;;
  run)
    shift
    build
    exec java -cp "$classes:$cp:$kotlin/lib/kotlin-stdlib.jar" crossplatform.CrossPlatformClientKt "$@"
    ;;
  *) echo "usage: cross-platform.sh build | run <apiBaseUrl> <token> <sqliteFile>" >&2; exit 2 ;;
esac
