/**
 * The hooks generated live-mode code calls, with the push hooks' types so that flipping `x-sync`
 * never changes a component: `useLiveRows` / `useLiveRow` return TanStack Query's
 * `UseQueryResult<T[], Error>` / `UseQueryResult<T, Error>` over a TanStack DB live query on the
 * entity's collection (list filters are equality predicates on the columns they name — the
 * generated hook only accepts those), and `useLiveMutation` → TanStack Query's `UseMutationResult`
 * writing through the view, its variables mapped by a generated, typed function. Plus
 * `useSyncStatus` and `useFailedWrites`.
 */
import { eq, useLiveQuery } from '@tanstack/react-db';
import {
  type MutationOptions,
  type QueryObserverResult,
  useMutation,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useSyncExternalStore } from 'react';
import type { SyncClient } from '../client/create.js';
import type { SyncStatus } from '../client/status.js';
import type { FailedWrite } from '../client/failed.js';
import type { LiveEntity } from '../schema.js';
import { useSyncClient, useSyncContext } from './context.js';

/** @deprecated the live hooks return `UseQueryResult`; kept for code written against 0.1. */
export interface LiveResult<T> {
  data: T | undefined;
  isLoading: boolean;
  error: Error | null;
}

type Ref = Record<string, unknown>;

function equalities(e: LiveEntity, filter: object | undefined): [string, unknown][] {
  const columns = new Set(e.columns.map((c) => c.name));
  return Object.entries(filter ?? {}).filter(([k, v]) => columns.has(k) && v !== undefined);
}

/**
 * A `UseQueryResult` with honest values for live data: `pending` until the collection has loaded
 * the local rows, then `success` (the data is the local database's, kept current by the shape:
 * never stale); `error` when the live query failed (with its cause); `isFetching` while a
 * `refetch` asks the shape for fresh data; `dataUpdatedAt` = when the data last changed.
 */
function queryResult<T>(
  data: T | undefined,
  ready: boolean,
  error: Error | null,
  fetching: boolean,
  dataUpdatedAt: number,
  errorUpdatedAt: number,
  refetch: () => Promise<QueryObserverResult<T, Error>>,
): UseQueryResult<T, Error> {
  const failed = error !== null;
  const success = ready && !failed;
  const base = {
    data: success ? data : undefined,
    dataUpdatedAt,
    error,
    errorUpdatedAt,
    failureCount: failed ? 1 : 0,
    failureReason: error,
    errorUpdateCount: failed ? 1 : 0,
    isError: failed,
    isFetched: ready || failed,
    isFetchedAfterMount: ready || failed,
    isFetching: fetching || (!ready && !failed),
    isLoading: !ready && !failed,
    isPending: !ready && !failed,
    isLoadingError: failed && !ready,
    isInitialLoading: !ready && !failed,
    isPaused: false,
    isPlaceholderData: false,
    isRefetchError: failed && ready,
    isRefetching: fetching && ready,
    isStale: false,
    isSuccess: success,
    isEnabled: true,
    refetch,
    status: failed ? 'error' : success ? 'success' : 'pending',
    fetchStatus: fetching || (!ready && !failed) ? 'fetching' : 'idle',
  };
  return base as UseQueryResult<T, Error>;
}

function useRows<T>(table: string, where: [string, unknown][]): UseQueryResult<T[], Error> {
  const client = useSyncClient();
  const collection = client.collection(table);
  const q = useLiveQuery(
    (b) =>
      where.reduce(
        (query, [k, v]) => query.where(({ r }) => eq((r as unknown as Ref)[k], v)),
        b.from({ r: collection }),
      ),
    [collection, JSON.stringify(where)],
  );
  const ready = q.isReady;
  const data = ready ? (q.data as unknown as T[]) : undefined;
  const error = q.isError
    ? new Error(`live query on ${table} failed`, { cause: client.collectionError(table) })
    : null;
  // when the data last changed: a new array from the live query is a change
  const updated = useRef({ data: undefined as unknown, at: 0 });
  if (data !== undefined && data !== updated.current.data)
    updated.current = { data, at: Date.now() };
  const [fetching, setFetching] = useFetching();
  const latest = useRef<UseQueryResult<T[], Error> | null>(null);
  const refetch = useCallback(async () => {
    setFetching(true);
    try {
      await client.refresh(table);
    } finally {
      setFetching(false);
    }
    return latest.current as QueryObserverResult<T[], Error>;
  }, [client, table, setFetching]);
  const result = useMemo(
    () =>
      queryResult<T[]>(
        data,
        ready,
        error,
        fetching,
        updated.current.at,
        error ? Date.now() : 0,
        refetch,
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, ready, q.isError, fetching, refetch],
  );
  latest.current = result;
  return result;
}

/** A boolean state shared by `refetch` and the result (a tiny useState without re-exports). */
function useFetching(): [boolean, (v: boolean) => void] {
  const store = useRef<{ value: boolean; listeners: Set<() => void> }>({
    value: false,
    listeners: new Set(),
  });
  const subscribe = useCallback((l: () => void) => {
    store.current.listeners.add(l);
    return () => store.current.listeners.delete(l);
  }, []);
  const value = useSyncExternalStore(
    subscribe,
    () => store.current.value,
    () => false,
  );
  const set = useCallback((v: boolean) => {
    store.current.value = v;
    for (const l of store.current.listeners) l();
  }, []);
  return [value, set];
}

/**
 * The entity's rows (optionally filtered by column equalities), live. The type is exactly the
 * push hook's (`UseQueryResult<T[], Error>`); each row also carries the view's `_pending` flag
 * ({@link isPendingRow}).
 */
export function useLiveRows<T>(table: string, filter?: object): UseQueryResult<T[], Error> {
  const client = useSyncClient();
  return useRows<T>(table, equalities(client.entity(table), filter));
}

/** One row by primary key, live (`data` undefined while loading or when absent). */
export function useLiveRow<T>(table: string, key: unknown): UseQueryResult<T, Error> {
  const client = useSyncClient();
  const rows = useRows<T>(table, [[client.entity(table).primaryKey, key]]);
  return useMemo(() => {
    const { refetch } = rows;
    const one = async () => {
      const r = await refetch();
      return { ...r, data: r.data?.[0] } as QueryObserverResult<T, Error>;
    };
    return { ...rows, data: rows.data?.[0], refetch: one } as UseQueryResult<T, Error>;
  }, [rows]);
}

/** Columns the view adds to every row. */
export interface LiveMeta {
  /** A local write of this row is not confirmed by the server yet. */
  _pending?: boolean;
}

/** A live row whose local write the server has not confirmed yet (the view's `_pending`). */
export function isPendingRow(row: unknown): boolean {
  return typeof row === 'object' && row !== null && (row as LiveMeta)._pending === true;
}

/**
 * What a mutation's variables mean locally: the primary key of the row (update, delete) and the
 * column values to write (insert, update). Generated hooks pass a typed function building it.
 */
export interface LiveWrite {
  key?: unknown;
  values?: object;
}

/**
 * The mutation options behind {@link useLiveMutation}. `networkMode: 'always'`: the write goes to
 * the local database, so it must run while the browser is offline (TanStack Query's default,
 * 'online', would pause it until the network came back and the UI would show nothing).
 */
export function liveMutationOptions<TResult, TVariables>(
  client: SyncClient,
  table: string,
  op: 'insert' | 'update' | 'delete',
  toWrite: (variables: TVariables) => LiveWrite,
): MutationOptions<TResult, Error, TVariables> {
  return {
    networkMode: 'always',
    mutationFn: async (variables: TVariables): Promise<TResult> => {
      const w = toWrite(variables);
      if (op === 'insert') return (await client.insert(table, w.values ?? {})) as TResult;
      if (op === 'update') return (await client.update(table, w.key, w.values ?? {})) as TResult;
      await client.remove(table, w.key);
      return undefined as TResult;
    },
  };
}

/** A mutation writing through the view: optimistic ones settle at commit, confirmed ones with the server. */
export function useLiveMutation<TResult, TVariables>(
  table: string,
  op: 'insert' | 'update' | 'delete',
  toWrite: (variables: TVariables) => LiveWrite,
): UseMutationResult<TResult, Error, TVariables> {
  const { client, queryClient } = useSyncContext();
  return useMutation(
    liveMutationOptions<TResult, TVariables>(client, table, op, toWrite),
    queryClient,
  );
}

/** Online state, pending writes (total and per entity), the last error, and initial sync. */
export function useSyncStatus(): SyncStatus {
  const { status } = useSyncClient();
  return useSyncExternalStore(status.subscribe, status.getSnapshot, status.getSnapshot);
}

export interface FailedWrites {
  /** Writes the server refused (kept 24 hours), oldest first. */
  failedWrites: FailedWrite[];
  /** Makes the write again (a new write with the same values); settles like the original. */
  retry(writeId: string): Promise<void>;
  /** Forgets it (its local change was already rolled back). */
  discard(writeId: string): Promise<void>;
}

/** The refused writes, live, with retry/discard for each (contract §2 errors API). */
export function useFailedWrites(): FailedWrites {
  const client = useSyncClient();
  const { failedWrites } = useSyncStatus();
  return { failedWrites, retry: client.retryWrite, discard: client.discardWrite };
}
