/**
 * The browser database's file system: PGlite's `MemfsFrontendFS` (the data dir in memory, with
 * every write tracked) over `IdbBlockStore` (db/idb-store.ts), which writes to IndexedDB only the
 * blocks each commit changed.
 *
 * It replaces PGlite's `IdbFs` (Emscripten's IDBFS), whose flush listed the data dir, then
 * stat-ed each file it had to copy: a file Postgres deleted in between made the un-awaited flush
 * fail with an uncaught `ErrnoError` (issue #11). `MemfsFrontendFS` records the changes as they
 * happen and snapshots them synchronously at flush time, so there is no such race; a flush that
 * fails (IndexedDB refused it) keeps its changes pending for the next one.
 */
import { MemfsFrontendFS } from '@electric-sql/pglite/memfs-frontend';
import { IdbBlockStore } from './idb-store.js';

/** PGlite's file system for an `idb://name` data dir, or undefined for any other data dir. */
export function idbFs(dataDir: string | undefined): MemfsFrontendFS | undefined {
  if (!dataDir?.startsWith('idb://')) return undefined;
  return new MemfsFrontendFS(new IdbBlockStore(dataDir.slice('idb://'.length)));
}
