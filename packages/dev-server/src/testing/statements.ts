/**
 * Counts the statements the dev server runs on its database (tests of the cost per write: a
 * count, unlike a time, does not depend on the machine's load). Wraps `db.query` and the
 * queryable every `db.transaction` hands out; BEGIN and COMMIT are not counted.
 */
import type { Database, Queryable } from '../db/database.js';

export interface StatementCount {
  count(): number;
  /** The statements run so far, whitespace collapsed. */
  statements(): string[];
  stop(): void;
}

export function countStatements(db: Database): StatementCount {
  const seen: string[] = [];
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  const counted = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      seen.push(sql.replace(/\s+/g, ' ').trim());
      return q.query(sql, params);
    },
  });
  const target = db as { query: Database['query']; transaction: Database['transaction'] };
  target.query = (sql, params) => counted({ query }).query(sql, params);
  target.transaction = (fn, isolation) => transaction((tx) => fn(counted(tx)), isolation);
  return {
    count: () => seen.length,
    statements: () => [...seen],
    stop: () => {
      target.query = query;
      target.transaction = transaction;
    },
  };
}
