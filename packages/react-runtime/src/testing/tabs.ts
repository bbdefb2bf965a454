/**
 * Test support for the shared database in Node: Web Locks (Node 20 has none) with owners, so
 * that a worker's locks go when it is terminated; a dedicated worker run in-process
 * (db/worker-main.ts on a pair of event targets, messages structured-cloned and delivered
 * asynchronously like `postMessage`); and a count of every message a tab and the workers post
 * (worker ports and BroadcastChannels).
 */
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { runDbWorker, type WorkerScope } from '../db/worker-main.js';
import { isCall, STATEMENT_ANSWER, UNKNOWN_CALL, type StatementAnswer } from '../db/statements.js';

/** The calls a worker of an older build (before procedures and pipelined begins) did not know. */
const NEWER_CALLS: readonly string[] = ['run', 'beginQuery', 'beginExec'];

type Grant = () => void;

/** Web Locks shared by every owner of one "browser profile". */
export class Locks {
  private readonly held = new Set<string>();
  private readonly queues = new Map<string, { owner: Set<Grant>; grant: Grant }[]>();

  /** A `navigator.locks` for one context (a tab or a worker); `drop()` ends the context. */
  manager(): { locks: LockManager; drop(): void } {
    const owned = new Set<Grant>();
    const request = (
      name: string,
      a: LockOptions | LockGrantedCallback,
      b?: LockGrantedCallback,
    ): Promise<unknown> => {
      const options: LockOptions = typeof a === 'function' ? {} : a;
      const callback = (typeof a === 'function' ? a : b) as LockGrantedCallback;
      return new Promise((resolve, reject) => {
        const grant = () => {
          this.held.add(name);
          let released = false;
          const release = () => {
            if (released) return;
            released = true;
            owned.delete(release);
            this.held.delete(name);
            this.queues.get(name)?.shift()?.grant();
          };
          owned.add(release);
          Promise.resolve()
            .then(() => callback({ name, mode: 'exclusive' }))
            .then(
              (v) => {
                release();
                resolve(v);
              },
              (e: unknown) => {
                release();
                reject(e);
              },
            );
        };
        if (!this.held.has(name)) grant();
        else if (options.ifAvailable) Promise.resolve(callback(null)).then(resolve, reject);
        else {
          const queue = this.queues.get(name) ?? [];
          queue.push({ owner: owned, grant });
          this.queues.set(name, queue);
        }
      });
    };
    const locks = { request, query: () => Promise.resolve({}) } as unknown as LockManager;
    return {
      locks,
      drop: () => {
        for (const [, queue] of this.queues)
          for (let i = queue.length - 1; i >= 0; i--)
            if (queue[i]!.owner === owned) queue.splice(i, 1);
        for (const release of [...owned]) release();
      },
    };
  }
}

/** Messages posted, by kind: worker ports (both ways) and BroadcastChannels (every channel). */
export class MessageCount {
  worker = 0;
  broadcast = 0;
  private readonly restore: () => void;

  /** Every channel opened since (closed by `dispose`: an open one keeps Node running). */
  private readonly channels: BroadcastChannel[] = [];

  constructor() {
    const Original = globalThis.BroadcastChannel;
    const post = Original.prototype.postMessage;
    const count = this;
    Original.prototype.postMessage = function (this: BroadcastChannel, m: unknown) {
      count.broadcast++;
      post.call(this, m);
    };
    globalThis.BroadcastChannel = class extends Original {
      constructor(name: string) {
        super(name);
        count.channels.push(this);
      }
    };
    this.restore = () => {
      Original.prototype.postMessage = post;
      globalThis.BroadcastChannel = Original;
    };
  }

  get total(): number {
    return this.worker + this.broadcast;
  }

  reset(): void {
    this.worker = 0;
    this.broadcast = 0;
  }

  /** Messages posted while `run` ran. */
  async during(run: () => Promise<unknown>): Promise<number> {
    this.reset();
    await run();
    return this.total;
  }

  dispose(): void {
    for (const c of this.channels) c.close();
    this.restore();
  }
}

/**
 * A dedicated worker running db/worker-main.ts in this process, on `open` (a Node PGlite) and its
 * own Web Locks context. `terminate()` stops its messages and drops its locks. `olderBuild`: its
 * tab's calls that an older build's worker did not know are answered as that worker did.
 */
export function inProcessWorker(
  locks: Locks,
  count: MessageCount,
  open: (options: PGliteOptions) => Promise<PGlite>,
  olderBuild = false,
): Worker {
  const toWorker = new EventTarget();
  const toTab = new EventTarget();
  let alive = true;
  const deliver = (target: EventTarget, data: unknown) => {
    count.worker++;
    const copy: unknown = structuredClone(data);
    setImmediate(() => {
      if (alive) target.dispatchEvent(new MessageEvent('message', { data: copy }));
    });
  };
  const context = locks.manager();
  const scope: WorkerScope = {
    postMessage: (m) => deliver(toTab, m),
    addEventListener: (type, l) => toWorker.addEventListener(type, l as EventListener),
    removeEventListener: (type, l) => toWorker.removeEventListener(type, l as EventListener),
  };
  void runDbWorker({ scope, locks: context.locks, open });
  const worker = {
    postMessage: (m: unknown) => {
      if (olderBuild && isCall(m) && NEWER_CALLS.includes(m.method)) {
        count.worker++;
        const answer: StatementAnswer = {
          type: STATEMENT_ANSWER,
          id: m.id,
          ok: false,
          error: { name: 'Error', message: `${UNKNOWN_CALL} ${m.method}`, props: {} },
        };
        deliver(toTab, answer);
        return;
      }
      deliver(toWorker, m);
    },
    addEventListener: (type: string, l: EventListener, o?: AddEventListenerOptions) =>
      toTab.addEventListener(type, l, o),
    removeEventListener: (type: string, l: EventListener) => toTab.removeEventListener(type, l),
    terminate: () => {
      alive = false;
      context.drop();
    },
  };
  return worker as unknown as Worker;
}
