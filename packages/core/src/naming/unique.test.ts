import { describe, expect, it } from 'vitest';
import { camelCase, pascalCase } from './words.js';
import { uniqueNames } from './unique.js';

describe('uniqueNames', () => {
  it.each<{ given: string[]; want: string[] }>([
    { given: ['first_name', 'firstName'], want: ['firstName', 'firstName2'] },
    { given: ['a', 'A', 'a'], want: ['a', 'a2', 'a3'] },
    { given: ['a', 'a', 'a2'], want: ['a', 'a3', 'a2'] },
    { given: ['item2', 'item_2'], want: ['item2', 'item2_2'] },
    { given: ['x', 'y', 'z'], want: ['x', 'y', 'z'] },
    { given: [], want: [] },
  ])('camelCase $given -> $want', ({ given, want }) => {
    expect(uniqueNames(given, (s) => camelCase(s))).toEqual(want);
  });

  it('drops backticks when suffixing, and treats `x` and x as the same name', () => {
    const fn = (s: string): string => (s === 'in' || s === 'IN' ? '`in`' : s);
    expect(uniqueNames(['in', 'IN', 'in2'], fn)).toEqual(['`in`', 'in3', 'in2']);
  });

  it('caseInsensitive catches names that differ only in case (same file on macOS)', () => {
    expect(uniqueNames(['ab_c', 'abc'], (s) => pascalCase(s), { caseInsensitive: true })).toEqual([
      'AbC',
      'Abc2',
    ]);
    expect(uniqueNames(['ab_c', 'abc'], (s) => pascalCase(s))).toEqual(['AbC', 'Abc']);
  });

  it('refuses to suffix a quoted key', () => {
    expect(() => uniqueNames(['a-b', 'a-b'], (s) => `'${s}'`)).toThrow(/non-identifier/);
  });
});
