/**
 * React generation time against the peers, side by side: orval (react-query client) and
 * @hey-api/openapi-ts (types + SDK + TanStack React Query plugin), both without formatting (their
 * defaults), pinned as devDependencies of the tools workspace. Specs: the 1,000-operation synthetic
 * spec, a mid-size real spec (rsschool-nestjs, 246 operations) and OpenAI's (3.4 MB) from
 * ../shared/realworld/plain. Everyone is measured as a user runs them: a CLI process writing into
 * an empty folder. Our output is Prettier-formatted, as always.
 *
 * Paired runs: each round runs ours, orval and hey-api on the same spec back to back (the order
 * rotates every round), and the round's ratio is our time ÷ the faster peer's time in that round;
 * the goal line is the median of the rounds' ratios (BENCH_RUNS rounds, default 3). On a loaded
 * machine this cancels most of the load that a separate median per tool would not.
 *
 *   npm run build && npx tsx tools/bench/react-generate.ts
 * Prints figures and `goal …` lines; asserts nothing.
 *
 * Environment: `BENCH_RUNS` (rounds, default 3); `BENCH_SPECS` (a comma-separated subset of
 * `synthetic`, `rsschool-nestjs`, `openai`: the others are not run and print no goal line);
 * `BENCH_BASELINE` (the `bin/sync-patterns.js` of another build, e.g. the main branch's, run in
 * the same rounds as one more tool, to compare a change with what it replaces; not a peer).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { repoRoot } from '../golden/cases.js';
import { syntheticSpec } from './synthetic-spec.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const work = path.join(repoRoot, '.bench/react-generate');
const realworld = path.resolve(repoRoot, '../shared/realworld/plain');
const ours = path.join(repoRoot, 'packages/cli/bin/sync-patterns.js');

interface Tool {
  name: string;
  version: string;
  args: (spec: string, out: string) => string[];
}

/** The installed peer (node_modules/<pkg>, from tools/ up), or null. */
function peer(pkg: string, bin: string): { dir: string; version: string } | null {
  for (let at = path.join(repoRoot, 'tools'); ; at = path.dirname(at)) {
    const dir = path.join(at, 'node_modules', pkg);
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, bin))) {
      const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        version: string;
      };
      return { dir, version };
    }
    if (path.dirname(at) === at) return null;
  }
}

const orval = peer('orval', 'dist/bin/orval.js');
const heyApi = peer('@hey-api/openapi-ts', 'bin/run.js');
const ourVersion = (
  JSON.parse(readFileSync(path.join(repoRoot, 'packages/cli/package.json'), 'utf8')) as {
    version: string;
  }
).version;

const us: Tool = {
  name: 'sync-patterns',
  version: ourVersion,
  args: (spec, out) => [
    ours,
    'generate',
    '--target',
    'react',
    '--spec',
    spec,
    '--out',
    out,
    '--quiet',
  ],
};
const baseline: Tool | null = process.env.BENCH_BASELINE
  ? {
      name: 'sync-patterns (baseline)',
      version: path.relative(repoRoot, process.env.BENCH_BASELINE),
      args: (spec, out) => [
        path.resolve(process.env.BENCH_BASELINE!),
        ...us.args(spec, out).slice(1),
      ],
    }
  : null;
const peers: Tool[] = [];
if (orval)
  peers.push({
    name: 'orval',
    version: orval.version,
    args: (spec, out) => [
      path.join(orval.dir, 'dist/bin/orval.js'),
      '--input',
      spec,
      '--output',
      path.join(out, 'api.ts'),
      '--client',
      'react-query',
    ],
  });
if (heyApi)
  peers.push({
    name: '@hey-api/openapi-ts',
    version: heyApi.version,
    args: (spec, out) => [
      path.join(heyApi.dir, 'bin/run.js'),
      '--input',
      spec,
      '--output',
      out,
      '--plugins',
      '@hey-api/typescript',
      '@hey-api/sdk',
      '@tanstack/react-query',
      '--silent',
      '--no-log-file',
    ],
  });

/** Wall time of one CLI run into an empty folder (ms). Throws when the tool fails. */
function wall(tool: Tool, spec: string): number {
  const out = path.join(work, 'out', tool.name.replace(/[@/]/g, '_'));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t = performance.now();
  const r = spawnSync(process.execPath, tool.args(spec, out), { cwd: work, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0)
    throw new Error(
      `${tool.name} failed on ${spec} (${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`,
    );
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const synthetic = path.join(work, 'synthetic.yaml');
writeFileSync(synthetic, stringify(syntheticSpec()));
const allSpecs = [
  {
    key: 'synthetic',
    goal: 'react generation ÷ fastest peer, synthetic 1,000 operations',
    file: synthetic,
  },
  {
    key: 'rsschool-nestjs',
    goal: 'react generation ÷ fastest peer, rsschool-nestjs (mid-size)',
    file: path.join(realworld, 'rsschool-nestjs.openapi.json'),
  },
  {
    key: 'openai',
    goal: 'react generation ÷ fastest peer, openai',
    file: path.join(realworld, 'openai.openapi.json'),
  },
];
const only = process.env.BENCH_SPECS?.split(',').map((s) => s.trim());
for (const key of only ?? [])
  if (!allSpecs.some((s) => s.key === key)) {
    console.error(
      `BENCH_SPECS: unknown spec "${key}" (known: ${allSpecs.map((s) => s.key).join(', ')})`,
    );
    process.exit(2);
  }
const specs = allSpecs.filter((s) => !only || only.includes(s.key));

console.log(
  `react generation vs peers (paired rounds: ${RUNS}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${os.cpus().length} cores)`,
);
console.log(`  sync-patterns ${ourVersion} (react, Prettier-formatted)`);
if (baseline) console.log(`  baseline: ${baseline.version} (same options)`);
console.log(`  orval ${orval?.version ?? 'NOT INSTALLED'} (--client react-query, no --prettier)`);
console.log(
  `  @hey-api/openapi-ts ${heyApi?.version ?? 'NOT INSTALLED'} (@hey-api/typescript + @hey-api/sdk + @tanstack/react-query, no postProcess)`,
);

const goals: string[] = [];
for (const spec of specs) {
  const name = path.basename(spec.file);
  if (!existsSync(spec.file)) {
    console.log(`\n${name}: missing (${spec.file})`);
    goals.push(`goal ${spec.goal}: not measured (spec missing) missed`);
    continue;
  }
  if (peers.length === 0) {
    goals.push(`goal ${spec.goal}: not measured (no peer installed) missed`);
    continue;
  }
  const tools = [us, ...(baseline ? [baseline] : []), ...peers];
  const times = new Map<string, number[]>(tools.map((t) => [t.name, []]));
  const ratios: number[] = [];
  for (let round = 0; round < RUNS; round++) {
    // rotate the order so that no tool always runs first (or right after the heaviest)
    const order = tools.map((_, i) => tools[(i + round) % tools.length]!);
    const t = new Map(order.map((tool) => [tool.name, wall(tool, spec.file)]));
    for (const [k, v] of t) times.get(k)!.push(v);
    ratios.push(t.get(us.name)! / Math.min(...peers.map((p) => t.get(p.name)!)));
  }
  console.log(`\n${name} (median of ${RUNS}; load average now ${os.loadavg()[0]!.toFixed(2)})`);
  for (const tool of tools) {
    const ts = times.get(tool.name)!;
    console.log(
      `  ${`${tool.name} ${tool.version}`.padEnd(30)} ${sec(median(ts)).padStart(9)}   rounds: ${ts.map(sec).join(', ')}`,
    );
  }
  for (const p of baseline ? [baseline, ...peers] : peers) {
    const paired = times.get(us.name)!.map((o, i) => o / times.get(p.name)![i]!);
    console.log(
      `  ours ÷ ${p.name}: ${median(paired).toFixed(2)}× (rounds: ${paired.map((r) => r.toFixed(2)).join(', ')})`,
    );
  }
  const r = median(ratios);
  goals.push(`goal ${spec.goal}: ${r.toFixed(2)} × (target ≤ 1.0) ${r <= 1 ? 'met' : 'missed'}`);
}
console.log('');
for (const g of goals) console.log(g);
