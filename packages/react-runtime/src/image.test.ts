/**
 * The start image (db/image.ts): smaller than a bare dump, schema already applied (migrate changes
 * nothing), only the `postgres` database, a WAL cut after its last written page that Postgres
 * starts from and writes on from (past the cut and into the next segments), and a client that
 * starts from it syncs and writes like one started from a bare dump.
 */
import { PGlite } from '@electric-sql/pglite';
import type { DevServer } from '@sync/dev-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStartImage, cutWal } from './db/image.js';
import { migrate } from './db/migrate.js';
import type { SyncDb } from './db/open.js';
import {
  crmSchema,
  emptyDump,
  eventually,
  rows,
  startClient,
  startServer,
} from './testing/harness.js';

let server: DevServer;
let image: Blob;
beforeAll(async () => {
  await emptyDump();
  image = await createStartImage(await crmSchema());
  server = await startServer();
}, 90_000);
afterAll(async () => server?.close());

/** The ustar entries of a tarball: name and size. */
function entries(tar: Uint8Array): { name: string; size: number }[] {
  const out: { name: string; size: number }[] = [];
  const text = (a: number, b: number) =>
    new TextDecoder().decode(tar.subarray(a, b)).replace(/\0.*$/s, '');
  for (let pos = 0; pos + 512 <= tar.length;) {
    if (tar.subarray(pos, pos + 512).every((b) => b === 0)) break;
    const size = parseInt(text(pos + 124, pos + 136).trim() || '0', 8);
    out.push({ name: text(pos, pos + 100), size });
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

const bytes = async (b: Blob) => new Uint8Array(await b.arrayBuffer());

describe('createStartImage', () => {
  it('is less than half a bare dump: no template databases, the WAL cut after its last page', async () => {
    const bare = await bytes(await emptyDump());
    const img = await bytes(image);
    expect(img.length).toBeLessThan(bare.length / 2);
    const wal = entries(img).filter((e) => /pg_wal\/[0-9A-F]{24}$/.test(e.name));
    expect(wal.length).toBeGreaterThan(0);
    for (const w of wal) {
      expect(w.size % 8192).toBe(0);
      expect(w.size).toBeLessThan(16 * 2 ** 20);
    }
    // the bare dump holds a whole segment
    expect(entries(bare).find((e) => /pg_wal\/[0-9A-F]{24}$/.test(e.name))?.size).toBe(
      16 * 2 ** 20,
    );
  });

  it('starts with the schema applied, only the postgres database, and writes past the cut WAL', async () => {
    const db = await PGlite.create({ loadDataDir: image });
    try {
      expect(await migrate(db as unknown as SyncDb, await crmSchema())).toEqual([]);
      expect((await db.query(`SHOW wal_init_zero`)).rows).toEqual([{ wal_init_zero: 'off' }]);
      expect((await db.query<{ datname: string }>(`SELECT datname FROM pg_database`)).rows).toEqual(
        [{ datname: 'postgres' }],
      );
      const walBefore = (
        await db.query<{ w: string }>(`SELECT pg_walfile_name(pg_current_wal_lsn()) AS w`)
      ).rows[0]!.w;
      await db.exec(`INSERT INTO "contacts_synced" ("id", "first_name")
        SELECT gen_random_uuid(), 'n' || i FROM generate_series(1, 60000) AS i`);
      await db.exec('CHECKPOINT');
      const walAfter = (
        await db.query<{ w: string }>(`SELECT pg_walfile_name(pg_current_wal_lsn()) AS w`)
      ).rows[0]!.w;
      expect(walAfter > walBefore).toBe(true);
      // and what it wrote survives a dump and a restart
      const again = await PGlite.create({ loadDataDir: await db.dumpDataDir('none') });
      try {
        expect(
          (await again.query<{ n: number }>(`SELECT count(*)::int AS n FROM "contacts_synced"`))
            .rows,
        ).toEqual([{ n: 60000 }]);
      } finally {
        await again.close();
      }
    } finally {
      await db.close();
    }
  });

  it("a client started from it syncs and writes, on the runtime's start parameters", async () => {
    await server.database.exec(
      `INSERT INTO "contacts" ("id", "first_name", "email", "status", "tags") VALUES (gen_random_uuid(), 'From image', 'img@example.com', 'lead', '[]')`,
    );
    const c = await startClient(server, undefined, { loadDataDir: image });
    try {
      await eventually(
        async () =>
          (await rows(c, `SELECT 1 FROM "contacts" WHERE "first_name" = 'From image'`)).length ===
          1,
      );
      // the client's Postgres start parameters (db/start-params.ts), not PGlite's 128 MB default
      expect(await rows(c, `SELECT current_setting('shared_buffers') AS v`)).toEqual([
        { v: '64MB' },
      ]);
      const id = String(
        (await c.insert('contacts', { first_name: 'Local', email: 'l@example.com' })).id,
      );
      await eventually(
        async () =>
          (await rows(c, `SELECT 1 FROM "contacts_synced" WHERE "id" = $1`, [id])).length === 1,
      );
    } finally {
      await c.close();
    }
  });
});

describe('cutWal', () => {
  const header = (name: string, size: number): Uint8Array => {
    const h = new Uint8Array(512);
    h.set(new TextEncoder().encode(name), 0);
    h.set(new TextEncoder().encode(size.toString(8).padStart(11, '0')), 124);
    h[156] = 0x30;
    h.fill(0x20, 148, 156);
    const sum = h.reduce((a, b) => a + b, 0);
    h.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0')), 148);
    h[154] = 0;
    return h;
  };
  const tarOf = (files: [string, Uint8Array][]) => {
    const parts: Uint8Array[] = [];
    for (const [name, data] of files) {
      parts.push(
        header(name, data.length),
        data,
        new Uint8Array(Math.ceil(data.length / 512) * 512 - data.length),
      );
    }
    parts.push(new Uint8Array(1024));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) (out.set(p, at), (at += p.length));
    return out;
  };

  it('cuts only WAL segments, at a page boundary after the last non-zero byte, with a valid checksum', () => {
    const seg = new Uint8Array(64 * 1024);
    seg[8192 + 10] = 7; // the second page holds the last byte written
    const other = new Uint8Array(3000).fill(0); // a data file of zeros stays whole
    const cut = cutWal(
      tarOf([
        ['/pg_wal/000000010000000000000001', seg],
        ['/base/5/1234', other],
      ]),
    );
    expect(entries(cut)).toEqual([
      { name: '/pg_wal/000000010000000000000001', size: 16384 },
      { name: '/base/5/1234', size: 3000 },
    ]);
    // checksum: the sum of the header with its checksum field as spaces
    const h = cut.subarray(0, 512);
    const stored = parseInt(new TextDecoder().decode(h.subarray(148, 154)), 8);
    const copy = h.slice();
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((a, b) => a + b, 0));
    expect(cut[512 + 8192 + 10]).toBe(7);
  });
});
