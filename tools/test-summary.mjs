#!/usr/bin/env node
// Adds up the JSON reports every test run left in .test-results/ (or the folder given as the first
// argument) and prints one closing line: `tests: N passed, M failed, K skipped` (CI parses it).
// Reports are vitest JSON, or {passed, failed, skipped, skippedSuites?} records written by other
// suites (JUnit, end to end) and by suites that skip a part of themselves (the dev server's
// Postgres half without DATABASE_URL): skippedSuites is a list of
// {name, reason, tests} (or plain strings). Every skip is named just above the closing line, so a
// skipped half never hides behind "0 failed". Exits 1 when nothing ran or anything failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir =
  process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.test-results');
let passed = 0;
let failed = 0;
let skipped = 0;
/** "name (reason)" → number of tests not run; insertion order = report order. */
const skips = new Map();
const noteSkip = (label, tests) => skips.set(label, (skips.get(label) ?? 0) + tests);

for (const file of existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : []) {
  const id = file.replace(/\.json$/, '');
  let r;
  try {
    r = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  } catch (e) {
    // A report cut short (a crashed run) is a failure, not a silent zero.
    console.log(
      `  ${id.padEnd(32)} unreadable report (${e instanceof Error ? e.message : e}): counted as 1 failed`,
    );
    failed += 1;
    continue;
  }
  const p = r.numPassedTests ?? r.passed ?? 0;
  const f =
    (r.numFailedTests ?? r.failed ?? 0) +
    (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) + (r.skipped ?? 0);
  passed += p;
  failed += f;
  skipped += s;

  // Names of what was skipped: declared suites first, then vitest's skipped/todo tests.
  let named = 0;
  for (const suite of Array.isArray(r.skippedSuites) ? r.skippedSuites : []) {
    const entry = typeof suite === 'string' ? { name: suite } : suite;
    const tests = Number.isInteger(entry.tests) ? entry.tests : 0;
    noteSkip(`${entry.name}${entry.reason ? ` (${entry.reason})` : ''}`, tests);
    named += tests;
  }
  for (const result of Array.isArray(r.testResults) ? r.testResults : []) {
    for (const t of Array.isArray(result.assertionResults) ? result.assertionResults : []) {
      if (t.status !== 'skipped' && t.status !== 'pending' && t.status !== 'todo') continue;
      noteSkip(`${id}: ${t.fullName ?? t.title} (${t.status === 'todo' ? 'todo' : 'skipped'})`, 1);
      named += 1;
    }
  }
  if (s > named) noteSkip(`${id} (no names reported)`, s - named);

  // A record that only declares skips has no line of its own: it is listed under "skipped".
  if (p === 0 && f === 0 && Array.isArray(r.skippedSuites) && r.skippedSuites.length > 0) continue;
  console.log(`  ${id.padEnd(32)} ${p} passed, ${f} failed, ${s} skipped`);
}
if (skips.size > 0) {
  console.log('skipped:');
  for (const [label, tests] of skips)
    console.log(`  ${label}: ${tests} test${tests === 1 ? '' : 's'} not run`);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
