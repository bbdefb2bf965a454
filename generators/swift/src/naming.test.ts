/** Given/want tables for the Swift naming wrapper and the type map. */
import { describe, expect, it } from 'vitest';
import { IR_VERSION, type SyncIR, type TypeRef } from '@sync/core';
import { buildNameTable, caseNames, fieldNames, multilineLiteral, recordFieldNames, wrapSpecText } from './naming.js';
import { fitCall } from './render/layout.js';
import { decodeMultilineLiteral } from './testing/swift-sql.js';
import { swiftType } from './type-map.js';

const ir = (schemas: string[]): SyncIR =>
  ({
    irVersion: IR_VERSION,
    source: { file: 'x', openapi: '3.1.0' },
    info: { title: 't', version: '1' },
    servers: [],
    securitySchemes: [],
    schemas: schemas.map((name) => ({ kind: 'alias', name, componentName: name, deprecated: false, source: { file: 'x', pointer: '' }, type: { kind: 'unknown' } })),
    entities: [],
    operations: [],
  }) as SyncIR;

describe('type names', () => {
  it.each([
    [['Contact'], ['Contact']],
    [['Data', 'String', 'Result'], ['DataModel', 'StringModel', 'ResultModel']],
    [['APIClient', 'JSONValue', 'SyncEngine', 'Indirect'], ['ApiClient', 'JsonValue', 'SyncEngineModel', 'IndirectModel']],
    [['Self', 'Self2'], ['SelfModel', 'Self2']],
    [['abc', 'Abc'], ['Abc', 'Abc2']],
  ])('%j → %j', (given, want) => {
    const names = buildNameTable(ir(given));
    expect(given.map((g) => names.types.get(g))).toEqual(want);
  });
});

describe('member names', () => {
  it.each([
    [['first_name', 'first-name', 'firstName'], ['firstName', 'firstName2', 'firstName3']],
    [['class', 'default', 'self', 'Self', 'init'], ['`class`', '`default`', 'selfValue', 'selfValue2', 'initValue']],
    [['2fa_enabled', '$ref_count', 'with space'], ['_2faEnabled', 'refCount', 'withSpace']],
  ])('fields %j → %j', (given, want) => expect(fieldNames(given)).toEqual(want));

  it('record properties avoid GRDB members', () => {
    expect(recordFieldNames(['insert', 'model', 'pending', 'id'])).toEqual(['insert2', 'model2', 'pending2', 'id']);
  });

  it('enum cases avoid unknown and rawValue', () => {
    expect(caseNames(['unknown', 'rawValue', 'in-progress', 'in_progress', -1, ''])).toEqual(['unknown2', 'rawValue2', 'inProgress', 'inProgress2', 'minus1', 'empty']);
  });
});

describe('swift types', () => {
  const names = buildNameTable(ir(['Money']));
  it.each<[TypeRef, string]>([
    [{ kind: 'scalar', scalar: 'int64' }, 'Int64'],
    [{ kind: 'scalar', scalar: 'decimal' }, 'Decimal'],
    [{ kind: 'array', items: { kind: 'scalar', scalar: 'decimal' } }, '[FlexibleDecimal]'],
    [{ kind: 'scalar', scalar: 'date-time', nullable: true }, 'Date?'],
    [{ kind: 'scalar', scalar: 'byte' }, 'Data'],
    [{ kind: 'map', values: { kind: 'ref', name: 'Money' } }, '[String: Money]'],
    [{ kind: 'unknown' }, 'JSONValue'],
    [{ kind: 'literal', value: 'ok' }, 'String'],
  ])('%j → %s', (t, want) => expect(swiftType(t, names)).toBe(want));
});

describe('literals', () => {
  it.each(['plain', 'a "quoted" word', 'three """ quotes', 'back\\slash \\(x)', 'tab\there', '""""', 'ends with "', 'ünïcödé \u202E'])(
    'multi-line literal round-trips %j',
    (text) => {
      const literal = multilineLiteral(`SELECT 1\n${text}`, '    ');
      expect(literal).not.toMatch(/[^\\]"""[^\n]/);
      expect(decodeMultilineLiteral(literal)).toBe(`SELECT 1\n${text}`);
    },
  );

  it('fitCall keeps short calls on one line and splits long ones', () => {
    expect(fitCall('f', ['a', 'b'], '  ')).toBe('f(a, b)');
    expect(fitCall('f', ['x'.repeat(60), 'y'.repeat(60)], '  ')).toBe(`f(\n    ${'x'.repeat(60)},\n    ${'y'.repeat(60)}\n  )`);
  });
});

describe('wrapSpecText', () => {
  it('wraps only lines over the width and keeps line breaks and indentation', () => {
    const long = `  - ${'word '.repeat(30).trim()}`;
    const out = wrapSpecText(`Short line.\n${long}\n    code`, 40);
    const lines = out.split('\n');
    expect(lines[0]).toBe('Short line.');
    expect(lines.at(-1)).toBe('    code');
    expect(lines.slice(1, -1).every((l) => l.startsWith('  ') && l.length <= 40)).toBe(true);
    expect(lines.slice(1, -1).join(' ').replace(/\s+/g, ' ').trim()).toBe(long.trim());
  });
});
