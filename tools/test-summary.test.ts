/**
 * tools/test-summary.mjs, `npm test`'s closing line: skips are counted and named (a skipped
 * Postgres half must not hide behind "0 failed"), and the last line keeps the format CI parses.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-summary.mjs');
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function summary(reports: Record<string, unknown>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'summary-test-'));
  temps.push(dir);
  for (const [name, body] of Object.entries(reports))
    writeFileSync(
      path.join(dir, `${name}.json`),
      typeof body === 'string' ? body : JSON.stringify(body),
    );
  const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  return { status: r.status, lines, last: lines.at(-1) };
}

const vitestReport = (passed: number, skippedNames: string[] = []) => ({
  numPassedTests: passed,
  numFailedTests: 0,
  numPendingTests: skippedNames.length,
  numTodoTests: 0,
  testResults: [
    {
      assertionResults: [
        ...Array.from({ length: passed }, (_, i) => ({ status: 'passed', fullName: `t${i}` })),
        ...skippedNames.map((fullName) => ({ status: 'skipped', fullName })),
      ],
    },
  ],
});

describe('test-summary', () => {
  it('counts a skipped Postgres half as skipped and names it above the closing line', () => {
    const postgresHalf = (tests: number) => ({
      passed: 0,
      failed: 0,
      skipped: tests,
      skippedSuites: [{ name: 'dev-server on Postgres', reason: 'DATABASE_URL is not set', tests }],
    });
    const r = summary({
      'packages__dev-server': vitestReport(33),
      'skipped__packages__dev-server__src__rest': postgresHalf(5),
      'skipped__packages__dev-server__src__tanstack': postgresHalf(2),
      e2e: { passed: 9, failed: 0, skipped: 0 },
    });
    expect(r.status).toBe(0);
    expect(r.last).toBe('tests: 42 passed, 0 failed, 7 skipped');
    expect(r.lines).toContain(
      '  dev-server on Postgres (DATABASE_URL is not set): 7 tests not run',
    );
    expect(r.lines.indexOf('skipped:')).toBe(r.lines.length - 3);
    // Skip-only records are listed under "skipped:", not as suites of their own.
    expect(r.lines.some((l) => l.includes('skipped__'))).toBe(false);
  });

  it('names vitest-skipped tests, and says so when a report gives no names', () => {
    const r = summary({
      core: vitestReport(4, ['parser > handles tabs']),
      e2e: { passed: 7, failed: 0, skipped: 2 },
    });
    expect(r.last).toBe('tests: 11 passed, 0 failed, 3 skipped');
    expect(r.lines).toContain('  core: parser > handles tabs (skipped): 1 test not run');
    expect(r.lines).toContain('  e2e (no names reported): 2 tests not run');
  });

  it('prints no skip section and 0 skipped when nothing was skipped', () => {
    const r = summary({ core: vitestReport(4), e2e: { passed: 7, failed: 0, skipped: 0 } });
    expect(r.status).toBe(0);
    expect(r.lines).not.toContain('skipped:');
    expect(r.last).toBe('tests: 11 passed, 0 failed, 0 skipped');
  });

  it('fails on a failure, on nothing run, and on a report cut short', () => {
    expect(summary({ e2e: { passed: 3, failed: 1, skipped: 0 } }).status).toBe(1);
    expect(summary({}).last).toBe('tests: 0 passed, 0 failed, 0 skipped');
    expect(summary({}).status).toBe(1);
    const cut = summary({ core: vitestReport(4), kotlin: '{"passed": 3, "fai' });
    expect(cut.status).toBe(1);
    expect(cut.last).toBe('tests: 4 passed, 1 failed, 0 skipped');
  });
});
