/**
 * The outbox drained through the batch write operation (`x-sync-batch`, backend contract "Batch
 * writes") against the real dev server: writes sent in order in batches of `outboxBatchSize`,
 * idempotent by write_id (a batch whose answer was lost is resent and replayed), a refused write
 * in the middle not stopping the later ones, a retryable failure holding the queue at that write
 * and the retry going on from there; one request per write when no batch operation is declared
 * or the server refuses batches; the pending count kept right.
 */
import { randomUUID } from 'node:crypto';
import { startDevServer, type DevServer } from '@sync/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// the schema of a modified IR comes from the generator's test support (the runtime imports no generator)
import { generatedLiveSchema } from '../../../generators/react/src/testing/live-schema.js';
import type { SyncClient, SyncClientOptions } from './client/create.js';
import type { LiveSchema } from './schema.js';
import {
  crmBatchIr,
  crmSchema,
  emptyDump,
  eventually,
  rows,
  startClient,
  TestFetch,
} from './testing/harness.js';

let server: DevServer;
let batchSchema: LiveSchema;
const clients: SyncClient[] = [];
beforeAll(async () => {
  batchSchema = (await generatedLiveSchema(await crmBatchIr())) as LiveSchema;
  server = await startDevServer({
    ir: await crmBatchIr(),
    port: 0,
    quiet: true,
    pgliteDump: await emptyDump(),
  });
}, 60_000);
afterAll(async () => server?.close());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function client(
  f: TestFetch,
  options: Partial<SyncClientOptions> = {},
  schema: LiveSchema = batchSchema,
) {
  const c = await startClient(server, f, { schema, options });
  clients.push(c);
  return c;
}

const contact = (over: Record<string, unknown> = {}) => ({
  first_name: 'Bea',
  email: `bea-${randomUUID().slice(0, 8)}@example.com`,
  ...over,
});
const outbox = (c: SyncClient) =>
  rows<{ write_id: string; status: string; attempts: number; pk: string }>(
    c,
    `SELECT * FROM "_sync_outbox" ORDER BY "seq"`,
  );
const onServer = async (id: string) =>
  (
    await server.database.query<{ first_name: string }>(
      `SELECT first_name FROM contacts WHERE id = $1::uuid`,
      [id],
    )
  )[0];
const batches = (f: TestFetch) =>
  f.writes
    .filter((w) => w.url.endsWith('/sync/batch'))
    .map((w) => w.body as { write_id: string; op: string; key: string }[]);

describe('batch drain', () => {
  it('sends the queue in order, outboxBatchSize writes per request, and syncs', async () => {
    const f = new TestFetch();
    f.offline = true;
    const c = await client(f, { outboxBatchSize: 2 });
    const a = String((await c.insert('contacts', contact({ first_name: 'A' }))).id);
    await c.update('contacts', a, { first_name: 'A2' });
    const b = String((await c.insert('contacts', contact({ first_name: 'B' }))).id);
    await c.remove('contacts', b);
    const d = String((await c.insert('contacts', contact({ first_name: 'D' }))).id);
    const queued = (await outbox(c)).map((r) => r.write_id);
    await eventually(() => c.status.getSnapshot().pendingWrites === 5);
    f.offline = false;
    await c.drainNow();
    const sent = batches(f);
    expect(sent.map((x) => x.length)).toEqual([2, 2, 1]);
    expect(sent.flat().map((w) => w.write_id)).toEqual(queued);
    expect(sent.flat().map((w) => w.op)).toEqual([
      'insert',
      'update',
      'insert',
      'delete',
      'insert',
    ]);
    expect(f.writes.every((w) => w.url.endsWith('/sync/batch'))).toBe(true);
    expect(await onServer(a)).toEqual({ first_name: 'A2' });
    expect(await onServer(b)).toBeUndefined();
    expect(await onServer(d)).toEqual({ first_name: 'D' });
    await eventually(async () => (await outbox(c)).length === 0);
    await eventually(() => c.status.getSnapshot().pendingWrites === 0);
    expect(await rows(c, `SELECT first_name FROM contacts WHERE id = $1`, [a])).toEqual([
      { first_name: 'A2' },
    ]);
  });

  it('is idempotent: a batch applied but unanswered (503) is resent and replayed, nothing twice', async () => {
    const f = new TestFetch();
    f.offline = true;
    const c = await client(f, { backoff: { baseMs: 10, maxMs: 20 } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(String((await c.insert('contacts', contact())).id));
    f.failWrites = 1; // the server applies the batch, the client gets 503
    f.offline = false;
    await c.drainNow();
    await eventually(async () => (await outbox(c)).every((r) => r.status !== 'pending'));
    const sent = batches(f);
    expect(sent.length).toBe(2);
    expect(sent[1]!.map((w) => w.write_id)).toEqual(sent[0]!.map((w) => w.write_id));
    for (const id of ids) {
      const n = await server.database.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM contacts WHERE id = $1::uuid`,
        [id],
      );
      expect(n[0]?.n).toBe('1');
    }
    await eventually(async () => (await outbox(c)).length === 0);
  });

  it("a refused write in the middle fails alone (with its row's later writes); the rest syncs", async () => {
    const f = new TestFetch();
    f.offline = true;
    const c = await client(f);
    const a = String((await c.insert('contacts', contact({ first_name: 'Before' }))).id);
    const bad = String((await c.insert('contacts', contact({ email: 'not an email' }))).id);
    await c.update('contacts', bad, { first_name: 'Builds on the refused insert' });
    const z = String((await c.insert('contacts', contact({ first_name: 'After' }))).id);
    f.offline = false;
    await c.drainNow();
    expect(batches(f).length).toBe(1);
    expect(await onServer(a)).toBeDefined();
    expect(await onServer(z)).toBeDefined();
    expect(await onServer(bad)).toBeUndefined();
    const failed = await c.failedWrites();
    expect(failed.map((x) => [x.key, x.op, x.status])).toEqual([
      [bad, 'insert', 422],
      [bad, 'update', 422],
    ]);
    expect(failed[0]!.fieldErrors.map((e) => e.field)).toContain('email');
    expect(failed[1]!.message).toMatch(/not sent: an earlier write of this row was refused/);
    // rolled back locally: the refused row is not shown
    expect(await rows(c, `SELECT * FROM contacts WHERE id = $1`, [bad])).toEqual([]);
    await eventually(() => c.status.getSnapshot().failedWrites.length === 2);
    await eventually(async () => (await outbox(c)).every((r) => r.status === 'failed'));
    await eventually(() => c.status.getSnapshot().pendingWrites === 0);
  });

  it('a retryable failure holds the queue at that write; the retry goes on from there', async () => {
    await server.database
      .query(`CREATE OR REPLACE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.first_name = 'Boom' THEN RAISE EXCEPTION 'storage failed' USING ERRCODE = 'XX000'; END IF; RETURN NEW; END $$`);
    await server.database.query(
      `CREATE TRIGGER boom BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION boom()`,
    );
    const f = new TestFetch();
    f.offline = true;
    const c = await client(f, { backoff: { baseMs: 60_000, maxMs: 60_000, factor: 1 } });
    try {
      const a = String((await c.insert('contacts', contact({ first_name: 'First' }))).id);
      const boom = String((await c.insert('contacts', contact({ first_name: 'Boom' }))).id);
      const after = String((await c.insert('contacts', contact({ first_name: 'Third' }))).id);
      f.offline = false;
      await c.drainNow();
      expect(await onServer(a)).toBeDefined();
      expect(await onServer(boom)).toBeUndefined();
      expect(await onServer(after)).toBeUndefined();
      const box = await outbox(c);
      expect(box.filter((r) => r.pk !== a).map((r) => [r.pk, r.status, r.attempts])).toEqual([
        [boom, 'pending', 1],
        [after, 'pending', 0],
      ]);
      expect(box.find((r) => r.pk === a)?.status ?? 'reconciled').not.toBe('pending');
      expect(c.status.getSnapshot().lastError?.status).toBe(500);
    } finally {
      await server.database.query(`DROP TRIGGER boom ON contacts`);
    }
    // the server is fine again: a reconnect retries now, from the failed write
    await c
      .db()
      .query(`UPDATE "_sync_outbox" SET "next_attempt_at" = 0 WHERE "status" = 'pending'`);
    await c.drainNow();
    const sent = batches(f);
    expect(sent.length).toBe(2);
    expect(sent[1]!.map((w) => w.write_id)).toEqual(sent[0]!.slice(1).map((w) => w.write_id));
    await eventually(async () => (await outbox(c)).length === 0);
    expect(c.status.getSnapshot().lastError).toBeNull();
  });

  it('sends one request per write when the spec declares no batch operation', async () => {
    const f = new TestFetch();
    f.offline = true;
    const c = await client(f, { outboxBatchSize: 50 }, await crmSchema());
    const a = String((await c.insert('contacts', contact())).id);
    await c.update('contacts', a, { first_name: 'Single' });
    f.offline = false;
    await c.drainNow();
    expect(f.writes.map((w) => w.method)).toEqual(['POST', 'PATCH']);
    expect(batches(f)).toEqual([]);
    expect(await onServer(a)).toEqual({ first_name: 'Single' });
  });

  it('falls back to one request per write when the server refuses the batch as a whole', async () => {
    const f = new TestFetch();
    // a server without the batch route answers 404 for it
    const routed: typeof fetch = (input, init) =>
      String(input).endsWith('/sync/batch')
        ? Promise.resolve(new Response('{"error":"not_found"}', { status: 404 }))
        : f.fetch(input, init);
    f.offline = true;
    const c = await client({ fetch: routed } as TestFetch);
    const a = String((await c.insert('contacts', contact({ first_name: 'Fallback' }))).id);
    const b = String((await c.insert('contacts', contact({ first_name: 'Fallback 2' }))).id);
    f.offline = false;
    await c.drainNow();
    expect(f.writes.map((w) => w.method)).toEqual(['POST', 'POST']);
    expect(await onServer(a)).toBeDefined();
    expect(await onServer(b)).toBeDefined();
    await eventually(async () => (await outbox(c)).length === 0);
  });
});
