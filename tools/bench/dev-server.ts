/**
 * Benchmark of the dev server (`npx tsx tools/bench/dev-server.ts [--writes 1000] [--rows 100000]`):
 *
 * 1. write → live shape message latency: sequential REST creates while the official Electric
 *    client long-polls; p50/p99 from the request start (end to end) and from the HTTP response.
 * 2. initial snapshot throughput for N rows over /v1/shape (every chunk fetched and parsed)
 *    against a plain SELECT of the same rows on the same database, printed as a ratio.
 *
 * PGlite in memory by default; DATABASE_URL=postgres://… runs it against Postgres (in a scratch
 * database that is dropped afterwards). Prints figures only: timings are machine-dependent.
 */
import { parseArgs } from 'node:util';
import { isChangeMessage, ShapeStream, type Row } from '@electric-sql/client';
import { loadSpec } from '../../packages/core/src/index.ts';
import { startDevServer, type DevServerOptions } from '../../packages/dev-server/src/index.ts';
import { scratchDatabase } from './postgres.ts';
import { AUTH, okJson } from './http.ts';

const { values } = parseArgs({
  options: {
    writes: { type: 'string', default: '1000' },
    rows: { type: 'string', default: '100000' },
  },
});
const WRITES = Number(values.writes);
const ROWS = Number(values.rows);
const spec = new URL('../../fixtures/crm/openapi.yaml', import.meta.url).pathname;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;

const loaded = await loadSpec(spec);
if (loaded.ir === null) throw new Error('crm fixture did not load');
const base = process.env.DATABASE_URL;
const scratch =
  base !== undefined && base !== '' ? await scratchDatabase(base, 'sync_dev_bench') : null;
const options: DevServerOptions = {
  ir: loaded.ir,
  port: 0,
  quiet: process.env.BENCH_LOG !== '1',
  ...(scratch !== null ? { databaseUrl: scratch.url } : {}),
};
const server = await startDevServer(options);
console.log(
  `dev-server benchmark — ${scratch !== null ? 'Postgres' : 'PGlite (in memory)'}, node ${process.version}`,
);

// 1. Latency ---------------------------------------------------------------------------------------
const abort = new AbortController();
const stream = new ShapeStream<Row>({
  url: `${server.url}/v1/shape`,
  params: { table: 'contacts' },
  headers: AUTH,
  signal: abort.signal,
});
const arrivals = new Map<string, number>();
let waiting: { id: string; resolve: () => void } | null = null;
stream.subscribe((batch) => {
  const now = performance.now();
  for (const m of batch) {
    if (!isChangeMessage(m)) continue;
    const id = String(m.value.id);
    arrivals.set(id, now);
    if (waiting?.id === id) waiting.resolve();
  }
});
await new Promise<void>((resolve) => {
  const check = (): void => (stream.isUpToDate ? resolve() : void setTimeout(check, 5));
  check();
});
const endToEnd: number[] = [];
const afterResponse: number[] = [];
for (let i = 0; i < WRITES; i++) {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/contacts`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ first_name: `bench${i}`, email: `bench${i}@example.com` }),
  });
  const { id } = await okJson<{ id: string }>(res, 'POST /contacts');
  const t1 = performance.now();
  if (!arrivals.has(id)) await new Promise<void>((resolve) => (waiting = { id, resolve }));
  const t2 = arrivals.get(id) ?? performance.now();
  endToEnd.push(t2 - t0);
  afterResponse.push(Math.max(0, t2 - t1));
}
abort.abort();
endToEnd.sort((a, b) => a - b);
afterResponse.sort((a, b) => a - b);
console.log(`\nwrite → live shape message, ${WRITES} sequential writes`);
console.log(
  `  request start → message:  p50 ${fmt(pct(endToEnd, 50))}  p99 ${fmt(pct(endToEnd, 99))}`,
);
console.log(
  `  HTTP response → message:  p50 ${fmt(pct(afterResponse, 50))}  p99 ${fmt(pct(afterResponse, 99))}`,
);

// 2. Snapshot throughput ---------------------------------------------------------------------------
await server.database.query(
  `INSERT INTO "accounts" ("name", "owner_email", "annual_revenue", "employee_count", "is_customer", "metadata")
   SELECT 'acct ' || g, 'o' || g || '@example.com', (g * 1.5)::numeric, g, g % 2 = 0, jsonb_build_object('n', g)
     FROM generate_series(1, ${ROWS}) AS g`,
);
const t3 = performance.now();
const plain = await server.database.query(`SELECT * FROM "accounts"`);
const selectMs = performance.now() - t3;

const t4 = performance.now();
let url = `${server.url}/v1/shape?table=accounts&offset=-1`;
let rows = 0;
let requests = 0;
for (;;) {
  const res = await fetch(url, { headers: AUTH });
  requests++;
  const body = await okJson<{ headers: { operation?: string } }[]>(res, 'GET /v1/shape');
  rows += body.filter((m) => m.headers.operation === 'insert').length;
  if (res.headers.has('electric-up-to-date')) break;
  url = `${server.url}/v1/shape?table=accounts&offset=${res.headers.get('electric-offset') ?? ''}&handle=${res.headers.get('electric-handle') ?? ''}`;
}
const shapeMs = performance.now() - t4;
console.log(`\ninitial snapshot of ${ROWS} rows`);
console.log(
  `  plain SELECT * (same DB, driver-parsed): ${plain.length} rows in ${fmt(selectMs)}  (${Math.round(plain.length / (selectMs / 1000))} rows/s)`,
);
console.log(
  `  /v1/shape (${requests} requests, JSON parsed): ${rows} rows in ${fmt(shapeMs)}  (${Math.round(rows / (shapeMs / 1000))} rows/s)`,
);
console.log(`  ratio shape / SELECT: ${(shapeMs / selectMs).toFixed(2)}×`);

await server.close();
await scratch?.drop();
