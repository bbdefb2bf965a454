/**
 * Outbox drain benchmark (`npm run bench outbox-drain`, or `npx tsx tools/bench/outbox-drain.ts
 * [--writes 1000] [--queue 10000] [--batch-size 100] [--window 16] [--runs 3]`): the React runtime drains
 * offline writes into `sync-patterns dev` running in its own process (the CRM fixture plus the
 * batch operation of fixtures/dev-server/sync-batch.yaml), over loopback HTTP.
 *
 * 1. batch drain: `--writes` offline creates through `POST /sync/batch` (writes/s; target ≥ 2,000);
 * 2. single drain, no batch operation declared: the same writes one request each, with the
 *    contract's opt-in window of `--window` concurrent requests for distinct keys (target ≥ 500);
 * 3. a queue of `--queue` offline writes drained with batching (s; target ≤ 10).
 *
 * 1 and 2 (the window) run `--runs` times each and report the median (one run of 1,000 writes
 * lasts ~0.5 s: single runs swung 1,854–2,127 writes/s on a quiet machine).
 *
 * Baseline, in the same run against the same server process: the server alone, the same creates
 * sent straight to it, 16 concurrent requests (what no client can beat on one-request-per-write),
 * and the same creates as raw batches of `--batch-size`. Prints the load average: the machine is
 * shared. Ends with one `goal …` line per target.
 *
 * The server stores in PGlite (in its process) by default; with `DATABASE_URL=postgres://…` it runs
 * on that Postgres instead, in a scratch database dropped afterwards, as a production backend
 * would. The baselines say which side is the ceiling: when the server alone is no faster than the
 * drain, the figure measures the server, not the client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSpec, type SyncIR } from '../../packages/core/src/index.ts';
import { dumpEmptyPglite } from '../../packages/dev-server/src/index.ts';
import { writeCrmBatchSpec } from '../../packages/dev-server/src/testing/batch-spec.ts';
import { generateReact } from '../../generators/react/src/index.ts';
import { createSyncClient } from '../../packages/react-runtime/src/client/create.ts';
import type { LiveSchema } from '../../packages/react-runtime/src/schema.ts';
import { scratchDatabase } from './postgres.ts';
import { AUTH, getAuthToken, okJson, okText } from './http.ts';

const { values } = parseArgs({
  options: {
    writes: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    queue: { type: 'string', default: '10000' },
    'batch-size': { type: 'string', default: '100' },
    window: { type: 'string', default: '16' },
  },
});
const WRITES = Number(values.writes);
const RUNS = Math.max(1, Number(values.runs));
const QUEUE = Number(values.queue);
const BATCH = Number(values['batch-size']);
const WINDOW = Number(values.window);
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.join(here, '../..');
const specFile = writeCrmBatchSpec(root);
const loaded = await loadSpec(specFile, { cwd: path.dirname(specFile) });
if (!loaded.ir?.batch) throw new Error('the CRM + batch spec did not load');
const ir: SyncIR = loaded.ir;
const dump = await dumpEmptyPglite();

async function liveSchema(source: SyncIR): Promise<LiveSchema> {
  const base = path.join(root, 'tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, 'bench-drain-'));
  for (const f of (await generateReact(source, { format: false })).files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(
      path.join(dir, f.path),
      f.contents.replaceAll(
        "'@sync/react-runtime'",
        `'${path.join(root, 'packages/react-runtime/src/index.ts')}'`,
      ),
    );
  }
  try {
    return ((await import(path.join(dir, 'live/schema.ts'))) as { liveSchema: LiveSchema })
      .liveSchema;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const withBatch = await liveSchema(ir);
const { batch: _declared, ...withoutBatchIr } = ir;
const withoutBatch = await liveSchema(withoutBatchIr);
if (!withBatch.batch || withoutBatch.batch)
  throw new Error('generated live schemas are not as expected');

const databaseUrl = process.env.DATABASE_URL;
const scratch =
  databaseUrl !== undefined && databaseUrl !== ''
    ? await scratchDatabase(databaseUrl, 'sync_drain_bench')
    : null;

/** `sync-patterns dev` in its own process; resolves with its URL. */
async function startServer(): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_PROFILE=<dir>: a V8 CPU profile of the server process, written there when it stops.
      ...(process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : []),
      '--import',
      'tsx',
      path.join(here, 'serve-dev.ts'),
      '--spec',
      specFile,
      '--port',
      '0',
      '--quiet',
      ...(scratch !== null ? ['--database-url', scratch.url] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /sync-patterns dev: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`dev server exited (${code}): ${out}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** CPU seconds (user + system) of process `pid` so far, from /proc (Linux); NaN elsewhere. */
function cpuOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return NaN;
  }
}
const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** Runs `fn` and returns its wall time and the CPU time the client and the server spent on it. */
async function measured<T>(pid: number | undefined, fn: () => Promise<T>) {
  const c0 = selfCpu();
  const s0 = cpuOf(pid);
  const value = await fn();
  return { value, clientCpu: selfCpu() - c0, serverCpu: cpuOf(pid) - s0 };
}
const perWrite = (m: { clientCpu: number; serverCpu: number }, n: number) =>
  `CPU per write: client ${((m.clientCpu / n) * 1000).toFixed(2)} ms + server ${((m.serverCpu / n) * 1000).toFixed(2)} ms → ${(n / (m.clientCpu + m.serverCpu)).toFixed(0)} writes/s if CPU-bound on one core`;

const offline: typeof fetch = () => Promise.reject(new TypeError('offline (bench)'));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Queues `n` offline creates, goes online, drains; returns seconds. */
async function drain(
  url: string,
  schema: LiveSchema,
  n: number,
  options: { outboxConcurrency?: number; outboxBatchSize?: number },
): Promise<{ s: number; cpu: string }> {
  let online = false;
  let unanswered = 0; // requests that got no HTTP answer once online (the runtime retries them)
  let noAnswer = '';
  const f: typeof fetch = (input, init) =>
    online
      ? fetch(input, init).catch((error: unknown) => {
          unanswered++;
          noAnswer = String((error as { cause?: unknown }).cause ?? error);
          throw error;
        })
      : offline(input, init);
  const client = createSyncClient({
    getAuthToken,
    apiBaseUrl: url,
    electricUrl: `${url}/v1/shape`,
    fetch: f,
    loadDataDir: dump,
    schema,
    sync: false,
    ...options,
  });
  await client.ready;
  const tag = Math.random().toString(36).slice(2, 8);
  for (let i = 0; i < n; i++)
    await client.insert('contacts', { first_name: `D${i}`, email: `d${i}.${tag}@example.com` });
  online = true;
  const t0 = performance.now();
  // drainNow resolves when the queue is idle or waits on a retry (a request that got no answer
  // is retried after a backoff, or as soon as a probe gets an answer): until every write is
  // sent or refused, or 5 minutes
  const unsent = async () =>
    (
      await client
        .db()
        .query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "_sync_outbox" WHERE "status" IN ('pending', 'inflight')`,
        )
    ).rows[0]?.n ?? 0;
  const m = await measured(serverPid, async () => {
    await client.drainNow();
    while ((await unsent()) > 0 && performance.now() - t0 < 300_000)
      await new Promise((r) => setTimeout(r, 5));
  });
  const left = await client
    .db()
    .query<{ n: number }>(`SELECT count(*)::int AS n FROM "_sync_outbox" WHERE "status" <> 'sent'`);
  const s = (performance.now() - t0) / 1000;
  if (unanswered > 0)
    console.log(
      `   (${unanswered} request(s) got no HTTP answer and were retried by the runtime: ${noAnswer})`,
    );
  if (left.rows[0]?.n !== 0) {
    // say why: the server's answer to the first write it refused, else the last error
    const failed = await client
      .db()
      .query<{ error: string | null }>(
        `SELECT "error" FROM "_sync_outbox" WHERE "status" = 'failed' ORDER BY "seq" LIMIT 1`,
      );
    const refused = failed.rows[0]?.error
      ? (JSON.parse(failed.rows[0].error) as { status: number; body: unknown })
      : null;
    const why = refused
      ? `the server refused them: HTTP ${refused.status} ${JSON.stringify(refused.body).slice(0, 300)}`
      : `last error: ${JSON.stringify(client.status.getSnapshot().lastError)}`;
    await client.close();
    throw new Error(`drain: ${left.rows[0]?.n} of ${n} writes were not sent; ${why}`);
  }
  await client.close();
  return { s, cpu: perWrite(m, n) };
}

/** The server alone: `n` creates sent straight to it, `concurrency` requests in flight. */
async function serverSingles(url: string, n: number, concurrency: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i += concurrency)
    await Promise.all(
      Array.from({ length: Math.min(concurrency, n - i) }, (_, j) =>
        fetch(`${url}/contacts`, {
          method: 'POST',
          headers: {
            ...AUTH,
            'content-type': 'application/json',
            'idempotency-key': crypto.randomUUID(),
          },
          body: JSON.stringify({ first_name: `B${i + j}`, email: `b${i + j}@example.com` }),
        }).then((r) => okText(r, 'POST /contacts (baseline)')),
      ),
    );
  return (performance.now() - t0) / 1000;
}

/** The server alone: `n` creates as raw batches of `size`, one batch at a time. */
async function serverBatches(url: string, n: number, size: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i += size) {
    const writes = Array.from({ length: Math.min(size, n - i) }, (_, j) => {
      const id = crypto.randomUUID();
      return {
        write_id: crypto.randomUUID(),
        table: 'contacts',
        op: 'insert',
        key: id,
        payload: { id, first_name: `R${i + j}`, email: `r${i + j}@example.com` },
      };
    });
    const r = await fetch(`${url}${ir.batch!.path}`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(writes),
    });
    const body = await okJson<{ results: { status: number }[] }>(
      r,
      `POST ${ir.batch!.path} (baseline, raw batch)`,
    );
    if (
      !Array.isArray(body.results) ||
      body.results.length !== writes.length ||
      body.results.some((x) => x.status !== 201)
    )
      throw new Error(`raw batch failed: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return (performance.now() - t0) / 1000;
}

const server = await startServer();
const serverPid = server.child.pid;
const goals: string[] = [];
const storage = scratch !== null ? 'server on Postgres' : 'server on PGlite';
/** `--runs` drains of `--writes` writes, one after another. */
async function drains(schema: LiveSchema, options: Parameters<typeof drain>[3]) {
  const runs: Awaited<ReturnType<typeof drain>>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await drain(server.url, schema, WRITES, options));
  return runs;
}
/** The run with the median time (its CPU figures are printed with it). */
const medianRun = <R extends { s: number }>(runs: R[]): R =>
  [...runs].sort((a, b) => a.s - b.s)[Math.floor(runs.length / 2)]!;
const rates = (runs: { s: number }[]) => runs.map((r) => (WRITES / r.s).toFixed(0)).join(', ');
const goal = (name: string, value: number, unit: string, target: string, met: boolean) =>
  goals.push(
    `goal ${name}: ${value.toFixed(unit === 's' ? 2 : 0)} ${unit} (target ${target}; ${storage}) ${met ? 'met' : 'missed'}`,
  );
try {
  console.log(`load average at start: ${load()} (${process.platform}, ${cpus().length} cores)`);
  console.log(
    `server: sync-patterns dev in its own process, storing in ${scratch !== null ? 'Postgres (DATABASE_URL, scratch database)' : 'PGlite (set DATABASE_URL to run it on Postgres)'}`,
  );
  // warm-up: the server's first requests compile its statements
  await serverSingles(server.url, 50, 4);
  await serverBatches(server.url, 100, BATCH);

  // baselines before and after each measurement (the load on a shared machine drifts): the faster
  const rawBatchA = await serverBatches(server.url, WRITES, BATCH);
  const batchRuns = await drains(withBatch, { outboxBatchSize: BATCH });
  const batchRun = medianRun(batchRuns);
  const rawBatch = Math.min(rawBatchA, await serverBatches(server.url, WRITES, BATCH));
  const batchS = batchRun.s;
  console.log(
    `1. batch drain of ${WRITES} offline writes (batches of ${BATCH}), median of ${RUNS}: ${batchS.toFixed(2)} s = ${(WRITES / batchS).toFixed(0)} writes/s (runs: ${rates(batchRuns)})` +
      `\n   baseline, the server alone, raw batches of ${BATCH}: ${(WRITES / rawBatch).toFixed(0)} writes/s (client share ${(((batchS - rawBatch) / batchS) * 100).toFixed(0)} %)` +
      `\n   ${batchRun.cpu}`,
  );
  goal(
    'batch drain writes/s',
    WRITES / batchS,
    'writes/s',
    '≥ 2000 on loopback',
    WRITES / batchS >= 2000,
  );

  const rawSingleA = await serverSingles(server.url, WRITES, 16);
  const single1Run = await drain(server.url, withoutBatch, WRITES, {});
  const windowRuns = await drains(withoutBatch, { outboxConcurrency: WINDOW });
  const singleWRun = medianRun(windowRuns);
  const rawSingle = Math.min(rawSingleA, await serverSingles(server.url, WRITES, 16));
  const single1 = single1Run.s;
  const singleW = singleWRun.s;
  console.log(
    `2. single drain (no batch operation) of ${WRITES} offline writes: one at a time ${(WRITES / single1).toFixed(0)} writes/s; window of ${WINDOW} distinct keys, median of ${RUNS}: ${(WRITES / singleW).toFixed(0)} writes/s (runs: ${rates(windowRuns)})` +
      `\n   baseline, the server alone, the same creates 16 at a time: ${(WRITES / rawSingle).toFixed(0)} writes/s` +
      `\n   one at a time: ${single1Run.cpu}\n   window of ${WINDOW}: ${singleWRun.cpu}`,
  );
  goal(
    'single drain writes/s',
    WRITES / singleW,
    'writes/s',
    `≥ 500, window ${WINDOW}`,
    WRITES / singleW >= 500,
  );

  const rawQueue = await serverBatches(server.url, QUEUE, BATCH);
  const queueRun = await drain(server.url, withBatch, QUEUE, { outboxBatchSize: BATCH });
  const queueS = queueRun.s;
  console.log(
    `3. ${QUEUE}-write offline queue drained with batching: ${queueS.toFixed(2)} s (${(QUEUE / queueS).toFixed(0)} writes/s)` +
      `\n   baseline, the server alone, raw batches: ${rawQueue.toFixed(2)} s` +
      `\n   ${queueRun.cpu}`,
  );
  goal(
    `${QUEUE}-write offline queue drain time`,
    queueS,
    's',
    '≤ 10 s with batching',
    queueS <= 10,
  );
} finally {
  await server.stop();
  await scratch?.drop();
}
console.log(`load average at end: ${load()}`);
for (const g of goals) console.log(g);
