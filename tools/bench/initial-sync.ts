/**
 * Initial sync of `--rows` rows (default 100,000) end to end, against a raw PGlite bulk insert of
 * the same rows, measured in the same run (`npx tsx tools/bench/initial-sync.ts [--rows N]
 * [--runs N]`, or `npm run bench initial-sync`).
 *
 * - The dev server runs in its own process (initial-sync-server.ts: PGlite, CRM fixture), as in
 *   real use, so its snapshot work overlaps the client's instead of sharing its event loop.
 * - End to end: `createSyncClient` (a fresh, empty client: PGlite from the runtime's start image,
 *   `createStartImage`, made once before the runs) until the status says synced (every live shape
 *   up to date).
 * - Raw: the same rows (as the client stored them) inserted into a fresh PGlite's `contacts_synced`
 *   with `jsonb_populate_recordset`, 1,000 rows a statement, on the client's Postgres start
 *   parameters (db/start-params.ts).
 *
 * Runs alternate raw / sync `--runs` times; medians are printed with the load average, then
 * `goal initial sync: <raw ÷ sync> % of raw (target ≥ 50) met|missed`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { loadSpec } from '../../packages/core/src/index.ts';
import { dumpEmptyPglite } from '../../packages/dev-server/src/index.ts';
import { generateReact } from '../../generators/react/src/index.ts';
import { createSyncClient } from '../../packages/react-runtime/src/client/create.ts';
import { createStartImage } from '../../packages/react-runtime/src/db/image.ts';
import { START_PARAMS } from '../../packages/react-runtime/src/db/start-params.ts';
import type { LiveSchema } from '../../packages/react-runtime/src/schema.ts';
import { getAuthToken } from './http.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
  },
});
const ROWS = Number(values.rows);
const RUNS = Math.max(1, Number(values.runs));
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.join(here, '../..');
const ir = (await loadSpec(path.join(root, 'fixtures/crm/openapi.yaml'))).ir!;
const dump = await dumpEmptyPglite();

async function liveSchema(): Promise<LiveSchema> {
  mkdirSync(path.join(root, 'tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(root, 'tmp', 'bench-'));
  for (const f of (await generateReact(ir, { format: false })).files) {
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
const schema = await liveSchema();
// What an app starts an empty client from (outside the timed runs, like the dump for raw).
const image = await createStartImage(schema);
const contacts = schema.entities.find((e) => e.table === 'contacts')!;

// The server, in its own process.
const child = spawn(
  process.execPath,
  [
    // BENCH_PROFILE=<dir>: a V8 CPU profile of the server process, written there when it stops
    // (profile the client with `node --cpu-prof --import tsx tools/bench/initial-sync.ts`).
    ...(process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : []),
    path.join(root, 'node_modules/tsx/dist/cli.mjs'),
    path.join(here, 'initial-sync-server.ts'),
    '--rows',
    String(ROWS),
  ],
  { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
);
const url = await new Promise<string>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  createInterface({ input: child.stdout! }).once('line', (line) =>
    resolve((JSON.parse(line) as { url: string }).url),
  );
});

async function sync(): Promise<{ ms: number; readyMs: number; rows: Record<string, unknown>[] }> {
  const t0 = performance.now();
  const client = createSyncClient({
    getAuthToken,
    apiBaseUrl: url,
    electricUrl: `${url}/v1/shape`,
    loadDataDir: image,
    schema,
  });
  await client.ready;
  const readyMs = performance.now() - t0;
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      const { synced, lastError } = client.status.getSnapshot();
      if (synced) {
        unsubscribe();
        resolve();
      } else if (lastError && /\b4\d\d\b/.test(lastError.message)) {
        // an answer that the client's retries will not change (401, 403, 400…): say so and stop
        // instead of waiting forever (the Electric client's FetchError names the status and body)
        unsubscribe();
        reject(new Error(`initial sync failed: ${lastError.message.slice(0, 400)}`));
      }
    };
    const unsubscribe = client.status.subscribe(check);
    check();
  });
  const ms = performance.now() - t0;
  const rows = (await client.db().query<Record<string, unknown>>(`SELECT * FROM "contacts_synced"`))
    .rows;
  await client.close();
  if (rows.length !== ROWS) throw new Error(`synced ${rows.length} rows, expected ${ROWS}`);
  return { ms, readyMs, rows };
}

async function raw(rows: Record<string, unknown>[]): Promise<number> {
  const db = await PGlite.create({ loadDataDir: dump, startParams: [...START_PARAMS] });
  await db.exec(contacts.sql.synced);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 1000)
    await db.query(
      `INSERT INTO "contacts_synced" SELECT * FROM jsonb_populate_recordset(NULL::"contacts_synced", $1::jsonb)`,
      [JSON.stringify(rows.slice(i, i + 1000))],
    );
  const ms = performance.now() - t0;
  await db.close();
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

try {
  const loadBefore = load();
  const { rows } = await sync(); // warm-up (JIT, server caches), and the rows for the raw insert
  const raws: number[] = [];
  const syncs: number[] = [];
  const readies: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    raws.push(await raw(rows));
    const s = await sync();
    syncs.push(s.ms);
    readies.push(s.readyMs);
    console.log(
      `   run ${i + 1}: raw ${raws[i]!.toFixed(0)} ms, sync ${s.ms.toFixed(0)} ms (client ready after ${s.readyMs.toFixed(0)} ms), ${((raws[i]! / s.ms) * 100).toFixed(1)} %`,
    );
  }
  const r = median(raws);
  const s = median(syncs);
  const pct = (r / s) * 100;
  console.log(
    `initial sync of ${ROWS} rows, dev server in its own process (PGlite, Node ${process.version}), median of ${RUNS}:`,
  );
  console.log(`   raw PGlite bulk insert: ${r.toFixed(0)} ms`);
  console.log(`   client start image (createStartImage): ${(image.size / 2 ** 20).toFixed(1)} MiB`);
  console.log(`   end to end (client start → synced): ${s.toFixed(0)} ms`);
  // Informative only: the client's start (PGlite from the start image, migrate) is part of the goal.
  const after = median(syncs.map((x, i) => x - readies[i]!));
  console.log(
    `   of which client start-up (database open + local schema): ${median(readies).toFixed(0)} ms; ready → synced ${after.toFixed(0)} ms = ${((r / after) * 100).toFixed(1)} % of raw`,
  );
  console.log(`   ratio raw ÷ sync: ${pct.toFixed(1)} %`);
  console.log(`   load average (1/5/15 min): before ${loadBefore}, after ${load()}`);
  console.log(
    `goal initial sync: ${pct.toFixed(1)} % of raw (target ≥ 50) ${pct >= 50 ? 'met' : 'missed'}`,
  );
} finally {
  child.stdin!.end();
  child.kill('SIGTERM');
}
