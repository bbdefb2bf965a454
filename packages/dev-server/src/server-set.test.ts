/**
 * Creating rows the way a client would (issue #13, section 1), on
 * fixtures/dev-server/server-set.openapi.yaml: the client sends only its create body; the server
 * fills the integer key, timestamps (date-time and Unix seconds), the version (1, then +1 per
 * update), the owner (from the bearer token) and the item's read-only enum, and applies the
 * body's defaults. Client-sent server-owned values, including an id on the read-only integer key,
 * are ignored. A delete answers with its declared `Message`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameUuid } from './auth/principal.js';
import { api, BACKENDS, specIr, startTestServer, type TestServer } from './testing/backends.js';

type Body = Record<string, unknown>;

describe.each(BACKENDS)('server-set fields ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, {
      ir: await specIr('fixtures/dev-server/server-set.openapi.yaml'),
    });
  }, 60_000);
  afterAll(async () => server?.stop());

  it('fills keys, timestamps, versions, owners and defaults; ignores client-sent server fields', async () => {
    const before = Math.floor(Date.now() / 1000);
    const auth = { authorization: 'Bearer alice' };
    const a = await api<Body>(
      server.url,
      'POST',
      '/tasks',
      {
        title: 'one',
        id: 999,
        version: 42,
        owner_id: '00000000-0000-4000-8000-000000000000',
        state: 'closed',
        created_at: '2000-01-01T00:00:00Z',
      },
      auth,
    );
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ title: 'one', priority: 3, version: 1, state: 'open' });
    expect(a.body.id).not.toBe(999);
    expect(typeof a.body.id).toBe('number');
    expect(a.body.owner_id).toBe(nameUuid('alice'));
    expect(String(a.body.created_at)).not.toMatch(/^2000/);
    expect(Date.parse(String(a.body.created_at)) / 1000).toBeGreaterThanOrEqual(before - 1);
    expect(a.body.created).toBeGreaterThanOrEqual(before);
    // The client's id was not stored, so the next create does not collide with it.
    const b = await api<Body>(server.url, 'POST', '/tasks', { title: 'two' }, auth);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect((await api(server.url, 'GET', '/tasks/999', undefined, auth)).status).toBe(404);

    await new Promise((r) => setTimeout(r, 20));
    const u = await api<Body>(
      server.url,
      'PATCH',
      `/tasks/${String(a.body.id)}`,
      { priority: 1, version: 7 },
      auth,
    );
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({ priority: 1, version: 2, created_at: a.body.created_at });
    expect(Date.parse(String(u.body.updated_at))).toBeGreaterThan(
      Date.parse(String(a.body.updated_at)),
    );
    const u2 = await api<Body>(server.url, 'PATCH', `/tasks/${String(a.body.id)}`, {}, auth);
    expect(u2.body.version).toBe(3);

    const d = await api<Body>(server.url, 'DELETE', `/tasks/${String(a.body.id)}`, undefined, auth);
    expect(d.status).toBe(200);
    expect(d.body).toEqual({ message: `Task ${String(a.body.id)} deleted` });
  });
});

describe.each(BACKENDS)('seeded numeric keys ($name)', (backend) => {
  it('moves the key sequence past seeded ids, so the next create does not collide', async () => {
    const server = await startTestServer(backend, {
      ir: await specIr('fixtures/dev-server/server-set.openapi.yaml'),
      seed: {
        tasks: [
          { id: 1, title: 'seeded 1' },
          { id: 7, title: 'seeded 7' },
        ],
      },
    });
    try {
      const a = await api<Body>(
        server.url,
        'POST',
        '/tasks',
        { title: 'next' },
        {
          authorization: 'Bearer alice',
        },
      );
      expect(a.status).toBe(201);
      expect(a.body.id).toBe(8);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
