/**
 * Writes a large, realistic annotated spec for benchmarks: `resources` REST resources (5 operations
 * each: list, create, get, patch, delete) with an item and a create schema each, plus shared enums
 * and nested objects. Defaults: 200 resources → 1,000 operations, ~300 component schemas.
 * Deterministic: the same arguments give the same bytes.
 *
 *   npx tsx tools/bench/synthetic-spec.ts [out.yaml] [resources]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

const NOUNS = [
  'account',
  'contact',
  'deal',
  'invoice',
  'ticket',
  'project',
  'task',
  'note',
  'file',
  'event',
  'order',
  'product',
  'shipment',
  'payment',
  'review',
  'campaign',
  'lead',
  'quote',
  'asset',
  'vendor',
];

export function syntheticSpec(resources = 200): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    Status: { type: 'string', enum: ['draft', 'active', 'in-progress', 'archived'] },
    Money: {
      type: 'object',
      required: ['amount', 'currency'],
      properties: {
        amount: { type: 'string', format: 'decimal' },
        currency: { type: 'string', enum: ['USD', 'EUR', 'GBP'] },
      },
    },
    Audit: {
      type: 'object',
      properties: {
        created_at: { type: 'string', format: 'date-time', readOnly: true },
        updated_at: { type: 'string', format: 'date-time', readOnly: true },
      },
    },
  };
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  const ref = (n: string) => ({ $ref: `#/components/schemas/${n}` });
  for (let i = 0; i < resources; i++) {
    const noun = `${NOUNS[i % NOUNS.length]}${i >= NOUNS.length ? Math.floor(i / NOUNS.length) : ''}`;
    const Item = noun.replace(/^./, (c) => c.toUpperCase()).replace(/\d+$/, (d) => `V${d}`);
    const props: Record<string, unknown> = {
      id: { type: 'string', format: 'uuid', readOnly: true },
      name: { type: 'string', minLength: 1 },
      status: ref('Status'),
    };
    for (let f = 0; f < 8 + (i % 8); f++) {
      const kind = (i + f) % 7;
      props[`field_${f}`] = [
        { type: 'string' },
        { type: ['integer', 'null'], format: 'int64' },
        { type: 'boolean' },
        ref('Money'),
        { type: 'array', items: { type: 'string' } },
        { type: 'string', format: 'date', 'x-sync-exclude': f === 5 },
        { anyOf: [{ type: 'string' }, { type: 'null' }] },
      ][kind];
    }
    schemas[Item] = {
      allOf: [ref('Audit'), { type: 'object', required: ['id', 'name'], properties: props }],
    };
    if (i % 2 === 0)
      schemas[`${Item}Create`] = {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, status: ref('Status') },
      };
    const create = i % 2 === 0 ? ref(`${Item}Create`) : ref(Item);
    const plural = `${noun.replace(/\d+$/, '')}s${noun.match(/\d+$/)?.[0] ?? ''}`;
    const mode =
      i % 3 === 0
        ? { 'x-sync': 'live' }
        : i % 3 === 1
          ? { 'x-sync': { mode: 'live', local_first: false } }
          : {};
    // `{contact_id}` names the key after the entity's noun, as FastAPI does (a numbered copy such as
    // contact1 keeps the noun's own name, which is what the key inference recognises).
    const idName = `${noun.replace(/\d+$/, '')}_id`;
    const id = {
      name: idName,
      in: 'path',
      required: true,
      schema: { type: 'string', format: 'uuid' },
    };
    paths[`/api/v1/${plural}`] = {
      ...mode,
      get: {
        operationId: `list_${plural}`,
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', default: 50 } }],
        responses: { '200': { description: 'ok', ...json({ type: 'array', items: ref(Item) }) } },
      },
      post: {
        operationId: `create_${noun}`,
        requestBody: { required: true, ...json(create) },
        responses: { '201': { description: 'created', ...json(ref(Item)) } },
      },
    };
    paths[`/api/v1/${plural}/{${idName}}`] = {
      parameters: [id],
      get: {
        operationId: `get_${noun}`,
        responses: {
          '200': { description: 'ok', ...json(ref(Item)) },
          '404': { description: 'missing' },
        },
      },
      patch: {
        operationId: `update_${noun}`,
        requestBody: json(create),
        responses: { '200': { description: 'ok', ...json(ref(Item)) } },
      },
      delete: { operationId: `delete_${noun}`, responses: { '204': { description: 'gone' } } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Synthetic', version: '1.0.0' },
    servers: [{ url: 'http://localhost:4100' }],
    paths,
    components: { schemas },
  };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const out = process.argv[2] ?? '.bench/synthetic/openapi.yaml';
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, stringify(syntheticSpec(Number(process.argv[3] ?? 200))));
  console.log(`wrote ${out}`);
}
