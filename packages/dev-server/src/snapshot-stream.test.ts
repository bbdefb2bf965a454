/**
 * Streamed initial snapshots (shape/snapshot.ts): chunk 0 is served while later chunks are still
 * being read, chunk boundaries are right (an exact multiple of 1,000 rows gives no empty chunk),
 * the SQL-built messages equal the JS-built ones (where clauses and redaction take the JS path),
 * and closing the server while a snapshot is read ends cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from './db/database.js';
import { openPglite } from './db/pglite.js';
import { schemaDdl } from './schema/ddl.js';
import { buildModel, type Model } from './schema/model.js';
import { parseShapeRequest } from './shape/request.js';
import { takeSnapshot } from './shape/snapshot.js';
import {
  BACKENDS,
  crmIr,
  pgliteDump,
  TOKEN,
  startTestServer,
  type TestServer,
} from './testing/backends.js';

const seed = (
  n: number,
) => `INSERT INTO "contacts" ("first_name", "last_name", "email", "status", "tags")
  SELECT 'First ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE E'q"uo\\\\te\\n' || g || ' 名前 🎉' END,
         'p' || g || '@example.com', CASE WHEN g % 2 = 0 THEN 'lead' ELSE 'active' END, '["a","b"]'::jsonb
    FROM generate_series(1, ${n}) AS g`;

interface Response {
  status: number;
  offset: string | null;
  handle: string | null;
  upToDate: boolean;
  messages: { headers: Record<string, unknown>; key?: string; value?: Record<string, unknown> }[];
}

async function get(url: string): Promise<Response> {
  const r = await fetch(url, { headers: TOKEN });
  return {
    status: r.status,
    offset: r.headers.get('electric-offset'),
    handle: r.headers.get('electric-handle'),
    upToDate: r.headers.get('electric-up-to-date') === 'true',
    messages: (await r.json()) as Response['messages'],
  };
}

/** Every response of one initial snapshot, following the offsets to up-to-date. */
async function snapshot(base: string, query: string): Promise<Response[]> {
  const out = [await get(`${base}/v1/shape?table=contacts&offset=-1${query}`)];
  while (!out[out.length - 1]!.upToDate) {
    const last = out[out.length - 1]!;
    out.push(
      await get(
        `${base}/v1/shape?table=contacts&offset=${last.offset}&handle=${last.handle}${query}`,
      ),
    );
    if (out.length > 20) throw new Error('snapshot does not end');
  }
  return out;
}

describe.each(BACKENDS)('streamed snapshots ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
    await server.database.exec(seed(2000));
  }, 60_000);
  afterAll(async () => server?.stop());

  it('serves an exact multiple of 1,000 rows as full chunks, the last one ending the snapshot', async () => {
    const rs = await snapshot(server.url, '');
    expect(rs.map((r) => r.status)).toEqual([200, 200]);
    expect(rs[0]!.messages).toHaveLength(1000);
    expect(rs[0]!.upToDate).toBe(false);
    expect(rs[1]!.messages.map((m) => m.headers.control ?? m.headers.operation).slice(-3)).toEqual([
      'insert',
      'snapshot-end',
      'up-to-date',
    ]);
    expect(rs[1]!.messages).toHaveLength(1002);
    const keys = rs.flatMap((r) => r.messages.filter((m) => m.key).map((m) => m.key));
    expect(new Set(keys).size).toBe(2000);
  });

  it('builds in SQL the same messages as the JS path (where clauses), across chunk boundaries', async () => {
    // `id IS NOT NULL` selects every row but takes the predicate (JS) path.
    const sql = (await snapshot(server.url, '')).flatMap((r) => r.messages);
    const js = (
      await snapshot(server.url, `&where=${encodeURIComponent('id IS NOT NULL')}`)
    ).flatMap((r) => r.messages);
    const rows = (ms: Response['messages']) => ms.filter((m) => m.key !== undefined);
    expect(rows(sql)).toHaveLength(2000);
    expect(rows(sql)).toEqual(rows(js));
    const odd = rows(sql).find((m) => typeof m.value?.last_name === 'string');
    expect(odd?.value?.last_name).toMatch(/^q"uo\\te\n\d+ 名前 🎉$/);
    expect(rows(sql).some((m) => m.value?.last_name === null)).toBe(true);
    // a filtering where clause: 1,000 leads, one chunk, across the table's two pages
    const leads = await snapshot(server.url, `&where=${encodeURIComponent("status = 'lead'")}`);
    expect(leads).toHaveLength(1);
    expect(rows(leads[0]!.messages)).toHaveLength(1000);
    expect(rows(leads[0]!.messages).every((m) => m.value?.status === 'lead')).toBe(true);
  });
});

describe('snapshot reading', () => {
  let model: Model;
  let db: Database;
  beforeAll(async () => {
    model = buildModel(await crmIr());
    db = await openPglite({ loadDataDir: await pgliteDump() });
    await db.exec(schemaDdl(model));
    await db.exec(seed(3500));
  }, 60_000);
  afterAll(async () => db?.close());

  /** `db`, with every query of a transaction after the first `open` ones held until released. */
  function gated(open: number) {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let queries = 0;
    const wrapped: Database = {
      ...db,
      query: (sql, params) => db.query(sql, params),
      transaction: (fn, isolation) =>
        db.transaction((tx) => {
          const q: Queryable = {
            query: async (sql, params) => {
              if (++queries > open) await gate;
              return tx.query(sql, params);
            },
          };
          return fn(q);
        }, isolation),
    };
    return { wrapped, release, queries: () => queries };
  }

  it('publishes chunk 0 before the rest of the table is read', async () => {
    const req = parseShapeRequest(model, new URLSearchParams('table=contacts&offset=-1'));
    // position + first page pass; the second page waits
    const g = gated(2);
    const { snapshot: snap, done } = await takeSnapshot(g.wrapped, req);
    const first = await snap.chunk(0);
    expect(first?.last).toBe(false);
    expect(JSON.parse(`[${first!.text}]`)).toHaveLength(1000);
    expect(snap.complete).toBe(false);
    g.release();
    const chunks = [first!, (await snap.chunk(1))!, (await snap.chunk(2))!, (await snap.chunk(3))!];
    expect(chunks.map((c) => c.last)).toEqual([false, false, false, true]);
    expect(chunks.map((c) => JSON.parse(`[${c.text}]`).length)).toEqual([1000, 1000, 1000, 500]);
    expect(await snap.chunk(4)).toBeUndefined();
    await done;
  });

  it('lets other work run between two chunks (PGlite answers without leaving the event loop)', async () => {
    const req = parseShapeRequest(model, new URLSearchParams('table=contacts&offset=-1'));
    const { snapshot: snap, done } = await takeSnapshot(db, req);
    await snap.chunk(0);
    // a request that came in meanwhile (an I/O callback) runs before the table is read to the end
    const read = await new Promise<number>((resolve) =>
      setImmediate(() => resolve([0, 1, 2, 3].filter((k) => snap.has(k)).length)),
    );
    expect(read).toBeLessThan(4);
    expect(snap.complete).toBe(false);
    await done;
    expect(snap.complete).toBe(true);
  });

  it('fails waiting readers when reading fails, and stops when abandoned', async () => {
    const req = parseShapeRequest(model, new URLSearchParams('table=contacts&offset=-1'));
    const g = gated(2);
    const { snapshot: snap, done } = await takeSnapshot(g.wrapped, req);
    await snap.chunk(0);
    snap.abandoned = true;
    g.release();
    await done;
    await expect(snap.chunk(3)).rejects.toThrow(/abandoned/);
    // position, page 0: the reader sees `abandoned` when it next gets its turn, before page 1
    expect(g.queries()).toBe(2);
  });
});
