/**
 * The browser database's files in IndexedDB, written incrementally: PGlite's `MemfsFrontendFS`
 * (the data dir in memory, every write tracked) with this `StorageBackend`, which stores each
 * file as 64 KiB blocks and, after a commit, writes only the blocks the commit changed.
 *
 * Why: PGlite's `IdbFs` is Emscripten's IDBFS, whose flush after each commit lists every file of
 * the data dir, reads every IndexedDB entry's timestamp and copies each changed file whole — the
 * 16 MiB WAL segment at every commit. In Chromium (tools/e2e/trace.ts, TRACE_MODE=ab) a flush took
 * 100–185 ms, two per write and tab, and the same run without IndexedDB measured create in A →
 * visible in B p50 76 ms against 112–115 ms: the flushes held the database worker's thread.
 *
 * Layout (one IndexedDB database per data dir, `sync-patterns-pgdata:<name>`): store `entries`,
 * one record per file or directory by its path under PGDATA (`/base/1/1259`): `{ path, dir }` or
 * `{ path, size, mtime }`; store `blocks`, key `[path, index]`, the bytes of block `index` (the last
 * block of a file may be shorter; a missing block reads as zeros). One flush is one IndexedDB
 * transaction: a crash keeps all of it or none.
 *
 * A data dir that an older version kept in IDBFS (database `/pglite/<name>`) is copied into this
 * layout the first time it is opened, then that database is deleted.
 */
import type {
  ChangeSet,
  FileWrite,
  StorageBackend,
  StorageEntry,
} from '@electric-sql/pglite/memfs-frontend';

export const BLOCK = 64 * 1024;

interface DirRecord {
  path: string;
  dir: true;
}
interface FileRecord {
  path: string;
  size: number;
  mtime: number;
}
type EntryRecord = DirRecord | FileRecord;

const ENTRIES = 'entries';
const BLOCKS = 'blocks';

/** The IndexedDB database that holds `name`'s data dir. */
export const storeName = (name: string): string => `sync-patterns-pgdata:${name}`;
/** Where PGlite's IDBFS (`IdbFs`) kept `name`'s data dir. */
export const legacyIdbfsName = (name: string): string => `/pglite/${name}`;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function open(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  const r = factory.open(name, 1);
  r.onupgradeneeded = () => {
    const db = r.result;
    if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: 'path' });
    if (!db.objectStoreNames.contains(BLOCKS)) db.createObjectStore(BLOCKS);
  };
  return request(r);
}

/** Every key of a file's blocks. */
const fileBlocks = (path: string) => IDBKeyRange.bound([path, 0], [path, Infinity]);
/** Every entry strictly under directory `path`. */
const under = (path: string) => IDBKeyRange.bound(`${path}/`, `${path}/\uffff`);
/** Every block of every file strictly under directory `path`. */
const blocksUnder = (path: string) =>
  IDBKeyRange.bound([`${path}/`, 0], [`${path}/\uffff`, Infinity]);

/** `path`'s bytes from its blocks (indexes in order; gaps and a short tail read as zeros). */
function assemble(size: number, blocks: { index: number; data: Uint8Array }[]): Uint8Array {
  const out = new Uint8Array(size);
  for (const { index, data } of blocks) {
    const at = index * BLOCK;
    if (at >= size) break;
    out.set(data.subarray(0, Math.min(data.length, size - at)), at);
  }
  return out;
}

export class IdbBlockStore implements StorageBackend {
  private db: IDBDatabase | null = null;

  constructor(
    /** The data dir's name (`idb://<name>`). */
    readonly name: string,
    private readonly factory: IDBFactory = indexedDB,
  ) {}

  async init(): Promise<void> {
    this.db = await open(this.factory, storeName(this.name));
    await this.migrateLegacy();
  }

  private get idb(): IDBDatabase {
    if (this.db === null) throw new Error('IdbBlockStore: init() first');
    return this.db;
  }

  async *load(): AsyncIterable<StorageEntry> {
    const tx = this.idb.transaction([ENTRIES, BLOCKS], 'readonly');
    // keys sort parents before their children ('/base' < '/base/1')
    const entries = (await request(tx.objectStore(ENTRIES).getAll())) as EntryRecord[];
    const files = await Promise.all(
      entries.map(async (e) => {
        if ('dir' in e) return null;
        const blocks = tx.objectStore(BLOCKS);
        const range = fileBlocks(e.path);
        const [keys, values] = await Promise.all([
          request(blocks.getAllKeys(range)),
          request(blocks.getAll(range)),
        ]);
        return assemble(
          e.size,
          values.map((data, i) => ({
            index: (keys[i] as [string, number])[1],
            data: data as Uint8Array,
          })),
        );
      }),
    );
    for (const [i, e] of entries.entries()) {
      if ('dir' in e) yield { kind: 'dir', path: e.path };
      else yield { kind: 'file', path: e.path, data: files[i]!, mtime: e.mtime };
    }
  }

  async apply(changes: ChangeSet): Promise<void> {
    const tx = this.idb.transaction([ENTRIES, BLOCKS], 'readwrite');
    const finished = done(tx);
    const entries = tx.objectStore(ENTRIES);
    const blocks = tx.objectStore(BLOCKS);
    try {
      for (const op of changes.ops) {
        if (op.op === 'mkdir') {
          entries.put({ path: op.path, dir: true } satisfies DirRecord);
          continue;
        }
        // recursive, and not an error when nothing is there
        entries.delete(op.path);
        entries.delete(under(op.path));
        blocks.delete(fileBlocks(op.path));
        blocks.delete(blocksUnder(op.path));
      }
      const { wal, data, control } = changes.files;
      for (const file of [...wal, ...data, ...control]) await this.write(entries, blocks, file);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already aborted by the request that failed
      }
      await finished.catch(() => undefined);
      throw error;
    }
    await finished;
  }

  /** One file's changes: its record, then only the blocks its chunks touch. */
  private async write(entries: IDBObjectStore, blocks: IDBObjectStore, f: FileWrite) {
    const mtime = Date.now();
    entries.put({ path: f.path, size: f.size, mtime } satisfies FileRecord);
    const last = Math.ceil(f.size / BLOCK); // first block index past the end
    if (f.full) blocks.delete(fileBlocks(f.path));
    else if (f.truncate) {
      blocks.delete(IDBKeyRange.bound([f.path, last], [f.path, Infinity]));
      // the new last block keeps only the bytes before the end
      const tail = f.size % BLOCK;
      if (tail !== 0) {
        const old = (await request(blocks.get([f.path, last - 1]))) as Uint8Array | undefined;
        if (old !== undefined && old.length > tail)
          blocks.put(old.slice(0, tail), [f.path, last - 1]);
      }
    }
    // the blocks this write changes, each read once when a chunk covers only part of it
    const touched = new Map<number, Uint8Array>();
    for (const { at, data } of f.chunks) {
      const end = at + data.length;
      for (let index = Math.floor(at / BLOCK); index * BLOCK < end; index++) {
        const start = index * BLOCK;
        const length = Math.min(BLOCK, f.size - start);
        if (length <= 0) break;
        let block = touched.get(index);
        if (block === undefined) {
          block = new Uint8Array(length);
          const whole = at <= start && end >= start + length;
          if (!whole && !f.full) {
            const old = (await request(blocks.get([f.path, index]))) as Uint8Array | undefined;
            if (old !== undefined) block.set(old.subarray(0, length));
          }
          touched.set(index, block);
        }
        const from = Math.max(at, start);
        const to = Math.min(end, start + length);
        block.set(data.subarray(from - at, to - at), from - start);
      }
    }
    for (const [index, block] of touched) blocks.put(block, [f.path, index]);
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
  }

  /**
   * A data dir an older version kept in IDBFS: copied into this layout (in one transaction, only
   * when this one is still empty), then the IDBFS database is deleted (also when an earlier copy
   * committed but the page closed before the deletion).
   */
  private async migrateLegacy(): Promise<void> {
    const legacy = legacyIdbfsName(this.name);
    const known = this.factory.databases ? await this.factory.databases() : null;
    if (known !== null && !known.some((d) => d.name === legacy)) return;
    const count = await request(
      this.idb.transaction(ENTRIES, 'readonly').objectStore(ENTRIES).count(),
    );
    if (count === 0) await this.copyLegacy(legacy);
    // not awaited: a connection still open elsewhere would hold the deletion (and the start)
    void request(this.factory.deleteDatabase(legacy)).catch(() => undefined);
  }

  private async copyLegacy(legacy: string): Promise<void> {
    const old = await new Promise<IDBDatabase | null>((resolve, reject) => {
      const r = this.factory.open(legacy);
      // no such database (a browser without `databases()`): create nothing
      r.onupgradeneeded = () => r.transaction?.abort();
      r.onsuccess = () => resolve(r.result);
      r.onerror = () =>
        r.error?.name === 'AbortError' ? resolve(null) : reject(r.error ?? new Error('open'));
    });
    if (old === null) return;
    try {
      if (!old.objectStoreNames.contains('FILE_DATA')) return;
      const store = old.transaction('FILE_DATA', 'readonly').objectStore('FILE_DATA');
      const [keys, values] = await Promise.all([
        request(store.getAllKeys()),
        request(store.getAll()),
      ]);
      const changes: ChangeSet = { ops: [], files: { wal: [], data: [], control: [] } };
      for (const [i, key] of keys.entries()) {
        const path = String(key).slice(legacy.length);
        if (path === '') continue;
        const value = values[i] as { mode: number; contents?: Uint8Array };
        // S_IFDIR
        if ((value.mode & 0o170000) === 0o040000) changes.ops.push({ op: 'mkdir', path });
        else {
          const data = value.contents ?? new Uint8Array(0);
          changes.files.data.push({
            path,
            size: data.length,
            full: true,
            truncate: true,
            chunks: [{ at: 0, data }],
          });
        }
      }
      await this.apply(changes);
    } finally {
      old.close();
    }
  }
}
