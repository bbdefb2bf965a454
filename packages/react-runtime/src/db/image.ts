/**
 * A compact start image for `createSyncClient({ loadDataDir })`: an empty database with the
 * runtime's tables and the app's local schema already applied (contract §1), checkpointed, and
 * without what a client never reads.
 *
 * A PGlite started from a `dumpDataDir()` tarball unpacks every file of it into memory and then
 * replays its WAL from the last checkpoint. A bare `initdb` dump is 40 MB: a 16 MiB WAL segment
 * (7 MB of it written, the rest zeros), and the catalogs of `template0` and `template1` (7 MB
 * each) next to those of `postgres`, the only database PGlite opens. The image made here drops
 * both templates (in SQL, so the catalog says so), checkpoints so that nothing is replayed, and
 * cuts the WAL segment after its last written page (Postgres reads a short segment's end as the
 * end of the WAL, and writes on from there): about 16 MB. Its schema is applied, so `migrate`
 * finds every hash equal and changes nothing. `wal_init_zero` is off (see below).
 *
 * Measured (Node, start of `createSyncClient` until ready, CPU time at load ~12): bare dump
 * ~1,000 ms + migrations ~200 ms; this image: see ARCHITECTURE.md.
 */
import { PGlite } from '@electric-sql/pglite';
import type { LiveSchema } from '../schema.js';
import { migrate } from './migrate.js';
import type { SyncDb } from './open.js';

/** Postgres's WAL page size: a cut segment keeps whole pages. */
const WAL_PAGE = 8192;
const BLOCK = 512;

/**
 * The start image of `schema` (every table empty): a tarball for `loadDataDir`. Made once (at
 * build time, or once per process) and reused for every client that starts empty.
 */
export async function createStartImage(schema: LiveSchema): Promise<Blob> {
  const db = await PGlite.create();
  try {
    await migrate(db as unknown as SyncDb, schema);
    for (const name of ['template0', 'template1']) {
      await db.exec(`UPDATE pg_database SET datistemplate = false WHERE datname = '${name}'`);
      await db.exec(`DROP DATABASE IF EXISTS ${name}`);
    }
    // A new WAL segment is made by writing its last byte instead of 16 MiB of zeros, which an
    // in-memory file system grows to in ~100 steps, copying the file each time (the WAL passes
    // into a new segment every ~100,000 synced rows). Its files are zero-filled anyway.
    await db.exec('ALTER SYSTEM SET wal_init_zero = off');
    await db.exec('CHECKPOINT');
    const tar = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
    return new Blob([cutWal(tar)], { type: 'application/x-tar' });
  } finally {
    await db.close();
  }
}

const isWalSegment = (name: string): boolean => /(^|\/)pg_wal\/[0-9A-F]{24}$/.test(name);

function readString(block: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && block[end] !== 0) end++;
  return new TextDecoder().decode(block.subarray(offset, end));
}

/** Writes `size` (octal) into a ustar header and recomputes its checksum. */
function setSize(header: Uint8Array, size: number): void {
  const octal = size.toString(8).padStart(11, '0');
  for (let i = 0; i < 11; i++) header[124 + i] = octal.charCodeAt(i);
  header[135] = 0;
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  const check = sum.toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) header[148 + i] = check.charCodeAt(i);
  header[154] = 0;
  header[155] = 0x20;
}

/**
 * The tarball with every WAL segment cut after its last page that holds a byte other than zero.
 * Exported for its test; anything it does not recognise as a ustar archive is returned as is.
 */
export function cutWal(tar: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let pos = 0;
  while (pos + BLOCK <= tar.length) {
    const header = tar.subarray(pos, pos + BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = readString(header, 0, 100);
    const prefix = readString(header, 345, 155);
    const size = parseInt(readString(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) return tar;
    const data = tar.subarray(pos + BLOCK, pos + BLOCK + size);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (header[156] === 0x30 /* '0' */ || header[156] === 0) {
      const full = prefix ? `${prefix}/${name}` : name;
      if (isWalSegment(full)) {
        let last = data.length;
        while (last > 0 && data[last - 1] === 0) last--;
        const cut = Math.min(data.length, Math.ceil(last / WAL_PAGE) * WAL_PAGE);
        const h = header.slice();
        setSize(h, cut);
        parts.push(h, data.subarray(0, cut), new Uint8Array(Math.ceil(cut / BLOCK) * BLOCK - cut));
        pos += BLOCK + padded;
        continue;
      }
    }
    parts.push(tar.subarray(pos, pos + BLOCK + padded));
    pos += BLOCK + padded;
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
