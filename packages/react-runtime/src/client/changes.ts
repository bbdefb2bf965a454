/**
 * Which keys of which view changed, announced after each committing transaction by the runtime
 * code that wrote them (writes through the view, shape batches, acknowledgements, rollbacks).
 * Collections re-read exactly those keys from the view instead of re-running and diffing the
 * whole view per commit — that diff cost ~0.4 s per write with 10k rows (see bench/run.ts).
 * `null` keys mean "anything may have changed" (must-refetch).
 */
export type ChangedKeys = readonly string[] | null;

/** The view rows of the changed keys, when the committing transaction read them back. */
export type ChangedRows = readonly Record<string, unknown>[];

type Listener = (keys: ChangedKeys, rows?: ChangedRows) => void;

export class ChangeFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private relay: ((table: string, keys: ChangedKeys) => void) | null = null;

  /** Also announce every change to the other tabs of this database (client/tabs.ts). */
  relayTo(relay: (table: string, keys: ChangedKeys) => void): void {
    this.relay = relay;
  }

  on(table: string, listener: Listener): () => void {
    const set = this.listeners.get(table) ?? new Set();
    set.add(listener);
    this.listeners.set(table, set);
    return () => set.delete(listener);
  }

  /** Does anything in this tab follow `table` (is reading rows back for it worth it)? */
  listening(table: string): boolean {
    return (this.listeners.get(table)?.size ?? 0) > 0;
  }

  /**
   * A change committed by this tab: its listeners (with the rows, when it read them back) and
   * the other tabs' (keys only: they re-read).
   */
  emit(table: string, keys: ChangedKeys, rows?: ChangedRows): void {
    if (keys !== null && keys.length === 0) return;
    this.receive(table, keys, rows);
    this.relay?.(table, keys);
  }

  /** A change another tab committed to the shared database: this tab's listeners only. */
  receive(table: string, keys: ChangedKeys, rows?: ChangedRows): void {
    if (keys !== null && keys.length === 0) return;
    for (const l of this.listeners.get(table) ?? []) l(keys, rows);
  }
}
