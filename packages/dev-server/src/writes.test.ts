/**
 * Writes: idempotency (replay, concurrent duplicates, key reuse), validation (precise 422s,
 * nothing written, nothing on the shape), and the optional `txid` body field.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from './start.js';
import {
  api,
  BACKENDS,
  crmIr,
  pgliteDump,
  startTestServer,
  TOKEN,
  type TestServer,
} from './testing/backends.js';
import { countStatements } from './testing/statements.js';

type Body = Record<string, unknown>;

describe.each(BACKENDS)('writes: idempotency and validation ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  }, 60_000);
  afterAll(async () => server?.stop());

  const count = async (table: string): Promise<number> =>
    Number(
      (await server.database.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table}"`))[0]
        ?.n,
    );

  /** The shape's changes since `offset` (a catch-up request, not live). */
  async function shapeSince(
    offset: string,
    handle: string,
  ): Promise<{ ops: string[]; offset: string }> {
    const res = await fetch(
      `${server.url}/v1/shape?table=contacts&offset=${offset}&handle=${handle}`,
      { headers: TOKEN },
    );
    const body = (await res.json()) as { headers: { operation?: string } }[];
    return {
      ops: body.flatMap((m) => (m.headers.operation === undefined ? [] : [m.headers.operation])),
      offset: res.headers.get('electric-offset') ?? '',
    };
  }
  async function shapeHead(): Promise<{ offset: string; handle: string }> {
    const res = await fetch(`${server.url}/v1/shape?table=contacts&offset=now`, {
      headers: TOKEN,
    });
    return {
      offset: res.headers.get('electric-offset') ?? '',
      handle: res.headers.get('electric-handle') ?? '',
    };
  }

  it('replays an idempotent create: same status, body and txid, one row, one change', async () => {
    const head = await shapeHead();
    const key = randomUUID();
    const body = { first_name: 'Idem', email: 'idem@example.com' };
    const a = await api<Body>(server.url, 'POST', '/contacts', body, { 'idempotency-key': key });
    const b = await api<Body>(server.url, 'POST', '/contacts', body, { 'idempotency-key': key });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('x-sync-txid')).toBe(a.headers.get('x-sync-txid'));
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    const rows = await server.database.query(
      `SELECT 1 FROM "contacts" WHERE "first_name" = 'Idem'`,
    );
    expect(rows.length).toBe(1);
    expect((await shapeSince(head.offset, head.handle)).ops).toEqual(['insert']);
  });

  it('costs three statements per create with a key: its lookup, the insert, the key stored with the txid', async () => {
    const statements = countStatements(server.database);
    let r: Awaited<ReturnType<typeof api<Body>>>;
    try {
      r = await api<Body>(
        server.url,
        'POST',
        '/contacts',
        { first_name: 'Cheap', email: 'cheap@example.com' },
        { 'idempotency-key': randomUUID() },
      );
    } finally {
      statements.stop();
    }
    expect(r.status).toBe(201);
    expect(r.headers.get('x-sync-txid')).toMatch(/^\d+$/);
    // no second lookup outside the transaction, no separate txid read (BEGIN/COMMIT not counted)
    expect(statements.statements()).toEqual(
      backend.name === 'pglite'
        ? [
            // a write group of one (rest/group.ts): the insert reads the txid
            expect.stringMatching(/^SELECT .* FROM "_sync_idempotency"/),
            expect.stringMatching(/^INSERT INTO "contacts" .* RETURNING .*pg_current_xact_id/),
            expect.stringMatching(/^INSERT INTO "_sync_idempotency" .* VALUES/),
          ]
        : [
            expect.stringMatching(/^SELECT .* FROM "_sync_idempotency"/),
            expect.stringMatching(/^INSERT INTO "contacts"/),
            expect.stringMatching(/^INSERT INTO "_sync_idempotency" .* RETURNING "txid"$/),
          ],
    );
  });

  it.runIf(backend.name === 'pglite')(
    'runs the single writes that wait for the database together: one transaction, one INSERT per run of creates',
    async () => {
      // hold PGlite's one connection while 16 creates (and an update of the first) arrive
      let release = (): void => undefined;
      const held = server.database.transaction(
        () => new Promise<void>((resolve) => (release = resolve)),
      );
      const statements = countStatements(server.database);
      const ids = Array.from({ length: 16 }, () => randomUUID());
      let answers: Awaited<ReturnType<typeof api<Body>>>[];
      try {
        const creates = ids.map((id, i) =>
          api<Body>(
            server.url,
            'POST',
            '/contacts',
            { id, first_name: `Group${i}`, email: i === 7 ? 'not an email' : `g${i}@example.com` },
            { 'idempotency-key': randomUUID() },
          ),
        );
        await new Promise((r) => setTimeout(r, 1_000));
        const update = api<Body>(server.url, 'PATCH', `/contacts/${ids[0]}`, {
          last_name: 'First',
        });
        await new Promise((r) => setTimeout(r, 300));
        release();
        await held;
        answers = await Promise.all([...creates, update]);
      } finally {
        statements.stop();
      }
      expect(answers.map((a) => a.status)).toEqual([
        ...ids.map((_, i) => (i === 7 ? 422 : 201)),
        200,
      ]);
      for (const [i, a] of answers.slice(0, 16).entries())
        if (i !== 7) {
          expect(a.body).toMatchObject({ id: ids[i], first_name: `Group${i}` });
          expect(a.headers.get('x-sync-txid')).toMatch(/^\d+$/);
        } else expect(a.headers.get('x-sync-txid')).toBeNull();
      expect(answers[16]!.body).toMatchObject({
        id: ids[0],
        first_name: 'Group0',
        last_name: 'First',
      });
      // keys read, the creates' INSERT, the update, keys stored — 3 statements per write before
      expect(statements.count()).toBeLessThanOrEqual(4);
      expect(await count('contacts')).toBeGreaterThanOrEqual(15);
    },
  );

  it.runIf(backend.name === 'pglite')(
    'answers every write of a group as its own request: refusals alone, a retryable failure alone, a repeated key replayed',
    async () => {
      await server.database
        .query(`CREATE OR REPLACE FUNCTION boom_group() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.first_name = 'BoomGroup' THEN RAISE EXCEPTION 'storage failed' USING ERRCODE = 'XX000'; END IF; RETURN NEW; END $$`);
      await server.database.query(
        `CREATE TRIGGER boom_group BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION boom_group()`,
      );
      const existing = await api<Body>(server.url, 'POST', '/contacts', {
        first_name: 'Existing',
        email: 'existing@example.com',
      });
      const x = String(existing.body.id);
      let release = (): void => undefined;
      const held = server.database.transaction(
        () => new Promise<void>((resolve) => (release = resolve)),
      );
      const repeated = randomUUID();
      const ids = Array.from({ length: 6 }, () => randomUUID());
      const sent: Promise<Awaited<ReturnType<typeof api<Body>>>>[] = [];
      const send = (method: string, path: string, body: unknown, key?: string) => {
        sent.push(
          api<Body>(
            server.url,
            method,
            path,
            body,
            key === undefined ? {} : { 'idempotency-key': key },
          ),
        );
        return new Promise((r) => setTimeout(r, 50)); // in this order
      };
      try {
        await send('POST', '/contacts', { id: ids[0], first_name: 'A', email: 'a@example.com' });
        // a refused update of x, then a valid one: independent requests, the second applies
        await send('PATCH', `/contacts/${x}`, { email: 'not an email' });
        await send('PATCH', `/contacts/${x}`, { last_name: 'Updated' });
        await send('POST', '/contacts', {
          id: ids[1],
          first_name: 'BoomGroup',
          email: 'b@example.com',
        });
        await send(
          'POST',
          '/contacts',
          { id: ids[2], first_name: 'C', email: 'c@example.com' },
          repeated,
        );
        await send(
          'POST',
          '/contacts',
          { id: ids[2], first_name: 'C', email: 'c@example.com' },
          repeated,
        );
        // a duplicate primary key in the middle of the creates
        await send('POST', '/contacts', {
          id: ids[0],
          first_name: 'Dup',
          email: 'dup@example.com',
        });
        await send('POST', '/contacts', { id: ids[3], first_name: 'D', email: 'd@example.com' });
        await new Promise((r) => setTimeout(r, 500));
        release();
        await held;
      } finally {
        const answers = await Promise.all(sent);
        await server.database.query(`DROP TRIGGER boom_group ON contacts`);
        expect(answers.map((a) => a.status)).toEqual([201, 422, 200, 500, 201, 201, 409, 201]);
        expect(answers[2]!.body).toMatchObject({
          id: x,
          last_name: 'Updated',
          email: 'existing@example.com',
        });
        expect(answers[5]!.body).toEqual(answers[4]!.body);
        expect(answers[5]!.headers.get('idempotent-replayed')).toBe('true');
        expect(answers[5]!.headers.get('x-sync-txid')).toBe(answers[4]!.headers.get('x-sync-txid'));
        expect(answers[7]!.body).toMatchObject({ id: ids[3], first_name: 'D' });
      }
      const rows = await server.database.query<{ id: string; first_name: string }>(
        `SELECT id::text, first_name FROM contacts WHERE id = ANY($1::uuid[]) ORDER BY first_name`,
        [`{${ids.join(',')}}`],
      );
      expect(rows.map((r) => r.first_name)).toEqual(['A', 'C', 'D']);
    },
  );

  it('applies a key once under 10 concurrent retries', async () => {
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        api<Body>(
          server.url,
          'POST',
          '/contacts',
          { first_name: 'Race', email: 'race@example.com' },
          { 'idempotency-key': key },
        ),
      ),
    );
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(
      (await server.database.query(`SELECT 1 FROM "contacts" WHERE "first_name" = 'Race'`)).length,
    ).toBe(1);
  });

  it('refuses a key reused for another request', async () => {
    const key = randomUUID();
    await api(
      server.url,
      'POST',
      '/contacts',
      { first_name: 'K', email: 'k@example.com' },
      { 'idempotency-key': key },
    );
    const other = await api<Body>(
      server.url,
      'POST',
      '/accounts',
      { name: 'K', owner_email: 'k@example.com' },
      { 'idempotency-key': key },
    );
    expect(other.status).toBe(422);
    expect(String(other.body.message)).toMatch(/Idempotency-Key/);
  });

  it('answers 422 listing every problem with its JSON path, and writes nothing', async () => {
    const head = await shapeHead();
    const before = await count('contacts');
    const res = await api<Body>(server.url, 'POST', '/contacts', {
      email: 'nope',
      status: 'vip',
      tags: ['ok', 7],
      account_id: 'x',
      phone: null,
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.fields).toEqual([
      { field: '$.first_name', message: 'is required' },
      { field: '$.email', message: 'must be an email address, got "nope"' },
      {
        field: '$.status',
        message: 'must be one of "lead", "active", "churned", got string "vip"',
      },
      { field: '$.account_id', message: 'must be a uuid, got "x"' },
      { field: '$.tags[1]', message: 'must be a string, got number 7' },
    ]);
    expect(await count('contacts')).toBe(before);
    expect((await shapeSince(head.offset, head.handle)).ops).toEqual([]);
    const bad = await api<Body>(server.url, 'GET', '/contacts/not-a-uuid');
    expect(bad.status).toBe(422);
    expect(bad.body.fields).toEqual([
      { field: 'path.contact_id', message: 'must be a uuid, got "not-a-uuid"' },
    ]);
    const badJson = await fetch(`${server.url}/contacts`, {
      method: 'POST',
      headers: { ...TOKEN, 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(badJson.status).toBe(400);
  });
});

describe('txid in the response body', () => {
  it('is added when the response schema declares a txid property, matching the header', async () => {
    const ir = structuredClone(await crmIr());
    const contact = ir.schemas.find((s) => s.name === 'Contact');
    if (contact?.kind !== 'object') throw new Error('Contact schema missing');
    const template = contact.fields.find((f) => f.wireName === 'first_name');
    if (template === undefined) throw new Error('first_name missing');
    contact.fields.push({
      ...template,
      wireName: 'txid',
      required: false,
      readOnly: true,
      type: { kind: 'scalar', scalar: 'int64' },
    });
    const server = await startDevServer({
      ir,
      port: 0,
      quiet: true,
      pgliteDump: await pgliteDump(),
    });
    try {
      const res = await api<Body>(server.url, 'POST', '/contacts', {
        first_name: 'T',
        email: 't@example.com',
      });
      expect(res.status).toBe(201);
      expect(res.body.txid).toBe(Number(res.headers.get('x-sync-txid')));
      const plain = await api<Body>(server.url, 'POST', '/accounts', {
        name: 'A',
        owner_email: 'a@example.com',
      });
      expect(plain.body.txid).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('seed', () => {
  it('is applied under --quiet too (the seed must not depend on logging)', async () => {
    const server = await startDevServer({
      ir: await crmIr(),
      port: 0,
      quiet: true,
      pgliteDump: await pgliteDump(),
      seed: {
        accounts: [
          {
            id: '00000000-0000-4000-8000-000000000001',
            name: 'Seeded Ltd',
            annual_revenue: '10.00',
            employee_count: 3,
            is_customer: true,
            owner_email: 'o@example.com',
            metadata: {},
          },
        ],
      },
    });
    try {
      const rows = await server.database.query<{ name: string }>('SELECT name FROM accounts');
      expect(rows.map((r) => r.name)).toEqual(['Seeded Ltd']);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('X-HTTP-Method-Override', () => {
  it('serves POST + override PATCH as PATCH (JDK clients), and overrides nothing else', async () => {
    const server = await startDevServer({
      ir: await crmIr(),
      port: 0,
      quiet: true,
      pgliteDump: await pgliteDump(),
    });
    try {
      const created = await api<Body>(server.url, 'POST', '/contacts', {
        first_name: 'Over',
        email: 'over@example.com',
      });
      expect(created.status).toBe(201);
      const id = String(created.body.id);
      const patched = await api<Body>(
        server.url,
        'POST',
        `/contacts/${id}`,
        { last_name: 'Ride' },
        { 'x-http-method-override': 'patch' },
      );
      expect(patched.status).toBe(200);
      expect(patched.body.last_name).toBe('Ride');
      const asGet = await api<Body>(
        server.url,
        'POST',
        `/contacts/${id}`,
        {},
        {
          'x-http-method-override': 'GET',
        },
      );
      expect(asGet.status).toBe(405);
    } finally {
      await server.close();
    }
  }, 60_000);
});
