/**
 * Group commit of single writes (PGlite): the entity writes (create, update, replace, delete)
 * that arrive while the database is busy with a transaction are run together in the next one,
 * through the batch machinery (rest/batch.ts) as independent writes, instead of one transaction
 * each.
 *
 * PGlite is one connection: its transactions run one at a time, so a write that arrives while
 * another runs waits anyway, and waiting in a group costs it nothing. PGlite also runs its
 * statements synchronously (WASM) behind promises, so a transaction never lets another request's
 * I/O in: a group is started with `setImmediate`, after the event loop has read every request
 * that arrived with this one, and it takes the writes that are waiting once its transaction has
 * begun. A lone request is delayed by one turn of the event loop, no more. A group costs
 * BEGIN, the keys read, one INSERT per run of creates of one table (one statement per other
 * write), the keys stored and COMMIT, instead of BEGIN, a key lookup, the write, the key stored
 * and COMMIT per write.
 *
 * Each write keeps its single request's answer: the same handlers (validation, permissions,
 * Idempotency-Key replay, stale bindings, 404s, error bodies), its own status and body, the txid
 * of the transaction that applied it (shared by the writes of its group: docs/backend-contract.md
 * §1 asks only that it be the applying transaction's), and a refused write rolled back alone
 * without touching the others (no 424 between independent requests). A retryable failure (5xx,
 * 429) answers that write; the writes after it in the group were not applied and run in the next
 * group. Two writes with the same Idempotency-Key never share a group: the later one runs in the
 * next and replays the first.
 */
import type { Reply } from './request.js';
import type { WriteItem } from './batch.js';

interface Waiting<W> {
  item: W;
  resolve(reply: Reply): void;
  reject(error: unknown): void;
}

export class WriteGroups<W extends WriteItem> {
  private readonly queue: Waiting<W>[] = [];
  private active = false;

  /**
   * `runGroup` begins a transaction, then calls `take` for its writes (those that arrived while
   * it waited for the database join), applies them in order and answers them in order, up to and
   * including the first retryable one (at least one answer).
   */
  constructor(
    private readonly runGroup: (take: () => W[]) => Promise<Reply[]>,
    private readonly maxGroup = 64,
  ) {}

  /** Queues `item`; resolves with its answer once its group committed. */
  submit(item: W): Promise<Reply> {
    const answer = new Promise<Reply>((resolve, reject) =>
      this.queue.push({ item, resolve, reject }),
    );
    if (!this.active) {
      this.active = true;
      setImmediate(() => void this.drain());
    }
    return answer;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        let group: Waiting<W>[] = [];
        let replies: Reply[];
        try {
          replies = await this.runGroup(() => {
            group = this.take();
            return group.map((g) => g.item);
          });
        } catch (error) {
          // (a transaction that could not begin took none: the first in line get its error)
          if (group.length === 0) group = this.take();
          for (const g of group) g.reject(error);
          continue;
        }
        if (replies.length === 0) {
          const error = new Error('a write group answered none of its writes');
          for (const g of group) g.reject(error);
          continue;
        }
        group.forEach((g, i) => {
          const reply = replies[i];
          if (reply !== undefined) g.resolve(reply);
        });
        // not applied (after a retryable failure): first in line for the next group
        this.queue.unshift(...group.slice(replies.length));
      }
    } finally {
      // set in the same tick as the last look at the queue: a later submit starts a new drain
      this.active = false;
    }
  }

  /** The next group: the first waiting writes in order, skipping a key already in the group. */
  private take(): Waiting<W>[] {
    const group: Waiting<W>[] = [];
    const keys = new Set<string>();
    for (let i = 0; i < this.queue.length && group.length < this.maxGroup;) {
      const id = this.queue[i]!.item.write_id;
      if (id !== null && keys.has(id)) {
        i++;
        continue;
      }
      if (id !== null) keys.add(id);
      group.push(...this.queue.splice(i, 1));
    }
    return group;
  }
}
