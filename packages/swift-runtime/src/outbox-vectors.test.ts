/**
 * Without a Swift compiler, checks that the Swift XCTest replaying
 * fixtures/runtime-vectors/outbox.json (Tests/SyncPatternsRuntimeTests/OutboxVectorTests.swift)
 * reads everything the vector holds: each event type is handled, each event field is a property
 * of its `Event` struct, and each expectation field is produced by its `state(of:)`. A vector
 * that grows a new event type or field fails here until the Swift test handles it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const swiftTest = readFileSync(
  path.join(root, 'packages/swift-runtime/Tests/SyncPatternsRuntimeTests/OutboxVectorTests.swift'),
  'utf8',
);
interface VectorCase {
  name: string;
  events: Record<string, unknown>[];
  expect: Record<string, unknown>;
}
const vectors = JSON.parse(
  readFileSync(path.join(root, 'fixtures/runtime-vectors/outbox.json'), 'utf8'),
) as {
  policy: Record<string, number>;
  cases: VectorCase[];
};

/** The body of a Swift declaration starting at `header` (brace-matched). */
function block(source: string, header: string): string {
  const start = source.indexOf(header);
  if (start < 0) throw new Error(`${header} not found`);
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    if (source[i] === '{') depth++;
    if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`${header} is not closed`);
}

const eventTypes = new Set(
  [...block(swiftTest, 'static let eventTypes').matchAll(/"([a-z-]+)"/g)].map((m) => m[1]!),
);
const handled = new Set(
  [...block(swiftTest, 'private func apply(').matchAll(/case ((?:"[a-z-]+",? ?)+):/g)].flatMap(
    (m) => [...m[1]!.matchAll(/"([a-z-]+)"/g)].map((x) => x[1]!),
  ),
);
const eventFields = new Set(
  [...block(swiftTest, 'struct Event: Decodable').matchAll(/var (\w+):/g)].map((m) => m[1]!),
);
const stateKeys = new Set(
  [...block(swiftTest, 'private func state(of').matchAll(/"(\w+)":/g)].map((m) => m[1]!),
);

describe('the Swift outbox vector test covers outbox.json', () => {
  it('the vector file has cases', () => {
    expect(vectors.cases.length).toBeGreaterThan(0);
  });

  it('the parser of the Swift test finds its tables', () => {
    expect(eventTypes.size).toBeGreaterThan(5);
    expect(eventFields).toContain('writeId');
    expect(stateKeys).toContain('outbox');
  });

  for (const c of vectors.cases) {
    it(c.name, () => {
      for (const [i, e] of c.events.entries()) {
        const type = String(e.type);
        expect(eventTypes, `event ${i} type ${type} listed`).toContain(type);
        expect(handled, `event ${i} type ${type} handled in apply`).toContain(type);
        for (const field of Object.keys(e))
          expect(eventFields, `event ${i} field ${field}`).toContain(field);
      }
      for (const key of Object.keys(c.expect)) expect(stateKeys, `expect.${key}`).toContain(key);
      const rows = (c.expect.outbox as Record<string, unknown>[] | undefined) ?? [];
      for (const row of rows)
        for (const key of Object.keys(row))
          expect(stateKeys, `expect.outbox[].${key}`).toContain(key);
      for (const r of (c.expect.rejected as Record<string, unknown>[] | undefined) ?? [])
        for (const key of Object.keys(r))
          expect(stateKeys, `expect.rejected[].${key}`).toContain(key);
    });
  }

  it('the policy decodes into BackoffPolicy (baseMs, factor, maxMs)', () => {
    expect(Object.keys(vectors.policy).sort()).toEqual(['baseMs', 'factor', 'maxMs']);
  });
});
