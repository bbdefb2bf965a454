/**
 * The one component interface every entity screen goes through, whatever its sync mode: a
 * description of the entity (columns, form fields, how rows map to form drafts) and a store
 * built from the generated hooks (rows, create, update, remove, in-flight writes).
 */
import type { ReactNode } from 'react';

export type Key = string | number;

/** How writes behave, from the spec's `x-sync`: the UI explains and renders each one. */
export type WriteMode = 'optimistic' | 'confirmed' | 'push';

export type DraftValue = string | boolean;
/** Form values: what the user types, before conversion to the API's body types. */
export type Draft = Record<string, DraftValue>;

export interface Field<D extends Draft> {
  name: keyof D & string;
  label: string;
  type: 'text' | 'email' | 'tel' | 'decimal' | 'select' | 'checkbox';
  options?: readonly string[];
  required?: boolean;
  placeholder?: string;
  autoComplete?: string;
  inputMode?: 'email' | 'decimal' | 'tel';
  hint?: string;
}

export interface Column<R> {
  header: string;
  cell: (row: R) => ReactNode;
  className?: string;
}

export interface EntityModel<R, D extends Draft> {
  /** Stable id, used for test ids and the URL hash. */
  id: string;
  title: string;
  singular: string;
  summary: string;
  writes: WriteMode;
  keyOf: (row: R) => Key;
  labelOf: (row: R) => string;
  labelOfDraft: (draft: D) => string;
  /** Sort order of the list (the hooks return rows in storage order). */
  compare: (a: R, b: R) => number;
  columns: Column<R>[];
  fields: Field<D>[];
  emptyDraft: () => D;
  toDraft: (row: R) => D;
}

export interface InFlight<D> {
  id: number;
  kind: 'create' | 'update' | 'delete';
  key?: Key;
  draft?: D;
}

export interface EntityStore<R, D extends Draft> {
  rows: readonly R[] | undefined;
  loading: boolean;
  loadError: unknown;
  /** Resolve when the generated mutation settles: at once for optimistic live writes. */
  create: (draft: D) => Promise<void>;
  update: (row: R, draft: D) => Promise<void>;
  remove: (row: R) => Promise<void>;
  inflight: readonly InFlight<D>[];
}

/** Live rows carry `_pending` (the local view's flag) while a write has not been reconciled. */
export function isPendingRow(row: unknown): boolean {
  return typeof row === 'object' && row !== null && '_pending' in row && row._pending === true;
}

/** Newest first; rows without a server timestamp yet (local, pending) on top. */
export function byCreatedDesc<R extends { created_at?: string | null }>(
  tieBreak: (row: R) => Key,
): (a: R, b: R) => number {
  return (a, b) => {
    const x = a.created_at ?? '\uffff';
    const y = b.created_at ?? '\uffff';
    if (x !== y) return x < y ? 1 : -1;
    const p = tieBreak(a);
    const q = tieBreak(b);
    return p === q ? 0 : p < q ? 1 : -1;
  };
}

/** `''` → null for nullable text columns. */
export function orNull(value: DraftValue | undefined): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? null : text;
}

export function text(value: DraftValue | undefined): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The entries of `next` that differ from `before` (PATCH sends only what changed). */
export function changed<B extends object>(before: B, next: B): Partial<B> {
  const out: Partial<B> = {};
  for (const key of Object.keys(next) as (keyof B)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(next[key])) out[key] = next[key];
  }
  return out;
}
