/** Given/want table for IR type → Kotlin type (and the imports each mapping records). */
import { describe, expect, it } from 'vitest';
import type { TypeRef } from '@sync/core';
import { Imports } from './imports.js';
import type { NameTable } from './naming.js';
import { kotlinType, storageSqlType } from './type-map.js';

const names = { types: new Map([['Contact', 'Contact']]), packages: { model: 'm' } } as unknown as NameTable;

describe('kotlinType', () => {
  it.each<[TypeRef, string, string[]]>([
    [{ kind: 'scalar', scalar: 'string' }, 'String', []],
    [{ kind: 'scalar', scalar: 'int64', nullable: true }, 'Long?', []],
    [{ kind: 'scalar', scalar: 'date-time' }, 'IsoDateTime', ['io.syncpatterns.runtime.serial.IsoDateTime']],
    [{ kind: 'scalar', scalar: 'decimal' }, 'Decimal', ['io.syncpatterns.runtime.serial.Decimal']],
    [{ kind: 'array', items: { kind: 'ref', name: 'Contact' } }, 'List<Contact>', ['m.Contact']],
    [{ kind: 'map', values: { kind: 'unknown' } }, 'Map<String, JsonElement>', ['kotlinx.serialization.json.JsonElement']],
    [{ kind: 'literal', value: 'ok' }, 'String', []],
    [{ kind: 'literal', value: 2 }, 'Long', []],
  ])('%j → %s', (ref, want, wantImports) => {
    const imports = new Imports('api');
    expect(kotlinType(ref, { names, imports })).toBe(want);
    expect(imports.list()).toEqual(wantImports);
  });

  it('does not import from the own package', () => {
    const imports = new Imports('m');
    kotlinType({ kind: 'ref', name: 'Contact' }, { names, imports });
    expect(imports.list()).toEqual([]);
  });

  it.each([['int64', 'INTEGER'], ['boolean', 'INTEGER'], ['double', 'REAL'], ['json', 'TEXT'], ['decimal', 'TEXT']] as const)('storage %s → %s', (s, want) => {
    expect(storageSqlType(s)).toBe(want);
  });
});
