/**
 * `generate --check` wall time with nothing changed (what an Xcode build phase or a Gradle task
 * pays on every build), per available target, for the 1,000-operation synthetic spec and the CRM
 * fixture. Baseline measured in the same run: starting `node` itself. Also a full `generate`.
 * Prints medians; asserts nothing.
 *
 *   npm run build && npx tsx tools/bench/cli-check.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { repoRoot } from '../golden/cases.js';
import { syntheticSpec } from './synthetic-spec.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const bin = path.join(repoRoot, 'packages/cli/bin/sync-patterns.js');

function wall(args: string[]): { ms: number; code: number | null; stderr: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
  return { ms: performance.now() - t, code: r.status, stderr: r.stderr };
}

function median(args: string[]): number {
  const times = Array.from({ length: RUNS }, () => wall(args).ms).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const synthetic = path.join(repoRoot, '.bench/synthetic/openapi.yaml');
mkdirSync(path.dirname(synthetic), { recursive: true });
writeFileSync(synthetic, stringify(syntheticSpec(200)));
const specs: [string, string][] = [
  ['synthetic 1,000 ops', synthetic],
  ['crm fixture', path.join(repoRoot, 'fixtures/crm/openapi.yaml')],
];

const nodeStart = median(['-e', '0']);
console.log(
  `generate --check benchmark (median of ${RUNS} runs; baseline: node startup ${nodeStart.toFixed(0)} ms)`,
);
let worstCheck = 0;
let worstLabel = '';
for (const target of ['react', 'swift', 'kotlin']) {
  for (const [label, spec] of specs) {
    const out = path.join(repoRoot, '.bench/out', `${target}-${path.basename(path.dirname(spec))}`);
    rmSync(out, { recursive: true, force: true });
    const first = wall([
      bin,
      'generate',
      '--target',
      target,
      '--spec',
      spec,
      '--out',
      out,
      '--quiet',
    ]);
    if (first.code === 2 && /not available|failed to load/.test(first.stderr)) {
      console.log(`\n${target}: not available in this build`);
      break;
    }
    if (first.code !== 0)
      throw new Error(`${target} ${label}: generate failed (${first.code}): ${first.stderr}`);
    const check = median([
      bin,
      'generate',
      '--target',
      target,
      '--spec',
      spec,
      '--out',
      out,
      '--check',
      '--quiet',
    ]);
    const noop = median([
      bin,
      'generate',
      '--target',
      target,
      '--spec',
      spec,
      '--out',
      out,
      '--quiet',
    ]);
    const full = median([
      '-e',
      `require('node:fs').rmSync(${JSON.stringify(out)}, {recursive: true, force: true}); require('node:child_process').spawnSync(process.execPath, ${JSON.stringify([bin, 'generate', '--target', target, '--spec', spec, '--out', out, '--quiet'])})`,
    ]);
    if (check > worstCheck) [worstCheck, worstLabel] = [check, `${target}, ${label}`];
    console.log(`\n${target} · ${label}`);
    console.log(`  full generate (clean out dir)  ${full.toFixed(0).padStart(6)} ms`);
    console.log(
      `  no-op generate                 ${noop.toFixed(0).padStart(6)} ms  (${(noop / nodeStart).toFixed(1)}× node startup)`,
    );
    console.log(
      `  --check, nothing changed       ${check.toFixed(0).padStart(6)} ms  (${(check / nodeStart).toFixed(1)}× node startup)  target < 500 ms: ${check < 500 ? 'met' : 'NOT met'}`,
    );
  }
}
console.log(`\nslowest no-op --check: ${worstLabel}`);
console.log(
  `goal no-op --check: ${(worstCheck / 1000).toFixed(2)} s (target < 0.5 s) ${worstCheck < 500 ? 'met' : 'missed'}`,
);
