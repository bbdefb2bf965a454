/**
 * The Swift runtime's figures of issue #19 (`npm run bench swift-runtime`, or
 * `npx tsx tools/bench/swift-runtime.ts [--rows N] [--runs N]`): starts `sync-patterns dev` on
 * fixtures/todo with `--rows` todos (default 10,000) in its own process
 * (swift-runtime-server.ts), builds and runs `swift run -c release SyncPatternsBench` in
 * packages/swift-runtime with the server's URL in `SYNC_BENCH_SERVER`, prints its lines, then one
 * goal line per `figure <key> <value>` line it printed:
 *
 *   goal swift initial sync: <store ÷ floor> % of floor (target ≥ 50) met|missed
 *   goal swift local writes/s, nothing observed: <n> writes/s (target ≥ 2000) met|missed
 *   goal swift write → view p99, store observed: <ms> ms (target ≤ 5) met|missed
 *   goal swift drain writes/s, no batch: <n> writes/s (target ≥ 100) met|missed
 *
 * The benchmark itself (packages/swift-runtime/Sources/SyncPatternsBench) measures each figure
 * against a baseline of the same run. Where `swift` is not on the PATH, this prints one line
 * saying so and each goal as `not measured (no Swift toolchain)`, and exits 0.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { BENCH_TOKEN } from './http.ts';

interface SwiftGoal {
  /** The `figure` key the Swift benchmark prints. */
  key: string;
  name: string;
  unit: string;
  target: string;
  met: (value: number) => boolean;
  digits: number;
}

/** The goals of this benchmark, as tools/bench/goals.json lists them. */
const SWIFT_GOALS: readonly SwiftGoal[] = [
  {
    key: 'initial-sync-percent-of-floor',
    name: 'swift initial sync',
    unit: '% of floor',
    target: '≥ 50',
    met: (v) => v >= 50,
    digits: 1,
  },
  {
    key: 'unobserved-writes-per-second',
    name: 'swift local writes/s, nothing observed',
    unit: 'writes/s',
    target: '≥ 2000',
    met: (v) => v >= 2000,
    digits: 0,
  },
  {
    key: 'write-to-view-p99-ms',
    name: 'swift write → view p99, store observed',
    unit: 'ms',
    target: '≤ 5',
    met: (v) => v <= 5,
    digits: 2,
  },
  {
    key: 'drain-writes-per-second',
    name: 'swift drain writes/s, no batch',
    unit: 'writes/s',
    target: '≥ 100',
    met: (v) => v >= 100,
    digits: 0,
  },
];

/** The goal line of `goal` for `value` (tools/bench/README.md). */
function goalLine(goal: SwiftGoal, value: number): string {
  const verdict = goal.met(value) ? 'met' : 'missed';
  return `goal ${goal.name}: ${value.toFixed(goal.digits)} ${goal.unit} (target ${goal.target}) ${verdict}`;
}

/** The goal lines when nothing could be measured, with the reason. */
function notMeasured(why: string): string[] {
  return SWIFT_GOALS.map((goal) => `goal ${goal.name}: not measured (${why}) missed`);
}

/** How long the benchmark may run (`SWIFT_BENCH_TIMEOUT_MS`, default 20 minutes). */
const TIMEOUT_MS = Number(process.env.SWIFT_BENCH_TIMEOUT_MS ?? 20 * 60_000);

/** Whether `swift` runs here. */
function hasSwift(): boolean {
  const probe = spawnSync('swift', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '3' },
    },
  });
  if (!hasSwift()) {
    console.log('swift-runtime: no Swift toolchain (swift) on the PATH; nothing measured');
    for (const line of notMeasured('no Swift toolchain')) console.log(line);
    return 0;
  }

  const here = path.dirname(new URL(import.meta.url).pathname);
  const root = path.join(here, '../..');
  const packageDir = path.join(root, 'packages/swift-runtime');

  // Build first (not timed), its output on stderr so stdout holds only figures.
  console.log('swift-runtime: swift build -c release --product SyncPatternsBench');
  const build = spawnSync('swift', ['build', '-c', 'release', '--product', 'SyncPatternsBench'], {
    cwd: packageDir,
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) {
    console.log(`swift-runtime: the release build failed (exit ${build.status ?? build.signal})`);
    return 1;
  }

  const server = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/tsx/dist/cli.mjs'),
      path.join(here, 'swift-runtime-server.ts'),
      '--rows',
      values.rows,
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
      createInterface({ input: server.stdout! }).once('line', (line) =>
        resolve((JSON.parse(line) as { url: string }).url),
      );
    });
    const figures = new Map<string, number>();
    const bench = spawn('swift', ['run', '-c', 'release', '--skip-build', 'SyncPatternsBench'], {
      cwd: packageDir,
      env: {
        ...process.env,
        SYNC_BENCH_SERVER: url,
        SYNC_BENCH_ROWS: values.rows,
        SYNC_BENCH_RUNS: values.runs,
        SYNC_BENCH_TOKEN: BENCH_TOKEN,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: bench.stdout! }).on('line', (line) => {
      const figure = /^figure (\S+) (\S+)$/.exec(line);
      if (figure) figures.set(figure[1]!, Number(figure[2]));
      else console.log(line);
    });
    // A hung benchmark must not hang `npm run bench all`: stopped after TIMEOUT_MS.
    const timer = setTimeout(() => {
      console.log(`swift-runtime: SyncPatternsBench still running after ${TIMEOUT_MS} ms; stopped`);
      bench.kill('SIGTERM');
    }, TIMEOUT_MS);
    const code = await new Promise<number>((resolve) =>
      bench.once('close', (exit, signal) => resolve(exit ?? (signal ? 1 : 0))),
    );
    clearTimeout(timer);
    for (const goal of SWIFT_GOALS) {
      const value = figures.get(goal.key);
      if (value !== undefined && Number.isFinite(value)) console.log(goalLine(goal, value));
    }
    if (code !== 0) console.log(`swift-runtime: SyncPatternsBench exited ${code}`);
    return code === 0 ? 0 : 1;
  } finally {
    server.stdin!.end();
    server.kill('SIGTERM');
  }
}

process.exitCode = await main();
