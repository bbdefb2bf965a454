/**
 * The transaction that applies the server's answers to a window or batch of outbox rows (in seq
 * order): acknowledge 2xx (runs of one table as one statement), refuse 4xx (the row and the
 * key's later rows; a 404 on a delete is a success, on an update a tombstone), hold a retryable
 * head (backoff, `Retry-After`). Plain data in and out, so that with the shared database it runs
 * in the worker as one procedure (`outbox.answers`): one message instead of one per statement.
 * The events it implies are returned as effects, in order, by index into the answers; the
 * drainer raises them after the commit.
 */
import { backoffMs, type BackoffPolicy } from '../backoff.js';
import type { Queryable } from '../db/open.js';
import type { LiveEntity } from '../schema.js';
import * as store from './store.js';

/** An answer as it crosses to the worker (a refusal's error as plain fields). */
export type PlainAnswer =
  | { kind: 'ok'; txid: string | null }
  | { kind: 'refused'; status: number; message: string; body: unknown }
  | { kind: 'retry'; retryAfterMs: number | null; network?: boolean };

export interface AnswersInput {
  /** The entities of `rows`. */
  entities: LiveEntity[];
  rows: store.OutboxRecord[];
  answers: PlainAnswer[];
  policy: BackoffPolicy;
}

/**
 * What happens after the commit, in order: the status report of answer `i` (`met`: a delete
 * answered 404, reported as a success), and the settlement of a write id with answer `i`.
 */
export type AnswerEffect =
  { report: number; met?: true } | { settle: string; answer: number; met?: true };

export interface AnswersOutput {
  effects: AnswerEffect[];
  /** A retryable answer holds the queue: later rows must not overtake it. */
  stop: boolean;
  /** The last applied answer was no HTTP answer at all (undefined: none applied). */
  unreachable?: boolean;
}

export async function storeAnswers(
  tx: Queryable,
  { entities, rows, answers, policy }: AnswersInput,
): Promise<AnswersOutput> {
  const entity = (table: string) => {
    const e = entities.find((x) => x.table === table);
    if (!e) throw new Error(`unknown live table ${table}`);
    return e;
  };
  const out: AnswersOutput = { effects: [], stop: false };
  let acks: { row: store.OutboxRecord; txid: string | null }[] = [];
  const flush = async () => {
    const first = acks[0];
    if (first) await store.acknowledge(tx, entity(first.row.table_name), acks);
    acks = [];
  };
  // rows a refusal earlier in this window already rolled back (a batch carries same-key rows)
  const doomedIds = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const answer = answers[i]!;
    if (doomedIds.has(row.write_id)) continue;
    const e = entity(row.table_name);
    const gone = answer.kind === 'refused' && answer.status === 404;
    // status: only the last of a run of successes (each would report the same)
    if (!(answer.kind === 'ok' && answers[i + 1]?.kind === 'ok'))
      out.effects.push(gone && row.op === 'delete' ? { report: i, met: true } : { report: i });
    out.unreachable = answer.kind === 'retry' && answer.network === true;
    if (gone && row.op === 'delete') {
      // the delete's intent is met: another client deleted the row first
      await flush();
      await store.deleteGone(tx, e, row);
      out.effects.push({ settle: row.write_id, answer: i, met: true });
      continue;
    }
    if (answer.kind === 'ok') {
      if (acks[0] && acks[0].row.table_name !== row.table_name) await flush();
      acks.push({ row, txid: answer.txid });
      out.effects.push({ settle: row.write_id, answer: i });
      continue;
    }
    await flush();
    if (answer.kind === 'refused') {
      const failure: store.Failure = {
        status: answer.status,
        message: answer.message,
        body: answer.body,
        failedAt: Date.now(),
      };
      const doomed =
        answer.status === 404 && row.op === 'update'
          ? await store.updateGone(tx, e, row, failure)
          : await store.refuse(tx, e, row, failure);
      for (const d of doomed) {
        doomedIds.add(d.write_id);
        out.effects.push({ settle: d.write_id, answer: i });
      }
    } else {
      const delay = backoffMs(row.attempts + 1, Math.random(), policy);
      await store.retryLater(tx, row, Date.now() + Math.max(delay, answer.retryAfterMs ?? 0));
      out.stop = true;
      break; // the queue waits for its head: later rows must not overtake it
    }
  }
  await flush();
  return out;
}
