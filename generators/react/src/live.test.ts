/**
 * The generated live-mode hooks of the crm fixture, rendered with React Testing Library against
 * the real dev server: `useContacts` shows an optimistic `useCreateContact` at once and the
 * server's row after sync, `useContact(id)` follows updates, confirmed `useCreateAccount`
 * rejects with the API error on a 422, and `useSyncStatus` counts pending writes.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { dumpEmptyPglite, startDevServer, type DevServer } from '@sync/dev-server';
import type { SyncClient, SyncClientOptions } from '@sync/react-runtime';
import { createElement, type ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTemp } from './testing/compile.js';
import { installDom } from './testing/dom.js';
import { fixtureIr, generateFixture } from './testing/fixtures.js';

type Rtl = typeof import('@testing-library/react');
type Hook = (...args: never[]) => unknown;
type Mutation = { mutateAsync(v: unknown): Promise<Record<string, unknown>> };
type Rows = { data: Record<string, unknown>[] | undefined; isLoading: boolean };

let rtl: Rtl;
let gen: Record<string, unknown>;
let runtime: typeof import('@sync/react-runtime');
let server: DevServer;
let client: SyncClient;
let dir: string;

beforeAll(async () => {
  dir = writeTemp((await generateFixture('crm')).files, 'live');
  gen = (await import(/* @vite-ignore */ path.join(dir, 'index.ts'))) as Record<string, unknown>;
  runtime = await import('@sync/react-runtime');
  const dump = await dumpEmptyPglite();
  server = await startDevServer({
    ir: await fixtureIr('crm'),
    port: 0,
    quiet: true,
    pgliteDump: dump,
  });
  const createClient = gen.createClient as (
    o: SyncClientOptions & { loadDataDir: Blob },
  ) => SyncClient;
  client = createClient({
    // The CRM spec declares bearer security: sync-patterns dev answers 401 without a token.
    getAuthToken: () => Promise.resolve('generator-tests'),
    apiBaseUrl: server.url,
    electricUrl: `${server.url}/v1/shape`,
    loadDataDir: dump,
  });
  await client.ready;
  installDom();
  rtl = await import('@testing-library/react');
}, 90_000);

afterAll(async () => {
  rtl?.cleanup();
  await client?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const wrapper = ({ children }: { children: ReactNode }) =>
  createElement(runtime.SyncProvider, { client, children });
const hook = (name: string) => gen[name] as Hook;

describe('generated live hooks (crm)', () => {
  it('useCreateContact is visible in useContacts at once, then synced', async () => {
    const { result } = rtl.renderHook(
      () => ({
        list: hook('useContacts')({ status: 'active' } as never) as Rows,
        create: hook('useCreateContact')() as Mutation,
        status: runtime.useSyncStatus(),
      }),
      { wrapper },
    );
    await rtl.waitFor(() => expect(result.current.list.isLoading).toBe(false));
    let row: Record<string, unknown> = {};
    await rtl.act(async () => {
      row = await result.current.create.mutateAsync({
        first_name: 'Hook',
        email: 'h@example.com',
        status: 'active',
      });
    });
    // resolved at local commit: the list already shows it (pending or, on a fast server, synced)
    expect(result.current.list.data?.find((r) => r.id === row.id)).toMatchObject({
      first_name: 'Hook',
    });
    await rtl.waitFor(
      () =>
        expect(result.current.list.data?.find((r) => r.id === row.id)).toMatchObject({
          _pending: false,
          created_at: expect.any(String),
        }),
      { timeout: 10_000 },
    );
    await rtl.waitFor(() => expect(result.current.status.pendingWrites).toBe(0));
  });

  it('useUpdateContact changes the row useContact(id) shows; the filter drops it', async () => {
    const row = await client.insert('contacts', {
      first_name: 'U',
      email: 'u@example.com',
      status: 'active',
    });
    const { result } = rtl.renderHook(
      () => ({
        one: hook('useContact')(row.id as never) as { data: Record<string, unknown> | undefined },
        actives: hook('useContacts')({ status: 'active' } as never) as Rows,
        update: hook('useUpdateContact')() as Mutation,
      }),
      { wrapper },
    );
    await rtl.waitFor(() => expect(result.current.one.data).toMatchObject({ first_name: 'U' }));
    await rtl.act(async () => {
      await result.current.update.mutateAsync({
        id: row.id,
        body: { first_name: 'U2', status: 'churned' },
      });
    });
    expect(result.current.one.data).toMatchObject({ first_name: 'U2', status: 'churned' });
    expect(result.current.actives.data?.some((r) => r.id === row.id)).toBe(false);
  });

  it('confirmed useCreateAccount rejects with the 422 and leaves nothing behind', async () => {
    const { result } = rtl.renderHook(() => hook('useCreateAccount')() as Mutation, { wrapper });
    let error: unknown = null;
    await rtl.act(async () => {
      error = await result.current
        .mutateAsync({ name: '', annual_revenue: '1', owner_email: 'bad' })
        .catch((e: unknown) => e);
    });
    expect(error).toMatchObject({ status: 422 });
    const left = await client.db().query(`SELECT 1 FROM "accounts" WHERE "name" = ''`);
    expect(left.rows).toEqual([]);
  });
});
