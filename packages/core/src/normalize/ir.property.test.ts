import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyncIR, TypeRef } from '../ir/types.js';
import { load } from '../__tests__/spec.js';

/** Any JSON Schema we claim to support, nested a few levels, with refs to named schemas. */
function schemaArb(refNames: string[]): fc.Arbitrary<unknown> {
  const { tree } = fc.letrec<{ tree: unknown; leaf: unknown }>((tie) => ({
    leaf: fc.oneof(
      fc.constantFrom(
        { type: 'string' },
        { type: 'string', format: 'uuid' },
        { type: 'string', format: 'date-time' },
        { type: 'string', format: 'date' },
        { type: 'string', format: 'decimal' },
        { type: 'string', format: 'byte' },
        { type: 'integer', format: 'int64' },
        { type: 'integer' },
        { type: 'number', format: 'float' },
        { type: 'boolean' },
        { type: ['string', 'null'] },
        { const: 'x' },
        {},
        { type: 'object' },
      ),
      fc
        .uniqueArray(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 4 })
        .map((e) => ({ type: 'string', enum: e })),
      ...(refNames.length
        ? [fc.constantFrom(...refNames).map((n) => ({ $ref: `#/components/schemas/${n}` }))]
        : []),
    ),
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tie('leaf'),
      tie('tree').map((items) => ({ type: 'array', items })),
      tie('tree').map((v) => ({ type: 'object', additionalProperties: v })),
      fc
        .dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('tree'), { maxKeys: 4 })
        .map((properties) => ({
          type: 'object',
          properties,
          required: Object.keys(properties).slice(0, 1),
        })),
      fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((anyOf) => ({ anyOf })),
      fc
        .tuple(tie('tree'), fc.boolean())
        .map(([s, n]) => (n ? { anyOf: [s, { type: 'null' }] } : s)),
    ),
  }));
  return tree;
}

const annotation = fc.constantFrom<Record<string, unknown>>(
  {},
  { 'x-sync': 'push' },
  { 'x-sync': 'live' },
  { 'x-sync': { mode: 'live', local_first: false } },
  { 'x-sync-mode': 'realtime' },
  { 'x-sync': { local_first: true } },
);
const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z]{1,5})?$/);

const specArb = fc
  .uniqueArray(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,8}$/), { minLength: 1, maxLength: 5 })
  .chain((names) =>
    fc.record({
      names: fc.constant(names),
      bodies: fc.tuple(
        ...names.map(() =>
          fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), schemaArb(names), {
            maxKeys: 5,
          }),
        ),
      ),
      resources: fc.uniqueArray(
        fc.tuple(segment, fc.constantFrom(...names), annotation, fc.boolean(), fc.boolean()),
        { maxLength: 4, selector: ([s]) => s },
      ),
    }),
  )
  .map(({ names, bodies, resources }) => {
    const schemas: Record<string, unknown> = {};
    names.forEach(
      (n, i) =>
        (schemas[n] = {
          type: 'object',
          required: ['id'],
          properties: { ...bodies[i], id: { type: 'string', format: 'uuid' } },
        }),
    );
    const paths: Record<string, unknown> = {};
    const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
    for (const [seg, schema, ann, wrapped, prefix] of resources) {
      const ref = { $ref: `#/components/schemas/${schema}` };
      const base = `${prefix ? '/api/v1' : ''}/${seg}`;
      const list = wrapped
        ? {
            type: 'object',
            properties: { data: { type: 'array', items: ref }, count: { type: 'integer' } },
          }
        : { type: 'array', items: ref };
      paths[base] = {
        ...ann,
        get: { responses: { '200': { description: 'l', ...json(list) } } },
        post: { requestBody: json(ref), responses: { '201': { description: 'c', ...json(ref) } } },
      };
      paths[`${base}/{id}`] = {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { responses: { '200': { description: 'g', ...json(ref) } } },
        delete: { responses: { '204': { description: 'd' } } },
      };
    }
    return { openapi: '3.1.0', info: { title: 'P', version: '1' }, paths, components: { schemas } };
  });

/** Every named reference in the IR resolves to a declaration. */
function danglingRefs(ir: SyncIR): string[] {
  const names = new Set(ir.schemas.map((s) => s.name));
  const out: string[] = [];
  const visit = (t: TypeRef | null | undefined): void => {
    if (!t) return;
    if (t.kind === 'ref' && !names.has(t.name)) out.push(t.name);
    if (t.kind === 'array') visit(t.items);
    if (t.kind === 'map') visit(t.values);
  };
  for (const s of ir.schemas) {
    if (s.kind === 'object')
      (s.fields.forEach((f) => visit(f.type)), visit(s.additionalProperties));
    if (s.kind === 'alias') visit(s.type);
    if (s.kind === 'union') s.variants.forEach((v) => visit(v.type));
  }
  for (const o of ir.operations) {
    o.parameters.forEach((p) => visit(p.type));
    visit(o.requestBody?.type);
    o.responses.forEach((r) => visit(r.type));
  }
  return out;
}

describe('normalisation of generated specs (property-based)', () => {
  it('never throws, always yields a consistent, deterministic IR for valid specs', async () => {
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const r = await load(spec, { validate: false });
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        expect(errors).toEqual([]);
        const ir = r.ir!;
        expect(danglingRefs(ir)).toEqual([]);
        const declNames = ir.schemas.map((s) => s.name);
        expect(new Set(declNames).size).toBe(declNames.length);
        for (const n of declNames) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
        for (const e of ir.entities) {
          expect(declNames).toContain(e.schema);
          for (const opName of Object.values(e.operations))
            expect(ir.operations.find((o) => o.name === opName)?.entity?.name).toBe(e.name);
          if (e.sync.mode === 'live') expect(e.primaryKey).not.toBeNull();
          expect(e.table).toMatch(/^[a-z_][a-z0-9_]*$/);
        }
        expect(new Set(ir.operations.map((o) => o.name)).size).toBe(ir.operations.length);
        const again = await load(spec, { validate: false });
        expect(JSON.stringify(again.ir)).toBe(JSON.stringify(ir));
        expect(JSON.parse(JSON.stringify(ir))).toEqual(ir);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with @readme/openapi-parser that the generated specs are valid', async () => {
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const r = await load(spec);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });
});
