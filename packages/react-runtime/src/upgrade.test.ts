/**
 * Restarts: a client reopened from its data dir resumes every shape from the stored
 * handle/offset (no `offset=-1`), and a new schema version (§6) resyncs the synced tables while
 * pending writes (outbox + T_local) survive and drain afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { DevServer } from '@sync/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSchema } from './schema.js';
// the schema of a modified IR comes from the generator's test support (the runtime imports no generator)
import { generatedLiveSchema } from '../../../generators/react/src/testing/live-schema.js';
import {
  crmIr,
  crmSchema,
  emptyDump,
  eventually,
  rows,
  startClient,
  startServer,
  TestFetch,
} from './testing/harness.js';

let server: DevServer;
beforeAll(async () => {
  await Promise.all([emptyDump(), crmSchema()]);
  server = await startServer();
}, 60_000);
afterAll(async () => server?.close());

const outbox = (c: Awaited<ReturnType<typeof startClient>>) =>
  rows<{ pk: string; status: string }>(c, `SELECT * FROM "_sync_outbox" ORDER BY "seq"`);

describe('restart', () => {
  it('resumes the shapes from the stored handle/offset', async () => {
    const first = await startClient(server);
    const id = String(
      (await first.insert('contacts', { first_name: 'R', email: 'r@example.com' })).id,
    );
    await eventually(async () => (await outbox(first)).length === 0);
    const dump = await first.db().dumpDataDir('none');
    await first.close();
    const f = new TestFetch();
    const second = await startClient(server, f, { loadDataDir: dump });
    try {
      await eventually(() => f.reads.some((u) => u.includes('table=contacts')));
      const first = f.reads.find((u) => u.includes('table=contacts'))!;
      expect(new URL(first).searchParams.get('offset')).not.toBe('-1');
      expect(new URL(first).searchParams.get('handle')).toBeTruthy();
      expect(
        await rows(second, `SELECT "first_name" FROM "contacts" WHERE "id" = $1`, [id]),
      ).toEqual([{ first_name: 'R' }]);
    } finally {
      await second.close();
    }
  });
});

describe('schema upgrade (§6)', () => {
  it('a changed synced column list resyncs T_synced and keeps the outbox and T_local', async () => {
    const f = new TestFetch();
    const old = await startClient(server, f);
    const synced = String(
      (await old.insert('contacts', { first_name: 'S', email: 's@example.com' })).id,
    );
    await eventually(async () => (await outbox(old)).length === 0);
    f.offline = true;
    const email = `up-${randomUUID().slice(0, 8)}@example.com`;
    const pending = String(
      (await old.insert('contacts', { first_name: 'P', email, phone: '1', notes: 'n' })).id,
    );
    const dump = await old.db().dumpDataDir('none');
    await old.close();

    // version 2 of the app: contacts lost their `phone` column
    const ir = structuredClone(await crmIr());
    const contacts = ir.entities.find((e) => e.table === 'contacts')!;
    contacts.columns = contacts.columns.filter((c) => c.name !== 'phone');
    const v2 = (await generatedLiveSchema(ir)) as LiveSchema;
    const before = (await crmSchema()).entities.find((e) => e.table === 'contacts')!.schemaHash;
    expect(v2.entities.find((e) => e.table === 'contacts')!.schemaHash).not.toBe(before);

    const f2 = new TestFetch();
    f2.offline = true;
    const next = await startClient(server, f2, { loadDataDir: dump, schema: v2 });
    try {
      expect((await outbox(next)).map((r) => r.pk)).toEqual([pending]);
      expect(await rows(next, `SELECT count(*)::int AS n FROM "contacts_synced"`)).toEqual([
        { n: 0 },
      ]);
      expect(
        await rows(
          next,
          `SELECT "first_name", "notes", "_pending" FROM "contacts" WHERE "id" = $1`,
          [pending],
        ),
      ).toEqual([{ first_name: 'P', notes: 'n', _pending: true }]);
      f2.offline = false;
      await next.drainNow();
      await eventually(async () => (await outbox(next)).length === 0);
      await eventually(
        async () =>
          (await rows(next, `SELECT 1 FROM "contacts_synced" WHERE "id" = $1`, [synced])).length ===
          1,
      );
      expect(
        await rows(next, `SELECT "email", "_pending" FROM "contacts" WHERE "id" = $1`, [pending]),
      ).toEqual([{ email, _pending: false }]);
    } finally {
      await next.close();
    }
  });
});
