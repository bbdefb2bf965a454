/**
 * No 500s on bad input (issue #13, section 4): every case here answered 500 (or stored garbage)
 * before, and must now answer a 4xx that says what is wrong, naming the field where there is one.
 * Runs on fixtures/dev-server/odd-names.openapi.yaml, whose live entity has non-Latin-1 and
 * Object.prototype property names.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, specIr, startTestServer, type TestServer } from './testing/backends.js';

type Body = Record<string, unknown>;
const ODD = 'fixtures/dev-server/odd-names.openapi.yaml';

/** A raw request (fetch would re-encode bodies and refuse odd headers). */
function raw(
  base: string,
  method: string,
  path: string,
  body: Buffer | string | undefined,
  headers: Record<string, string>,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(BACKENDS)('no 500s on bad input ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend, { ir: await specIr(ODD) });
  }, 60_000);
  afterAll(async () => server?.stop());

  it('serves a live entity with non-Latin-1 column names on the shape (escaped electric-schema)', async () => {
    const created = await api<Body>(server.url, 'POST', '/notes', {
      title: 't',
      名前: '太郎',
      '🎉': 'party',
    });
    expect(created.status).toBe(201);
    const res = await fetch(`${server.url}/v1/shape?table=notes&offset=-1`);
    expect(res.status).toBe(200);
    const header = res.headers.get('electric-schema') ?? '';
    expect(header).toMatch(/^[\x20-\x7e]*$/);
    const schema = JSON.parse(header) as Record<string, { type: string }>;
    expect(schema['名前']).toEqual({ type: 'text' });
    expect(schema['🎉']).toEqual({ type: 'text' });
    const messages = (await res.json()) as { value?: Body }[];
    expect(messages.some((m) => m.value?.['名前'] === '太郎')).toBe(true);
  });

  it('creates rows that omit properties named constructor, toString, valueOf, hasOwnProperty, __proto__', async () => {
    const created = await api<Body>(server.url, 'POST', '/notes', { title: 'only a title' });
    expect(created.status).toBe(201);
    // Optional, non-nullable and not sent: absent (before, `constructor` was read off
    // Object.prototype and the create failed with 500).
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])
      expect(Object.hasOwn(created.body, name), name).toBe(false);
    // __proto__ sent by a client is an ordinary property: stored and returned as such.
    const res = await raw(
      server.url,
      'POST',
      '/notes',
      '{"title":"p","__proto__":"proto value","constructor":"c","valueOf":7,"hasOwnProperty":true}',
      { 'content-type': 'application/json' },
    );
    expect(res.status).toBe(201);
    const body = JSON.parse(res.text) as Body;
    expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toBe('proto value');
    expect(body.constructor).toBe('c');
    expect(body.valueOf).toBe(7);
    expect(body.hasOwnProperty).toBe(true);
    const snap = await fetch(`${server.url}/v1/shape?table=notes&offset=-1`);
    const text = await snap.text();
    expect(text).toContain('"__proto__":"proto value"');
  });

  it('refuses an offset beyond int8 with 400', async () => {
    const first = await fetch(`${server.url}/v1/shape?table=notes&offset=-1`);
    const handle = first.headers.get('electric-handle') ?? '';
    for (const offset of ['9999999999999999999_0', '9223372036854775807_3']) {
      const res = await fetch(
        `${server.url}/v1/shape?table=notes&offset=${offset}&handle=${handle}`,
      );
      expect(res.status, offset).toBe(400);
      expect(((await res.json()) as Body).message).toMatch(/offset/);
    }
  });

  it('refuses 5,000 nested parentheses in where and a body nested 4,500 deep with 400', async () => {
    const where = `${'('.repeat(5000)}title = 'x'${')'.repeat(5000)}`;
    const shape = await fetch(
      `${server.url}/v1/shape?table=notes&offset=-1&where=${encodeURIComponent(where)}`,
    );
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as Body).message).toMatch(/nests parentheses deeper than/);
    const deep = `{"title":"d","extra":{"a":${'['.repeat(4500)}${']'.repeat(4500)}}}`;
    const res = await raw(server.url, 'POST', '/notes', deep, {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/nests deeper than/);
  });

  it('refuses a 12 KB Idempotency-Key with 400 naming the limit', async () => {
    const res = await api<Body>(
      server.url,
      'POST',
      '/notes',
      { title: 'k' },
      { 'idempotency-key': 'k'.repeat(12 * 1024) },
    );
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toMatch(/at most 255/);
  });

  it('serves only live entities on /v1/shape (a push entity is REST-only)', async () => {
    expect((await api(server.url, 'POST', '/memos', { id: randomUUID(), text: 'm' })).status).toBe(
      201,
    );
    const res = await fetch(`${server.url}/v1/shape?table=memos&offset=-1`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Body).message).toMatch(/not a live entity's table.*notes/);
  });

  it('answers 404 to rotate-shapes for a table that does not exist', async () => {
    const res = await api<Body>(server.url, 'POST', '/__dev/rotate-shapes?table=nope');
    expect(res.status).toBe(404);
    expect(String(res.body.message)).toContain('nope');
    expect((await api(server.url, 'POST', '/__dev/rotate-shapes?table=notes')).status).toBe(200);
  });

  it('refuses invalid UTF-8 (400) and a non-JSON Content-Type (415), writing nothing', async () => {
    const before = await api<Body[]>(server.url, 'GET', '/notes');
    const bad = Buffer.concat([
      Buffer.from('{"title":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);
    const a = await raw(server.url, 'POST', '/notes', bad, { 'content-type': 'application/json' });
    expect(a.status).toBe(400);
    expect(a.text).toMatch(/UTF-8/);
    const b = await raw(server.url, 'POST', '/notes', '{"title":"plain"}', {
      'content-type': 'text/plain',
    });
    expect(b.status).toBe(415);
    const after = await api<Body[]>(server.url, 'GET', '/notes');
    expect(after.body.length).toBe(before.body.length);
  });

  it('answers 422 naming the field for a NUL in a string or an out-of-range time zone', async () => {
    const cases: [Body, string][] = [
      [{ title: 'a\u0000b' }, '$.title'],
      [{ title: 'x', extra: { note: 'a\u0000' } }, '$.extra.note'],
      [{ title: 'x', due_at: '2026-01-02T03:04:05+23:00' }, '$.due_at'],
      [{ title: 'x', remind_at: '10:00:00+20:00' }, '$.remind_at'],
      [{ title: 'x', remind_at: '25:00:00' }, '$.remind_at'],
    ];
    for (const [body, field] of cases) {
      const res = await api<{ fields: { field: string }[] }>(server.url, 'POST', '/notes', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.fields.map((f) => f.field)).toEqual([field]);
    }
    const patch = await api<{ fields: { field: string }[] }>(
      server.url,
      'GET',
      '/notes/00000000-0000-4000-8000-00000000000%00',
    );
    expect(patch.status).toBeLessThan(500);
  });
});
