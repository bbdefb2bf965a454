/**
 * The sync status behind `useSyncStatus` (a `useSyncExternalStore` source): online, pending
 * writes (total and per entity, counted from `_sync_outbox`), the last error, and whether every
 * shape has been up to date once. Snapshots are immutable, so React re-renders only on change.
 */
import type { SyncDb } from '../db/open.js';
import type { LiveSchema } from '../schema.js';
import { listFailed, type FailedWrite } from './failed.js';

export interface SyncStatus {
  online: boolean;
  pendingWrites: number;
  pendingByEntity: Record<string, number>;
  /** The last error of a write or a shape; null again after the next successful write. */
  lastError: { message: string; status?: number } | null;
  synced: boolean;
  /** Writes the server refused, kept 24 hours (contract §2): retry or discard each. */
  failedWrites: FailedWrite[];
}

export class StatusStore {
  private snapshot: SyncStatus = {
    online: true,
    pendingWrites: 0,
    pendingByEntity: {},
    lastError: null,
    synced: false,
    failedWrites: [],
  };
  private readonly listeners = new Set<() => void>();
  /** `failed_changes` summed when the refused writes were last listed (-1: never). */
  private failedVersion = -1;
  private readonly upToDate = new Set<string>();

  constructor(
    private readonly tables: readonly string[],
    private readonly nameOf: (table: string) => string,
  ) {
    if (tables.length === 0) this.snapshot = { ...this.snapshot, synced: true };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SyncStatus => this.snapshot;

  set(patch: Partial<SyncStatus>): void {
    const next = { ...this.snapshot, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.snapshot)) return;
    this.snapshot = next;
    for (const l of this.listeners) l();
  }

  markUpToDate(table: string): void {
    this.upToDate.add(table);
    this.set({ synced: this.tables.every((t) => this.upToDate.has(t)) });
  }

  /**
   * Reads the kept outbox counts (`_sync_outbox_counts`, one row per table: never a scan of the
   * outbox) and re-lists the refused writes only when a row became or stopped being failed.
   */
  async refresh(db: SyncDb, schema: LiveSchema): Promise<void> {
    const r = await db.query<{ table_name: string; pending: number; failed_changes: number }>(
      `SELECT "table_name", "pending", "failed_changes"::float8 AS "failed_changes" FROM "_sync_outbox_counts"`,
    );
    await this.counted(db, schema, r.rows);
  }

  /**
   * The status of the counts `rows` (read by `refresh`, or by the statement that acknowledged a
   * window of writes): re-lists the refused writes only when `failed_changes` moved.
   */
  async counted(
    db: SyncDb,
    schema: LiveSchema,
    rows: readonly { table_name: string; pending: number; failed_changes: number }[],
  ): Promise<void> {
    const version = rows.reduce((n, row) => n + Number(row.failed_changes), 0);
    let failedWrites = this.snapshot.failedWrites;
    if (version !== this.failedVersion) {
      failedWrites = await listFailed(db, schema);
      this.failedVersion = version;
    }
    const pendingByEntity: Record<string, number> = {};
    for (const row of rows)
      if (row.pending > 0) pendingByEntity[this.nameOf(row.table_name)] = row.pending;
    const pendingWrites = rows.reduce((n, row) => n + row.pending, 0);
    this.set({ pendingWrites, pendingByEntity, failedWrites });
  }
}
