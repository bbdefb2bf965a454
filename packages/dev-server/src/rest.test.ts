/**
 * The REST surface: declared status codes and list shapes, defaults and client-chosen keys,
 * nested collections, integer keys with PUT, non-entity examples, 404 / 405 and CORS.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, startTestServer, type TestServer } from './testing/backends.js';

type Body = Record<string, unknown>;

describe.each(BACKENDS)('REST API ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  }, 60_000);
  afterAll(async () => server?.stop());

  it('uses the declared status codes, defaults and a client-chosen primary key', async () => {
    const id = randomUUID();
    const created = await api<Body>(server.url, 'POST', '/contacts', {
      id,
      first_name: 'Own',
      email: 'own@example.com',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, status: 'lead', tags: [], last_name: null });
    expect(created.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(
      (
        await api(server.url, 'POST', '/contacts', {
          id,
          first_name: 'Dup',
          email: 'dup@example.com',
        })
      ).status,
    ).toBe(409);
    expect((await api(server.url, 'GET', `/contacts/${id}`)).body).toEqual(created.body);
    const del = await api(server.url, 'DELETE', `/contacts/${id}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expect((await api(server.url, 'GET', `/contacts/${id}`)).status).toBe(404);
    expect((await api(server.url, 'DELETE', `/contacts/${id}`)).status).toBe(404);
    const list = await api<Body[]>(server.url, 'GET', '/contacts?status=lead');
    expect(Array.isArray(list.body)).toBe(true);
    expect(list.body.every((c) => c.status === 'lead')).toBe(true);
  });

  it('serves nested collections filtered by the parent, with the wrapped list shape', async () => {
    const acct = await api<Body>(server.url, 'POST', '/accounts', {
      name: 'Nest',
      owner_email: 'n@example.com',
      annual_revenue: '12.50',
    });
    expect(acct.body).toMatchObject({
      annual_revenue: '12.50',
      employee_count: 0,
      is_customer: false,
      metadata: {},
    });
    const other = await api<Body>(server.url, 'POST', '/accounts', {
      name: 'Other',
      owner_email: 'o@example.com',
    });
    const item = { description: 'Widget', quantity: 2, unit_price: '9.99', currency: 'EUR' };
    const li = await api<Body>(
      server.url,
      'POST',
      `/accounts/${String(acct.body.id)}/line-items`,
      item,
    );
    expect(li.status).toBe(201);
    expect(li.body).toMatchObject({ ...item, account_id: acct.body.id });
    await api(server.url, 'POST', `/accounts/${String(other.body.id)}/line-items`, item);
    const list = await api<Body>(server.url, 'GET', `/accounts/${String(acct.body.id)}/line-items`);
    expect(list.body).toEqual({ data: [li.body], count: 1 });
    expect(
      (await api(server.url, 'POST', `/accounts/${randomUUID()}/line-items`, item)).status,
    ).toBe(404);
    const upd = await api<Body>(server.url, 'PATCH', `/line-items/${String(li.body.id)}`, {
      quantity: 3,
    });
    expect(upd.body).toMatchObject({ quantity: 3, description: 'Widget' });
    expect(
      (await api(server.url, 'PATCH', `/line-items/${String(li.body.id)}`, { currency: 'JPY' }))
        .status,
    ).toBe(422);
  });

  it('handles an integer primary key with PUT (replace)', async () => {
    const a = await api<Body>(server.url, 'POST', '/people', {
      full_name: 'Ann',
      title: null,
      birthday: '1990-02-03',
    });
    expect(a.status).toBe(201);
    expect(typeof a.body.id).toBe('number');
    const put = await api<Body>(server.url, 'PUT', `/people/${String(a.body.id)}`, {
      full_name: 'Ann B',
      title: 'Dr',
    });
    expect(put.status).toBe(200);
    // avatar_url and birthday are optional and not nullable: absent, never null.
    expect(put.body).toEqual({ id: a.body.id, full_name: 'Ann B', title: 'Dr' });
    expect((await api(server.url, 'PUT', '/people/abc', { full_name: 'x' })).status).toBe(422);
    expect(
      (await api(server.url, 'POST', '/people', { full_name: 'Bad', birthday: '1990-02-30' }))
        .status,
    ).toBe(422);
  });

  it('answers non-entity GETs with schema-valid examples, and unknown routes with JSON errors', async () => {
    expect((await api(server.url, 'GET', '/health')).body).toEqual({
      status: 'ok',
      version: 'string',
    });
    expect((await api(server.url, 'GET', '/reports/pipeline')).body).toEqual({
      totals_by_status: {},
      generated_at: '2024-01-01T00:00:00Z',
    });
    const missing = await api<Body>(server.url, 'GET', '/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
    const wrong = await api<Body>(server.url, 'PUT', '/contacts');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect((await api(server.url, 'GET', '/contacts/')).status).toBe(404); // trailing slash not declared
  });

  it('answers CORS preflights and exposes the sync headers', async () => {
    const res = await fetch(`${server.url}/contacts`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,idempotency-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,idempotency-key');
    const exposed = res.headers.get('access-control-expose-headers') ?? '';
    for (const h of [
      'electric-handle',
      'electric-offset',
      'electric-schema',
      'electric-cursor',
      'electric-up-to-date',
      'x-sync-txid',
    ])
      expect(exposed).toContain(h);
  });
});
