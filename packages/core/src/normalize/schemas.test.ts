import { describe, expect, it } from 'vitest';
import type { ObjectDecl, SchemaDecl, TypeRef } from '../ir/types.js';
import { doc, json, load } from '../__tests__/spec.js';

/** Loads one component schema `T` (referenced by a GET) and returns all declarations. */
async function schemasOf(schemas: Record<string, unknown>, version = '3.1.0') {
  const spec = {
    ...doc(
      {
        '/t': {
          get: {
            responses: {
              '200': { description: 'ok', ...json({ $ref: '#/components/schemas/T' }) },
            },
          },
        },
      },
      schemas,
    ),
    openapi: version,
  };
  const r = await load(spec, { validate: false });
  return {
    decls: new Map((r.ir?.schemas ?? []).map((s) => [s.name, s] as [string, SchemaDecl])),
    diagnostics: r.diagnostics,
  };
}

async function fieldType(prop: unknown, version = '3.1.0'): Promise<TypeRef> {
  const { decls } = await schemasOf({ T: { type: 'object', properties: { p: prop } } }, version);
  return (decls.get('T') as ObjectDecl).fields[0]!.type;
}

describe('scalar types', () => {
  it.each([
    [{ type: 'string' }, 'string'],
    [{ type: 'string', format: 'uuid' }, 'uuid'],
    [{ type: 'string', format: 'date' }, 'date'],
    [{ type: 'string', format: 'date-time' }, 'date-time'],
    [{ type: 'string', format: 'email' }, 'email'],
    [{ type: 'string', format: 'uri' }, 'uri'],
    [{ type: 'string', format: 'decimal' }, 'decimal'],
    [{ type: 'string', format: 'byte' }, 'byte'],
    [{ type: 'string', format: 'binary' }, 'binary'],
    [{ type: 'string', format: 'password' }, 'string'],
    [{ type: 'integer', format: 'int32' }, 'int32'],
    [{ type: 'integer', format: 'int64' }, 'int64'],
    [{ type: 'integer', maximum: 9999999999 }, 'int64'],
    [{ type: 'number' }, 'double'],
    [{ type: 'number', format: 'float' }, 'float'],
    [{ type: 'number', format: 'double' }, 'double'],
    [{ type: 'boolean' }, 'boolean'],
    [
      {
        anyOf: [
          { type: 'number' },
          { type: 'string', pattern: '^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$' },
        ],
      },
      'decimal',
    ],
  ])('%j → %s', async (schema, scalar) => {
    expect(await fieldType(schema)).toEqual({ kind: 'scalar', scalar });
  });

  it('keeps "no format" apart from int32: an integer without a format is not limited to 32 bits', async () => {
    expect(await fieldType({ type: 'integer' })).toEqual({
      kind: 'scalar',
      scalar: 'int32',
      noFormat: true,
    });
    expect(await fieldType({ type: ['integer', 'null'] })).toEqual({
      kind: 'scalar',
      scalar: 'int32',
      noFormat: true,
      nullable: true,
    });
    expect(await fieldType({ type: 'integer', minimum: 0, maximum: 100 })).toEqual({
      kind: 'scalar',
      scalar: 'int32',
      noFormat: true,
    });
    // Explicit formats and 64-bit bounds keep their kinds, without the mark.
    expect(await fieldType({ type: 'integer', format: 'int32' })).toEqual({
      kind: 'scalar',
      scalar: 'int32',
    });
    expect(await fieldType({ type: 'integer', format: 'int16' })).toEqual({
      kind: 'scalar',
      scalar: 'int32',
    });
    expect(await fieldType({ type: 'integer', minimum: -1, maximum: 2 ** 40 })).toEqual({
      kind: 'scalar',
      scalar: 'int64',
    });
  });

  it('warns on an unknown format and falls back to the plain type', async () => {
    const { diagnostics } = await schemasOf({
      T: { type: 'object', properties: { p: { type: 'string', format: 'zipcode' } } },
    });
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['SP0402', '#/components/schemas/T/properties/p/format'],
    ]);
  });
});

describe('nullability in all three spellings', () => {
  it.each([
    ['3.0 nullable', { type: 'string', nullable: true }, '3.0.3'],
    ['3.1 type array', { type: ['string', 'null'] }, '3.1.0'],
    ['anyOf with null', { anyOf: [{ type: 'string' }, { type: 'null' }] }, '3.1.0'],
    ['oneOf with null', { oneOf: [{ type: 'null' }, { type: 'string' }] }, '3.1.0'],
  ])('%s', async (_, schema, version) => {
    expect(await fieldType(schema, version)).toEqual({
      kind: 'scalar',
      scalar: 'string',
      nullable: true,
    });
  });

  it('keeps nullable and optional distinct', async () => {
    const { decls } = await schemasOf({
      T: {
        type: 'object',
        required: ['a', 'b'],
        properties: {
          a: { type: 'string' },
          b: { type: ['string', 'null'] },
          c: { type: 'string' },
          d: { type: ['string', 'null'] },
        },
      },
    });
    expect(
      (decls.get('T') as ObjectDecl).fields.map((f) => [f.wireName, f.required, f.nullable]),
    ).toEqual([
      ['a', true, false],
      ['b', true, true],
      ['c', false, false],
      ['d', false, true],
    ]);
  });

  it('treats a nullable $ref (3.0 allOf idiom and 3.1 anyOf) as a nullable ref', async () => {
    const E = { type: 'string', enum: ['a'] };
    expect(
      await fieldType(
        { allOf: [{ $ref: '#/components/schemas/E' }], nullable: true },
        '3.0.3',
      ).catch(() => null),
    ).toBeDefined();
    const { decls } = await schemasOf({
      E,
      T: {
        type: 'object',
        properties: { x: { anyOf: [{ $ref: '#/components/schemas/E' }, { type: 'null' }] } },
      },
    });
    expect((decls.get('T') as ObjectDecl).fields[0]!.type).toEqual({
      kind: 'ref',
      name: 'E',
      nullable: true,
    });
  });
});

describe('composite types', () => {
  it('merges allOf parts in order, with required from every part', async () => {
    const { decls } = await schemasOf({
      Base: {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'integer' }, name: { type: 'string' } },
      },
      T: {
        allOf: [
          { $ref: '#/components/schemas/Base' },
          { type: 'object', required: ['name'], properties: { extra: { type: 'boolean' } } },
        ],
      },
    });
    const t = decls.get('T') as ObjectDecl;
    expect(t.kind).toBe('object');
    expect(t.fields.map((f) => `${f.wireName}${f.required ? '!' : '?'}`)).toEqual([
      'id!',
      'name!',
      'extra?',
    ]);
  });

  it('turns oneOf with a discriminator mapping into a tagged union', async () => {
    const { decls } = await schemasOf({
      Cat: { type: 'object', properties: { kind: { type: 'string' }, purrs: { type: 'boolean' } } },
      Dog: { type: 'object', properties: { kind: { type: 'string' }, barks: { type: 'boolean' } } },
      T: {
        oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
        discriminator: {
          propertyName: 'kind',
          mapping: { cat: '#/components/schemas/Cat', doggo: '#/components/schemas/Dog' },
        },
      },
    });
    expect(decls.get('T')).toMatchObject({
      kind: 'union',
      combinator: 'oneOf',
      discriminator: { property: 'kind' },
      variants: [
        { type: { kind: 'ref', name: 'Cat' }, tags: ['cat'] },
        { type: { kind: 'ref', name: 'Dog' }, tags: ['doggo'] },
      ],
    });
  });

  it('derives implicit discriminator tags from const values, else component names', async () => {
    const { decls } = await schemasOf({
      A: { type: 'object', properties: { type: { const: 'alpha' } } },
      B: { type: 'object', properties: { type: { type: 'string' } } },
      T: {
        oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }],
        discriminator: { propertyName: 'type' },
      },
    });
    expect(
      (decls.get('T') as { variants: { tags: string[] }[] }).variants.map((v) => v.tags),
    ).toEqual([['alpha'], ['B']]);
  });

  it('keeps anyOf without a discriminator as an untagged union with hoisted inline variants', async () => {
    const { decls } = await schemasOf({
      T: {
        type: 'object',
        properties: {
          v: {
            anyOf: [{ type: 'string' }, { type: 'object', properties: { n: { type: 'integer' } } }],
          },
        },
      },
    });
    expect(decls.get('TV')).toMatchObject({
      kind: 'union',
      combinator: 'anyOf',
      discriminator: null,
      variants: [
        { type: { kind: 'scalar', scalar: 'string' } },
        { type: { kind: 'ref', name: 'TVOption2' } },
      ],
    });
    expect(decls.get('TVOption2')?.kind).toBe('object');
  });

  it('hoists inline enums and objects under names derived from their position', async () => {
    const { decls } = await schemasOf({
      T: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['', 'in-progress', '2fa', 'it\'s "x"'] },
          address: { type: 'object', properties: { city: { type: 'string' } } },
          tags: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } } },
        },
      },
    });
    expect([...decls.keys()].sort()).toEqual(['T', 'TAddress', 'TStatus', 'TTagsItem']);
    expect(decls.get('TStatus')).toMatchObject({
      kind: 'enum',
      base: 'string',
      members: [{ value: '' }, { value: 'in-progress' }, { value: '2fa' }, { value: 'it\'s "x"' }],
    });
  });

  it('maps additionalProperties to maps, and free-form objects to maps of unknown', async () => {
    expect(await fieldType({ type: 'object', additionalProperties: { type: 'integer' } })).toEqual({
      kind: 'map',
      values: { kind: 'scalar', scalar: 'int32', noFormat: true },
    });
    expect(await fieldType({ type: 'object' })).toEqual({
      kind: 'map',
      values: { kind: 'unknown' },
    });
    expect(await fieldType({ type: 'object', additionalProperties: true })).toEqual({
      kind: 'map',
      values: { kind: 'unknown' },
    });
    expect(await fieldType({})).toEqual({ kind: 'unknown' });
  });

  it.each([
    [
      { allOf: [{ type: 'string' }, { type: 'string', minLength: 1 }] },
      { kind: 'scalar', scalar: 'string' },
      [],
    ],
    [
      { allOf: [{ type: 'string' }, { format: 'uuid', type: 'string' }] },
      { kind: 'scalar', scalar: 'uuid' },
      [],
    ],
    [
      { allOf: [{ type: 'string' }, { type: 'integer' }] },
      { kind: 'scalar', scalar: 'string' },
      ['SP0404'],
    ],
  ])('merges a scalar allOf %j', async (schema, want, codes) => {
    const { decls, diagnostics } = await schemasOf({
      T: { type: 'object', properties: { p: schema } },
    });
    expect((decls.get('T') as ObjectDecl).fields[0]!.type).toEqual(want);
    expect(diagnostics.map((d) => d.code)).toEqual(codes);
  });

  it('maps const to a literal', async () => {
    expect(await fieldType({ const: 'fixed' })).toEqual({ kind: 'literal', value: 'fixed' });
  });

  it('keeps defaults, readOnly and writeOnly', async () => {
    const { decls } = await schemasOf({
      T: {
        type: 'object',
        properties: {
          a: { type: 'integer', default: 3, readOnly: true },
          b: { type: 'string', writeOnly: true },
        },
      },
    });
    expect(
      (decls.get('T') as ObjectDecl).fields.map((f) => [
        f.wireName,
        f.default,
        f.readOnly,
        f.writeOnly,
      ]),
    ).toEqual([
      ['a', 3, true, false],
      ['b', undefined, false, true],
    ]);
  });

  it('supports recursive schemas through properties', async () => {
    const { decls, diagnostics } = await schemasOf({
      T: {
        type: 'object',
        properties: {
          children: { type: 'array', items: { $ref: '#/components/schemas/T' } },
          parent: { $ref: '#/components/schemas/T' },
        },
      },
    });
    expect(diagnostics).toEqual([]);
    expect((decls.get('T') as ObjectDecl).fields.map((f) => f.type)).toEqual([
      { kind: 'array', items: { kind: 'ref', name: 'T' } },
      { kind: 'ref', name: 'T' },
    ]);
  });

  it.each([
    [
      'a $ref-only cycle',
      {
        A: { $ref: '#/components/schemas/B' },
        B: { $ref: '#/components/schemas/A' },
        T: { $ref: '#/components/schemas/A' },
      },
    ],
    [
      'an allOf cycle',
      {
        A: { allOf: [{ $ref: '#/components/schemas/B' }], properties: { a: { type: 'string' } } },
        B: { allOf: [{ $ref: '#/components/schemas/A' }], properties: { b: { type: 'string' } } },
        T: { $ref: '#/components/schemas/A' },
      },
    ],
    [
      'a self-including allOf',
      { T: { allOf: [{ $ref: '#/components/schemas/T' }, { type: 'object' }] } },
    ],
  ])('reports %s once (SP0111) instead of overflowing the stack', async (_, schemas) => {
    const { diagnostics } = await schemasOf(schemas);
    expect(diagnostics.map((d) => d.code)).toEqual(['SP0111']);
  });

  it('warns and skips unsupported keywords', async () => {
    const { diagnostics } = await schemasOf({
      T: { type: 'object', properties: { a: { type: 'string', not: { const: 'x' } } } },
    });
    expect(diagnostics.map((d) => d.code)).toEqual(['SP0401']);
  });
});
