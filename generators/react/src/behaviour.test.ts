/**
 * Runs the generated crm / petstore clients for real (vitest imports the generated TypeScript):
 * URL building, parameter serialisation, auth, errors, and the push-mode hooks against a fake
 * `fetch` — query data, mutation results and key invalidation (incl. the parent's lists).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createElement, type ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTemp } from './testing/compile.js';
import { installDom } from './testing/dom.js';
import { generateReact } from './generate.js';
import { fixtureIr, pushOnly } from './testing/fixtures.js';

type Rtl = typeof import('@testing-library/react');
let renderHook: Rtl['renderHook'];
let waitFor: Rtl['waitFor'];
let cleanup: Rtl['cleanup'];

type Fn = (...args: never[]) => unknown;
type Module = Record<string, unknown>;
interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

const dirs: string[] = [];
let crm: Module;
let pets: Module;

async function load(fixture: string): Promise<Module> {
  // Push mode for every entity: these tests cover the push hooks (live ones: live.test.ts).
  const ir = pushOnly(await fixtureIr(fixture));
  const dir = writeTemp(
    (await generateReact(ir, { apiBaseUrl: 'http://api.test/v1' })).files,
    fixture,
  );
  dirs.push(dir);
  return (await import(/* @vite-ignore */ path.join(dir, 'index.ts'))) as Module;
}

const fn = <F extends Fn>(m: Module, name: string) => m[name] as F;

/** A fake fetch answering from `routes` (`METHOD path` → status + JSON) and recording calls. */
function fakeFetch(routes: Record<string, [number, unknown]>) {
  const calls: Call[] = [];
  const impl = async (url: string, init: RequestInit): Promise<Response> => {
    const u = new URL(url);
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: init.body,
    });
    const [status, body] = routes[`${init.method} ${u.pathname}`] ?? [404, { error: 'not_found' }];
    const text = status === 204 ? null : JSON.stringify(body);
    return new Response(text, { status, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetch: impl as unknown as typeof fetch };
}

beforeAll(async () => {
  [crm, pets] = await Promise.all([load('crm'), load('petstore-3.0')]);
  // After loading: the spec parser takes a global `window` for a browser.
  installDom();
  ({ renderHook, waitFor, cleanup } = await import('@testing-library/react'));
}, 60_000);
afterAll(() => {
  cleanup();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe('generated fetch client', () => {
  it('builds URLs, serialises query params and sends the bearer token', async () => {
    const f = fakeFetch({ 'GET /v1/contacts': [200, [{ id: 'c1' }]] });
    fn<Fn>(crm, 'configureApi')({ fetch: f.fetch, getAuthToken: async () => 'tok' } as never);
    const rows = await fn<(p: object) => Promise<unknown>>(
      crm,
      'listContacts',
    )({ status: 'lead', q: 'a b&c' });
    expect(rows).toEqual([{ id: 'c1' }]);
    expect(f.calls[0]!.url).toBe('http://api.test/v1/contacts?status=lead&q=a%20b%26c');
    expect(f.calls[0]!.headers.get('authorization')).toBe('Bearer tok');
  });

  it('encodes path params, omits auth where the spec says security: [] and parses error bodies', async () => {
    const f = fakeFetch({ 'GET /v1/health': [200, { status: 'ok' }] });
    fn<Fn>(crm, 'configureApi')({ fetch: f.fetch, getAuthToken: () => 'tok' } as never);
    await fn<() => Promise<unknown>>(crm, 'getHealth')();
    expect(f.calls[0]!.headers.has('authorization')).toBe(false);
    const err = await fn<(p: object) => Promise<unknown>>(
      crm,
      'getContact',
    )({ contact_id: 'a/b c' }).catch((e: unknown) => e);
    expect(f.calls[1]!.url).toBe('http://api.test/v1/contacts/a%2Fb%20c');
    expect(err).toBeInstanceOf(crm.ApiError as new () => Error);
    expect(err).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('repeats exploded array query params and sends api keys in their header', async () => {
    const f = fakeFetch({ 'GET /v1/pets': [200, []] });
    fn<Fn>(
      pets,
      'configureApi',
    )({ baseUrl: 'https://pets.test/v1', fetch: f.fetch, getAuthToken: () => 'k1' } as never);
    await fn<(p: object) => Promise<unknown>>(pets, 'listPets')({ tags: ['a', 'b c'], limit: 5 });
    expect(f.calls[0]!.url).toBe('https://pets.test/v1/pets?tags=a&tags=b%20c&limit=5');
    expect(f.calls[0]!.headers.get('api_key')).toBe('k1');
  });

  it('passes the AbortSignal through', async () => {
    const f = fakeFetch({ 'GET /v1/people': [200, []] });
    const seen: (AbortSignal | null | undefined)[] = [];
    const spy = ((url: string, init: RequestInit) => (
      seen.push(init.signal),
      f.fetch(url, init)
    )) as typeof fetch;
    const controller = new AbortController();
    await fn<(o: object) => Promise<unknown>>(
      crm,
      'listPeople',
    )({ config: { baseUrl: 'http://x/v1', fetch: spy }, signal: controller.signal });
    expect(seen[0]).toBe(controller.signal);
  });
});

function wrapper(client: QueryClient) {
  return ({ children }: { children: ReactNode }) =>
    createElement(QueryClientProvider, { client }, children);
}

describe('push-mode hooks', () => {
  it('useContacts returns rows; useCreateContact refreshes the list', async () => {
    const f = fakeFetch({
      'GET /v1/contacts': [200, [{ id: 'c1' }]],
      'POST /v1/contacts': [201, { id: 'c2' }],
    });
    fn<Fn>(crm, 'configureApi')({ fetch: f.fetch, getAuthToken: () => null } as never);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const list = renderHook(
      () => fn<() => { data: unknown; isLoading: boolean }>(crm, 'useContacts')(),
      { wrapper: wrapper(client) },
    );
    await waitFor(() => expect(list.result.current.data).toEqual([{ id: 'c1' }]));
    const create = renderHook(
      () => fn<() => { mutateAsync: (v: object) => Promise<unknown> }>(crm, 'useCreateContact')(),
      { wrapper: wrapper(client) },
    );
    await expect(
      create.result.current.mutateAsync({ first_name: 'A', email: 'a@x' }),
    ).resolves.toEqual({ id: 'c2' });
    await waitFor(() => expect(f.calls.filter((c) => c.method === 'GET')).toHaveLength(2));
    expect(JSON.parse(String(f.calls.find((c) => c.method === 'POST')!.body))).toEqual({
      first_name: 'A',
      email: 'a@x',
    });
  });

  it('useLineItems unwraps the wrapped list; creating one invalidates the parent account lists', async () => {
    const f = fakeFetch({
      'GET /v1/accounts/a1/line-items': [200, { data: [{ id: 'l1' }], count: 1 }],
      'POST /v1/accounts/a1/line-items': [201, { id: 'l2' }],
    });
    fn<Fn>(crm, 'configureApi')({ fetch: f.fetch } as never);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const accountKeys = crm.accountKeys as { lists: () => readonly unknown[] };
    client.setQueryData([...accountKeys.lists(), {}], []);
    const list = renderHook(
      () => fn<(p: object) => { data: unknown }>(crm, 'useLineItems')({ account_id: 'a1' }),
      { wrapper: wrapper(client) },
    );
    await waitFor(() => expect(list.result.current.data).toEqual([{ id: 'l1' }]));
    const create = renderHook(
      () => fn<() => { mutateAsync: (v: object) => Promise<unknown> }>(crm, 'useCreateLineItem')(),
      { wrapper: wrapper(client) },
    );
    await create.result.current.mutateAsync({
      params: { account_id: 'a1' },
      body: { description: 'd' },
    });
    expect(client.getQueryState([...accountKeys.lists(), {}])?.isInvalidated).toBe(true);
  });

  it('useDeleteContact drops the cached item', async () => {
    const f = fakeFetch({ 'DELETE /v1/contacts/c1': [204, null] });
    fn<Fn>(crm, 'configureApi')({ fetch: f.fetch } as never);
    const client = new QueryClient();
    const keys = crm.contactKeys as { detail: (id: string) => readonly unknown[] };
    client.setQueryData(keys.detail('c1'), { id: 'c1' });
    const del = renderHook(
      () => fn<() => { mutateAsync: (v: string) => Promise<unknown> }>(crm, 'useDeleteContact')(),
      { wrapper: wrapper(client) },
    );
    await del.result.current.mutateAsync('c1');
    expect(client.getQueryData(keys.detail('c1'))).toBeUndefined();
    expect(f.calls[0]!.method).toBe('DELETE');
  });
});
