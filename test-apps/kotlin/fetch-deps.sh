#!/usr/bin/env bash
# Fetches the JVM jars the Kotlin compile test and the JUnit run need from Maven Central into
# test-apps/kotlin/.m2/lib (git-ignored). Idempotent: a jar already present is not fetched again.
# Why a script and not Gradle: CI has Maven + JDK 17 but no Gradle/Android SDK, and Room is on
# Google's Maven (unreachable), so the build is plain kotlinc + a Room stub (see room-stub/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lib="$here/.m2/lib"
repo="$here/.m2/repository"
mkdir -p "$lib"
ARTIFACTS=(
  org.jetbrains.kotlinx:kotlinx-serialization-core-jvm:1.9.0
  org.jetbrains.kotlinx:kotlinx-serialization-json-jvm:1.9.0
  org.xerial:sqlite-jdbc:3.50.3.0
  org.junit.platform:junit-platform-console-standalone:1.13.4
)
for gav in "${ARTIFACTS[@]}"; do
  IFS=: read -r _group artifact version <<<"$gav"
  if [[ -f "$lib/$artifact-$version.jar" ]]; then continue; fi
  echo "fetching $gav" >&2
  mvn -q -B -Dmaven.repo.local="$repo" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="$gav" -DoutputDirectory="$lib" -Dmdep.overWriteIfNewer=true >&2
done
# Prints the classpath (colon-separated) of the fetched jars for the callers.
printf '%s\n' "${ARTIFACTS[@]}" | while IFS=: read -r _g a v; do printf '%s/%s-%s.jar\n' "$lib" "$a" "$v"; done | paste -sd: -
