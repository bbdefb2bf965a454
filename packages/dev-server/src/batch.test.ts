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

  const counted = async (writes: Write[]) => {
    const statements = countStatements(server.database);
    try {
      return { r: await batch(writes), statements: statements.statements() };
    } finally {
      statements.stop();
    }
  };

  it('stores a run of creates of one table in one statement: three statements per batch, not one per write', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      insert(randomUUID(), { first_name: `N${i}`, email: `n${i}@example.com` }),
    );
    const { r, statements } = await counted(writes);
    expect(r.body.results.map((x) => x.status)).toEqual(writes.map(() => 201));
    // the stored keys read, ONE insert (which also reads the txid), the keys stored
    // (BEGIN/COMMIT not counted); one statement per write was 23
    expect(statements).toHaveLength(3);
    expect(statements.filter((q) => q.startsWith('INSERT INTO "contacts"'))).toHaveLength(1);
    // a write refused before its INSERT (validation) does not split the run
    const refusedMid = [
      ...writes
        .slice(0, 5)
        .map((w) => insert(randomUUID(), { first_name: `M${w.key}`, email: 'm@example.com' })),
      insert(randomUUID(), { first_name: 'Bad', email: 'not an email' }),
      ...writes
        .slice(0, 5)
        .map((w) => insert(randomUUID(), { first_name: `P${w.key}`, email: 'p@example.com' })),
    ];
    const mid = await counted(refusedMid);
    expect(mid.r.body.results.map((x) => x.status)).toEqual([
      ...Array(5).fill(201),
      422,
      ...Array(5).fill(201),
    ]);
    expect(mid.statements).toHaveLength(3);
  });

  // PGlite is one connection: the session setting reaches the server's statements
  it.runIf(backend.name === 'pglite')(
    "logs a run of creates with one call of the change log's capture, not one per row",
    async () => {
      await server.database.query(`SET track_functions = 'pl'`);
      const calls = async (): Promise<number> => {
        await server.database.query(`SELECT pg_stat_force_next_flush()`);
        const r = await server.database.query<{ n: number }>(
          `SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_user_functions WHERE funcname LIKE '\\_sync\\_capture\\_%'`,
        );
        return r[0]!.n;
      };
      try {
        const before = await calls();
        const writes = Array.from({ length: 20 }, (_, i) =>
          insert(randomUUID(), { first_name: `T${i}`, email: `t${i}@example.com` }),
        );
        const r = await batch(writes);
        expect(r.body.results.map((x) => x.status)).toEqual(writes.map(() => 201));
        // one trigger call for the run's one INSERT (a row trigger made 20)
        expect((await calls()) - before).toBe(1);
      } finally {
        await server.database.query(`RESET track_functions`);
      }
    },
  );

  it('costs one statement per other write between runs of creates', async () => {
    const a = randomUUID();
    const writes: Write[] = [
      ...Array.from({ length: 10 }, (_, i) =>
        insert(i === 0 ? a : randomUUID(), { first_name: `R${i}`, email: `r${i}@example.com` }),
      ),
      {
        write_id: randomUUID(),
        table: 'contacts',
        op: 'update',
        key: a,
        payload: { first_name: 'R0b' },
      },
      ...Array.from({ length: 10 }, (_, i) =>
        insert(randomUUID(), { first_name: `S${i}`, email: `s${i}@example.com` }),
      ),
    ];
    const { r, statements } = await counted(writes);
    expect(r.body.results.map((x) => x.status)).toEqual([
      ...Array(10).fill(201),
      200,
      ...Array(10).fill(201),
    ]);
    // keys read, insert × 10, update, insert × 10, keys stored
    expect(statements).toHaveLength(5);
    expect(await contact(a)).toMatchObject({ first_name: 'R0b' });
    // every write of the batch shares its txid
    expect(new Set(r.body.results.map((x) => x.txid)).size).toBe(1);
  });

  it('answers a bulk run in order, each write with its own row, and logs the changes in write order', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const writes = ids.map((id, i) =>
      insert(id, {
        first_name: `O${i}`,
        email: `o${i}@example.com`,
        // different optional columns: runs of different column sets, still in order
        ...(i % 3 === 0 ? { phone: `+1 555 000 ${i}` } : {}),
      }),
    );
    // and creates with server-made keys: matched to their writes by order alone
    const unkeyed = Array.from({ length: 5 }, (_, i) => ({
      write_id: randomUUID(),
      table: 'contacts',
      op: 'insert',
      key: null,
      payload: { first_name: `U${i}`, email: `u${i}@example.com` },
    }));
    const r = await batch([...writes, ...unkeyed]);
    expect(r.body.results.map((x) => x.write_id)).toEqual(
      [...writes, ...unkeyed].map((w) => w.write_id),
    );
    r.body.results.slice(0, 12).forEach((x, i) => {
      expect(x.status).toBe(201);
      expect(x.body).toMatchObject({
        id: ids[i],
        first_name: `O${i}`,
        email: `o${i}@example.com`,
        phone: i % 3 === 0 ? `+1 555 000 ${i}` : null,
      });
    });
    const made = r.body.results.slice(12).map((x, i) => {
      expect(x).toMatchObject({
        status: 201,
        body: { first_name: `U${i}`, email: `u${i}@example.com` },
      });
      return x.body!['id'] as string;
    });
    for (const [i, id] of made.entries())
      expect(await contact(id)).toMatchObject({ first_name: `U${i}` });
    const logged = await server.database.query<{ pk: string }>(
      `SELECT "row"->>'id' AS pk FROM "_sync_changes" WHERE "tbl" = 'contacts' AND "row"->>'id' = ANY($1::text[]) ORDER BY "seq"`,
      [`{${[...ids, ...made].join(',')}}`],
    );
    expect(logged.map((x) => x.pk)).toEqual([...ids, ...made]);
  });

  it('answers each write of a bulk run whose statement fails (a duplicate key in the middle) on its own', async () => {
    const taken = randomUUID();
    expect(
      (await batch([insert(taken, { first_name: 'Taken', email: 't@example.com' })])).status,
    ).toBe(200);
    const ids = Array.from({ length: 8 }, () => randomUUID());
    const writes = ids.map((id, i) =>
      i === 3
        ? insert(taken, { first_name: 'Again', email: 'again@example.com' })
        : i === 5
          ? insert(id, { first_name: 'Bad', email: 'not an email' })
          : insert(id, { first_name: `F${i}`, email: `f${i}@example.com` }),
    );
    // the same key twice in one run: the second is a duplicate of the first
    const twice = randomUUID();
    writes.push(insert(twice, { first_name: 'One', email: 'one@example.com' }));
    writes.push(insert(twice, { first_name: 'Two', email: 'two@example.com' }));
    const r = await batch(writes);
    expect(r.body.results.map((x) => x.status)).toEqual([
      201, 201, 201, 409, 201, 422, 201, 201, 201, 409,
    ]);
    expect(r.body.results[3]!.body).toMatchObject({ error: 'conflict' });
    for (const i of [0, 1, 2, 4, 6, 7])
      expect(await contact(ids[i]!)).toMatchObject({ first_name: `F${i}` });
    expect(await contact(taken)).toMatchObject({ first_name: 'Taken' });
    expect(await contact(twice)).toMatchObject({ first_name: 'One' });
    // the refused ones left no key: resent, they are refused again; the applied ones replay
    const again = await batch(writes);
    expect(again.body.results.map((x) => [x.status, x.txid])).toEqual(
      r.body.results.map((x) => [x.status, x.txid]),
    );
  });

  it('replays a write_id applied by an earlier batch in the middle of a run, and refuses one sent twice in a batch', async () => {
    const first = insert(randomUUID(), { first_name: 'Earlier', email: 'earlier@example.com' });
    const earlier = await batch([first]);
    const [b, c] = [randomUUID(), randomUUID()];
    const r = await batch([
      insert(b, { first_name: 'B', email: 'b@example.com' }),
      first,
      insert(c, { first_name: 'C', email: 'c@example.com' }),
    ]);
    expect(r.body.results.map((x) => x.status)).toEqual([201, 201, 201]);
    expect(r.body.results[1]).toEqual(earlier.body.results[0]);
    expect(r.body.results[0]!.txid).not.toBe(earlier.body.results[0]!.txid);
    const n = await server.database.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM contacts WHERE id = $1::uuid`,
      [first.key as string],
    );
    expect(n[0]?.n).toBe('1');
    const d = randomUUID();
    const dup = insert(d, { first_name: 'D', email: 'd@example.com' });
    const twice = await batch([
      dup,
      insert(randomUUID(), { first_name: 'E', email: 'e@example.com' }),
      dup,
    ]);
    expect(twice.status).toBe(400);
    expect(
      (twice.body as unknown as { fields: { field: string }[] }).fields.map((f) => f.field),
    ).toEqual(['$[2].write_id']);
    expect(await contact(d)).toBeUndefined();
  });

  it('stops at a retryable failure in the middle of a run: the creates before it are applied, none after', async () => {
    await server.database
      .query(`CREATE OR REPLACE FUNCTION boom2() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.first_name = 'Boom2' THEN RAISE EXCEPTION 'storage failed' USING ERRCODE = 'XX000'; END IF; RETURN NEW; END $$`);
    await server.database.query(
      `CREATE TRIGGER boom2 BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION boom2()`,
    );
    const ids = Array.from({ length: 10 }, () => randomUUID());
    const writes = ids.map((id, i) =>
      insert(id, { first_name: i === 4 ? 'Boom2' : `G${i}`, email: `g${i}@example.com` }),
    );
    try {
      const r = await batch(writes);
      expect(r.body.results.map((x) => x.status)).toEqual([201, 201, 201, 201, 500]);
      for (const [i, id] of ids.entries())
        if (i < 4) expect(await contact(id)).toMatchObject({ first_name: `G${i}` });
        else expect(await contact(id)).toBeUndefined();
    } finally {
      await server.database.query(`DROP TRIGGER boom2 ON contacts`);
    }
    const retry = await batch(writes);
    expect(retry.body.results.map((x) => x.status)).toEqual(writes.map(() => 201));
    expect(await contact(ids[9]!)).toBeDefined();
  });

  it('rolls the whole batch back (500) when a write_id was stored meanwhile by a concurrent request, and the retry replays it', async () => {
    // the concurrent request is simulated by a trigger that stores the key inside the batch's
    // transaction, after the batch read its keys
    const raced = `raced-${randomUUID()}`;
    await server.database
      .query(`CREATE OR REPLACE FUNCTION race() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.first_name = 'Race' THEN
        INSERT INTO "_sync_idempotency" ("key", "method", "path", "status", "body", "txid")
        VALUES ('${raced}', 'POST', '/contacts', 201, '{"first_name":"Winner"}', '1');
      END IF; RETURN NEW; END $$`);
    await server.database.query(
      `CREATE TRIGGER race BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION race()`,
    );
    const [a, b] = [randomUUID(), randomUUID()];
    const writes = [
      insert(a, { first_name: 'Before', email: 'before@example.com' }),
      { ...insert(b, { first_name: 'Race', email: 'race@example.com' }), write_id: raced },
    ];
    try {
      const r = await batch(writes);
      expect(r.status).toBe(500);
      expect(JSON.stringify(r.body)).toContain('concurrent request');
      expect(await contact(a)).toBeUndefined();
      expect(await contact(b)).toBeUndefined();
    } finally {
      await server.database.query(`DROP TRIGGER race ON contacts`);
    }
    await server.database
      .query(`INSERT INTO "_sync_idempotency" ("key", "method", "path", "status", "body", "txid")
      VALUES ('${raced}', 'POST', '/contacts', 201, '{"first_name":"Winner"}', '1')`);
    const retry = await batch(writes);
    expect(retry.body.results.map((x) => [x.status, x.body?.['first_name']])).toEqual([
      [201, 'Before'],
      [201, 'Winner'],
    ]);
    expect(await contact(b)).toBeUndefined();
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
