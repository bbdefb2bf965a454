import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PG_MAX_IDENT_BYTES,
  RESERVED,
  isSafeBareIdent,
  quoteIdent,
  sqlStringLiteral,
} from './sql.js';

/** Reads back a doubled-delimiter SQL token (`"a""b"` / `'it''s'`); throws if it ends early. */
function readDelimited(token: string, q: '"' | "'"): string {
  expect(token.startsWith(q) && token.endsWith(q) && token.length >= 2).toBe(true);
  const inner = token.slice(1, -1);
  expect(inner.replaceAll(q + q, '')).not.toContain(q);
  return inner.replaceAll(q + q, q);
}

describe('quoteIdent', () => {
  it.each<{ given: string; want: string }>([
    { given: 'users', want: '"users"' },
    { given: 'a"b', want: '"a""b"' },
    { given: '"', want: '""""' },
    { given: 'user', want: '"user"' },
    { given: 'firstName', want: '"firstName"' },
    { given: "it's", want: '"it\'s"' },
    { given: 'x; DROP TABLE t; --', want: '"x; DROP TABLE t; --"' },
    { given: 'Über', want: '"Über"' },
  ])('$given -> $want', ({ given, want }) => {
    expect(quoteIdent(given)).toBe(want);
  });

  it.each<{ given: string; error: RegExp }>([
    { given: 'a\0b', error: /NUL/ },
    { given: '', error: /empty/ },
    { given: 'x'.repeat(PG_MAX_IDENT_BYTES + 1), error: /63 bytes/ },
    { given: 'ü'.repeat(32), error: /63 bytes/ },
  ])('rejects $given', ({ given, error }) => {
    expect(() => quoteIdent(given)).toThrow(error);
  });

  it('always reads back as the same name', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\0')),
        (s) => {
          expect(readDelimited(quoteIdent(s), '"')).toBe(s);
        },
      ),
    );
  });
});

describe('sqlStringLiteral', () => {
  it.each<{ given: string; want: string }>([
    { given: '', want: "''" },
    { given: "it's", want: "'it''s'" },
    { given: "''", want: "''''''" },
    { given: 'back\\slash', want: "'back\\slash'" },
    { given: 'line\nbreak', want: "'line\nbreak'" },
    { given: '"', want: "'\"'" },
  ])('$given -> $want', ({ given, want }) => {
    expect(sqlStringLiteral(given)).toBe(want);
  });

  it('rejects NUL', () => {
    expect(() => sqlStringLiteral('a\0b')).toThrow(/NUL/);
  });

  it('always reads back as the same text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\0')),
        (s) => {
          expect(readDelimited(sqlStringLiteral(s), "'")).toBe(s);
        },
      ),
    );
  });
});

describe('isSafeBareIdent', () => {
  it.each<{ given: string; want: boolean }>([
    { given: 'users', want: true },
    { given: 'first_name', want: true },
    { given: '_private', want: true },
    { given: 'v2', want: true },
    { given: 'firstName', want: false },
    { given: '2fa', want: false },
    { given: 'a-b', want: false },
    { given: 'a b', want: false },
    { given: '', want: false },
    { given: 'x'.repeat(64), want: false },
    ...[
      'user',
      'order',
      'group',
      'select',
      'table',
      'default',
      'check',
      'from',
      'where',
      'limit',
      'offset',
      'primary',
      'references',
      'index',
      'key',
      'values',
      'time',
      'timestamp',
      'desc',
      'asc',
      'column',
      'constraint',
      'unique',
      'analyze',
      'transaction',
      'replace',
      'glob',
    ].map((given) => ({ given, want: false })),
  ])('$given -> $want', ({ given, want }) => {
    expect(isSafeBareIdent(given)).toBe(want);
  });

  it('RESERVED is lowercase words only', () => {
    for (const w of RESERVED) expect(w).toMatch(/^[a-z_]+$/);
  });
});
