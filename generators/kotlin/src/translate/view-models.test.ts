/**
 * View models hold data, never code (issue #15): every string a plan's view carries, over every
 * fixture, is a name or a type (`ContactStatus`, `List<Map<String, Int>>?`, `AuthStyle`-free), a
 * single Kotlin string literal, a plain number/boolean literal, or comment text (KDoc built by
 * core's `docComment`, banner lines). Expressions, calls and argument lists are printed by the
 * templates from data (flags, lists, names).
 */
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../../../packages/core/src/index.js';
import { resolveOptions } from '../options.js';
import { kotlinFixtures, repoRoot } from '../testing/fixtures.js';
import { translate } from './index.js';

/** Keys whose strings are comment text, not code. */
const COMMENT_KEYS = new Set(['doc', 'serializerDoc', 'banner']);
const NAME_OR_TYPE = /^[\w`.]+(?:<[\w`.<>?, *]+>)?\??$/;
const STRING_LITERAL = /^"(?:\\.|[^"\\$]|\\\$)*"$/;
const NUMBER_OR_BOOL = /^(?:-?\d+(?:\.\d+)?[Lf]?|true|false|null)$/;

/** Strings of `value` that are neither names, types nor literals, with their paths. */
function codeStrings(value: unknown, at: string, out: string[]): void {
  if (typeof value === 'string') {
    if (value !== '' && !NAME_OR_TYPE.test(value) && !STRING_LITERAL.test(value) && !NUMBER_OR_BOOL.test(value)) out.push(`${at}: ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => codeStrings(v, `${at}[${i}]`, out));
  } else if (value && typeof value === 'object' && !(value instanceof Map)) {
    for (const [k, v] of Object.entries(value)) {
      // `source`/`column`: the IR objects some views keep for the translator's own use (never printed).
      if (COMMENT_KEYS.has(k) || k === 'source' || k === 'column') continue;
      codeStrings(v, `${at}.${k}`, out);
    }
  }
}

describe('view models', () => {
  it.each(kotlinFixtures().map((f) => [f.name, f] as const))('%s: hold names, types and literals, no code', async (_name, fixture) => {
    const ir = (await loadSpec(fixture.spec, { cwd: repoRoot })).ir!;
    const plans = translate(ir, resolveOptions({ package: fixture.pkg }), { name: '@sync/kotlin', version: '0' });
    const found: string[] = [];
    for (const plan of plans) codeStrings(plan.view, plan.path, found);
    expect(found).toEqual([]);
  }, 60_000);

  it('can fail: flags an expression', () => {
    const found: string[] = [];
    codeStrings({ name: 'Contact', listItems: '.data.orEmpty()', auth: 'AuthStyle.ApiKeyHeader("k")', tags: '"a", "b"' }, 'x', found);
    expect(found).toEqual(['x.listItems: .data.orEmpty()', 'x.auth: AuthStyle.ApiKeyHeader("k")', 'x.tags: "a", "b"']);
  });
});
