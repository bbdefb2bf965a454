/**
 * Bound parameters (IR Entity.bindings, issue #10): a live write sends every required parameter
 * core bound to a column — path, query or header — with the write's value, else the value of the
 * synced row the write is based on (`PUT /vendors/{id}?expected_version=` ← `version`).
 */
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db/open.js';
import type { LiveEntity } from '../schema.js';
import { sendRow } from './send.js';
import type { OutboxRecord } from './store.js';

const vendor = {
  name: 'Vendor',
  table: 'vendors',
  primaryKey: 'id',
  confirmed: false,
  columns: [
    { name: 'id', storage: 'uuid', nullable: false, primaryKey: true, synced: true },
    { name: 'org_id', storage: 'text', nullable: false, primaryKey: false, synced: true },
    { name: 'vendorName', storage: 'text', nullable: false, primaryKey: false, synced: true },
    { name: 'version', storage: 'int32', nullable: false, primaryKey: false, synced: true },
  ],
  operations: {
    create: null,
    update: {
      method: 'PATCH',
      path: '/orgs/{orgId}/vendors/{id}',
      params: [
        { name: 'orgId', column: 'org_id' },
        { name: 'id', column: 'id' },
        { name: 'expected_version', column: 'version', in: 'query' },
        { name: 'X-Org-Version', column: 'version', in: 'header' },
      ],
    },
    delete: null,
  },
} as unknown as LiveEntity;

const synced = { id: 'v1', org_id: 'acme', vendorName: 'Old', version: 7 };

function run(payload: Record<string, unknown>) {
  const sent: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  const db = {
    query: (sql: string) =>
      Promise.resolve({ rows: sql.includes('"vendors_synced"') ? [synced] : [] }),
  } as unknown as Queryable;
  const row = {
    seq: 1,
    write_id: 'w1',
    table_name: 'vendors',
    op: 'update',
    pk: 'v1',
    payload: JSON.stringify(payload),
    status: 'inflight',
  } as unknown as OutboxRecord;
  return sendRow(
    {
      apiBaseUrl: 'http://api.test/',
      db,
      timeoutMs: 1_000,
      authToken: () => Promise.resolve('t'),
      fetch: (input, init) => {
        sent.push({
          url: String(input),
          headers: init?.headers as Record<string, string>,
          body: JSON.parse(String(init?.body)),
        });
        return Promise.resolve(new Response('{}', { status: 200 }));
      },
    },
    vendor,
    row,
  ).then((result) => ({ result, sent }));
}

describe('bound parameters of a live write', () => {
  it('fills path, query and header parameters from the synced row the write is based on', async () => {
    const { result, sent } = await run({ vendorName: 'New' });
    expect(result.kind).toBe('ok');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('http://api.test/orgs/acme/vendors/v1?expected_version=7');
    expect(sent[0]?.headers).toMatchObject({
      'X-Org-Version': '7',
      'idempotency-key': 'w1',
      authorization: 'Bearer t',
    });
    expect(sent[0]?.body).toEqual({ vendorName: 'New' });
  });

  it("prefers the write's own value of a bound column", async () => {
    const { sent } = await run({ vendorName: 'New', version: 9 });
    expect(sent[0]?.url).toBe('http://api.test/orgs/acme/vendors/v1?expected_version=9');
    expect(sent[0]?.headers['X-Org-Version']).toBe('9');
  });
});
