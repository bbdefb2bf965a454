/**
 * Auth and permissions (issue #13, section 2) on fixtures/dev-server/server-set.openapi.yaml:
 * principals from an auth file or the token's text, 401 without a token, owners filled from the
 * principal, x-owner-only fields only for the owner and x-rbac field groups — on REST and on the
 * shape feed, which takes the same token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameUuid } from './auth/principal.js';
import {
  api,
  BACKENDS,
  NO_TOKEN,
  specIr,
  startTestServer,
  type TestServer,
} from './testing/backends.js';

type Body = Record<string, unknown>;
const SPEC = 'fixtures/dev-server/server-set.openapi.yaml';
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

async function shape(base: string, headers: Record<string, string>) {
  const res = await fetch(`${base}/v1/shape?table=tasks&offset=-1`, { headers });
  const body = res.status === 200 ? ((await res.json()) as { value?: Body }[]) : [];
  return {
    status: res.status,
    schema: JSON.parse(res.headers.get('electric-schema') ?? '{}') as Body,
    rows: body.flatMap((m) => (m.value === undefined ? [] : [m.value])),
  };
}

describe.each(BACKENDS)('auth ($name)', (backend) => {
  describe('without --auth (the default)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend, { ir: await specIr(SPEC) });
    }, 60_000);
    afterAll(async () => server?.stop());

    it('answers 401 without a token; the token text is the principal and fills the owner', async () => {
      const none = await api<Body>(server.url, 'POST', '/tasks', { title: 'x' }, NO_TOKEN);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect((await shape(server.url, {})).status).toBe(401);
      const a = await api<Body>(
        server.url,
        'POST',
        '/tasks',
        { title: 'a', secret: 's' },
        bearer('alice'),
      );
      expect(a.status).toBe(201);
      expect(a.body.owner_id).toBe(nameUuid('alice'));
      expect(a.body.secret).toBe('s');
      const asBob = await api<Body>(
        server.url,
        'GET',
        `/tasks/${String(a.body.id)}`,
        undefined,
        bearer('bob'),
      );
      expect(asBob.status).toBe(200);
      expect('secret' in asBob.body).toBe(false);
    });
  });

  describe('--allow-anonymous', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend, { ir: await specIr(SPEC), allowAnonymous: true });
    }, 60_000);
    afterAll(async () => server?.stop());

    it('serves callers without a token as the anonymous principal, on REST and shapes', async () => {
      const none = await api<Body>(server.url, 'POST', '/tasks', { title: 'anon' }, NO_TOKEN);
      expect(none.status).toBe(201);
      expect(none.body.owner_id).toBe(nameUuid('anonymous'));
      expect((await api(server.url, 'GET', '/tasks', undefined, NO_TOKEN)).status).toBe(200);
      expect((await shape(server.url, {})).status).toBe(200);
      // A token still names the principal.
      const a = await api<Body>(server.url, 'POST', '/tasks', { title: 'a' }, bearer('alice'));
      expect(a.body.owner_id).toBe(nameUuid('alice'));
    });
  });

  describe('with --auth', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend, {
        ir: await specIr(SPEC),
        auth: {
          principals: [
            { token: 't-alice', id: 'alice', roles: ['manager'] },
            { token: 't-bob', id: 'bob', roles: ['viewer'] },
            { token: 't-eve', id: 'eve' },
          ],
        },
      });
    }, 60_000);
    afterAll(async () => server?.stop());

    it('refuses missing and unknown tokens with 401', async () => {
      expect((await api(server.url, 'GET', '/tasks', undefined, NO_TOKEN)).status).toBe(401);
      expect((await api(server.url, 'GET', '/tasks', undefined, bearer('nope'))).status).toBe(401);
      expect((await shape(server.url, bearer('nope'))).status).toBe(401);
    });

    it('applies x-owner-only and x-rbac on REST reads, writes and shapes', async () => {
      const a = await api<Body>(
        server.url,
        'POST',
        '/tasks',
        { title: 'plan', priority: 2, secret: 'for alice' },
        bearer('t-alice'),
      );
      expect(a.status).toBe(201);
      expect(a.body).toMatchObject({
        priority: 2,
        secret: 'for alice',
        owner_id: nameUuid('alice'),
      });
      const path = `/tasks/${String(a.body.id)}`;

      const bob = await api<Body>(server.url, 'GET', path, undefined, bearer('t-bob'));
      expect(bob.body.priority).toBe(2);
      expect('secret' in bob.body).toBe(false);
      const eve = await api<Body>(server.url, 'GET', path, undefined, bearer('t-eve'));
      expect('priority' in eve.body).toBe(false);
      expect('secret' in eve.body).toBe(false);
      const list = await api<Body[]>(server.url, 'GET', '/tasks', undefined, bearer('t-eve'));
      expect(list.body.every((r) => !('priority' in r) && !('secret' in r))).toBe(true);

      const denied = await api<{ fields: { field: string }[] }>(
        server.url,
        'PATCH',
        path,
        { priority: 1 },
        bearer('t-bob'),
      );
      expect(denied.status).toBe(403);
      expect(denied.body.fields.map((f) => f.field)).toEqual(['$.priority']);
      const allowed = await api<Body>(
        server.url,
        'PATCH',
        path,
        { title: 'renamed' },
        bearer('t-bob'),
      );
      expect(allowed.status).toBe(200);
      expect(
        (await api<Body>(server.url, 'GET', path, undefined, bearer('t-alice'))).body,
      ).toMatchObject({
        priority: 2,
        title: 'renamed',
      });

      const sa = await shape(server.url, bearer('t-alice'));
      expect(sa.rows.find((r) => r.title === 'renamed')?.secret).toBe('for alice');
      const sb = await shape(server.url, bearer('t-bob'));
      expect(sb.rows.find((r) => r.title === 'renamed')).toMatchObject({
        secret: null,
        priority: '2',
      });
      const se = await shape(server.url, bearer('t-eve'));
      expect(Object.keys(se.schema)).not.toContain('priority');
      expect(se.rows.every((r) => !('priority' in r))).toBe(true);
    });
  });
});
