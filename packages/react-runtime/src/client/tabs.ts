/**
 * What the tabs sharing one database (db/open.ts `openSharedDb`) tell each other over a
 * BroadcastChannel. The database is one; what lives in memory is per tab:
 * - changed keys (every tab's collections re-read what any tab committed);
 * - the leader's outbox answers for confirmed writes (the tab that made the write is waiting);
 * - the leader's sync status (online, last error, which shapes were up to date once);
 * - requests of a follower to the leader: drain now (a write was queued; `drainNow`), refresh
 *   a shape (`refetch`). A request is sent again when a new leader announces itself.
 * A follower asks for the status when it starts (`hello`); the leader answers.
 */
import type { ChangedKeys } from './changes.js';
import type { SyncStatus } from './status.js';
import type { WriteOutcome } from './writes.js';

export interface LeaderStatus {
  online: boolean;
  lastError: SyncStatus['lastError'];
  upToDate: string[];
}

/** An error as it crosses tabs: structured clone keeps name and message only. */
interface ErrorShape {
  name: string;
  message: string;
  props: Record<string, unknown>;
}

type Outcome = { ok: true; body: unknown } | { ok: false; error: ErrorShape };

export type TabMessage =
  | { type: 'keys'; table: string; keys: ChangedKeys }
  | { type: 'settled'; writeId: string; outcome: Outcome }
  | { type: 'status'; status: LeaderStatus }
  | { type: 'outbox' }
  | { type: 'hello' }
  | { type: 'leader' }
  | { type: 'kick' }
  | { type: 'request'; id: string; what: 'drain' | { refresh: string } }
  | { type: 'done'; id: string; error?: string };

function toShape(error: unknown): ErrorShape {
  if (error instanceof Error) {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(error)) props[k] = v;
    return { name: error.name, message: error.message, props };
  }
  return { name: 'Error', message: String(error), props: {} };
}

function fromShape(shape: ErrorShape): Error {
  const error = new Error(shape.message);
  error.name = shape.name;
  Object.assign(error, shape.props);
  return error;
}

export class TabBus {
  private readonly channel: BroadcastChannel;
  private readonly pending = new Map<
    string,
    { what: 'drain' | { refresh: string }; done: (error?: string) => void }
  >();
  private closed = false;

  constructor(
    name: string,
    private readonly onMessage: (message: TabMessage) => void,
  ) {
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (event: MessageEvent<TabMessage>) => {
      const m = event.data;
      if (m.type === 'done') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.done(m.error);
      } else if (m.type === 'leader') {
        // the leader changed: what the old one had not answered goes to the new one
        for (const [id, p] of this.pending) this.post({ type: 'request', id, what: p.what });
      }
      this.onMessage(m);
    };
  }

  post(message: TabMessage): void {
    if (!this.closed) this.channel.postMessage(message);
  }

  keys(table: string, keys: ChangedKeys): void {
    this.post({ type: 'keys', table, keys });
  }

  settled(writeId: string, outcome: WriteOutcome): void {
    this.post({
      type: 'settled',
      writeId,
      outcome: outcome.ok ? outcome : { ok: false, error: toShape(outcome.error) },
    });
  }

  static outcomeOf(m: Extract<TabMessage, { type: 'settled' }>): WriteOutcome {
    return m.outcome.ok ? m.outcome : { ok: false, error: fromShape(m.outcome.error) };
  }

  /** Asks the leader; resolves when it answers (a new leader is asked again). */
  request(what: 'drain' | { refresh: string }): Promise<void> {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, {
        what,
        done: (error) => (error === undefined ? resolve() : reject(new Error(error))),
      });
      this.post({ type: 'request', id, what });
    });
  }

  close(): void {
    this.closed = true;
    this.channel.close();
    for (const p of this.pending.values()) p.done('the sync client was closed');
    this.pending.clear();
  }
}
