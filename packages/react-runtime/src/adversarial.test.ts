/**
 * The runtime under adversarial conditions (issue #11), against the real dev server: rows deleted
 * elsewhere while they hold local-only values, refused inserts, hung requests, 429 with
 * Retry-After under other users' traffic, 404s, must-refetch, refused-write errors, confirmed
 * inserts, and the drain after the server returns. Each test failed on the runtime before its fix.
 */
import { randomUUID } from 'node:crypto';
import type { DevServer } from '@sync/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SyncClient, SyncClientOptions } from './client/create.js';
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

async function client(f?: TestFetch, options?: Partial<SyncClientOptions>) {
  const c = await startClient(server, f, options ? { options } : {});
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
const outbox = (c: SyncClient) => rows(c, `SELECT * FROM "_sync_outbox" ORDER BY "seq"`);
const open = async (c: SyncClient) =>
  (await outbox(c)).filter((r) => r.status !== 'failed').length === 0;
const api = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? TEST_AUTH : { ...TEST_AUTH, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('ghost rows (§1 visibility: synced or pending insert)', () => {
  it('a row with a local-only value deleted by another client leaves the view', async () => {
    const c = await client();
    const id = String((await c.insert('contacts', contact({ notes: 'private' }))).id);
    await eventually(async () => (await open(c)) && (await view(c, id))?._pending === false);
    expect(await view(c, id)).toMatchObject({ notes: 'private' });
    expect((await api('DELETE', `/contacts/${id}`)).status).toBe(204);
    await eventually(
      async () =>
        (await rows(c, `SELECT 1 FROM "contacts_synced" WHERE "id" = $1`, [id])).length === 0,
    );
    expect(await view(c, id)).toBeUndefined();
    expect(await rows(c, `SELECT * FROM "contacts_local" WHERE "id" = $1`, [id])).toEqual([]);
  });

  it('a refused insert that carried a local-only value leaves no row', async () => {
    const c = await client();
    const id = String(
      (await c.insert('contacts', contact({ email: 'not an email', notes: 'draft' }))).id,
    );
    expect(await view(c, id)).toMatchObject({ notes: 'draft', _pending: true });
    await eventually(async () => open(c));
    expect(await view(c, id)).toBeUndefined();
    expect(await rows(c, `SELECT * FROM "contacts_local" WHERE "id" = $1`, [id])).toEqual([]);
  });
});

describe('request timeouts (§2)', () => {
  it('a write whose answer never comes is retried after the timeout with the same key', async () => {
    const f = new TestFetch();
    f.hangWrites = 1; // the server commits it, the answer is swallowed
    const c = await client(f, { requestTimeoutMs: 1_500 });
    const first = String((await c.insert('contacts', contact({ first_name: 'Hung' }))).id);
    const second = String((await c.insert('contacts', contact({ first_name: 'Behind' }))).id);
    await eventually(async () => open(c), 15_000);
    const posts = f.writes.filter((w) => w.method === 'POST');
    const names = posts.map((w) => (w.body as { first_name: string }).first_name);
    // the hung head is sent again (same key) before anything behind it
    expect(names.slice(0, 2)).toEqual(['Hung', 'Hung']);
    expect(names.at(-1)).toBe('Behind');
    expect(new Set(posts.filter((w, i) => names[i] === 'Hung').map((w) => w.key)).size).toBe(1);
    const all = (await (await api('GET', '/contacts?limit=500')).json()) as { id: string }[];
    expect(all.filter((x) => x.id === first)).toHaveLength(1);
    await eventually(async () => (await view(c, second))?._pending === false);
  });
});

describe('reconnect is the first success after a failure (§2)', () => {
  it('shape batches from other users do not reset a 429 Retry-After', async () => {
    const f = new TestFetch();
    f.answerWrites = () =>
      new Response('{"error":"slow down"}', { status: 429, headers: { 'retry-after': '3' } });
    const c = await client(f);
    await c.insert('contacts', contact({ first_name: 'Patient' }));
    // another user writes every 200 ms: each write reaches this client as a shape batch
    const until = Date.now() + 2_000;
    let batches = 0;
    while (Date.now() < until) {
      await api('POST', '/contacts', contact({ first_name: 'Other' }));
      batches++;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(batches).toBeGreaterThan(5);
    // one request, then nothing until Retry-After (3 s) has passed
    expect(f.writes.length).toBe(1);
    f.answerWrites = null;
    await eventually(async () => open(c), 10_000);
    expect(f.writes.length).toBe(2);
  });
});

describe('404 (§2): the row is gone on the server', () => {
  async function syncedContact(c: SyncClient, first_name: string) {
    const id = String((await c.insert('contacts', contact({ first_name }))).id);
    await eventually(async () => (await open(c)) && (await view(c, id))?._pending === false);
    return id;
  }

  it('a delete answered 404 is a success: the row never comes back, no error', async () => {
    const f = new TestFetch();
    const c = await client(f);
    const id = await syncedContact(c, 'Both delete');
    f.holdReads = true; // the shape lags: the other client's delete has not arrived
    expect((await api('DELETE', `/contacts/${id}`)).status).toBe(204);
    await c.remove('contacts', id);
    await eventually(async () => (await outbox(c)).length === 0);
    expect(f.writes.at(-1)?.method).toBe('DELETE');
    expect(await view(c, id)).toBeUndefined();
    expect(c.status.getSnapshot().lastError).toBeNull();
    f.releaseReads();
    await eventually(
      async () =>
        (await rows(c, `SELECT 1 FROM "contacts_synced" WHERE "id" = $1`, [id])).length === 0,
    );
    expect(await view(c, id)).toBeUndefined();
    expect(await rows(c, `SELECT * FROM "contacts_local" WHERE "id" = $1`, [id])).toEqual([]);
  });

  it('an update answered 404 hides the row until the shape confirms (no stale value)', async () => {
    const f = new TestFetch();
    const c = await client(f);
    const id = await syncedContact(c, 'Old name');
    const seen: unknown[] = [];
    const live = await c
      .db()
      .live.query<{ first_name: string }>(
        `SELECT "first_name" FROM "contacts" WHERE "id" = $1`,
        [id],
        (r) => seen.push(r.rows[0]?.first_name ?? null),
      );
    f.holdReads = true;
    expect((await api('DELETE', `/contacts/${id}`)).status).toBe(204);
    await c.update('contacts', id, { first_name: 'Edit' });
    await eventually(async () => open(c));
    expect(await view(c, id)).toBeUndefined();
    f.releaseReads();
    await eventually(
      async () =>
        (await rows(c, `SELECT 1 FROM "contacts_synced" WHERE "id" = $1`, [id])).length === 0,
    );
    await live.unsubscribe();
    // edit → gone, never edit → old value → gone
    const steps = seen.slice(seen.indexOf('Edit')).filter((v, i, a) => i === 0 || v !== a[i - 1]);
    expect(steps, JSON.stringify(seen)).toEqual(['Edit', null]);
    expect(await rows(c, `SELECT * FROM "contacts_local" WHERE "id" = $1`, [id])).toEqual([]);
  });
});

describe('refused writes are kept as failed, with an errors API (§2)', () => {
  it('lists each refused write with its entity, key, op, status, field errors and values', async () => {
    const c = await client();
    const good = String((await c.insert('contacts', contact({ first_name: 'Good' }))).id);
    const bad = String(
      (await c.insert('contacts', contact({ first_name: 'Bad', email: 'not an email' }))).id,
    );
    await eventually(async () => open(c));
    expect((await outbox(c)).map((r) => [r.pk, r.status])).toEqual([[bad, 'failed']]);
    const failed = await c.failedWrites();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      entity: 'Contact',
      table: 'contacts',
      key: bad,
      op: 'insert',
      status: 422,
      values: { first_name: 'Bad', email: 'not an email', tags: ['vip'] },
    });
    expect(failed[0]!.fieldErrors.map((x) => x.field)).toEqual(['email']);
    expect(c.status.getSnapshot()).toMatchObject({ pendingWrites: 0, failedWrites: failed });
    expect(c.status.getSnapshot().lastError).toMatchObject({ status: 422 });
    expect(await view(c, bad)).toBeUndefined();
    expect(await view(c, good)).toMatchObject({ first_name: 'Good' });
    // lastError is cleared by the next success
    await c.update('contacts', good, { first_name: 'Good again' });
    await eventually(async () => open(c));
    expect(c.status.getSnapshot().lastError).toBeNull();
  });

  it('retry makes the write again (visible, queued); discard forgets it', async () => {
    const f = new TestFetch();
    const c = await client(f);
    f.answerWrites = () =>
      new Response(JSON.stringify({ error: 'conflict', message: 'version mismatch' }), {
        status: 409,
        headers: { 'content-type': 'application/json' },
      });
    const a = String((await c.insert('contacts', contact({ first_name: 'Again' }))).id);
    const b = String((await c.insert('contacts', contact({ first_name: 'Drop' }))).id);
    await eventually(async () => (await c.failedWrites()).length === 2);
    const [fa, fb] = await c.failedWrites();
    expect(fa).toMatchObject({ key: a, status: 409, message: expect.stringContaining('409') });
    f.answerWrites = null;
    await c.retryWrite(fa!.writeId);
    expect(await view(c, a)).toMatchObject({ first_name: 'Again', _pending: true });
    await eventually(async () => (await view(c, a))?._pending === false);
    await c.discardWrite(fb!.writeId);
    expect(await c.failedWrites()).toEqual([]);
    expect(await outbox(c)).toEqual([]);
    expect(await view(c, b)).toBeUndefined();
  });
});

describe('confirmed writes resolve with the server row (§4)', () => {
  it('a confirmed insert resolves with server-filled fields, like push mode', async () => {
    const c = await client();
    const row = await c.insert('accounts', {
      name: 'Server row',
      annual_revenue: '3.00',
      owner_email: 'o@example.com',
    });
    expect(row).toMatchObject({ name: 'Server row', annual_revenue: '3.00' });
    expect(row.created_at).toEqual(expect.any(String));
    expect(row._pending).toBeUndefined();
  });
});

describe('must-refetch swaps the new snapshot in atomically (§5)', () => {
  it('no emitted state misses a row present before and after; pending overrides stay whole', async () => {
    const f = new TestFetch();
    const c = await client(f);
    for (let i = 0; i < 5; i++) await c.insert('contacts', contact({ first_name: `Keep ${i}` }));
    const edited = String((await c.insert('contacts', contact({ first_name: 'Before' }))).id);
    await eventually(async () => open(c));
    f.answerWrites = () => new Response('{"error":"unavailable"}', { status: 503 });
    await c.update('contacts', edited, { first_name: 'Pending edit' });
    const before = (await rows<{ n: number }>(c, `SELECT count(*)::int AS n FROM "contacts"`))[0]!
      .n;
    const counts: number[] = [];
    const names: unknown[] = [];
    const live = await c
      .db()
      .live.query<{ n: number; edited: string | null }>(
        `SELECT count(*)::int AS n, max(CASE WHEN "id" = $1 THEN "first_name" END) AS edited FROM "contacts"`,
        [edited],
        (r) => {
          counts.push(r.rows[0]!.n);
          names.push(r.rows[0]!.edited);
        },
      );
    const handle = async () =>
      (
        await rows<{ handle: string }>(
          c,
          `SELECT "handle" FROM "_sync_shapes" WHERE "shape_key" = 'contacts'`,
        )
      )[0]?.handle;
    const old = await handle();
    await server.rotateShapes('contacts');
    await eventually(async () => {
      const h = await handle();
      const busy = await rows(c, `SELECT 1 FROM "_sync_meta" WHERE "key" = 'refetch:contacts'`);
      return h !== undefined && h !== old && busy.length === 0;
    });
    await new Promise((r) => setTimeout(r, 200));
    await live.unsubscribe();
    expect(Math.min(...counts), JSON.stringify(counts)).toBeGreaterThanOrEqual(before);
    expect(new Set(names), JSON.stringify(names)).toEqual(new Set(['Pending edit']));
    expect(await view(c, edited)).toMatchObject({ first_name: 'Pending edit', _pending: true });
  });
});

describe('drain after the server returns (§2 reachability probe)', () => {
  it('the first write goes out within 1.5 s of the server answering again', async () => {
    const f = new TestFetch();
    const c = await client(f);
    // the backoff's jitter at its longest: after 4 attempts the head waits 0.99 × 8 s
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.99);
    try {
      f.offline = true;
      await c.insert('contacts', contact({ first_name: 'Offline 1' }));
      await c.insert('contacts', contact({ first_name: 'Offline 2' }));
      await eventually(async () => Number((await outbox(c))[0]?.attempts ?? 0) >= 4, 20_000);
      const back = Date.now();
      f.offline = false;
      await eventually(async () => f.writes.length > 0, 15_000);
      const firstWriteMs = f.writes[0]!.at - back;
      expect(firstWriteMs).toBeLessThanOrEqual(1_500);
      await eventually(async () => open(c), 10_000);
    } finally {
      random.mockRestore();
    }
  }, 60_000);

  it('after a restart, a write backing off from the last session goes out within 1.5 s of the server answering', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.99);
    let dump: Blob;
    try {
      const before = new TestFetch();
      before.offline = true;
      // the last session's failures left the head waiting ~30 s
      const first = await client(before, { backoff: { baseMs: 30_000, maxMs: 60_000 } });
      await first.insert('contacts', contact({ first_name: 'Before the restart' }));
      await eventually(async () => Number((await outbox(first))[0]?.attempts ?? 0) >= 1, 10_000);
      dump = await first.db().dumpDataDir('none');
      await first.close();
      clients.splice(clients.indexOf(first), 1);
    } finally {
      random.mockRestore();
    }
    const f = new TestFetch();
    f.offline = true;
    const c = await startClient(server, f, { loadDataDir: dump });
    clients.push(c);
    await new Promise((r) => setTimeout(r, 1_500)); // the restarted app, the API still down
    const back = Date.now();
    f.offline = false;
    await eventually(async () => f.writes.length > 0, 15_000);
    expect(f.writes[0]!.at - back).toBeLessThanOrEqual(1_500);
    await eventually(async () => open(c), 10_000);
  }, 60_000);
});
