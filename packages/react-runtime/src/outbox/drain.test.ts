/**
 * What a single-write drain costs in PGlite statements, and the acknowledgement that makes it
 * cheap: a window (or one write) whose answers are all successes is acknowledged in ONE statement
 * that also reads the next pending rows and the outbox counts (`acknowledgeAndPick`), instead of
 * pick + begin + meta + acknowledge + commit + the status's count. Its decisions must stay those
 * of `acknowledge`: sent unless the txid was already seen (`_sync_seen_txids`) or is visible in
 * the table's last shape snapshot, always sent while the table refetches; the others reconciled.
 * No server: the API is a stub answering every write.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createSyncClient, type SyncClient } from '../client/create.js';
import { migrate } from '../db/migrate.js';
import { openDb, type SyncDb } from '../db/open.js';
import type { LiveSchema } from '../schema.js';
import { refetchKey, snapshotKey, visibleIn, type PgSnapshot } from '../shape/snapshot.js';
import { crmSchema, emptyDump, eventually } from '../testing/harness.js';
import { acknowledgeAndPick, type OutboxRecord } from './store.js';

let schema: LiveSchema;
beforeAll(async () => {
  [, schema] = await Promise.all([emptyDump(), crmSchema()]);
}, 120_000);

/** Counts the statements run on `db` (a transaction's begin and commit count as two). */
function countStatements(db: SyncDb): { n: number } {
  const count = { n: 0 };
  type Methods = Record<'query' | 'exec', (...args: unknown[]) => Promise<unknown>>;
  const wrap = (target: Methods) => {
    for (const name of ['query', 'exec'] as const) {
      const original = target[name].bind(target);
      target[name] = (...args: unknown[]) => {
        count.n++;
        return original(...args);
      };
    }
  };
  wrap(db as unknown as Methods);
  const transaction = db.transaction.bind(db);
  (db as { transaction: unknown }).transaction = (fn: (tx: unknown) => Promise<unknown>) => {
    count.n += 2;
    return transaction((tx) => {
      wrap(tx as unknown as Methods);
      return fn(tx);
    });
  };
  return count;
}

interface Stub {
  online: boolean;
  /** The txid of the answer to the n-th write (0-based); null: an answer without one. */
  txid: (n: number) => string | null;
  requests: number;
}

async function stubbedClient(stub: Stub, outboxConcurrency: number): Promise<SyncClient> {
  const fetch: typeof globalThis.fetch = (_input, init) => {
    if (!stub.online) return Promise.reject(new TypeError('offline (test)'));
    if ((init?.method ?? 'GET') === 'GET') return Promise.resolve(new Response(null));
    const txid = stub.txid(stub.requests++);
    return Promise.resolve(
      new Response(init?.body ?? '{}', {
        status: 201,
        headers: {
          'content-type': 'application/json',
          ...(txid !== null ? { 'x-sync-txid': txid } : {}),
        },
      }),
    );
  };
  const client = createSyncClient({
    apiBaseUrl: 'http://api.test',
    electricUrl: 'http://api.test/v1/shape',
    fetch,
    loadDataDir: await emptyDump(),
    schema,
    sync: false,
    outboxConcurrency,
    probeIntervalMs: 600_000, // no probe during the drain (its answer would be a reconnect)
  });
  await client.ready;
  return client;
}

/** Queues `n` contacts offline, then drains them online; returns the statements the drain ran. */
async function drained(client: SyncClient, stub: Stub, n: number): Promise<number> {
  for (let i = 0; i < n; i++)
    await client.insert('contacts', { first_name: `W${i}`, email: `w${i}@example.com` });
  await new Promise((r) => setTimeout(r, 10)); // the deferred kick of the last write failed
  stub.online = true;
  const count = countStatements(client.db());
  await client.drainNow();
  return count.n;
}

const outbox = async (db: SyncDb) =>
  (
    await db.query<{ pk: string; status: string; txid: string | null }>(
      `SELECT "pk", "status", "txid" FROM "_sync_outbox" ORDER BY "seq"`,
    )
  ).rows;

describe('single-write drain: statements per write', () => {
  it('a window of 16 successes is one statement (the status counts read with it)', async () => {
    const stub: Stub = { online: false, txid: (n) => String(1000 + n), requests: 0 };
    const client = await stubbedClient(stub, 16);
    try {
      const statements = await drained(client, stub, 64);
      // reconnect, the first pick, one acknowledgement per window of 16, the next due time
      // (before: 6 per window — pick, begin, meta, acknowledge, commit, the status's count)
      expect(statements).toBeLessThanOrEqual(3 + 64 / 16);
      const rows = await outbox(client.db());
      expect(rows).toHaveLength(64);
      expect(rows.filter((r) => r.status === 'sent' && r.txid !== null)).toHaveLength(64);
      // the status shows the counts the acknowledgement read: sent rows wait for the shape
      await eventually(() => client.status.getSnapshot().pendingWrites === 64);
      expect(client.status.getSnapshot().pendingByEntity).toEqual({ Contact: 64 });
    } finally {
      await client.close();
    }
  });

  it('one write at a time: one statement per write', async () => {
    const stub: Stub = { online: false, txid: (n) => String(2000 + n), requests: 0 };
    const client = await stubbedClient(stub, 1);
    try {
      const statements = await drained(client, stub, 12);
      expect(statements).toBeLessThanOrEqual(3 + 12); // before: 6 per write
      expect((await outbox(client.db())).map((r) => r.status)).toEqual(Array(12).fill('sent'));
    } finally {
      await client.close();
    }
  });

  it('a success whose txid was already seen, or that carries none, is reconciled; the rest of its window is sent', async () => {
    const stub: Stub = {
      online: false,
      txid: (n) => (n === 5 ? null : String(3000 + n)),
      requests: 0,
    };
    const client = await stubbedClient(stub, 4);
    try {
      // the shape already delivered the third write's transaction
      await client.db().query(`INSERT INTO "_sync_seen_txids" ("txid") VALUES ('3002')`);
      await drained(client, stub, 8);
      const rows = await outbox(client.db());
      // written in order, sent in windows of 4 in that order: request n is write n
      expect(rows.map((r) => r.txid)).toEqual(['3000', '3001', '3003', '3004', '3006', '3007']);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      // reconciled: the local rows of the two writes are gone with their outbox rows
      const local = await client
        .db()
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM "contacts_local"`);
      expect(local.rows[0]!.n).toBe(6);
      await eventually(() => client.status.getSnapshot().pendingWrites === 6);
    } finally {
      await client.close();
    }
  });
});

describe('acknowledgeAndPick decides like acknowledge', () => {
  const add = (db: SyncDb, table: string, writeId: string, status = 'pending') =>
    db.query(
      `INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "status", "next_attempt_at", "created_at")
       VALUES ($1, $2, 'insert', $1, '{}', $3, 0, 0)`,
      [writeId, table, status],
    );
  const record = async (db: SyncDb, writeId: string) =>
    (await db.query<OutboxRecord>(`SELECT * FROM "_sync_outbox" WHERE "write_id" = $1`, [writeId]))
      .rows[0]!;

  it('seen txids, the last snapshot (xmin, xmax, xip_list), refetching tables; the next rows and the counts', async () => {
    const db = await openDb(undefined, await emptyDump());
    await migrate(db, schema);
    const snapshot: PgSnapshot = { xmin: '100', xmax: '110', xip_list: ['105', '107'] };
    await db.query(`INSERT INTO "_sync_meta" ("key", "value") VALUES ($1, $2)`, [
      snapshotKey('contacts'),
      JSON.stringify(snapshot),
    ]);
    await db.query(`INSERT INTO "_sync_seen_txids" ("txid") VALUES ('200'), ('120')`);
    const txids = [
      '1',
      '99',
      '0099',
      '100',
      '104',
      '105',
      '107',
      '109',
      '110',
      '120',
      '150',
      '200',
    ];
    for (const [i] of txids.entries()) await add(db, 'contacts', `c${i}`);
    for (const [i] of txids.entries()) await add(db, 'accounts', `a${i}`);
    await add(db, 'contacts', 'later-1');
    await add(db, 'contacts', 'failed', 'failed');
    await add(db, 'accounts', 'later-2');
    const acks = async (prefix: string) =>
      Promise.all(txids.map(async (txid, i) => ({ row: await record(db, `${prefix}${i}`), txid })));

    // contacts: the snapshot and the seen txids decide
    const contacts = await acks('c');
    const picked = await acknowledgeAndPick(
      db,
      contacts,
      contacts.map((a) => a.row.write_id),
      2,
    );
    const expected = txids.filter((t) => !visibleIn(snapshot, t) && !['200', '120'].includes(t));
    expect(expected).toEqual(['105', '107', '110', '150']); // the test covers each branch
    expect(txids.filter((_, i) => picked.sent.has(`c${i}`))).toEqual(expected);
    // the next pending rows after the window, in seq order (the acknowledged ones excluded)
    expect(picked.next.map((r) => r.write_id)).toEqual(['a0', 'a1']);
    expect(picked.next[0]).toEqual(await record(db, 'a0'));
    expect(
      picked.counts.map(({ table_name, pending, failed }) => ({ table_name, pending, failed })),
    ).toEqual(
      (
        await db.query<{ table_name: string; pending: number; failed: number }>(
          `SELECT "table_name", "pending", "failed" FROM "_sync_outbox_counts"`,
        )
      ).rows,
    );
    const statuses = await db.query<{ write_id: string; status: string; txid: string | null }>(
      `SELECT "write_id", "status", "txid" FROM "_sync_outbox" WHERE "write_id" LIKE 'c%' ORDER BY "seq"`,
    );
    expect(statuses.rows.filter((r) => r.status === 'sent').map((r) => r.txid)).toEqual(expected);

    // (the caller reconciles the rows not marked sent)
    await db.query(
      `DELETE FROM "_sync_outbox" WHERE "write_id" LIKE 'c%' AND "status" = 'pending'`,
    );
    // accounts: no snapshot; while it refetches, every txid is sent (the swap reconciles)
    await db.query(`INSERT INTO "_sync_meta" ("key", "value") VALUES ($1, '1')`, [
      refetchKey('accounts'),
    ]);
    const accounts = await acks('a');
    const all = await acknowledgeAndPick(
      db,
      accounts,
      accounts.map((a) => a.row.write_id),
      10,
    );
    expect(all.sent.size).toBe(txids.length);
    expect(all.next.map((r) => r.write_id)).toEqual(['later-1', 'later-2']);
    await db.query(`DELETE FROM "_sync_meta" WHERE "key" = $1`, [refetchKey('accounts')]);

    // nothing pending after the window: no next rows
    const last = [{ row: await record(db, 'later-1'), txid: '300' }];
    const none = await acknowledgeAndPick(db, last, ['later-1', 'later-2'], 4);
    expect([...none.sent]).toEqual(['later-1']);
    expect(none.next).toEqual([]);
    await db.close();
  });
});

describe('the pick of the next window', () => {
  it('reads the pending index in order once the queue is longer than a window (statistics refreshed)', async () => {
    const stub: Stub = { online: false, txid: (n) => String(4000 + n), requests: 0 };
    const client = await stubbedClient(stub, 16);
    try {
      const db = client.db();
      // a long queue: 400 writes (PGlite keeps no statistics by itself)
      await db.query(
        `INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "next_attempt_at", "created_at")
         SELECT 'q' || g, 'contacts', 'insert', 'q' || g, '{}', 0, 0 FROM generate_series(1, 400) g`,
      );
      stub.online = true;
      await client.drainNow();
      expect(stub.requests).toBe(400);
      // the next long queue (written behind the runtime's back: no drain)
      await db.query(
        `INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "next_attempt_at", "created_at")
         SELECT 'r' || g, 'contacts', 'insert', 'r' || g, '{}', 0, 0 FROM generate_series(1, 2000) g`,
      );
      const plan = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT * FROM "_sync_outbox" WHERE "status" = 'pending' ORDER BY "seq" LIMIT 16`,
      );
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      // before: Limit -> Sort -> Bitmap Heap Scan (every pending row read, then sorted)
      expect(text).toMatch(/Index Scan using "?_sync_outbox_pending"?/);
      expect(text).not.toMatch(/Sort/);
    } finally {
      await client.close();
    }
  });
});
