/**
 * Reliability: 20 concurrent writers × 100 writes all reach a live shape exactly once, in commit
 * order (each writer's writes in the order they were acknowledged, each with its own txid); and a
 * long-polling client survives a server restart on the same data, with no loss, no repetition and
 * no refetch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from './start.js';
import {
  api,
  BACKENDS,
  crmIr,
  eventually,
  pgliteDump,
  startTestServer,
  type TestServer,
} from './testing/backends.js';
import { recordStream } from './testing/shapes.js';

const WRITERS = 20;
const WRITES = 100;

describe.each(BACKENDS)('reliability ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  }, 60_000);
  afterAll(async () => server?.stop());

  it(`delivers ${WRITERS} concurrent writers × ${WRITES} writes exactly once, in commit order`, async () => {
    const rec = recordStream(server.url, { table: 'contacts' });
    await eventually(() => rec.stream.isUpToDate, 10_000, 'initial sync');
    const acked: { writer: number; i: number; id: string; txid: number }[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < WRITES; i++) {
          const res = await api<{ id: string }>(server.url, 'POST', '/contacts', {
            first_name: `w${writer}`,
            last_name: String(i),
            email: `w${writer}.${i}@example.com`,
          });
          if (res.status !== 201) throw new Error(`write ${writer}/${i}: ${res.status}`);
          acked.push({ writer, i, id: res.body.id, txid: Number(res.headers.get('x-sync-txid')) });
        }
      }),
    );
    const total = WRITERS * WRITES;
    await eventually(() => rec.changes().length >= total, 30_000, `${total} changes`);
    await new Promise((r) => setTimeout(r, 200)); // anything extra (a duplicate) would arrive now
    const inserts = rec.changes();
    expect(inserts.length).toBe(total);
    expect(inserts.every((m) => m.headers.operation === 'insert')).toBe(true);
    const ids = inserts.map((m) => String(m.value.id));
    expect(new Set(ids).size).toBe(total);
    expect(new Set(ids)).toEqual(new Set(acked.map((a) => a.id)));
    // Commit order: each writer's writes appear in the order they were acknowledged …
    const byId = new Map(acked.map((a) => [a.id, a] as const));
    const lastSeen = new Map<number, number>();
    for (const id of ids) {
      const a = byId.get(id);
      if (a === undefined) throw new Error(`unknown id ${id}`);
      expect(a.i).toBe((lastSeen.get(a.writer) ?? -1) + 1);
      lastSeen.set(a.writer, a.i);
    }
    // … and each change carries the txid its write returned.
    for (const m of inserts)
      expect((m.headers as { txids?: number[] }).txids).toEqual([
        byId.get(String(m.value.id))?.txid,
      ]);
    rec.stop();
  }, 60_000);
});

describe.each(BACKENDS)('restart ($name)', (backend) => {
  let dir: string;
  let db: Awaited<ReturnType<typeof backend.fresh>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sync-dev-restart-'));
    db = await backend.fresh();
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a long-poll client resumes across a restart without loss or repetition', async () => {
    const ir = await crmIr();
    const options =
      backend.name === 'pglite' ? { dataDir: dir, pgliteDump: await pgliteDump() } : db.options;
    let server: DevServer = await startDevServer({ ir, port: 0, quiet: true, ...options });
    const port = server.port;
    const rec = recordStream(server.url, { table: 'contacts' });
    await eventually(() => rec.stream.isUpToDate, 10_000, 'initial sync');
    const ids: string[] = [];
    const write = async (n: string): Promise<void> => {
      const res = await api<{ id: string }>(server.url, 'POST', '/contacts', {
        first_name: n,
        email: `${n}@example.com`,
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    };
    for (const n of ['a', 'b', 'c']) await write(n);
    await eventually(() => rec.changes().length === 3, 5_000, 'three changes before restart');
    const handle = rec.stream.shapeHandle;
    await server.close(); // the pending long-poll is answered with up-to-date; the client then retries
    await new Promise((r) => setTimeout(r, 300));
    server = await startDevServer({ ir, port, quiet: true, ...options });
    for (const n of ['d', 'e']) await write(n);
    await eventually(() => rec.changes().length >= 5, 10_000, 'changes after restart');
    await new Promise((r) => setTimeout(r, 200));
    expect(rec.changes().map((m) => m.value.id)).toEqual(ids);
    expect(rec.controls()).not.toContain('must-refetch');
    expect(rec.stream.shapeHandle).toBe(handle);
    rec.stop();
    await server.close();
  }, 60_000);
});
