/**
 * The browser database's IndexedDB store (db/idb-store.ts, db/flush.ts), on fake-indexeddb: the
 * bytes of random block-level writes, truncations and removals against an in-memory model; a
 * database written, closed and opened again; a data dir that PGlite's IDBFS kept, carried over.
 */
import 'fake-indexeddb/auto';
import { IdbFs, PGlite } from '@electric-sql/pglite';
import type { ChangeSet, FileWrite } from '@electric-sql/pglite/memfs-frontend';
import { describe, expect, it } from 'vitest';
import { idbFs } from './db/flush.js';
import { BLOCK, IdbBlockStore, legacyIdbfsName, storeName } from './db/idb-store.js';

const changes = (files: FileWrite[], ops: ChangeSet['ops'] = []): ChangeSet => ({
  ops,
  files: { wal: [], data: files, control: [] },
});

async function loaded(store: IdbBlockStore): Promise<Map<string, Uint8Array | 'dir'>> {
  const out = new Map<string, Uint8Array | 'dir'>();
  for await (const e of store.load()) out.set(e.path, e.kind === 'dir' ? 'dir' : e.data);
  return out;
}

/** mulberry32: a small deterministic generator (the failing seed is in the test name). */
function random(seed: number) {
  let a = seed;
  return (n: number) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

describe('IdbBlockStore', () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps the bytes of random writes, truncations and removals (seed ${seed})`, async () => {
      const rnd = random(seed);
      const store = new IdbBlockStore(`model-${seed}`);
      await store.init();
      const model = new Map<string, Uint8Array>();
      const paths = ['/base/1/1259', '/base/1/2619', '/pg_wal/000000010000000000000001'];
      await store.apply(changes([], [{ op: 'mkdir', path: '/base' }]));
      for (let step = 0; step < 40; step++) {
        const path = paths[rnd(paths.length)]!;
        const old = model.get(path);
        const kind = old === undefined ? 0 : rnd(4);
        if (kind === 3) {
          await store.apply(changes([], [{ op: 'remove', path }]));
          model.delete(path);
          continue;
        }
        let file: FileWrite;
        let next: Uint8Array;
        if (kind === 0) {
          // written whole (new, or moved)
          next = Uint8Array.from({ length: rnd(4 * BLOCK) }, () => rnd(256));
          file = { path, size: next.length, full: true, truncate: true, chunks: [] };
          for (let at = 0; at < next.length; at += 50_000)
            file.chunks.push({ at, data: next.slice(at, at + 50_000) });
        } else if (kind === 1) {
          // chunks at random places, maybe past the end (the file grows)
          const size = Math.max(old!.length, rnd(4 * BLOCK));
          next = new Uint8Array(size);
          next.set(old!.subarray(0, size));
          file = { path, size, full: false, truncate: false, chunks: [] };
          for (let i = 0; i < 1 + rnd(4); i++) {
            const at = rnd(size);
            const data = Uint8Array.from({ length: Math.min(size - at, rnd(BLOCK * 2)) }, () =>
              rnd(256),
            );
            next.set(data, at);
            file.chunks.push({ at, data });
          }
        } else {
          // resized (shorter or longer), then one write
          const size = rnd(4 * BLOCK);
          next = new Uint8Array(size);
          next.set(old!.subarray(0, Math.min(size, old!.length)));
          const at = rnd(size + 1);
          const data = Uint8Array.from({ length: Math.min(size - at, 100) }, () => rnd(256));
          next.set(data, at);
          file = { path, size, full: false, truncate: true, chunks: [{ at, data }] };
        }
        await store.apply(changes([file]));
        model.set(path, next);
      }
      const stored = await loaded(store);
      expect(stored.get('/base')).toBe('dir');
      for (const path of paths) expect([path, stored.get(path)]).toEqual([path, model.get(path)]);
      await store.close();
    });
  }

  it('removes a directory with everything under it, and nothing next to it', async () => {
    const store = new IdbBlockStore('remove-dir');
    await store.init();
    const file = (path: string): FileWrite => ({
      path,
      size: 3,
      full: true,
      truncate: true,
      chunks: [{ at: 0, data: Uint8Array.of(1, 2, 3) }],
    });
    await store.apply(
      changes(
        [file('/base/1/a'), file('/base/10/b'), file('/base-x/c')],
        ['/base', '/base/1', '/base/10', '/base-x'].map((path) => ({ op: 'mkdir', path })),
      ),
    );
    await store.apply(changes([], [{ op: 'remove', path: '/base/1' }]));
    expect([...(await loaded(store)).keys()]).toEqual([
      '/base',
      '/base-x',
      '/base-x/c',
      '/base/10',
      '/base/10/b',
    ]);
    await store.close();
  });
});

describe('a PGlite database on idb://', () => {
  const table = async (db: PGlite) =>
    (await db.query<{ id: number; v: string }>('SELECT "id", "v" FROM "t" ORDER BY "id"')).rows;

  it('is there, whole, when it is opened again (after writes, an update of every row, a VACUUM FULL)', async () => {
    const first = await PGlite.create({ fs: idbFs('idb://reopen') });
    await first.exec(`CREATE TABLE "t" ("id" int PRIMARY KEY, "v" text)`);
    await first.exec(
      `INSERT INTO "t" SELECT i, repeat('x', 200) || i FROM generate_series(1, 5000) AS i`,
    );
    await first.exec(`UPDATE "t" SET "v" = 'updated ' || "id" WHERE "id" % 3 = 0`);
    await first.exec(`VACUUM FULL "t"`);
    await first.exec(`DELETE FROM "t" WHERE "id" > 4000`);
    const before = await table(first);
    await first.close();
    const second = await PGlite.create({ fs: idbFs('idb://reopen') });
    expect(await table(second)).toEqual(before);
    expect(before).toHaveLength(4000);
    await second.close();
  });

  it('kept by an earlier version in IDBFS: carried over, and the IDBFS database deleted', async () => {
    const old = await PGlite.create({ fs: new IdbFs('legacy') });
    await old.exec(`CREATE TABLE "t" ("id" int PRIMARY KEY, "v" text)`);
    await old.exec(`INSERT INTO "t" SELECT i, 'v' || i FROM generate_series(1, 500) AS i`);
    const before = await table(old);
    await old.close();
    expect((await indexedDB.databases()).map((d) => d.name)).toContain(legacyIdbfsName('legacy'));
    const db = await PGlite.create({ fs: idbFs('idb://legacy') });
    expect(await table(db)).toEqual(before);
    await db.exec(`INSERT INTO "t" VALUES (501, 'after')`);
    await db.close();
    const names = (await indexedDB.databases()).map((d) => d.name);
    expect(names).toContain(storeName('legacy'));
    expect(names).not.toContain(legacyIdbfsName('legacy'));
    const again = await PGlite.create({ fs: idbFs('idb://legacy') });
    expect(await table(again)).toHaveLength(501);
    await again.close();
  });
});
