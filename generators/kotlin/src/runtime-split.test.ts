/**
 * Runtime code lives in the runtime (issue #15): no generated file is the same in every app. Over
 * every fixture with live entities, a file path generated for all of them must differ somewhere
 * below its banner and package line (the shared sync tables and their DAO were such files: they
 * are now the runtime's `io.syncpatterns.runtime.room.SyncTables`/`SyncTablesDao`, and the app's
 * one-line `@Dao SyncDao` sits in its `SyncDatabase.kt`). And no generated file declares a type
 * the runtime declares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFile } from '@sync/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFixture, kotlinFixtures, repoRoot } from './testing/fixtures.js';

/** A file's text below its banner and package line (what would be copied between apps). */
const body = (contents: string): string => contents.slice(contents.search(/^package .*$/m)).replace(/^package .*$/m, '');

function kotlinFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.kt'))
    .map((e) => path.join(e.parentPath, e.name));
}

const declared = (source: string): string[] =>
  [...source.matchAll(/^(?:(?:abstract|data|sealed|enum|open|internal|value|annotation)\s+)*(?:class|interface|object|typealias)\s+(\w+)/gm)].map((m) => m[1]!);

describe('runtime code is not generated', () => {
  const outputs = new Map<string, GeneratedFile[]>();
  beforeAll(async () => {
    for (const fixture of kotlinFixtures()) outputs.set(fixture.name, await generateFixture(fixture));
  }, 120_000);

  it('no file is identical in every app with live entities', () => {
    const live = [...outputs].filter(([, files]) => files.some((f) => f.path.endsWith('Database.kt')));
    expect(live.length).toBeGreaterThanOrEqual(3);
    const byPath = new Map<string, Set<string>>();
    for (const [, files] of live) {
      for (const f of files.filter((x) => x.path.endsWith('.kt'))) {
        byPath.set(f.path, (byPath.get(f.path) ?? new Set()).add(body(f.contents)));
      }
    }
    const counts = new Map<string, number>();
    for (const [, files] of live) for (const f of files) counts.set(f.path, (counts.get(f.path) ?? 0) + 1);
    const copied = [...byPath].filter(([p, bodies]) => counts.get(p) === live.length && bodies.size === 1).map(([p]) => p);
    expect(copied).toEqual([]);
  });

  it('no generated file declares a type of the runtime', () => {
    const runtime = new Set(['main', 'room'].flatMap((set) => kotlinFiles(path.join(repoRoot, 'packages/kotlin-runtime/src', set))).flatMap((f) => declared(readFileSync(f, 'utf8'))));
    expect(runtime).toContain('SyncTablesDao');
    const clashes = [...outputs].flatMap(([name, files]) => files.flatMap((f) => declared(f.contents).filter((d) => runtime.has(d)).map((d) => `${name}/${f.path}: ${d}`)));
    expect(clashes).toEqual([]);
  });
});
