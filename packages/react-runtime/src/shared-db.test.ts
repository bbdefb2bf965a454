/**
 * The shared database's tab ↔ worker traffic, in Node: two tabs (db/open.ts `openSharedDb` with
 * `SharedPGlite`) and their dedicated workers (db/worker-main.ts) run in this process, on Web
 * Locks and a PGlite of their own (testing/tabs.ts). Counts the messages the runtime's write path
 * and a collection refresh cost, so a protocol that crosses to the worker many times per statement
 * fails here without timing anything: PGlite's own `PGliteWorker` protocol took 60 messages from
 * an optimistic write to its row in the collection (14 round trips per statement), measured in
 * Chromium with tools/e2e/trace.ts and here alike. The two-tab behaviour in a real browser (0
 * writes lost, takeover) is tools/e2e/tabs.ts.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeed } from './client/changes.js';
import { entityCollection, type EntityCollection } from './client/collections.js';
import { Writes } from './client/writes.js';
import { applyBatch, type ShapeMessage } from './shape/apply.js';
import { OutboxWorker } from './outbox/worker.js';
import { migrate } from './db/migrate.js';
import { openSharedDb } from './db/open.js';
import type { SharedPGlite } from './db/shared-client.js';
import { entityOf, type LiveEntity, type LiveSchema } from './schema.js';
import { crmSchema, emptyDump } from './testing/harness.js';
import { inProcessWorker, Locks, MessageCount } from './testing/tabs.js';

interface Tab {
  db: SharedPGlite;
  feed: ChangeFeed;
  writes: Writes;
  contacts: EntityCollection;
  dropLocks(): void;
}

const count = new MessageCount();
const locks = new Locks();
const tabs: Tab[] = [];
let schema: LiveSchema;
let contacts: LiveEntity;
let accounts: LiveEntity;
const navigatorBefore = Object.getOwnPropertyDescriptor(globalThis, 'navigator');

async function openTab(): Promise<Tab> {
  const dump = await emptyDump();
  const context = locks.manager();
  // the tab's own Web Locks (PGliteWorker and SharedPGlite take theirs from `navigator`)
  Object.defineProperty(globalThis, 'navigator', {
    value: { locks: context.locks },
    configurable: true,
  });
  const { db } = await openSharedDb('idb://shared-test', 'relaxed', () =>
    inProcessWorker(locks, count, () => PGlite.create({ loadDataDir: dump })),
  );
  const feed = new ChangeFeed();
  const writes = new Writes(db, feed, () => undefined);
  const tab: Tab = {
    db,
    feed,
    writes,
    contacts: entityCollection(db, contacts, writes, feed),
    dropLocks: context.drop,
  };
  await tab.contacts.flush();
  tabs.push(tab);
  return tab;
}

async function closeTab(tab: Tab): Promise<void> {
  tabs.splice(tabs.indexOf(tab), 1);
  await tab.contacts.collection.cleanup();
  await tab.db.close();
  tab.dropLocks();
}

beforeAll(async () => {
  schema = await crmSchema();
  contacts = entityOf(schema, 'contacts');
  accounts = entityOf(schema, 'accounts');
  const [leader] = [await openTab()];
  await migrate(leader.db, schema);
  await openTab();
  await Promise.all(tabs.map((t) => t.contacts.flush()));
}, 60_000);

afterAll(async () => {
  for (const t of tabs.reverse()) {
    await t.contacts.collection.cleanup();
    await t.db.close();
    t.dropLocks();
  }
  count.dispose();
  if (navigatorBefore) Object.defineProperty(globalThis, 'navigator', navigatorBefore);
  else Reflect.deleteProperty(globalThis, 'navigator');
});

let uuids = 0;
/** A uuid of this test run (`contacts.id` is a uuid). */
const uuid = () => `00000000-0000-4000-8000-${(++uuids).toString(16).padStart(12, '0')}`;

/**
 * A shape response: `n` inserts named `<name>-<i>` with txid 9001, then (with `changes`) an update
 * of the first row and deletes of the next two, then up-to-date.
 */
function response(n: number, name: string, changes = false): ShapeMessage[] {
  const ids = Array.from({ length: n }, uuid);
  const row = (id: string, i: number) => ({
    id,
    first_name: `${name}-${i}`,
    last_name: null,
    email: `${name}-${i}@example.com`,
    phone: null,
    status: 'lead',
    account_id: null,
    tags: '[]',
    created_at: '2026-12-07T10:00:00Z',
    updated_at: '2026-12-07T10:00:00Z',
  });
  const key = (id: string) => `"public"."contacts"/"${id}"`;
  const messages: ShapeMessage[] = ids.map((id, i) => ({
    headers: { operation: 'insert', txids: ['9001'] },
    key: key(id),
    value: row(id, i),
  }));
  if (changes) {
    messages.push({
      headers: { operation: 'update', txids: ['9002'] },
      key: key(ids[0]!),
      value: { id: ids[0], first_name: `${name}-renamed` },
    });
    for (const id of ids.slice(1, 3))
      messages.push({
        headers: { operation: 'delete', txids: ['9003'] },
        key: key(id),
        value: { id },
      });
  }
  messages.push({ headers: { control: 'up-to-date' } });
  return messages;
}

const keys = (t: Tab) => [...t.contacts.collection.state.keys()].map(String);

describe('shared database: messages between a tab and the database worker', () => {
  it('an optimistic write in the leader tab, until the collection shows it: one call and one answer per statement', async () => {
    const [leader] = tabs as [Tab, Tab];
    let key = '';
    const messages = await count.during(async () => {
      const row = await leader.writes.insert(contacts, {
        first_name: 'Lead',
        email: 'lead@example.com',
      });
      key = String(row.id);
      await leader.contacts.flush();
    });
    expect(keys(leader)).toContain(key);
    // the INSERT through the view, then the collection's re-read of that key
    expect(messages).toBeLessThanOrEqual(4);
    expect(count.broadcast).toBe(0); // the leader's own tab talks to its worker directly
  });

  it('an optimistic write in another tab, and its refresh in the leader tab', async () => {
    const [leader, follower] = tabs as [Tab, Tab];
    let key = '';
    const messages = await count.during(async () => {
      const row = await follower.writes.insert(contacts, {
        first_name: 'Follow',
        email: 'follow@example.com',
      });
      key = String(row.id);
      await follower.contacts.flush();
    });
    expect(keys(follower)).toContain(key);
    expect(messages).toBeLessThanOrEqual(4);
    // what another tab committed reaches this tab's collection: one re-read
    const refresh = await count.during(async () => {
      leader.feed.receive('contacts', [key]);
      await leader.contacts.flush();
    });
    expect(keys(leader)).toContain(key);
    expect(refresh).toBeLessThanOrEqual(2);
  });

  it('a transaction is its first statement carrying the begin, one message pair per statement, end', async () => {
    const [, follower] = tabs as [Tab, Tab];
    const messages = await count.during(() =>
      follower.db.transaction(async (tx) => {
        await tx.query(`SELECT count(*) FROM "contacts"`);
        await tx.query(`SELECT count(*) FROM "_sync_outbox"`);
      }),
    );
    expect(messages).toBeLessThanOrEqual(2 * (2 + 1));
    // statements sent without waiting for each other still run inside the transaction, in order
    const r = await follower.db.transaction(async (tx) => {
      const [a, b] = await Promise.all([
        tx.query(`INSERT INTO "_sync_meta" ("key", "value") VALUES ('pipelined', '1')`),
        tx.query<{ value: string }>(`SELECT "value" FROM "_sync_meta" WHERE "key" = 'pipelined'`),
      ]);
      void a;
      await tx.rollback();
      return b.rows;
    });
    expect(r).toEqual([{ value: '1' }]);
    const gone = await follower.db.query(`SELECT 1 FROM "_sync_meta" WHERE "key" = 'pipelined'`);
    expect(gone.rows).toEqual([]);
    // a transaction that sends no statement costs nothing
    expect(await count.during(() => follower.db.transaction(async () => 'nothing'))).toBe(0);
  });

  it('storing a shape response is one call and one answer, whatever its size, from any tab', async () => {
    const [leader, follower] = tabs as [Tab, Tab];
    const small = response(3, 'small');
    const large = response(300, 'large', true);
    for (const [tab, messages, name] of [
      [leader, small, 'small'],
      [leader, large, 'large'],
      [follower, response(50, 'follower', true), 'follower'],
    ] as const) {
      let changes = 0;
      const sent = await count.during(async () => {
        changes = (await applyBatch(tab.db, contacts, messages, { handle: 'h-1', offset: name }))
          .changes;
      });
      expect(changes).toBe(messages.filter((m) => m.value !== undefined).length);
      expect(sent, name).toBeLessThanOrEqual(2);
    }
    expect(count.broadcast).toBe(2); // the follower's call and answer; the leader's on its port
    // all of it stored, in one transaction: rows (updated, deleted), txids, the shape position
    const stored = await leader.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "contacts_synced" WHERE "first_name" LIKE 'large-%'`,
    );
    expect(stored.rows[0]!.n).toBe(300 - 2);
    const renamed = await leader.db.query(
      `SELECT 1 FROM "contacts_synced" WHERE "first_name" = 'large-renamed'`,
    );
    expect(renamed.rows).toHaveLength(1);
    const seen = await leader.db.query(`SELECT 1 FROM "_sync_seen_txids" WHERE "txid" = '9001'`);
    expect(seen.rows).toHaveLength(1);
    const position = await leader.db.query(
      `SELECT "handle", "offset" FROM "_sync_shapes" WHERE "shape_key" = 'contacts'`,
    );
    expect(position.rows).toEqual([{ handle: 'h-1', offset: 'follower' }]);
  });

  it('a shape response until the collection of the tab that stored it shows it: one call and one answer', async () => {
    const [leader] = tabs as [Tab, Tab];
    const messages = response(5, 'shown', true);
    let keys: string[] | null = [];
    const sent = await count.during(async () => {
      const result = await applyBatch(
        leader.db,
        contacts,
        messages,
        { handle: 'h-1', offset: 'shown' },
        leader.feed.listening('contacts'),
      );
      keys = result.keys;
      leader.feed.emit('contacts', result.keys, result.rows);
      await leader.contacts.flush();
    });
    expect(sent).toBeLessThanOrEqual(2); // no re-read: the rows came back with the answer
    const shown = [...leader.contacts.collection.state.values()].filter((r) =>
      String(r.first_name).startsWith('shown-'),
    );
    expect(shown.map((r) => r.first_name).sort()).toEqual(
      ['shown-renamed', 'shown-3', 'shown-4'].sort(),
    );
    expect(keys).toHaveLength(5);
  });

  it('rows read back never overtake a re-read announced before them', async () => {
    const [leader] = tabs as [Tab, Tab];
    const [inserted] = response(1, 'fresh');
    await applyBatch(leader.db, contacts, [inserted!], { handle: 'h-1', offset: 'fresh' });
    const key = String(inserted!.value!.id);
    // a re-read is still queued when rows of an older state arrive: those rows are not used
    leader.feed.emit('contacts', [key]);
    leader.feed.emit('contacts', [key], [{ ...inserted!.value, first_name: 'stale' }]);
    await leader.contacts.flush();
    expect(leader.contacts.collection.get(key)?.first_name).toBe('fresh-0');
  });

  it("the server's answer to a write is applied in one call; a refusal reaches the write with its status", async () => {
    const [, follower] = tabs as [Tab, Tab];
    await follower.db.query(`DELETE FROM "_sync_outbox"`); // earlier tests' writes: not sent here
    let answer = () => new Response('{}', { status: 201, headers: { 'x-sync-txid': '777001' } });
    const settled: { id: string; ok: boolean; status?: number }[] = [];
    const worker = new OutboxWorker(
      follower.db,
      schema,
      {
        apiBaseUrl: 'http://api.test',
        fetch: () => Promise.resolve(answer()),
        authToken: () => Promise.resolve(null),
        db: follower.db,
        timeoutMs: 5_000,
      },
      {
        settled: (id, o) =>
          settled.push(o.ok ? { id, ok: true } : { id, ok: false, status: o.error.status }),
        reported: () => undefined,
        changed: () => undefined,
        keysChanged: () => undefined,
      },
      null,
    );
    try {
      const row = await follower.writes.insert(contacts, { first_name: 'Sent', email: 's@e.com' });
      // the drain: its pick, the answer's transaction, the pick that finds nothing, the next due
      // time (the answer's transaction was 4 round trips: begin, meta, acknowledge, end)
      const sent = await count.during(() => worker.kick());
      expect(sent).toBeLessThanOrEqual(4 * 2);
      const r = await follower.db.query<{ status: string; txid: string }>(
        `SELECT "status", "txid" FROM "_sync_outbox" WHERE "pk" = $1`,
        [String(row.id)],
      );
      expect(r.rows).toEqual([{ status: 'sent', txid: '777001' }]);
      answer = () =>
        new Response(JSON.stringify({ error: 'validation', message: 'email taken' }), {
          status: 422,
          headers: { 'content-type': 'application/json' },
        });
      const refused = await follower.writes.insert(contacts, {
        first_name: 'Refused',
        email: 'taken@e.com',
      });
      await worker.kick();
      const failed = await follower.db.query<{ status: string; error: string }>(
        `SELECT "status", "error" FROM "_sync_outbox" WHERE "pk" = $1`,
        [String(refused.id)],
      );
      expect(failed.rows[0]!.status).toBe('failed');
      expect(JSON.parse(failed.rows[0]!.error)).toMatchObject({ status: 422 });
      expect(settled.map((x) => ({ ok: x.ok, status: x.status }))).toEqual([
        { ok: true, status: undefined },
        { ok: false, status: 422 },
      ]);
      const gone = await follower.db.query(`SELECT 1 FROM "contacts" WHERE "id" = $1`, [
        String(refused.id),
      ]);
      expect(gone.rows).toEqual([]); // the refused insert is rolled back
    } finally {
      await worker.close();
    }
  });

  it('a statement failing in the middle of a shape response rolls it back whole; its Postgres error reaches the tab', async () => {
    const [leader, follower] = tabs as [Tab, Tab];
    const before = await leader.db.query(
      `SELECT * FROM "_sync_shapes" WHERE "shape_key" = 'contacts'`,
    );
    for (const tab of [leader, follower]) {
      const messages: ShapeMessage[] = [
        ...response(2, `broken-${tab === leader ? 'l' : 'f'}`),
        // an update of a key that is no uuid: 22P02 from the UPDATE in the worker
        {
          headers: { operation: 'update', txids: ['9100'] },
          key: '"public"."contacts"/"nope"',
          value: { id: 'not-a-uuid', first_name: 'never' },
        },
        { headers: { control: 'up-to-date' } },
      ];
      await expect(
        applyBatch(tab.db, contacts, messages, { handle: 'h-broken', offset: '9_9' }),
      ).rejects.toMatchObject({ code: '22P02', name: expect.any(String) as string });
    }
    const inserted = await leader.db.query(
      `SELECT 1 FROM "contacts_synced" WHERE "first_name" LIKE 'broken-%'`,
    );
    expect(inserted.rows).toEqual([]);
    const seen = await leader.db.query(`SELECT 1 FROM "_sync_seen_txids" WHERE "txid" = '9100'`);
    expect(seen.rows).toEqual([]);
    const after = await leader.db.query(
      `SELECT * FROM "_sync_shapes" WHERE "shape_key" = 'contacts'`,
    );
    expect(after.rows).toEqual(before.rows);
    // the lock is free again
    expect((await follower.db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('a confirmed write until it waits for the server: one call and one answer', async () => {
    const [, follower] = tabs as [Tab, Tab];
    let writeIds = 0;
    const messages = await count.during(
      () =>
        new Promise<void>((written) => {
          const writes = new Writes(follower.db, follower.feed, () => written());
          void writes.insert(accounts, { name: 'Confirmed Ltd' }).catch(() => undefined);
          writeIds = 1;
        }),
    );
    expect(writeIds).toBe(1);
    expect(messages).toBeLessThanOrEqual(2);
    const queued = await follower.db.query(
      `SELECT "op" FROM "_sync_outbox" WHERE "table_name" = 'accounts' AND "status" = 'pending'`,
    );
    expect(queued.rows).toEqual([{ op: 'insert' }]);
  });

  it('errors keep their Postgres fields; a failed transaction is rolled back', async () => {
    const [leader, follower] = tabs as [Tab, Tab];
    await expect(follower.db.query(`SELECT * FROM "no_such_table"`)).rejects.toMatchObject({
      code: '42P01',
    });
    await expect(
      follower.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO "_sync_meta" ("key", "value") VALUES ('tx-test', '1')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const r = await leader.db.query(`SELECT 1 FROM "_sync_meta" WHERE "key" = 'tx-test'`);
    expect(r.rows).toEqual([]);
  });

  it('a worker of an older build that knows only one call per statement: the tab falls back to it', async () => {
    const profile = new Locks(); // another browser profile: this tab's worker leads there
    const context = profile.manager();
    Object.defineProperty(globalThis, 'navigator', {
      value: { locks: context.locks },
      configurable: true,
    });
    const dump = await emptyDump();
    const { db } = await openSharedDb('idb://older-build', 'relaxed', () =>
      inProcessWorker(profile, count, () => PGlite.create({ loadDataDir: dump }), true),
    );
    try {
      await migrate(db, await crmSchema());
      const result = await applyBatch(db, contacts, response(3, 'older'), {
        handle: 'h-old',
        offset: '1_1',
      });
      expect(result.changes).toBe(3);
      const stored = await db.query(
        `SELECT 1 FROM "contacts_synced" WHERE "first_name" LIKE 'older-%'`,
      );
      expect(stored.rows).toHaveLength(3);
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO "_sync_meta" ("key", "value") VALUES ('old', '1')`);
          await tx.query(`SELECT * FROM "no_such_table"`);
        }),
      ).rejects.toMatchObject({ code: '42P01' });
      expect((await db.query(`SELECT 1 FROM "_sync_meta" WHERE "key" = 'old'`)).rows).toEqual([]);
    } finally {
      await db.close();
      context.drop();
    }
  });

  it("a tab that closes inside a transaction: it is rolled back, the other tabs' statements go on", async () => {
    const [leader] = tabs as [Tab, Tab];
    const third = await openTab();
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const left = third.db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO "_sync_meta" ("key", "value") VALUES ('left-open', '1')`);
        inside();
        await new Promise(() => undefined); // the tab closes before this ends
      })
      .catch(() => undefined);
    await entered;
    await closeTab(third);
    const r = await leader.db.query(`SELECT 1 FROM "_sync_meta" WHERE "key" = 'left-open'`);
    expect(r.rows).toEqual([]);
    void left;
  });

  it('a tab that closes while its shape response waits for the lock: it is never stored', async () => {
    const [leader] = tabs as [Tab, Tab];
    const third = await openTab();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const holder = leader.db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      holding();
      await released;
    });
    await held;
    const waiting = applyBatch(third.db, contacts, response(2, 'orphan'), {
      handle: 'h-orphan',
      offset: '1_1',
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200)); // its `run` waits for the lock in the worker
    await closeTab(third);
    release();
    await holder;
    const r = await leader.db.query(
      `SELECT 1 FROM "contacts_synced" WHERE "first_name" LIKE 'orphan-%'`,
    );
    expect(r.rows).toEqual([]);
    const position = await leader.db.query(
      `SELECT 1 FROM "_sync_shapes" WHERE "handle" = 'h-orphan'`,
    );
    expect(position.rows).toEqual([]);
    void waiting;
  });

  it('a tab that closes while its transaction waits for the lock: that transaction never holds it', async () => {
    const [leader] = tabs as [Tab, Tab];
    const third = await openTab();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const holder = leader.db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      holding();
      await released;
    });
    await held;
    const waiting = third.db
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO "_sync_meta" ("key", "value") VALUES ('never', '1')`);
      })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200)); // its `begin` waits for the lock in the worker
    await closeTab(third);
    release();
    await holder;
    // the lock is free again (before the fix this query waited forever)
    const r = await leader.db.query(`SELECT 1 FROM "_sync_meta" WHERE "key" = 'never'`);
    expect(r.rows).toEqual([]);
    void waiting;
  });
});
