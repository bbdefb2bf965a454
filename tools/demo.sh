#!/usr/bin/env bash
# The README's main-job command (`npm run demo`): on a fresh clone, installs what it needs, builds,
# validates the bundled example spec (fixtures/crm) and generates every available target into
# demo/<target>/. Re-running it rewrites nothing that did not change.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true
spec=${SPEC:-fixtures/crm/openapi.yaml}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
echo "== building"
npm run build --silent

echo "== validating $spec"
node packages/cli/bin/sync-patterns.js validate --spec "$spec"

generated=0
for target in react swift kotlin; do
  echo "== generating $target → demo/$target"
  set +e
  node packages/cli/bin/sync-patterns.js generate --target "$target" --spec "$spec" --out "demo/$target"
  code=$?
  set -e
  case $code in
    0) generated=$((generated + 1)) ;;
    2) echo "   (skipped: the $target generator is not part of this build yet)" ;;
    *) exit $code ;;
  esac
done
mkdir -p demo
node packages/cli/bin/sync-patterns.js ir --spec "$spec" > demo/ir.json
echo "== done: $generated target(s) generated; the IR is in demo/ir.json"
