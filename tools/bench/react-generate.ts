/**
 * React generation time against orval (the react-query client) on the same specs in the same run:
 * the 1,000-operation synthetic spec and the largest fixture. Both sides are measured as what a
 * user runs, a CLI process writing into an empty folder (median of BENCH_RUNS, default 3). Our
 * output is Prettier-formatted; orval is timed without and with its `--prettier` flag.
 *
 * orval is not a dependency of the workspace: the first run installs the pinned version into
 * .bench/orval (git-ignored) from the npm registry. Prints figures; asserts nothing.
 *
 *   npm run build && npx tsx tools/bench/react-generate.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { goodFixtures, repoRoot } from '../golden/cases.js';
import { syntheticSpec } from './synthetic-spec.js';

const ORVAL_VERSION = '7.13.2';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const work = path.join(repoRoot, '.bench/react-generate');
const orvalDir = path.join(repoRoot, '.bench/orval');
const orvalBin = path.join(orvalDir, 'node_modules/orval/dist/bin/orval.js');
const ours = path.join(repoRoot, 'packages/cli/bin/sync-patterns.js');

function wall(args: string[], cwd = repoRoot): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr || r.stdout}`);
  return performance.now() - t;
}

function median(run: () => number): number {
  const times = Array.from({ length: RUNS }, run).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function ensureOrval(): boolean {
  if (existsSync(orvalBin)) return true;
  mkdirSync(orvalDir, { recursive: true });
  writeFileSync(path.join(orvalDir, 'package.json'), '{ "private": true }\n');
  console.log(`installing orval@${ORVAL_VERSION} into .bench/orval (first run only)…`);
  const r = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', `orval@${ORVAL_VERSION}`, 'prettier@3'],
    { cwd: orvalDir, stdio: 'inherit' },
  );
  return r.status === 0 && existsSync(orvalBin);
}

function largestFixture(): { name: string; spec: string } {
  return goodFixtures()
    .map((f) => ({ ...f, size: statSync(path.join(repoRoot, f.spec)).size }))
    .sort((a, b) => b.size - a.size)[0]!;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const synthetic = path.join(work, 'synthetic.yaml');
writeFileSync(synthetic, stringify(syntheticSpec()));
const fixture = largestFixture();
const specs = [
  { label: 'synthetic (1,000 operations)', file: synthetic },
  { label: `largest fixture (${fixture.name})`, file: path.join(repoRoot, fixture.spec) },
];
const haveOrval = ensureOrval();
if (!haveOrval) console.log('orval could not be installed: only our figures follow');

for (const spec of specs) {
  const out = path.join(work, 'ours');
  const ourMs = median(() => {
    rmSync(out, { recursive: true, force: true });
    return wall([
      ours,
      'generate',
      '--target',
      'react',
      '--spec',
      spec.file,
      '--out',
      out,
      '--quiet',
    ]);
  });
  console.log(`\n${spec.label}`);
  console.log(`  sync-patterns (react, Prettier-formatted): ${s(ourMs)}`);
  if (!haveOrval) continue;
  for (const prettier of [false, true]) {
    const dir = path.join(work, `orval-${prettier ? 'prettier' : 'plain'}`);
    const orvalMs = median(() => {
      rmSync(dir, { recursive: true, force: true });
      const args = [orvalBin, '--input', spec.file, '--output', path.join(dir, 'api.ts')];
      return wall(
        [...args, '--client', 'react-query', ...(prettier ? ['--prettier'] : [])],
        orvalDir,
      );
    });
    console.log(
      `  orval ${ORVAL_VERSION} (react-query${prettier ? ', --prettier' : ''}): ${s(orvalMs)} → ours ${
        ourMs < orvalMs
          ? `is ${(orvalMs / ourMs).toFixed(2)}× faster`
          : `takes ${(ourMs / orvalMs).toFixed(2)}× as long (SLOWER)`
      }`,
    );
  }
}
