/**
 * A minimal follower of one Electric shape (`GET <shapes>?table=…`), for the checker: it syncs to
 * up-to-date, then long-polls and keeps every change message it sees, so checks can ask "did a
 * change for this key with this txid arrive?" and "did anything else arrive?".
 */

export interface ShapeMessage {
  headers: { operation?: string; control?: string; txids?: (number | string)[] };
  key?: string;
  value?: Record<string, unknown>;
}

export interface ChangeSeen {
  operation: string;
  pk: string | null;
  txids: string[];
  value: Record<string, unknown>;
}

export class ShapeError extends Error {}

export class ShapeFollower {
  private handle: string | null = null;
  private offset = '-1';
  private cursor: string | null = null;
  /** Every change message received after the initial sync, in order. */
  readonly changes: ChangeSeen[] = [];

  constructor(
    private readonly url: string,
    private readonly table: string,
    private readonly pkColumn: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** Syncs to up-to-date (the snapshot is read and dropped: only later changes count). */
  async start(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const upToDate = await this.request(false, deadline, false);
      if (upToDate) return;
      if (Date.now() > deadline)
        throw new ShapeError(
          `the shape of ${this.table} did not reach up-to-date in ${timeoutMs} ms`,
        );
    }
  }

  /** Long-polls until a change matching `match` has been seen, or the deadline. */
  async waitFor(match: (c: ChangeSeen) => boolean, timeoutMs: number): Promise<ChangeSeen | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.changes.find(match);
      if (hit) return hit;
      if (Date.now() >= deadline) return null;
      await this.request(true, deadline, true);
    }
  }

  /** Collects what arrives during `ms` (a quiet window), then returns the changes since `mark`. */
  async settle(mark: number, ms: number): Promise<ChangeSeen[]> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) await this.request(true, deadline, true);
    return this.changes.slice(mark);
  }

  private async request(live: boolean, deadline: number, keep: boolean): Promise<boolean> {
    const u = new URL(this.url);
    u.searchParams.set('table', this.table);
    u.searchParams.set('offset', this.offset);
    if (this.handle !== null) u.searchParams.set('handle', this.handle);
    if (live) {
      u.searchParams.set('live', 'true');
      if (this.cursor !== null) u.searchParams.set('cursor', this.cursor);
    }
    const remaining = Math.max(1, deadline - Date.now());
    let res: Response;
    try {
      res = await fetch(u, { headers: this.headers, signal: AbortSignal.timeout(remaining) });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') return false;
      throw new ShapeError(`GET ${u.toString()} failed: ${(error as Error).message}`);
    }
    const text = await res.text();
    if (res.status === 409) {
      // must-refetch: restart; rows of the new snapshot are not changes made by the checks.
      this.handle = res.headers.get('electric-handle');
      this.offset = '-1';
      this.cursor = null;
      while (!(await this.request(false, deadline, false))) {
        if (Date.now() >= deadline) return false;
      }
      return false;
    }
    if (res.status !== 200)
      throw new ShapeError(`GET ${u.toString()} answered ${res.status}: ${text.slice(0, 300)}`);
    const handle = res.headers.get('electric-handle');
    const offset = res.headers.get('electric-offset');
    if (handle === null || offset === null)
      throw new ShapeError(
        `GET ${u.toString()} answered without electric-handle / electric-offset headers`,
      );
    this.handle = handle;
    this.offset = offset;
    this.cursor = res.headers.get('electric-cursor') ?? this.cursor;
    let messages: ShapeMessage[];
    try {
      messages = text === '' ? [] : (JSON.parse(text) as ShapeMessage[]);
    } catch {
      throw new ShapeError(`GET ${u.toString()} answered a body that is not JSON`);
    }
    let upToDate = res.headers.has('electric-up-to-date');
    for (const m of messages) {
      if (m.headers.control === 'up-to-date') upToDate = true;
      if (keep && m.headers.operation !== undefined) this.changes.push(this.change(m));
    }
    return upToDate;
  }

  private change(m: ShapeMessage): ChangeSeen {
    const value = m.value ?? {};
    const raw = value[this.pkColumn];
    const fromKey = m.key === undefined ? null : (/\/"((?:[^"]|"")*)"$/.exec(m.key)?.[1] ?? null);
    return {
      operation: m.headers.operation ?? '',
      pk: raw === undefined || raw === null ? fromKey : String(raw),
      txids: (m.headers.txids ?? []).map(String),
      value,
    };
  }
}
