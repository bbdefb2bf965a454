#!/usr/bin/env node
// Adds up the JSON reports every test run left in .test-results/ (vitest JSON, and JUnit-style
// summaries written as {passed, failed, skipped} by non-JS suites) and prints one closing line:
// `tests: N passed, M failed, K skipped`. Exits 1 when nothing ran or anything failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.test-results');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []) {
  const r = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const p = r.numPassedTests ?? r.passed ?? 0;
  const f = (r.numFailedTests ?? r.failed ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) + (r.skipped ?? 0);
  console.log(`  ${file.replace(/\.json$/, '').padEnd(32)} ${p} passed, ${f} failed, ${s} skipped`);
  passed += p;
  failed += f;
  skipped += s;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
