/**
 * The Swift engine tests (Tests/SyncPatternsRuntimeTests/EngineTests.swift) run a copy of the
 * generator's output for fixtures/todo (Tests/…/Fixtures/TodoFixture.swift). This fails when the
 * copy no longer matches what the generator emits today, so the tests never exercise stale SQL.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateFixture } from '../../../generators/swift/src/testing/fixture.js';
import { extractSqlConstants } from '../../../generators/swift/src/testing/swift-sql.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const copy = readFileSync(
  path.join(
    root,
    'packages/swift-runtime/Tests/SyncPatternsRuntimeTests/Fixtures/TodoFixture.swift',
  ),
  'utf8',
);

/** The declaration starting at `marker`, up to the next top-level closing brace. */
function declaration(source: string, marker: string): string {
  const start = source.indexOf(marker);
  if (start < 0) throw new Error(`${marker} not found`);
  const end = source.indexOf('\n}\n', start);
  return source
    .slice(start, end + 2)
    .replace(/^public enum/gm, 'enum')
    .replace(/^ {2}public static/gm, '  static');
}

describe('the engine tests use the generator’s current todo output', () => {
  it('TodoSQL: same statements', async () => {
    const { result } = await generateFixture('todo');
    const generated = result.files.find((f) => f.path === 'Live/TodoSQL.swift')!;
    const sql = async (s: string) =>
      Object.fromEntries((await extractSqlConstants(s)).map((c) => [c.name, c.sql]));
    const expected = await sql(generated.contents);
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    expect(await sql(copy)).toEqual(expected);
  });

  it('TodoSyncTable: same descriptor', async () => {
    const { result } = await generateFixture('todo');
    const generated = result.files.find((f) => f.path === 'Live/TodoSyncTable.swift')!;
    const marker = 'enum TodoSyncTable';
    expect(declaration(copy, marker)).toBe(
      declaration(generated.contents, `public ${marker}`).replace(/^public /, ''),
    );
  });
});

/**
 * The benchmark (Sources/SyncPatternsBench) drives the generated todo store: Generated/ holds
 * files of the generator's todo output, unchanged. This fails when one of them is stale: copy it
 * again from generators/swift/__goldens__/todo (or the generator's output) when it does.
 */
describe('the benchmark uses the generator’s current todo output', () => {
  const dir = path.join(root, 'packages/swift-runtime/Sources/SyncPatternsBench/Generated');
  const copies = readdirSync(dir).filter((f) => f.endsWith('.swift'));

  it('holds the store and what it needs', () => {
    expect(copies).toEqual(
      expect.arrayContaining(['TodosStore.swift', 'TodoRecords.swift', 'TodoSyncTable.swift']),
    );
  });

  it.each(copies)('%s is the generator’s file, unchanged', async (name) => {
    const { result } = await generateFixture('todo');
    const generated = result.files.filter((f) => path.basename(f.path) === name);
    expect(generated.map((f) => f.path)).toHaveLength(1);
    expect(readFileSync(path.join(dir, name), 'utf8')).toBe(generated[0]!.contents);
  });
});
