/**
 * Wakes long-polls when a table changes. Each table has a version counter; a long-poll reads the
 * version *before* querying the change log and then waits for the version to move past it, so a
 * change committed between the query and the wait is never slept through.
 *
 * Bumped by the REST handlers right after their transaction commits (lowest latency) and by
 * LISTEN/NOTIFY from the capture trigger (covers writes made by anyone else: psql, seeds).
 */

export type WakeReason = 'changed' | 'timeout' | 'closed';

interface Waiter {
  table: string | null;
  resolve: (reason: WakeReason) => void;
}

export class Notifier {
  private readonly versions = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private closed = false;

  version(table: string): number {
    return this.versions.get(table) ?? 0;
  }

  /** Marks `table` changed (or every table, for shape rotation) and wakes its waiters. */
  bump(table: string | null): void {
    if (table === null)
      for (const t of this.versions.keys()) this.versions.set(t, this.version(t) + 1);
    else this.versions.set(table, this.version(table) + 1);
    for (const w of [...this.waiters]) {
      if (table === null || w.table === table) {
        this.waiters.delete(w);
        w.resolve('changed');
      }
    }
  }

  /** Resolves when `table` moves past `seen`, after `ms`, or when the server closes. */
  wait(table: string, seen: number, ms: number): Promise<WakeReason> {
    if (this.closed) return Promise.resolve('closed');
    if (this.version(table) !== seen) return Promise.resolve('changed');
    return new Promise((resolve) => {
      const waiter: Waiter = {
        table,
        resolve: (reason) => {
          clearTimeout(timer);
          resolve(reason);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve('timeout');
      }, ms);
      this.waiters.add(waiter);
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends every pending wait with 'closed' (graceful shutdown). */
  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) w.resolve('closed');
    this.waiters.clear();
  }
}
