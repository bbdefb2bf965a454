/**
 * The fetch client of every generated `api/client.ts` (`@sync/react-runtime/fetch`), against a
 * recording `fetch`: OpenAPI parameter serialisation (path simple/label/matrix, query form /
 * spaceDelimited / pipeDelimited / deepObject, headers, cookies), request bodies (json, form,
 * multipart, text, binary), the credential of each auth scheme, response decoding and ApiError,
 * per-call options and per-client configuration. The generated functions that build the
 * `RequestSpec`s are checked in generators/react (behaviour.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  createApiClient,
  type ApiConfig,
  type AuthSpec,
  type ParamSpec,
  type RequestSpec,
} from './index.js';

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: BodyInit | null | undefined;
  signal: AbortSignal | null | undefined;
}

/** A fetch answering `answer()` and recording every call. */
function recorder(answer: () => Response = () => Response.json({ ok: true })) {
  const calls: Call[] = [];
  const f = ((input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: init?.body,
      signal: init?.signal,
    });
    return Promise.resolve(answer());
  }) as typeof fetch;
  return { calls, fetch: f };
}

const spec = (over: Partial<RequestSpec> = {}): RequestSpec => ({
  method: 'GET',
  path: '/items',
  params: [],
  response: 'json',
  auth: [],
  ...over,
});

const param = (p: Partial<ParamSpec> & Pick<ParamSpec, 'in' | 'name' | 'value'>): ParamSpec => ({
  style: p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple',
  explode: p.in === 'query' || p.in === 'cookie',
  ...p,
});

async function call(s: RequestSpec, config: Partial<ApiConfig> = {}) {
  const r = recorder();
  const client = createApiClient({ baseUrl: 'https://api.test/v1/', fetch: r.fetch, ...config });
  await client.request(s);
  return r.calls[0]!;
}

describe('URLs', () => {
  it.each<[string, Partial<ParamSpec>, string]>([
    ['simple', { value: 'a/b c' }, '/items/a%2Fb%20c'],
    ['simple array', { value: ['x', 'y'] }, '/items/x,y'],
    ['simple object', { value: { a: 1, b: 'z' } }, '/items/a,1,b,z'],
    ['simple object exploded', { value: { a: 1 }, explode: true }, '/items/a=1'],
    ['label', { value: 'v', style: 'label' }, '/items/.v'],
    ['label array exploded', { value: ['x', 'y'], style: 'label', explode: true }, '/items/.x.y'],
    ['matrix', { value: 'v', style: 'matrix' }, '/items/;id=v'],
    ['matrix array', { value: ['x', 'y'], style: 'matrix' }, '/items/;id=x,y'],
  ])('path parameter, %s', async (_, p, path) => {
    const c = await call(
      spec({ path: '/items/{id}', params: [param({ in: 'path', name: 'id', value: '', ...p })] }),
    );
    expect(c.url).toBe(`https://api.test/v1${path}`);
  });

  it.each<[string, Partial<ParamSpec>, string]>([
    ['form', { value: 'a b&c' }, 'q=a%20b%26c'],
    ['form array exploded', { value: ['a', 'b'] }, 'q=a&q=b'],
    ['form array', { value: ['a', 'b'], explode: false }, 'q=a%2Cb'],
    ['spaceDelimited', { value: ['a', 'b'], style: 'spaceDelimited', explode: false }, 'q=a%20b'],
    ['pipeDelimited', { value: ['a', 'b'], style: 'pipeDelimited', explode: false }, 'q=a%7Cb'],
    ['form object exploded', { value: { x: 1, y: null } }, 'x=1'],
    ['form object', { value: { x: 1, y: 2 }, explode: false }, 'q=x%2C1%2Cy%2C2'],
    ['deepObject', { value: { x: 1, y: 'z' }, style: 'deepObject' }, 'q%5Bx%5D=1&q%5By%5D=z'],
    ['a number', { value: 5 }, 'q=5'],
  ])('query parameter, %s', async (_, p, query) => {
    const c = await call(spec({ params: [param({ in: 'query', name: 'q', value: '', ...p })] }));
    expect(c.url).toBe(`https://api.test/v1/items?${query}`);
  });

  it('leaves out undefined and null query parameters', async () => {
    const c = await call(
      spec({
        params: [
          param({ in: 'query', name: 'a', value: undefined }),
          param({ in: 'query', name: 'b', value: null }),
        ],
      }),
    );
    expect(c.url).toBe('https://api.test/v1/items');
  });
});

describe('headers and cookies', () => {
  it('sends header and cookie parameters, default and per-call headers', async () => {
    const r = recorder();
    const client = createApiClient({
      baseUrl: 'http://x',
      fetch: r.fetch,
      headers: { 'x-app': 'one', 'x-both': 'config' },
    });
    await client.request(
      spec({
        params: [
          param({ in: 'header', name: 'X-Request-ID', value: 'r1' }),
          param({ in: 'header', name: 'X-Tags', value: ['a', 'b'] }),
          param({ in: 'header', name: 'X-None', value: undefined }),
          param({ in: 'cookie', name: 'session', value: 'a b' }),
        ],
      }),
      { headers: { 'x-both': 'call' } },
    );
    const h = r.calls[0]!.headers;
    expect(h.get('x-request-id')).toBe('r1');
    expect(h.get('x-tags')).toBe('a,b');
    expect(h.has('x-none')).toBe(false);
    expect(h.get('cookie')).toBe('session=a%20b');
    expect(h.get('x-app')).toBe('one');
    expect(h.get('x-both')).toBe('call');
    expect(h.get('accept')).toBe('application/json');
  });
});

describe('auth', () => {
  it.each<[string, AuthSpec, (c: Call) => unknown, unknown]>([
    ['bearer', { kind: 'bearer' }, (c) => c.headers.get('authorization'), 'Bearer t k'],
    ['basic', { kind: 'basic' }, (c) => c.headers.get('authorization'), 'Basic t k'],
    [
      'api key header',
      { kind: 'apiKey', in: 'header', name: 'api_key' },
      (c) => c.headers.get('api_key'),
      't k',
    ],
    [
      'api key cookie',
      { kind: 'apiKey', in: 'cookie', name: 'k' },
      (c) => c.headers.get('cookie'),
      'k=t%20k',
    ],
    [
      'api key query',
      { kind: 'apiKey', in: 'query', name: 'key' },
      (c) => c.url,
      'http://x/items?key=t%20k',
    ],
  ])('%s', async (_, scheme, read, want) => {
    const c = await call(spec({ auth: [scheme] }), {
      baseUrl: 'http://x',
      getAuthToken: () => Promise.resolve('t k'),
    });
    expect(read(c)).toBe(want);
  });

  it('sends no credential without a token, without a provider or without a scheme', async () => {
    const none = await call(spec({ auth: [{ kind: 'bearer' }] }), { getAuthToken: () => null });
    const noProvider = await call(spec({ auth: [{ kind: 'bearer' }] }));
    const noScheme = await call(spec(), { getAuthToken: () => 'tok' });
    for (const c of [none, noProvider, noScheme])
      expect(c.headers.has('authorization')).toBe(false);
  });
});

describe('bodies', () => {
  it('json', async () => {
    const c = await call(spec({ method: 'POST', body: { kind: 'json', value: { a: [1] } } }));
    expect(c.body).toBe('{"a":[1]}');
    expect(c.headers.get('content-type')).toBe('application/json');
  });

  it('form, without undefined and null fields', async () => {
    const c = await call(spec({ body: { kind: 'form', value: { a: 'x y', b: 2, c: null } } }));
    expect(String(c.body)).toBe('a=x+y&b=2');
  });

  it('multipart, arrays as repeated fields and Blobs as files', async () => {
    const blob = new Blob(['data'], { type: 'text/plain' });
    const c = await call(
      spec({
        body: { kind: 'multipart', value: { tag: ['a', 'b'], file: blob, none: undefined } },
      }),
    );
    const form = c.body as FormData;
    expect(form.getAll('tag')).toEqual(['a', 'b']);
    expect(await (form.get('file') as Blob).text()).toBe('data');
    expect(form.has('none')).toBe(false);
  });

  it('text and binary', async () => {
    const t = await call(spec({ body: { kind: 'text', value: 'hello' } }));
    expect([t.body, t.headers.get('content-type')]).toEqual(['hello', 'text/plain']);
    const blob = new Blob(['b']);
    expect((await call(spec({ body: { kind: 'binary', value: blob } }))).body).toBe(blob);
  });

  it('sends no body for an undefined value', async () => {
    const c = await call(spec({ method: 'POST', body: { kind: 'json', value: undefined } }));
    expect(c.body).toBeUndefined();
    expect(c.headers.has('content-type')).toBe(false);
  });
});

describe('responses', () => {
  const answer = async (response: Response, kind: RequestSpec['response']) => {
    const client = createApiClient({ baseUrl: 'http://x', fetch: recorder(() => response).fetch });
    return client.request<unknown>(spec({ response: kind }));
  };

  it('decodes json, text, blob, none and 204', async () => {
    expect(await answer(Response.json({ a: 1 }), 'json')).toEqual({ a: 1 });
    expect(await answer(new Response('hi'), 'text')).toBe('hi');
    expect(await ((await answer(new Response('b'), 'blob')) as Blob).text()).toBe('b');
    expect(await answer(new Response('ignored'), 'none')).toBeUndefined();
    expect(await answer(new Response(null, { status: 204 }), 'json')).toBeUndefined();
  });

  it('rejects non-2xx with ApiError: status, parsed JSON body, headers', async () => {
    const err = await answer(
      Response.json({ error: 'nope' }, { status: 422, headers: { 'x-trace': 't1' } }),
      'json',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ name: 'ApiError', status: 422, body: { error: 'nope' } });
    expect((err as ApiError).headers.get('x-trace')).toBe('t1');
  });

  it('keeps a non-JSON or malformed error body as text', async () => {
    const text = await answer(new Response('down', { status: 503 }), 'json').catch((e) => e);
    expect((text as ApiError).body).toBe('down');
    const broken = await answer(
      new Response('{oops', { status: 500, headers: { 'content-type': 'application/json' } }),
      'json',
    ).catch((e) => e);
    expect((broken as ApiError).body).toBe('{oops');
  });
});

describe('configuration', () => {
  it('merges configure() into the defaults; a per-call config and signal win', async () => {
    const a = recorder();
    const b = recorder();
    const client = createApiClient({ baseUrl: 'http://default' });
    expect(client.configure({ fetch: a.fetch })).toEqual({
      baseUrl: 'http://default',
      fetch: a.fetch,
    });
    await client.request(spec());
    expect(a.calls[0]!.url).toBe('http://default/items');
    const controller = new AbortController();
    await client.request(spec(), {
      config: { baseUrl: 'http://other', fetch: b.fetch },
      signal: controller.signal,
    });
    expect(b.calls[0]!.url).toBe('http://other/items');
    expect(b.calls[0]!.signal).toBe(controller.signal);
    expect(client.getConfig().baseUrl).toBe('http://default');
  });

  it('keeps one configuration per client (two generated clients in one app)', () => {
    const one = createApiClient({ baseUrl: 'http://one' });
    const two = createApiClient({ baseUrl: 'http://two' });
    one.configure({ baseUrl: 'http://changed' });
    expect(two.getConfig().baseUrl).toBe('http://two');
  });
});
