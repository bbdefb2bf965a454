import type { TypeRef } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { stringLiteral } from './naming.js';
import { referencedDecls, tsType } from './type-map.js';

const nameOf = (d: string) => (d === 'Error' ? 'ErrorModel' : d);
const t = (ref: TypeRef) => tsType(ref, nameOf, stringLiteral);

describe('tsType', () => {
  it.each<[string, TypeRef, string]>([
    ['date-time as ISO string', { kind: 'scalar', scalar: 'date-time' }, 'string'],
    ['date as ISO string', { kind: 'scalar', scalar: 'date' }, 'string'],
    ['decimal as string', { kind: 'scalar', scalar: 'decimal' }, 'string'],
    ['int64 as number', { kind: 'scalar', scalar: 'int64' }, 'number'],
    ['byte as base64 string', { kind: 'scalar', scalar: 'byte' }, 'string'],
    ['binary as Blob', { kind: 'scalar', scalar: 'binary' }, 'Blob'],
    ['boolean', { kind: 'scalar', scalar: 'boolean' }, 'boolean'],
    ['nullable scalar', { kind: 'scalar', scalar: 'string', nullable: true }, 'string | null'],
    ['ref through the name table', { kind: 'ref', name: 'Error' }, 'ErrorModel'],
    ['nullable ref', { kind: 'ref', name: 'Tag', nullable: true }, 'Tag | null'],
    ['array of names', { kind: 'array', items: { kind: 'ref', name: 'Tag' } }, 'Tag[]'],
    [
      'array of nullable',
      { kind: 'array', items: { kind: 'scalar', scalar: 'int32', nullable: true } },
      'Array<number | null>',
    ],
    [
      'nullable array',
      { kind: 'array', items: { kind: 'scalar', scalar: 'uuid' }, nullable: true },
      'string[] | null',
    ],
    ['map', { kind: 'map', values: { kind: 'scalar', scalar: 'int32' } }, 'Record<string, number>'],
    ['map of unknown', { kind: 'map', values: { kind: 'unknown' } }, 'Record<string, unknown>'],
    ['string literal, escaped', { kind: 'literal', value: "it's" }, "'it\\'s'"],
    ['number literal', { kind: 'literal', value: -1 }, '-1'],
    ['boolean literal', { kind: 'literal', value: true }, 'true'],
    ['unknown, never any', { kind: 'unknown' }, 'unknown'],
    ['nullable unknown stays unknown', { kind: 'unknown', nullable: true }, 'unknown'],
  ])('%s', (_, ref, want) => {
    expect(t(ref)).toBe(want);
  });
});

describe('referencedDecls', () => {
  it('finds refs inside arrays and maps', () => {
    const ref: TypeRef = {
      kind: 'map',
      values: { kind: 'array', items: { kind: 'ref', name: 'A' } },
    };
    expect([...referencedDecls(ref)]).toEqual(['A']);
  });
});
