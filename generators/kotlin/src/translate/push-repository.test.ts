/**
 * Push repositories on the patterns of real-world APIs (issue #10; fixture push-edge-cases), checked
 * without kotlinc (the compile gate in src/compile.test.ts compiles the same output):
 * - every model or runtime type a file names is imported (the list's query-parameter types were
 *   dropped, so `ListMentorsStatus`/`IsoDate` were unresolved and `Metadata` silently meant
 *   `kotlin.Metadata`);
 * - a delete that answers with a body returns it (was: `missing return statement`);
 * - a write that only forwards the answer is an expression body (ktlint
 *   `standard:function-expression-body`).
 */
import type { GeneratedFile } from '@sync/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFixture, kotlinFixtures } from '../testing/fixtures.js';

const RUNTIME_TYPES = ['IsoDate', 'IsoDateTime', 'IsoTime', 'Decimal', 'Base64'];

/**
 * Code without comments and string literals, so only real references are seen. One left-to-right
 * pass: whichever starts first wins, so a `/*` inside a line comment (the banner quotes the spec's
 * title) or a `//` inside a KDoc is not taken for the start of a comment.
 */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$|"(?:\\.|[^"\\])*"/gm, (m) => (m.startsWith('"') ? '""' : ''));
}

/** Type names a file uses that are declared in model/ or the runtime but not imported. */
function unimported(file: GeneratedFile, modelTypes: Set<string>): string[] {
  const body = code(file.contents);
  const pkg = /^package (\S+)/m.exec(body)?.[1] ?? '';
  const imported = new Set([...body.matchAll(/^import (\S+)$/gm)].map((m) => m[1]!.split('.').at(-1)!));
  const inModel = pkg.endsWith('.model');
  const declared = new Set([...body.matchAll(/\b(?:class|interface|object|typealias)\s+(\w+)/g)].map((m) => m[1]!));
  const used = new Set([...body.replace(/^(package|import) .*$/gm, '').matchAll(/\b[A-Z]\w*/g)].map((m) => m[0]));
  return [...used].filter((n) => !imported.has(n) && !declared.has(n) && ((modelTypes.has(n) && !inModel) || RUNTIME_TYPES.includes(n))).sort();
}

describe('push repositories (fixture push-edge-cases)', () => {
  let files: GeneratedFile[] = [];
  beforeAll(async () => {
    files = await generateFixture(kotlinFixtures().find((f) => f.name === 'push-edge-cases')!);
  }, 60_000);
  const repo = () => files.find((f) => f.path === 'data/MentorsRepository.kt')!.contents;

  it('imports the types of the list parameters (enum, date, date-time)', () => {
    expect(repo()).toMatch(/^import com\.example\.pushedgecases\.model\.ListMentorsStatus$/m);
    expect(repo()).toMatch(/^import io\.syncpatterns\.runtime\.serial\.IsoDate$/m);
    expect(repo()).toMatch(/^import io\.syncpatterns\.runtime\.serial\.IsoDateTime$/m);
    expect(repo()).toContain('status: ListMentorsStatus? = null,');
  });

  it('a delete that answers with a body returns it, after dropping the row', () => {
    expect(repo()).toContain(
      ['    ): Message {', '        val answer = api.deleteMentor(id)', '        cache.update { it - id }', '        return answer', '    }'].join('\n'),
    );
  });

  it('a write that only forwards the answer is an expression body', () => {
    expect(repo()).toContain('    ): List<RecordModel> = api.inviteMentors(body)\n');
    expect(repo()).not.toMatch(/\{\n\s+return api\./);
  });
});

describe('every type a generated file names is imported (every fixture)', () => {
  it.each(kotlinFixtures().map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const files = await generateFixture(fixture);
    const modelTypes = new Set(files.filter((f) => f.path.startsWith('model/')).map((f) => f.path.slice(6, -3)));
    const missing = files.filter((f) => f.path.endsWith('.kt')).flatMap((f) => unimported(f, modelTypes).map((n) => `${f.path}: ${n}`));
    expect(missing).toEqual([]);
  }, 60_000);

  it('can fail: finds a model type used without its import', () => {
    const file = { path: 'data/X.kt', contents: 'package a.data\n\nimport a.model.Note\n\nclass X(val n: Note, val m: Metadata, val d: IsoDate)\n' };
    expect(unimported(file, new Set(['Note', 'Metadata']))).toEqual(['IsoDate', 'Metadata']);
  });
});
