#!/usr/bin/env node
// Runs the workspace's single vitest config on one package folder (the per-project `test` target
// that `nx run-many -t test` calls), writing a JSON report under .test-results/ for the summary.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2];
if (!dir) {
  console.error('usage: run-vitest.mjs <package folder relative to the repo root>');
  process.exit(2);
}
mkdirSync(path.join(root, '.test-results'), { recursive: true });
const report = path.join(root, '.test-results', `${dir.replace(/[\\/]/g, '__')}.json`);
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', '--root', root, `${dir}/`, '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(3)], { stdio: 'inherit', cwd: root });
// vitest can fail with every test passed (an unhandled error, a worker that timed out): its JSON
// report then says 0 failed, so the closing summary line would too. Count it as one failure.
const errors = report.replace(/\.json$/, '.errors.json');
rmSync(errors, { force: true });
if (r.status !== 0) {
  let failedTests = 0;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    failedTests = (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0);
  } catch {
    // no readable report: counted as one failure too
  }
  if (failedTests === 0)
    writeFileSync(errors, `${JSON.stringify({ passed: 0, failed: 1, skipped: 0, error: `vitest exited ${r.status ?? r.signal} with no failed test (an unhandled error: see its output)` })}\n`);
}
process.exit(r.status ?? 1);
