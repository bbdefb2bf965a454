/**
 * A TanStack DB collection with `electricCollectionOptions` against the dev server: the
 * optimistic insert's handler calls the REST API and returns `{ txid }` from `x-sync-txid`;
 * `isPersisted` resolves once the shape delivers a change carrying that txid. A refused write
 * (422) rejects and rolls the optimistic row back.
 */
import { randomUUID } from 'node:crypto';
import { createCollection } from '@tanstack/db';
import { electricCollectionOptions } from '@tanstack/electric-db-collection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, startTestServer, TOKEN, type TestServer } from './testing/backends.js';
import { FAST_BACKOFF } from './testing/shapes.js';

type Contact = {
  id: string;
  first_name: string;
  email: string;
  status: string;
  tags: string[];
  created_at?: string;
} & Record<string, unknown>;

describe.each(BACKENDS)('TanStack DB electric collection ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  }, 60_000);
  afterAll(async () => server?.stop());

  function contacts() {
    return createCollection(
      electricCollectionOptions<Contact>({
        id: `contacts-${backend.name}-${randomUUID()}`,
        shapeOptions: {
          url: `${server.url}/v1/shape`,
          headers: { ...TOKEN },
          params: { table: 'contacts' },
          backoffOptions: FAST_BACKOFF,
        },
        getKey: (row) => row.id,
        onInsert: async ({ transaction }) => {
          const m = transaction.mutations[0];
          if (m === undefined) throw new Error('no mutation');
          const { id, first_name, email, status, tags } = m.modified;
          const res = await fetch(`${server.url}/contacts`, {
            method: 'POST',
            headers: {
              ...TOKEN,
              'content-type': 'application/json',
              'idempotency-key': m.mutationId,
            },
            body: JSON.stringify({ id, first_name, email, status, tags }),
          });
          if (!res.ok) throw new Error(`create failed: ${res.status} ${await res.text()}`);
          return { txid: Number(res.headers.get('x-sync-txid')), timeout: 5_000 };
        },
      }),
    );
  }

  it('resolves isPersisted when the write’s txid arrives on the shape', async () => {
    const collection = contacts();
    await collection.preload();
    const id = randomUUID();
    const started = performance.now();
    const tx = collection.insert({
      id,
      first_name: 'Grace',
      email: 'grace@example.com',
      status: 'active',
      tags: ['navy'],
    });
    expect(collection.get(id)?.first_name).toBe('Grace'); // optimistic, before the server answers
    await tx.isPersisted.promise;
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(5_000);
    // The synced row now carries server-filled fields.
    const synced = collection.get(id);
    expect(synced?.first_name).toBe('Grace');
    expect(typeof synced?.created_at).toBe('string');
    expect(synced?.tags).toEqual(['navy']);
    await collection.cleanup();
  });

  it('rolls back an optimistic insert the server refuses (422)', async () => {
    const collection = contacts();
    await collection.preload();
    const id = randomUUID();
    const tx = collection.insert({
      id,
      first_name: 'Bad',
      email: 'not-an-email',
      status: 'active',
      tags: [],
    });
    await expect(tx.isPersisted.promise).rejects.toThrow(/422/);
    expect(collection.get(id)).toBeUndefined();
    await collection.cleanup();
  });
});
