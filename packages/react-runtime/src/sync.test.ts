/**
 * The PGlite runtime against the real dev server (CRM fixture, generated liveSchema): optimistic
 * writes, reconciliation without flicker, update/delete, offline queueing, 5xx retry, confirmed
 * rollback on 422, must-refetch, two clients converging, schema upgrade.
 */
import { randomUUID } from 'node:crypto';
import type { DevServer } from '@sync/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MutationObserver, onlineManager, QueryClient } from '@tanstack/react-query';
import type { SyncClient } from './client/create.js';
import { liveMutationOptions } from './react/hooks.js';
import {
  crmSchema,
  emptyDump,
  eventually,
  rows,
  startClient,
  startServer,
  TestFetch,
  TEST_AUTH,
} from './testing/harness.js';

let server: DevServer;
const clients: SyncClient[] = [];
beforeAll(async () => {
  await Promise.all([emptyDump(), crmSchema()]);
  server = await startServer();
}, 60_000);
afterAll(async () => server?.close());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function client(f?: TestFetch) {
  const c = await startClient(server, f);
  clients.push(c);
  return c;
}

const contact = (over: Record<string, unknown> = {}) => ({
  first_name: 'Ann',
  email: `ann-${randomUUID().slice(0, 8)}@example.com`,
  tags: ['vip'],
  ...over,
});

const view = (c: SyncClient, id: string) =>
  rows(c, `SELECT * FROM "contacts" WHERE "id" = $1`, [id]).then((r) => r[0]);
const local = (c: SyncClient, id: string) =>
  rows(c, `SELECT * FROM "contacts_local" WHERE "id" = $1`, [id]).then((r) => r[0]);
const outbox = (c: SyncClient) => rows(c, `SELECT * FROM "_sync_outbox" ORDER BY "seq"`);

describe('optimistic writes (contacts, local_first)', () => {
  it('an insert is visible at once, then synced with the local row gone', async () => {
    const c = await client();
    const row = await c.insert('contacts', contact({ notes: 'private' }));
    const id = String(row.id);
    expect(await view(c, id)).toMatchObject({
      first_name: 'Ann',
      _pending: true,
      notes: 'private',
    });
    await eventually(async () => (await outbox(c)).length === 0);
    const synced = await rows(c, `SELECT * FROM "contacts_synced" WHERE "id" = $1`, [id]);
    expect(synced[0]).toMatchObject({ first_name: 'Ann', status: 'lead', tags: ['vip'] });
    expect(await view(c, id)).toMatchObject({ _pending: false, notes: 'private', status: 'lead' });
    // notes is local-only: the T_local row stays for it, without overrides
    expect(await local(c, id)).toMatchObject({ _changed: [], _write_id: null, first_name: null });
  });

  it('the view never shows the old value while an update reconciles (no flicker)', async () => {
    const c = await client();
    const id = String((await c.insert('contacts', contact())).id);
    await eventually(async () => (await outbox(c)).length === 0);
    const seen: unknown[] = [];
    const live = await c
      .db()
      .live.query<{ first_name: string }>(
        `SELECT "first_name" FROM "contacts" WHERE "id" = $1`,
        [id],
        (r) => seen.push(r.rows[0]?.first_name),
      );
    await c.update('contacts', id, { first_name: 'Bea' });
    await eventually(async () => (await outbox(c)).length === 0 && !(await view(c, id))?._pending);
    await live.unsubscribe();
    // after the local write shows 'Bea', no result may show 'Ann' again
    const from = seen.indexOf('Bea');
    expect(from, JSON.stringify(seen)).toBeGreaterThanOrEqual(0);
    expect(seen.slice(from), JSON.stringify(seen)).toEqual(seen.slice(from).map(() => 'Bea'));
    expect(await local(c, id)).toBeUndefined();
  });

  it('update and delete go to the server and come back through the shape', async () => {
    const c = await client();
    const id = String((await c.insert('contacts', contact())).id);
    await c.update('contacts', id, { phone: '+33 1' });
    await eventually(async () => (await outbox(c)).length === 0);
    expect(await view(c, id)).toMatchObject({ phone: '+33 1', _pending: false });
    await c.remove('contacts', id);
    expect(await view(c, id)).toBeUndefined();
    await eventually(async () => (await outbox(c)).length === 0);
    expect(await rows(c, `SELECT 1 FROM "contacts_synced" WHERE "id" = $1`, [id])).toEqual([]);
    const res = await fetch(`${server.url}/contacts/${id}`, { headers: TEST_AUTH });
    expect(res.status).toBe(404);
  });
});

describe('live mutations while the browser is offline', () => {
  it('run at once through TanStack Query (networkMode always), land locally and queue', async () => {
    const f = new TestFetch();
    const c = await client(f);
    f.offline = true;
    const queryClient = new QueryClient();
    onlineManager.setOnline(false);
    try {
      const observer = new MutationObserver(
        queryClient,
        liveMutationOptions<Record<string, unknown>, object>(c, 'contacts', 'insert', (body) => ({
          values: body,
        })),
      );
      const row = await Promise.race([
        observer.mutate(contact({ first_name: 'WhileOffline' })),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the mutation was paused while offline')), 5_000),
        ),
      ]);
      expect(row.first_name).toBe('WhileOffline');
      expect((await outbox(c)).map((r) => r.status)).toEqual(['pending']);
    } finally {
      onlineManager.setOnline(true);
      queryClient.clear();
    }
  });
});

describe('outbox worker', () => {
  it('queues writes offline and drains them in order once back online', async () => {
    const f = new TestFetch();
    const c = await client(f);
    f.offline = true;
    const a = String((await c.insert('contacts', contact({ first_name: 'A1' }))).id);
    await c.update('contacts', a, { first_name: 'A2' });
    const b = String((await c.insert('contacts', contact({ first_name: 'B1' }))).id);
    await c.update('contacts', a, { last_name: 'Last' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await outbox(c)).map((r) => r.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(c.status.getSnapshot()).toMatchObject({ online: false, pendingWrites: 4 });
    f.offline = false;
    await c.drainNow();
    await eventually(async () => (await outbox(c)).length === 0);
    // one FIFO: A's three writes in order, and B's
    const sent = (id: string) =>
      f.writes
        .filter((w) => w.url.endsWith(`/contacts/${id}`) || (w.body as { id?: string }).id === id)
        .map((w) => `${w.method} ${JSON.stringify(w.body)}`);
    expect(sent(a)).toEqual([
      expect.stringMatching(/^POST .*"first_name":"A1"/),
      `PATCH {"id":"${a}","first_name":"A2"}`,
      `PATCH {"id":"${a}","last_name":"Last"}`,
    ]);
    expect(sent(b)).toEqual([expect.stringMatching(/^POST .*"first_name":"B1"/)]);
    expect(await view(c, a)).toMatchObject({
      first_name: 'A2',
      last_name: 'Last',
      _pending: false,
    });
    expect(await view(c, b)).toMatchObject({ first_name: 'B1', _pending: false });
    expect(c.status.getSnapshot()).toMatchObject({ online: true, pendingWrites: 0 });
  });

  it('sends every table through one FIFO: the server sees writes in the order they were made', async () => {
    const account = (await (
      await fetch(`${server.url}/accounts`, {
        method: 'POST',
        headers: { ...TEST_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'FIFO Ltd',
          annual_revenue: '1.00',
          employee_count: 1,
          is_customer: false,
          owner_email: 'fifo@example.com',
          metadata: {},
        }),
      })
    ).json()) as { id: string };
    const f = new TestFetch();
    const c = await client(f);
    f.offline = true;
    await c.insert('contacts', contact({ first_name: 'First' }));
    await c.insert('line_items', {
      account_id: account.id,
      description: 'Second',
      quantity: 1,
      unit_price: '2.00',
      currency: 'EUR',
    });
    await c.insert('contacts', contact({ first_name: 'Third' }));
    f.offline = false;
    await c.drainNow();
    await eventually(async () => (await outbox(c)).length === 0);
    expect(f.writes.map((w) => JSON.stringify(w.body).match(/First|Second|Third/)?.[0])).toEqual([
      'First',
      'Second',
      'Third',
    ]);
  });

  it('retries a 503 with the same Idempotency-Key and creates no duplicate', async () => {
    const f = new TestFetch();
    f.failWrites = 1;
    const c = await client(f);
    const email = `retry-${randomUUID().slice(0, 8)}@example.com`;
    const id = String((await c.insert('contacts', contact({ email }))).id);
    await eventually(async () => (await outbox(c)).length === 0);
    expect(f.writes.length).toBe(2);
    expect(f.writes[0]?.key).toBe(f.writes[1]?.key);
    const all = (await (
      await fetch(`${server.url}/contacts?limit=500`, { headers: TEST_AUTH })
    ).json()) as {
      email: string;
    }[];
    expect(all.filter((x) => x.email === email)).toHaveLength(1);
    expect(await view(c, id)).toMatchObject({ email, _pending: false });
  });
});

describe('confirmed writes (accounts, local_first: false)', () => {
  it('resolves with the server answer', async () => {
    const c = await client();
    const write = c.insert('accounts', {
      name: 'Acme',
      annual_revenue: '12.50',
      owner_email: 'o@example.com',
    });
    const row = await write;
    // the server's row (§4), as push mode resolves: server-filled fields, no local bookkeeping
    expect(row).toMatchObject({ name: 'Acme', annual_revenue: '12.50' });
    expect(row.created_at).toEqual(expect.any(String));
    // settled by the server's answer: the write is acknowledged, waiting only for its txid
    expect((await outbox(c)).map((r) => r.status)).not.toContain('pending');
  });

  it('rolls back a 422 and rejects with the API error', async () => {
    const c = await client();
    const error = await c
      .insert('accounts', { name: '', annual_revenue: '1', owner_email: 'not an email' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ status: 422 });
    expect(await rows(c, `SELECT * FROM "accounts" WHERE "name" = ''`)).toEqual([]);
    // kept as failed with the error (§2) for the errors API, never sent again
    expect((await outbox(c)).map((r) => r.status)).toEqual(['failed']);
    expect(c.status.getSnapshot().lastError).toMatchObject({ status: 422 });
  });
});

describe('shapes', () => {
  it('must-refetch (rotateShapes) resyncs and keeps pending writes', async () => {
    const f = new TestFetch();
    const c = await client(f);
    const kept = String((await c.insert('contacts', contact({ first_name: 'Kept' }))).id);
    await eventually(async () => (await outbox(c)).length === 0);
    f.failWrites = 1000; // writes keep failing: the next one stays pending
    const pending = String((await c.insert('contacts', contact({ first_name: 'Pending' }))).id);
    const before = await rows(
      c,
      `SELECT "handle" FROM "_sync_shapes" WHERE "shape_key" = 'contacts'`,
    );
    await server.rotateShapes('contacts');
    await eventually(async () => {
      const now = await rows(
        c,
        `SELECT "handle" FROM "_sync_shapes" WHERE "shape_key" = 'contacts'`,
      );
      return now[0] !== undefined && now[0].handle !== before[0]?.handle;
    });
    expect(await view(c, kept)).toMatchObject({ first_name: 'Kept', _pending: false });
    expect(await view(c, pending)).toMatchObject({ first_name: 'Pending', _pending: true });
    expect((await outbox(c)).map((r) => r.pk)).toEqual([pending]);
  });

  it('two clients converge', async () => {
    const [a, b] = [await client(), await client()];
    const id = String((await a.insert('contacts', contact({ first_name: 'FromA' }))).id);
    await eventually(async () => (await view(b, id))?.first_name === 'FromA');
    await b.update('contacts', id, { first_name: 'FromB' });
    await eventually(async () => (await view(a, id))?.first_name === 'FromB');
    await eventually(async () => (await outbox(a)).length + (await outbox(b)).length === 0);
    const [ra, rb] = [await view(a, id), await view(b, id)];
    expect(ra).toEqual(rb);
  });
});
