/**
 * Optimistic concurrency (issue #13, docs/backend-contract.md "Optimistic concurrency"), on
 * fixtures/dev-server/concurrency.openapi.yaml: a write's parameters bound to a column
 * (Entity.bindings: `?expected_version=` by x-sync-bind, `?version=` by name, the
 * `X-Expected-Version` header by x-sync-bind) carry the value of the row the client based the
 * write on. The current value applies the write (and bumps the version); a stale one answers 409
 * with the current row, applies nothing and gives no txid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, specIr, startTestServer, type TestServer } from './testing/backends.js';

type Body = Record<string, unknown>;
const auth = { authorization: 'Bearer alice' };

describe.each(BACKENDS)('optimistic concurrency with bound parameters ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, {
      ir: await specIr('fixtures/dev-server/concurrency.openapi.yaml'),
    });
  }, 60_000);
  afterAll(async () => server?.stop());

  const create = async (name: string): Promise<Body> => {
    const r = await api<Body>(server.url, 'POST', '/vendors', { vendorName: name }, auth);
    expect(r.status).toBe(201);
    expect(r.body.version).toBe(1);
    return r.body;
  };

  it('a stale expected_version (x-sync-bind, query) answers 409 with the current row', async () => {
    const v = await create('Acme');
    const path = `/vendors/${String(v.id)}`;
    const ok = await api<Body>(
      server.url,
      'PUT',
      `${path}?expected_version=1`,
      { vendorName: 'Acme 2' },
      auth,
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ vendorName: 'Acme 2', version: 2 });
    expect(ok.headers.get('x-sync-txid')).toMatch(/^\d+$/);

    const stale = await api<Body>(
      server.url,
      'PUT',
      `${path}?expected_version=1`,
      { vendorName: 'lost' },
      auth,
    );
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ id: v.id, vendorName: 'Acme 2', balance: 0, version: 2 });
    expect(stale.headers.get('x-sync-txid')).toBeNull();
    const now = await api<Body>(server.url, 'GET', path, undefined, auth);
    expect(now.body).toMatchObject({ vendorName: 'Acme 2', version: 2 });
  });

  it('a parameter bound by name (?version=) is checked the same way', async () => {
    const v = await create('Globex');
    const path = `/vendors/${String(v.id)}`;
    expect((await api(server.url, 'PATCH', `${path}?version=1`, { balance: 5 }, auth)).status).toBe(
      200,
    );
    const stale = await api<Body>(server.url, 'PATCH', `${path}?version=1`, { balance: 7 }, auth);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ balance: 5, version: 2 });
    expect(
      (await api(server.url, 'PATCH', `${path}?version=2`, { balance: 7 }, auth)).body,
    ).toMatchObject({
      balance: 7,
      version: 3,
    });
  });

  it('a bound header (X-Expected-Version) guards the delete', async () => {
    const v = await create('Initech');
    const path = `/vendors/${String(v.id)}`;
    await api(server.url, 'PATCH', `${path}?version=1`, { balance: 1 }, auth);
    const stale = await api<Body>(server.url, 'DELETE', path, undefined, {
      ...auth,
      'x-expected-version': '1',
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ id: v.id, version: 2 });
    expect((await api(server.url, 'GET', path, undefined, auth)).status).toBe(200);
    const gone = await api(server.url, 'DELETE', path, undefined, {
      ...auth,
      'x-expected-version': '2',
    });
    expect(gone.status).toBe(204);
    expect((await api(server.url, 'GET', path, undefined, auth)).status).toBe(404);
  });

  it('a stale write of a missing row is still 404, and a stale replay is not stored', async () => {
    const missing = await api(
      server.url,
      'PUT',
      '/vendors/00000000-0000-4000-8000-000000000000?expected_version=1',
      { vendorName: 'x' },
      auth,
    );
    expect(missing.status).toBe(404);
    const v = await create('Umbrella');
    const path = `/vendors/${String(v.id)}`;
    const key = { ...auth, 'idempotency-key': 'stale-then-fresh' };
    expect(
      (await api(server.url, 'PUT', `${path}?expected_version=9`, { vendorName: 'u' }, key)).status,
    ).toBe(409);
    expect(
      (await api(server.url, 'PUT', `${path}?expected_version=9`, { vendorName: 'u' }, key)).status,
    ).toBe(409);
  });
});
