/**
 * The procedures the database worker runs for its tabs (db/procedures.ts `transact`): each name
 * with the same function the tab would run on its own PGlite. Bundled into the worker.
 */
import { confirmedWrite } from '../client/writes.js';
import { storeAnswers } from '../outbox/answers.js';
import { storeBatch } from '../shape/apply.js';
import type { ProcedureName } from './procedures.js';
import type { Procedure } from './statements.js';

export const PROCEDURES: Readonly<Record<ProcedureName, Procedure<never>>> = {
  'shape.apply': storeBatch,
  'writes.confirmed': confirmedWrite,
  'outbox.answers': storeAnswers,
};
