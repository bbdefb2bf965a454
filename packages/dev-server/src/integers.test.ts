/**
 * `type: integer` without a format is not limited to 32 bits (issue #13, section 3): the IR marks
 * it `noFormat` and the dev server accepts 64-bit values where the spec does (`?skip=3000000000`),
 * while an explicit `format: int32` keeps its range. A 64-bit key that cannot exist in an int4
 * column finds no row (404), never a 500. Columns keep their IR storage (int32 → int4, as every
 * client's local database stores them), so a 64-bit value in such a column is a located 422.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, specIr, startTestServer, type TestServer } from './testing/backends.js';

type Body = Record<string, unknown>;
const auth = { authorization: 'Bearer alice' };

describe.each(BACKENDS)('integers without a format ($name)', (backend) => {
  let vendors: TestServer;
  let tasks: TestServer;
  beforeAll(async () => {
    vendors = await startTestServer(backend, {
      ir: await specIr('fixtures/dev-server/concurrency.openapi.yaml'),
    });
    tasks = await startTestServer(backend, {
      ir: await specIr('fixtures/dev-server/server-set.openapi.yaml'),
    });
  }, 60_000);
  afterAll(async () => {
    await vendors?.stop();
    await tasks?.stop();
  });

  it('accepts 64-bit query values of an integer without a format', async () => {
    const r = await api<unknown[]>(
      vendors.url,
      'GET',
      '/vendors?skip=3000000000&limit=9007199254740991',
      undefined,
      auth,
    );
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
  });

  it('a 64-bit item key of an int4 column is a 404, not a 500', async () => {
    for (const method of ['GET', 'DELETE'])
      expect((await api(tasks.url, method, '/tasks/3000000000', undefined, auth)).status).toBe(404);
    const patch = await api(tasks.url, 'PATCH', '/tasks/3000000000', { title: 'x' }, auth);
    expect(patch.status).toBe(404);
  });

  it('an explicit int32 keeps its range; a column stored as int4 refuses 64-bit values with a located 422', async () => {
    const t = await api<Body>(tasks.url, 'POST', '/tasks', { title: 'a' }, auth);
    expect(t.status).toBe(201);
    const p = await api<Body>(
      tasks.url,
      'PATCH',
      `/tasks/${String(t.body.id)}`,
      { priority: 3000000000 },
      auth,
    );
    expect(p.status).toBe(422);
    expect(JSON.stringify(p.body)).toContain('$.priority');
    expect(JSON.stringify(p.body)).toContain('32 bits');
    const v = await api<Body>(
      vendors.url,
      'POST',
      '/vendors',
      { vendorName: 'big', balance: 3000000000 },
      auth,
    );
    expect(v.status).toBe(422);
    expect(JSON.stringify(v.body)).toContain('$.balance');
  });
});
