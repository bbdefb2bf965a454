/** sql.js (SQLite compiled to WASM) for tests: one in-memory database per call. Test-only. */
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';

const require = createRequire(import.meta.url);
let sqlJs: Promise<SqlJsStatic> | undefined;

export async function openDatabase(): Promise<Database> {
  sqlJs ??= initSqlJs({ locateFile: (f: string) => require.resolve(`sql.js/dist/${f}`) });
  return new (await sqlJs).Database();
}

/** Rows of a query as objects. */
export function all(db: Database, sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const rows: Record<string, SqlValue>[] = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    return rows;
  } finally {
    stmt.free();
  }
}

/** Runs one statement with numbered parameters. */
export function run(db: Database, sql: string, params: SqlValue[] = []): void {
  db.run(sql, params);
}
