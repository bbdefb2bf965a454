/**
 * The batch write operation (`x-sync-batch`, docs/backend-contract.md "Batch writes"): writes
 * applied in order, each idempotent by its write_id, a refused write (4xx) not stopping the later
 * ones, and after a retryable failure nothing later applied (the client retries from there).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  BACKENDS,
  ROOT,
  startTestServer,
  TOKEN,
  type TestServer,
} from './testing/backends.js';
import { crmBatchIr } from './testing/batch-spec.js';
import { countStatements } from './testing/statements.js';

interface Result {
  write_id: string;
  status: number;
  txid?: string;
  body?: Record<string, unknown>;
}
type Write = { write_id: string; table: string; op: string; key: unknown; payload?: unknown };

const insert = (id: string, payload: Record<string, unknown>): Write => ({
  write_id: randomUUID(),
  table: 'contacts',
  op: 'insert',
  key: id,
  payload: { id, ...payload },
});

describe.each(BACKENDS)('batch writes ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { ir: await crmBatchIr(ROOT) });
  }, 60_000);
  afterAll(async () => server?.stop());

  const batch = (writes: unknown) =>
    api<{ results: Result[] }>(server.url, 'POST', '/sync/batch', writes);
  const contact = async (id: string) =>
    (
      await server.database.query<{ first_name: string; email: string }>(
        `SELECT first_name, email FROM contacts WHERE id = $1::uuid`,
        [id],
      )
    )[0];

  it('applies the writes in order and answers one result per write', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const writes = [
      insert(a, { first_name: 'Ada', email: 'ada@example.com' }),
      {
        write_id: randomUUID(),
        table: 'contacts',
        op: 'update',
        key: a,
        payload: { first_name: 'Ada L.' },
      },
      insert(b, { first_name: 'Bo', email: 'bo@example.com' }),
      { write_id: randomUUID(), table: 'contacts', op: 'delete', key: b },
    ];
    const r = await batch(writes);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.write_id, x.status])).toEqual([
      [writes[0]!.write_id, 201],
      [writes[1]!.write_id, 200],
      [writes[2]!.write_id, 201],
      [writes[3]!.write_id, 204],
    ]);
    for (const x of r.body.results) expect(x.txid).toMatch(/^\d+$/);
    expect(r.body.results[1]!.body).toMatchObject({ id: a, first_name: 'Ada L.' });
    expect(await contact(a)).toEqual({ first_name: 'Ada L.', email: 'ada@example.com' });
    expect(await contact(b)).toBeUndefined();
    // the shape feed sees the committed writes
    const shape = await fetch(`${server.url}/v1/shape?table=contacts&offset=-1`, {
      headers: TOKEN,
    });
    const rows = (await shape.json()) as { value?: { id: string; first_name: string } }[];
    expect(rows.find((m) => m.value?.id === a)?.value?.first_name).toBe('Ada L.');
  });

  it('is idempotent by write_id: a resent batch replays every result and writes nothing twice', async () => {
    const a = randomUUID();
    const writes = [
      insert(a, { first_name: 'Once', email: 'once@example.com' }),
      {
        write_id: randomUUID(),
        table: 'contacts',
        op: 'update',
        key: a,
        payload: { first_name: 'Twice' },
      },
    ];
    const first = await batch(writes);
    // the same first write again, alone: replayed, not applied again (no 409 for the key)
    const again = await batch(writes);
    expect(again.body.results).toEqual(first.body.results);
    const alone = await batch([writes[0]]);
    expect(alone.body.results).toEqual([first.body.results[0]]);
    expect(await contact(a)).toMatchObject({ first_name: 'Twice' });
    const n = await server.database.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM contacts WHERE id = $1::uuid`,
      [a],
    );
    expect(n[0]?.n).toBe('1');
  });

  it('goes on after a refused write (4xx): the later writes are applied', async () => {
    const a = randomUUID();
    const c = randomUUID();
    const writes = [
      insert(a, { first_name: 'Before', email: 'before@example.com' }),
      insert(randomUUID(), { first_name: 'Bad', email: 'not an email' }),
      {
        write_id: randomUUID(),
        table: 'contacts',
        op: 'update',
        key: randomUUID(),
        payload: { first_name: 'Nobody' },
      },
      insert(c, { first_name: 'After', email: 'after@example.com' }),
    ];
    const r = await batch(writes);
    expect(r.body.results.map((x) => x.status)).toEqual([201, 422, 404, 201]);
    expect(r.body.results[1]!.body).toMatchObject({ error: 'validation_failed' });
    expect(r.body.results[1]!.txid).toBeUndefined();
    expect(await contact(a)).toBeDefined();
    expect(await contact(c)).toBeDefined();
  });

  it("does not apply a row's later writes after its refused write (424), like the outbox", async () => {
    const a = randomUUID();
    const other = randomUUID();
    const r = await batch([
      insert(a, { first_name: 'Bad', email: 'not an email' }),
      {
        write_id: randomUUID(),
        table: 'contacts',
        op: 'update',
        key: a,
        payload: { email: 'fixed@example.com' },
      },
      insert(other, { first_name: 'Other', email: 'other@example.com' }),
    ]);
    expect(r.body.results.map((x) => x.status)).toEqual([422, 424, 201]);
    expect(r.body.results[1]!.body).toMatchObject({ error: 'failed_dependency' });
    expect(await contact(a)).toBeUndefined();
    expect(await contact(other)).toBeDefined();
  });

  it('stops at a retryable failure: nothing after it is applied, and a retry goes on from there', async () => {
    await server.database
      .query(`CREATE OR REPLACE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.first_name = 'Boom' THEN RAISE EXCEPTION 'storage failed' USING ERRCODE = 'XX000'; END IF; RETURN NEW; END $$`);
    await server.database.query(
      `CREATE TRIGGER boom BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION boom()`,
    );
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const writes = [
      insert(a, { first_name: 'First', email: 'first@example.com' }),
      insert(b, { first_name: 'Boom', email: 'boom@example.com' }),
      insert(c, { first_name: 'Third', email: 'third@example.com' }),
    ];
    try {
      const r = await batch(writes);
      expect(r.status).toBe(200);
      expect(r.body.results.map((x) => x.status)).toEqual([201, 500]);
      expect(await contact(a)).toBeDefined();
      expect(await contact(b)).toBeUndefined();
      expect(await contact(c)).toBeUndefined();
    } finally {
      await server.database.query(`DROP TRIGGER boom ON contacts`);
    }
    // the client resends from the failed write (or the whole batch: the first write replays)
    const retry = await batch(writes);
    expect(retry.body.results.map((x) => x.status)).toEqual([201, 201, 201]);
    expect(await contact(b)).toBeDefined();
    expect(await contact(c)).toBeDefined();
  });

  it('writes nested entities: the parent parameter comes from the payload', async () => {
    const account = await api<{ id: string }>(server.url, 'POST', '/accounts', {
      name: 'Acme',
      owner_email: 'owner@acme.example',
    });
    expect(account.status).toBe(201);
    const id = randomUUID();
    const r = await batch([
      {
        write_id: randomUUID(),
        table: 'line_items',
        op: 'insert',
        key: id,
        payload: {
          id,
          account_id: account.body.id,
          description: 'Widget',
          quantity: 2,
          unit_price: '9.50',
          currency: 'EUR',
        },
      },
      {
        write_id: randomUUID(),
        table: 'line_items',
        op: 'update',
        key: id,
        payload: { quantity: 3 },
      },
    ]);
    expect(r.body.results.map((x) => [x.status, x.body?.['error']])).toEqual([
      [201, undefined],
      [200, undefined],
    ]);
    expect(r.body.results[1]!.body).toMatchObject({ id, quantity: 3 });
  });

  it('answers a duplicate key (409) in the middle and applies the writes around it', async () => {
    const [a, taken, c] = [randomUUID(), randomUUID(), randomUUID()];
    expect(
      (await batch([insert(taken, { first_name: 'Taken', email: 't@example.com' })])).status,
    ).toBe(200);
    const writes = [
      insert(a, { first_name: 'Before', email: 'before@example.com' }),
      insert(taken, { first_name: 'Again', email: 'again@example.com' }),
      insert(c, { first_name: 'After', email: 'after@example.com' }),
    ];
    const r = await batch(writes);
    expect(r.body.results.map((x) => x.status)).toEqual([201, 409, 201]);
    expect(await contact(a)).toBeDefined();
    expect(await contact(taken)).toMatchObject({ first_name: 'Taken' });
    expect(await contact(c)).toBeDefined();
    // the applied writes replay with their txids; the refused one is refused again
    const again = await batch(writes);
    expect(again.body.results.map((x) => [x.status, x.txid])).toEqual(
      r.body.results.map((x) => [x.status, x.txid]),
    );
  });

  it('costs one statement per write plus a few per batch (not a savepoint pair, a key lookup and a key insert each)', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      insert(randomUUID(), { first_name: `N${i}`, email: `n${i}@example.com` }),
    );
    const statements = countStatements(server.database);
    try {
      const r = await batch(writes);
      expect(r.body.results.every((x) => x.status === 201)).toBe(true);
    } finally {
      statements.stop();
    }
    // the writes, the stored keys read, the txid, the keys stored (BEGIN/COMMIT not counted)
    expect(statements.count()).toBeGreaterThanOrEqual(writes.length);
    expect(statements.count()).toBeLessThanOrEqual(writes.length + 3);
  });

  it('refuses a malformed batch as a whole with located problems, writing nothing', async () => {
    const a = randomUUID();
    const r = await batch([
      insert(a, { first_name: 'Fine', email: 'fine@example.com' }),
      { write_id: '', table: 'contacts', op: 'upsert', key: null },
    ]);
    expect(r.status).toBe(400);
    expect(
      (r.body as unknown as { fields: { field: string }[] }).fields.map((f) => f.field),
    ).toEqual(['$[1].write_id', '$[1].op', '$[1].key', '$[1].payload']);
    expect(await contact(a)).toBeUndefined();
    expect((await batch({ writes: [] })).status).toBe(400);
    const unknown = await batch([{ write_id: randomUUID(), table: 'nope', op: 'delete', key: 1 }]);
    expect(unknown.body.results[0]).toMatchObject({ status: 422 });
  });
});
