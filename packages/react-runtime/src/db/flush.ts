/**
 * PGlite's relaxed durability flushes to IndexedDB in the background, without awaiting it. The
 * flush (Emscripten's IDBFS `syncfs`) lists the files, reads IndexedDB, then stats each file it
 * must copy: a query that deletes a file in between (Postgres drops temporary and old files all
 * the time) makes the stat fail with `ErrnoError` (ENOENT). Nobody awaits that promise, so the
 * page got an uncaught `ErrnoError` (issue #11) — and that flush stopped part-way, so a tab
 * closed before the next query's flush lost the newest writes.
 *
 * `retryFlushes` makes such a flush run again (the file list is read afresh each time) until it
 * completes, inside PGlite's flush mutex, so no error escapes and the data reaches IndexedDB.
 */
import { IdbFs } from '@electric-sql/pglite';

type Flushing = Pick<IdbFs, 'syncToFs'>;

/** An Emscripten file-system error (`FS.ErrnoError`: `name` 'ErrnoError', numeric `errno`). */
export function isFsError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, errno } = e as { name?: unknown; errno?: unknown };
  return name === 'ErrnoError' || typeof errno === 'number';
}

const ATTEMPTS = 50;

export function retryFlushes<F extends Flushing>(
  fs: F,
  pause = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): F {
  const flush = fs.syncToFs.bind(fs);
  fs.syncToFs = async (relaxed?: boolean) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await flush(relaxed);
      } catch (e) {
        if (!isFsError(e)) throw e;
        if (attempt >= ATTEMPTS) {
          // Still racing after ~2.5 s of retries: the next query's flush copies everything.
          console.warn('sync-patterns: an IndexedDB flush failed; the next write retries it', e);
          return;
        }
        await pause(attempt < 5 ? 10 : 50);
      }
    }
  };
  return fs;
}

/**
 * PGlite's file system for an `idb://name` data dir, with `retryFlushes`, or undefined for any
 * other data dir. Given to `PGlite.create({ fs })`, so that the flushes PGlite makes while it
 * starts (a fresh database's initdb writes and deletes many files) are covered too.
 */
export function idbFs(dataDir: string | undefined): IdbFs | undefined {
  if (!dataDir?.startsWith('idb://')) return undefined;
  return retryFlushes(new IdbFs(dataDir.slice('idb://'.length)));
}
