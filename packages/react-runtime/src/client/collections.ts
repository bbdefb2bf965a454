/**
 * One TanStack DB collection per live entity, fed from the local view `T`: an initial
 * `SELECT * FROM T`, then, for every committed change the `ChangeFeed` announces, a re-read of
 * just those keys (`WHERE pk = ANY(…)`, which reaches both tables' indexes through the view's
 * UNION ALL form) turned into insert/update/delete sync writes. Mutation handlers write through
 * the view (the triggers append the outbox) and return only once the collection has the synced
 * row, so the optimistic state is replaced in one step (no flicker). `useLiveQuery` filters and
 * joins across these collections.
 */
import { createCollection, type Collection } from '@tanstack/db';
import type { SyncDb } from '../db/open.js';
import { ident, viewRowsSql, type LiveEntity } from '../schema.js';
import type { ChangedKeys, ChangeFeed } from './changes.js';
import type { LiveRowValue, Writes } from './writes.js';

export type LiveKey = string | number;
export type LiveCollection = Collection<LiveRowValue, LiveKey>;

export interface EntityCollection {
  collection: LiveCollection;
  /** Resolves once every change announced so far is in the collection. */
  flush(): Promise<void>;
  /** Why the collection failed (a live hook's `error.cause`), or null. */
  error(): unknown;
}

export function entityCollection(
  db: SyncDb,
  e: LiveEntity,
  writes: Writes,
  feed: ChangeFeed,
): EntityCollection {
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const keyOf = (row: LiveRowValue) => row[e.primaryKey] as LiveKey;
  const all = `SELECT * FROM ${ident(e.table)}`;
  const some = viewRowsSql(e);
  const collection = createCollection<LiveRowValue, LiveKey>({
    id: `sync-patterns:${e.table}`,
    getKey: keyOf,
    startSync: true,
    gcTime: 0,
    sync: {
      sync: ({ begin, write, commit, markReady, markError, truncate }) => {
        const rows = new Map<string, LiveRowValue>();
        let stopped = false;
        /** Reads not yet in the collection (the first one, then announced changes). */
        let queued = 1;
        const apply = async (keys: ChangedKeys, read?: readonly LiveRowValue[]) => {
          const r = read
            ? { rows: read }
            : await db.query<LiveRowValue>(keys === null ? all : some, keys === null ? [] : [keys]);
          if (stopped) return;
          begin();
          if (keys === null) {
            rows.clear();
            truncate({ markReady: false });
          }
          const found = new Set<string>();
          for (const row of r.rows) {
            const k = String(keyOf(row));
            found.add(k);
            write({ type: rows.has(k) ? 'update' : 'insert', value: row });
            rows.set(k, row);
          }
          for (const k of keys ?? []) {
            const old = rows.get(k);
            if (old && !found.has(k)) {
              rows.delete(k);
              write({ type: 'delete', value: old });
            }
          }
          commit();
        };
        /**
         * `rows`: the view rows of `keys` as the committing transaction left them (a shape batch
         * reads them back in its transaction: no re-read round trip). Used only when nothing
         * announced earlier is still waiting: a re-read queued before them may run after a later
         * commit, and these rows must never replace a newer state with an older one.
         */
        const enqueue = (keys: ChangedKeys, fresh?: readonly LiveRowValue[]) => {
          const read = queued === 0 ? fresh : undefined;
          queued++;
          chain = chain
            .then(() => apply(keys, read))
            .catch((error: unknown) => {
              failure = error;
              markError(error);
            })
            .finally(() => queued--);
        };
        chain = apply(null)
          .then(() => markReady())
          .catch((error: unknown) => {
            failure = error;
            markError(error);
          })
          .finally(() => queued--);
        const off = feed.on(e.table, enqueue);
        return () => {
          stopped = true;
          off();
        };
      },
    },
    onInsert: async ({ transaction }) => {
      for (const m of transaction.mutations) await writes.insert(e, m.modified);
      await chain;
    },
    onUpdate: async ({ transaction }) => {
      for (const m of transaction.mutations) await writes.update(e, m.key, m.changes);
      await chain;
    },
    onDelete: async ({ transaction }) => {
      for (const m of transaction.mutations) await writes.remove(e, m.key);
      await chain;
    },
  });
  return { collection, flush: () => chain, error: () => failure };
}
