/**
 * TanStack DB collections over the local views: rows arrive from the view (synced and local),
 * a collection insert writes through the view (outbox row appended, server reached), and live
 * queries filter and join across entity collections.
 */
import { createLiveQueryCollection, eq } from '@tanstack/db';
import type { DevServer } from '@sync/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  crmSchema,
  emptyDump,
  eventually,
  rows,
  startClient,
  startServer,
} from './testing/harness.js';

let server: DevServer;
beforeAll(async () => {
  await Promise.all([emptyDump(), crmSchema()]);
  server = await startServer();
}, 60_000);
afterAll(async () => server?.close());

describe('collections', () => {
  it('collection.insert writes through the view; live queries filter and join', async () => {
    const c = await startClient(server);
    try {
      const accounts = c.collection('accounts');
      const contacts = c.collection('contacts');
      await Promise.all([accounts.preload(), contacts.preload()]);
      const account = await c.insert('accounts', {
        name: 'Join Co',
        annual_revenue: '1',
        owner_email: 'o@example.com',
      });
      const id = crypto.randomUUID();
      const tx = contacts.insert({
        id,
        first_name: 'Jo',
        email: 'jo@example.com',
        account_id: account.id,
        status: 'active',
        tags: [],
      });
      expect(contacts.get(id)).toMatchObject({ first_name: 'Jo' }); // optimistic, at once
      await tx.isPersisted.promise;
      expect(contacts.get(id)).toMatchObject({ first_name: 'Jo', _pending: true });
      expect(await rows(c, `SELECT "op" FROM "_sync_outbox" WHERE "pk" = $1`, [id])).toHaveLength(
        1,
      );

      const joined = createLiveQueryCollection((q) =>
        q
          .from({ p: contacts })
          .join({ a: accounts }, ({ p, a }) => eq(p.account_id, a.id))
          .where(({ p }) => eq(p.status, 'active'))
          .select(({ p, a }) => ({ contact: p.first_name, account: a?.name })),
      );
      await joined.preload();
      const pairs = () => joined.toArray.map((r) => ({ contact: r.contact, account: r.account }));
      expect(pairs()).toEqual([{ contact: 'Jo', account: 'Join Co' }]);
      await eventually(() => contacts.get(id)?._pending === false);
      await c.update('contacts', id, { status: 'lead' });
      await eventually(() => joined.toArray.length === 0);
      await joined.cleanup();
    } finally {
      await c.close();
    }
  });
});
