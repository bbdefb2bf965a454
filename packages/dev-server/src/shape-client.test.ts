/**
 * The official @electric-sql/client against the dev server's shape feed: live inserts, updates
 * and deletes made through the REST API (with their txids), resuming from a stored handle and
 * offset, recovering from a forced 409, where/columns filtering and a multi-chunk snapshot.
 */
import { Shape } from '@electric-sql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  BACKENDS,
  eventually,
  startTestServer,
  TOKEN,
  type TestServer,
} from './testing/backends.js';
import { recordStream } from './testing/shapes.js';

describe.each(BACKENDS)('shape feed + official Electric client ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  }, 60_000);
  afterAll(async () => server?.stop());

  const contact = (first_name: string, extra: Record<string, unknown> = {}) => ({
    first_name,
    email: `${first_name.toLowerCase()}@example.com`,
    ...extra,
  });

  it('delivers inserts, updates and deletes made through the REST API, each with its txid', async () => {
    const rec = recordStream(server.url, { table: 'contacts' });
    const shape = new Shape(rec.stream);
    await shape.rows;
    const created = await api(
      server.url,
      'POST',
      '/contacts',
      contact('Ada', { tags: ['x'], status: 'active' }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await eventually(
      () => shape.currentRows.some((r) => r.id === id),
      5_000,
      'insert on the shape',
    );
    const row = shape.currentRows.find((r) => r.id === id);
    expect(row).toMatchObject({
      first_name: 'Ada',
      status: 'active',
      tags: ['x'],
      last_name: null,
    });

    const patched = await api(server.url, 'PATCH', `/contacts/${id}`, { last_name: 'Lovelace' });
    expect(patched.status).toBe(200);
    await eventually(
      () => shape.currentRows.find((r) => r.id === id)?.last_name === 'Lovelace',
      5_000,
      'update on the shape',
    );

    const deleted = await api(server.url, 'DELETE', `/contacts/${id}`);
    expect(deleted.status).toBe(204);
    await eventually(
      () => !shape.currentRows.some((r) => r.id === id),
      5_000,
      'delete on the shape',
    );

    const ops = rec.changes().filter((m) => m.key.endsWith(`"${id}"`));
    expect(ops.map((m) => m.headers.operation)).toEqual(['insert', 'update', 'delete']);
    const txids = [created, patched, deleted].map((r) => Number(r.headers.get('x-sync-txid')));
    expect(ops.map((m) => (m.headers as { txids?: number[] }).txids?.[0])).toEqual(txids);
    // replica=default: an update carries the primary key and the changed columns only.
    expect(Object.keys(ops[1]?.value ?? {}).sort()).toEqual(['id', 'last_name', 'updated_at']);
    rec.stop();
  });

  it('resumes from a stored handle and offset without missing or repeating changes', async () => {
    const first = recordStream(server.url, { table: 'contacts' });
    const before = await api(server.url, 'POST', '/contacts', contact('Before'));
    await eventually(
      () => first.changes().some((m) => m.value.id === before.body.id),
      5_000,
      'first stream sees Before',
    );
    await eventually(() => first.stream.isUpToDate, 5_000, 'up to date');
    const handle = first.stream.shapeHandle;
    const offset = first.stream.lastOffset;
    first.stop();

    const during = await api(server.url, 'POST', '/contacts', contact('During'));
    await api(server.url, 'PATCH', `/contacts/${String(before.body.id)}`, { phone: '+1 555' });
    const resumed = recordStream(
      server.url,
      { table: 'contacts' },
      { handle: handle ?? '', offset },
    );
    await eventually(
      () => resumed.changes().length >= 2 && resumed.stream.isUpToDate,
      5_000,
      'resumed stream catches up',
    );
    expect(resumed.changes().map((m) => [m.headers.operation, m.value.id])).toEqual([
      ['insert', during.body.id],
      ['update', before.body.id],
    ]);
    expect(resumed.controls()).not.toContain('must-refetch');
    resumed.stop();
  });

  it('recovers from a forced 409 (rotateShapes): must-refetch, then a fresh snapshot and live changes', async () => {
    const rec = recordStream(server.url, { table: 'contacts' });
    const shape = new Shape(rec.stream);
    const initial = await shape.rows;
    const oldHandle = rec.stream.shapeHandle;
    const rotated = await fetch(`${server.url}/__dev/rotate-shapes?table=contacts`, {
      method: 'POST',
    });
    expect(rotated.status).toBe(200);
    const after = await api(server.url, 'POST', '/contacts', contact('AfterRotate'));
    await eventually(
      () => shape.currentRows.some((r) => r.id === after.body.id),
      5_000,
      'row after rotation',
    );
    expect(rec.controls()).toContain('must-refetch');
    expect(rec.stream.shapeHandle).not.toBe(oldHandle);
    expect(shape.currentRows.length).toBe(initial.length + 1);
    // A client that still holds the old handle is told to refetch, with the new handle.
    const stale = await fetch(
      `${server.url}/v1/shape?table=contacts&offset=1_0&handle=${oldHandle ?? ''}`,
      { headers: TOKEN },
    );
    expect(stale.status).toBe(409);
    expect(stale.headers.get('electric-handle')).toBe(rec.stream.shapeHandle);
    expect(await stale.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
    rec.stop();
  });

  it('applies where (with params) and columns; rows move in and out of the shape', async () => {
    const rec = recordStream(server.url, {
      table: 'contacts',
      where: '"status" = $1',
      params: { '1': 'active' },
      columns: ['id', 'first_name', 'status'],
    });
    const shape = new Shape(rec.stream);
    await shape.rows;
    const lead = await api(server.url, 'POST', '/contacts', contact('Lead', { status: 'lead' }));
    const active = await api(
      server.url,
      'POST',
      '/contacts',
      contact('Active', { status: 'active' }),
    );
    await eventually(
      () => shape.currentRows.some((r) => r.id === active.body.id),
      5_000,
      'active row',
    );
    expect(shape.currentRows.some((r) => r.id === lead.body.id)).toBe(false);
    expect(
      Object.keys(shape.currentRows.find((r) => r.id === active.body.id) ?? {}).sort(),
    ).toEqual(['first_name', 'id', 'status']);
    await api(server.url, 'PATCH', `/contacts/${String(lead.body.id)}`, { status: 'active' });
    await eventually(
      () => shape.currentRows.some((r) => r.id === lead.body.id),
      5_000,
      'moved-in row',
    );
    await api(server.url, 'PATCH', `/contacts/${String(active.body.id)}`, { status: 'churned' });
    await eventually(
      () => !shape.currentRows.some((r) => r.id === active.body.id),
      5_000,
      'moved-out row',
    );
    rec.stop();
  });

  it('sends full rows and old values with replica=full', async () => {
    const created = await api(server.url, 'POST', '/contacts', contact('Full'));
    const head = await fetch(`${server.url}/v1/shape?table=contacts&offset=now&replica=full`, {
      headers: TOKEN,
    });
    const handle = head.headers.get('electric-handle') ?? '';
    const offset = head.headers.get('electric-offset') ?? '';
    await api(server.url, 'PATCH', `/contacts/${String(created.body.id)}`, { phone: '123' });
    const res = await fetch(
      `${server.url}/v1/shape?table=contacts&offset=${offset}&handle=${handle}&replica=full`,
      { headers: TOKEN },
    );
    const [update] = (await res.json()) as {
      value: Record<string, unknown>;
      old_value?: Record<string, unknown>;
    }[];
    expect(update?.value).toMatchObject({ id: created.body.id, first_name: 'Full', phone: '123' });
    expect(Object.keys(update?.old_value ?? {}).sort()).toEqual(['phone', 'updated_at']);
    expect(update?.old_value?.phone).toBeNull();
  });

  it('answers 409 when the shape rotates while a request reads the log (never the new handle with old changes)', async () => {
    const head = await fetch(`${server.url}/v1/shape?table=contacts&offset=now`, {
      headers: TOKEN,
    });
    const handle = head.headers.get('electric-handle') ?? '';
    const offset = head.headers.get('electric-offset') ?? '';
    await api(server.url, 'POST', '/contacts', contact('DuringRead'));
    // Rotate exactly between the feed's handle check and its answer: when it reads the log.
    const db = server.database as { query: TestServer['database']['query'] };
    const query = db.query;
    let rotated = false;
    db.query = (async (sql: string, params?: (string | null)[]) => {
      const rows = await query.call(server.database, sql, params);
      if (!rotated && sql.includes('FROM "_sync_changes" AS c')) {
        rotated = true;
        await server.rotateShapes('contacts');
      }
      return rows;
    }) as typeof query;
    try {
      const res = await fetch(
        `${server.url}/v1/shape?table=contacts&offset=${offset}&handle=${handle}`,
        { headers: TOKEN },
      );
      expect(rotated).toBe(true);
      const body = (await res.json()) as { headers: { control?: string } }[];
      expect({ status: res.status, controls: body.map((m) => m.headers.control) }).toEqual({
        status: 409,
        controls: ['must-refetch'],
      });
      expect(res.headers.get('electric-handle')).not.toBe(handle);
    } finally {
      db.query = query;
    }
  });

  it('rejects bad shape requests with 400 and a message', async () => {
    const cases = [
      'table=nope&offset=-1',
      'table=contacts&offset=banana',
      'table=contacts&offset=5_0',
      'table=contacts&offset=-1&columns=first_name',
      "table=contacts&offset=-1&where=status%20%3D%20'a'%20OR%201%3D1",
      'table=contacts&offset=-1&where=nope%20%3D%201',
    ];
    for (const q of cases) {
      const res = await fetch(`${server.url}/v1/shape?${q}`, { headers: TOKEN });
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { message: string }).message, q).toBeTruthy();
    }
  });

  it('pages a large snapshot in 1,000-row chunks that add up to a consistent whole', async () => {
    await server.database.query(
      `INSERT INTO "accounts" ("name", "owner_email", "annual_revenue", "employee_count", "is_customer", "metadata")
       SELECT 'acct ' || g, 'o' || g || '@example.com', g::numeric, g, g % 2 = 0, '{}'::jsonb FROM generate_series(1, 2500) AS g`,
    );
    const rec = recordStream(server.url, { table: 'public.accounts' });
    const shape = new Shape(rec.stream);
    const rows = await shape.rows;
    expect(rows.length).toBe(2500);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2500);
    expect(rows.find((r) => r.name === 'acct 2')).toMatchObject({
      employee_count: 2,
      is_customer: true,
      annual_revenue: '2',
      metadata: {},
    });
    rec.stop();
  });
});
