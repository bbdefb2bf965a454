/**
 * Test harness for the generated SQL: builds a SQLite database (sql.js) from the SQL constants
 * found in the generated Swift files and in the runtime's `SyncSharedSQL`, exactly as the Swift
 * runtime would run them. Test-only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'sql.js';
import { extractSqlConstants, type SqlConstant } from './swift-sql.js';
import { generateFixture, repoRoot } from './fixture.js';
import { openDatabase } from './sqlite.js';

export const SHARED_SQL_FILE = path.join(repoRoot, 'packages/swift-runtime/Sources/SyncPatternsRuntime/SharedSQL.swift');

export interface SqlHarness {
  db: Database;
  shared: Record<string, string>;
  /** `ContactSQL` → statements by constant name. */
  entities: Map<string, Record<string, string>>;
  constants: SqlConstant[];
}

function group(constants: SqlConstant[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const c of constants) {
    const [owner, name] = c.name.split('.') as [string, string];
    out.set(owner, { ...(out.get(owner) ?? {}), [name]: c.sql });
  }
  return out;
}

/** Creates the shared tables and every live entity's tables, view and triggers. */
export async function buildDatabase(fixture: string): Promise<SqlHarness> {
  const { result } = await generateFixture(fixture);
  return buildDatabaseFromFiles(result.files);
}

/** {@link buildDatabase} from generated files (e.g. read back from a CLI output folder). */
export async function buildDatabaseFromFiles(files: readonly { path: string; contents: string }[]): Promise<SqlHarness> {
  const constants: SqlConstant[] = [];
  for (const f of files.filter((x) => /^Live\/.+SQL\.swift$/.test(x.path))) constants.push(...(await extractSqlConstants(f.contents)));
  const shared = group(await extractSqlConstants(readFileSync(SHARED_SQL_FILE, 'utf8'))).get('SyncSharedSQL') ?? {};
  const entities = group(constants);
  const db = await openDatabase();
  for (const name of ['createOutbox', 'createOutboxIndex', 'createShapes', 'createMeta', 'createSeenTxids']) db.run(shared[name]!);
  for (const s of entities.values()) {
    for (const name of ['createSynced', 'createLocal', 'createView', 'insertTrigger', 'updateTrigger', 'deleteTrigger']) db.run(s[name]!);
  }
  return { db, shared, entities, constants };
}
