/**
 * The hooks generated live-mode code calls, with the push hooks' result shapes so that flipping
 * `x-sync` never changes a component: `useLiveRows` / `useLiveRow` → `{ data, isLoading, error }`
 * over a TanStack DB live query on the entity's collection (list filters become equality
 * predicates on the columns they name; other parameters such as paging are ignored locally), and
 * `useLiveMutation` → TanStack Query's `{ mutate, mutateAsync, isPending, error }` writing through
 * the view. Plus `useSyncStatus`.
 */
import { eq, useLiveQuery } from '@tanstack/react-db';
import { type MutationOptions, useMutation, type UseMutationResult } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { SyncClient } from '../client/create.js';
import type { SyncStatus } from '../client/status.js';
import type { FailedWrite } from '../client/failed.js';
import type { LiveEntity } from '../schema.js';
import { useSyncClient, useSyncContext } from './context.js';

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

function useRows<T>(table: string, where: [string, unknown][]): LiveResult<T[]> {
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
  return {
    data: q.isReady ? (q.data as unknown as T[]) : undefined,
    isLoading: !q.isReady,
    error: q.isError ? new Error(`live query on ${table} failed`) : null,
  };
}

/** The entity's rows (optionally filtered), live. */
export function useLiveRows<T>(table: string, filter?: object): LiveResult<(T & LiveMeta)[]> {
  const client = useSyncClient();
  return useRows<T & LiveMeta>(table, equalities(client.entity(table), filter));
}

/** One row by primary key, live (`data` undefined while loading or when absent). */
export function useLiveRow<T>(table: string, key: unknown): LiveResult<T & LiveMeta> {
  const client = useSyncClient();
  const rows = useRows<T & LiveMeta>(table, [[client.entity(table).primaryKey, key]]);
  return { ...rows, data: rows.data?.[0] };
}

/** Columns the view adds to every row. */
export interface LiveMeta {
  /** A local write of this row is not confirmed by the server yet. */
  _pending?: boolean;
}

/** How the generated mutation's variables map to a write. */
export type VariablesShape = 'body' | 'params+body' | 'id+body' | 'id' | 'params';

function toWrite(
  e: LiveEntity,
  role: 'create' | 'update' | 'delete',
  shape: VariablesShape,
  v: unknown,
) {
  const o = (v ?? {}) as Record<string, unknown>;
  const params = (o.params ?? (shape === 'params' ? o : {})) as Record<string, unknown>;
  const mapped: Record<string, unknown> = {};
  for (const p of e.operations[role]?.params ?? []) mapped[p.column] = params[p.name];
  const body = (shape === 'body' ? o : (o.body ?? {})) as object;
  const key = shape === 'id' ? v : shape === 'id+body' ? o.id : mapped[e.primaryKey];
  return { key, values: { ...body, ...mapped } };
}

const ROLE = { insert: 'create', update: 'update', delete: 'delete' } as const;

/**
 * The mutation options behind {@link useLiveMutation}. `networkMode: 'always'`: the write goes to
 * the local database, so it must run while the browser is offline (TanStack Query's default,
 * 'online', would pause it until the network came back and the UI would show nothing).
 */
export function liveMutationOptions<TResult, TVariables>(
  client: SyncClient,
  table: string,
  op: 'insert' | 'update' | 'delete',
  shape: VariablesShape,
): MutationOptions<TResult, Error, TVariables> {
  return {
    networkMode: 'always',
    mutationFn: async (variables: TVariables): Promise<TResult> => {
      const e = client.entity(table);
      const w = toWrite(e, ROLE[op], shape, variables);
      if (op === 'insert') return (await client.insert(table, w.values)) as TResult;
      if (op === 'update') return (await client.update(table, w.key, w.values)) as TResult;
      await client.remove(table, w.key);
      return undefined as TResult;
    },
  };
}

/** A mutation writing through the view: optimistic ones settle at commit, confirmed ones with the server. */
export function useLiveMutation<TResult, TVariables>(
  table: string,
  op: 'insert' | 'update' | 'delete',
  shape: VariablesShape,
): UseMutationResult<TResult, Error, TVariables> {
  const { client, queryClient } = useSyncContext();
  return useMutation(
    liveMutationOptions<TResult, TVariables>(client, table, op, shape),
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
