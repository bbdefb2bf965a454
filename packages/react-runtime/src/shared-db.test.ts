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
import { migrate } from './db/migrate.js';
import { openSharedDb } from './db/open.js';
import type { SharedPGlite } from './db/shared-client.js';
import { entityOf, type LiveEntity } from './schema.js';
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
let contacts: LiveEntity;
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
  const schema = await crmSchema();
  contacts = entityOf(schema, 'contacts');
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

  it('a transaction is begin, one message pair per statement, end', async () => {
    const [, follower] = tabs as [Tab, Tab];
    const messages = await count.during(() =>
      follower.db.transaction(async (tx) => {
        await tx.query(`SELECT count(*) FROM "contacts"`);
        await tx.query(`SELECT count(*) FROM "_sync_outbox"`);
      }),
    );
    expect(messages).toBeLessThanOrEqual(2 * (2 + 2));
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
