/**
 * swift-format stability (issue #19), as far as it can be checked here: every Swift golden, the
 * runtime and the test app keep the rules of src/testing/swift-format-rules.ts. `swift-format
 * lint` itself runs where a toolchain exists.
 */
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './testing/fixture.js';
import { formatProblems } from './testing/swift-format-rules.js';

function swiftFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    const stat = lstatSync(full);
    if (entry.startsWith('.') || stat.isSymbolicLink()) return [];
    return stat.isDirectory() ? swiftFiles(full) : entry.endsWith('.swift') ? [full] : [];
  });
}

describe('swift-format rules', () => {
  it.each([
    ['a line of 101 columns', `let x = "${'a'.repeat(91)}"\n`, 'LineLength'],
    ['a one-line array with a trailing comma', 'let a = [1, 2,]\n', 'TrailingComma'],
    ['a multi-line array without one', 'let a = [\n  1,\n  2\n]\n', 'TrailingComma'],
    ['a `self_` parameter', 'func f(self_: Int) {}\n', 'AlwaysUseLowerCamelCase'],
    ['a snake_case property', '  public var first_name: String\n', 'AlwaysUseLowerCamelCase'],
  ])('flags %s', (_name, source, rule) => {
    expect(formatProblems(source).map((p) => p.rule)).toContain(rule);
  });

  it('accepts what swift-format leaves alone', () => {
    const ok = [
      'let a = [1, 2]',
      'let b = [',
      '  1,',
      '  2,',
      ']',
      'let sql = """',
      `  SELECT ${'x, '.repeat(40)}y`,
      '  """',
      'func f(`self`: Int, _ raw: String) {}',
      'let s = "a_b: [x,]"',
      '',
    ].join('\n');
    expect(formatProblems(ok)).toEqual([]);
  });

  const roots = ['generators/swift/__goldens__', 'test-apps/swift', 'packages/swift-runtime'];
  const files = roots.flatMap((r) => swiftFiles(path.join(repoRoot, r)));

  it('finds the files it checks', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('goldens, runtime and test app keep them', () => {
    const problems = files.flatMap((f) =>
      formatProblems(readFileSync(f, 'utf8')).map(
        (p) => `${path.relative(repoRoot, f)}:${p.line}: ${p.rule}: ${p.text}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});
