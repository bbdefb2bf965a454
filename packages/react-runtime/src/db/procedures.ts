/**
 * A transaction whose statements all run where the database is. With the shared database
 * (db/shared-client.ts) the tab sends its input once and the worker that leads runs `body` there
 * (its procedure `name`, db/worker-procedures.ts): one message and its answer, instead of one
 * round trip per statement while the transaction holds PGlite's lock. With a PGlite of this tab's
 * own (Node, `loadDataDir`) `body` simply runs in a transaction here.
 *
 * `input` and the result cross as structured clones: plain data only.
 */
import type { SyncDb } from './open.js';
import type { Procedure } from './statements.js';

/** The procedures the worker knows (db/worker-procedures.ts maps each name to its body). */
export type ProcedureName = 'shape.apply' | 'writes.confirmed' | 'outbox.answers';

interface ProcedureHost {
  procedure<I, O>(name: string, input: I, body: Procedure<I, O>): Promise<O>;
}

function isHost(db: unknown): db is ProcedureHost {
  return typeof (db as Partial<ProcedureHost>).procedure === 'function';
}

export function transact<I, O>(
  db: SyncDb,
  name: ProcedureName,
  input: I,
  body: Procedure<I, O>,
): Promise<O> {
  if (isHost(db)) return db.procedure(name, input, body);
  return db.transaction((tx) => body(tx, input));
}
