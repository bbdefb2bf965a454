#!/usr/bin/env node
// Reads the JUnit XML reports of a console-launcher run (<reports-dir>/TEST-*.xml) and writes the
// {passed, failed, skipped} summary that tools/test-summary.mjs adds up. No report, or a report with
// no tests, is a failure: a run that executed nothing must not pass.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [reportsDir, outFile] = process.argv.slice(2);
if (!reportsDir || !outFile) {
  console.error('usage: junit-summary.mjs <reports-dir> <out.json>');
  process.exit(2);
}
let tests = 0;
let failed = 0;
let skipped = 0;
let files = [];
try {
  files = readdirSync(reportsDir).filter((f) => /^TEST-.*\.xml$/.test(f));
} catch {
  // no reports folder: the launcher did not get as far as running anything
}
for (const file of files) {
  const xml = readFileSync(path.join(reportsDir, file), 'utf8');
  // The first <testsuite …> element carries the totals of the engine's run.
  const suite = /<testsuite\b([^>]*)>/.exec(xml);
  if (!suite) continue;
  const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite[1])?.[1] ?? 0);
  tests += attr('tests');
  failed += attr('failures') + attr('errors');
  skipped += attr('skipped');
}
const summary = { passed: tests - failed - skipped, failed: tests === 0 ? 1 : failed, skipped };
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(summary) + '\n');
console.log(`junit: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
process.exit(summary.failed > 0 ? 1 : 0);
