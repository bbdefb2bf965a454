/**
 * Fast checks of the pure parts: the where-clause parser (and what it refuses), offsets, the
 * path router, body validation paths and messages, and deterministic examples.
 */
import type { SyncIR } from '@sync/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleFor } from './rest/example.js';
import { Router } from './rest/router.js';
import { validate, type Problem } from './rest/validate.js';
import { schemaDdl } from './schema/ddl.js';
import { buildModel, type Model } from './schema/model.js';
import { parseOffset, snapshotOffset, tailOffset } from './shape/offsets.js';
import { parseWhere, WhereError } from './shape/where.js';
import { crmIr } from './testing/backends.js';

let ir: SyncIR;
let model: Model;
beforeAll(async () => {
  ir = await crmIr();
  model = buildModel(ir);
});

describe('where clauses', () => {
  const cols = () => model.tables.get('accounts')?.columns ?? [];
  const row = {
    id: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
    name: "O'Brien",
    is_customer: 't',
    employee_count: '10',
    domain: null,
  };

  it('evaluates equality, <>, IS NULL, AND and parentheses on text values', () => {
    const p = (w: string, params: Record<string, string> = {}) =>
      parseWhere(w, new Map(Object.entries(params)), cols())(row);
    expect(p(`"name" = 'O''Brien'`)).toBe(true);
    expect(p(`name = $1 AND is_customer = true`, { '1': "O'Brien" })).toBe(true);
    expect(p(`employee_count = 10.0 AND (domain IS NULL)`)).toBe(true);
    expect(p(`id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'`)).toBe(true);
    expect(p(`name <> 'x' AND domain IS NOT NULL`)).toBe(false);
    expect(p(`domain = 'x'`)).toBe(false);
    expect(p(`domain <> 'x'`)).toBe(false); // SQL: NULL <> 'x' is not true
  });

  it('refuses what it does not understand, without ever producing SQL', () => {
    for (const w of [
      `name = 'a' OR 1 = 1`,
      `name = 'a'; DROP TABLE accounts`,
      `name LIKE 'a%'`,
      `nope = 1`,
      `name = $2`,
      `name = `,
      `(name = 'a'`,
    ])
      expect(() => parseWhere(w, new Map([['1', 'x']]), cols()), w).toThrow(WhereError);
  });
});

describe('model', () => {
  it('stores x-sync-exclude columns itself, but neither requires nor adds them on a backend it only shapes (--shapes-only)', () => {
    const own = model.tables.get('contacts');
    expect(own?.columns.map((c) => c.name)).toContain('notes');
    expect(own?.shapeColumns.map((c) => c.name)).not.toContain('notes');
    const shapesOnly = buildModel(ir, { shapesOnly: true });
    const contacts = shapesOnly.tables.get('contacts');
    expect(contacts?.columns.map((c) => c.name)).toEqual(own?.shapeColumns.map((c) => c.name));
    expect(contacts?.columns.map((c) => c.name)).not.toContain('notes');
    // The DDL run on the backend's tables neither adds the column nor reads it in the row function.
    expect(schemaDdl(shapesOnly)).not.toMatch(/"notes"/);
    expect(schemaDdl(model)).toMatch(/"notes"/);
  });
});

describe('offsets', () => {
  it('round-trips and orders snapshot continuations before the tail', () => {
    expect(parseOffset('-1')).toEqual({ kind: 'initial' });
    expect(parseOffset(tailOffset(42n))).toEqual({ kind: 'tail', seq: 42n });
    expect(parseOffset(snapshotOffset(42n, 3))).toEqual({
      kind: 'snapshot',
      snapshotSeq: 42n,
      chunk: 3,
    });
    expect(snapshotOffset(42n, 3)).toBe('41_3'); // (41, 3) < (42, 0), where the tail resumes
    expect(parseOffset('1_x').kind).toBe('invalid');
  });
});

describe('router', () => {
  it('matches declared templates, methods and trailing slashes only', () => {
    const r = new Router(ir);
    expect(r.match('GET', '/accounts/abc/line-items')).toMatchObject({
      kind: 'found',
      params: { account_id: 'abc' },
    });
    expect(r.match('PATCH', '/contacts/a%20b')).toMatchObject({
      kind: 'found',
      params: { contact_id: 'a b' },
    });
    expect(r.match('PUT', '/contacts/1')).toEqual({
      kind: 'method',
      allow: ['DELETE', 'GET', 'PATCH'],
    });
    expect(r.match('GET', '/contacts/')).toEqual({ kind: 'none' });
    const prefixed = new Router({ ...ir, servers: ['https://api.example.com/v2'] });
    expect(prefixed.match('GET', '/v2/health')).toMatchObject({ kind: 'found' });
  });
});

describe('validation and examples', () => {
  it('reports nested problems with JSON paths', () => {
    const out: Problem[] = [];
    validate(
      { schemas: model.schemas, direction: 'request' },
      { kind: 'ref', name: 'AccountCreate' },
      { name: 1, owner_email: 'a@b', employee_count: 2 ** 40, metadata: [] },
      '$',
      out,
    );
    expect(out).toEqual([
      { field: '$.name', message: 'must be a string, got number 1' },
      { field: '$.employee_count', message: 'must fit in 32 bits, got 1099511627776' },
      { field: '$.metadata', message: 'must be an object, got an array' },
    ]);
  });

  it('generates examples that validate against their own schema', () => {
    for (const s of model.ir.schemas) {
      const type = { kind: 'ref' as const, name: s.name };
      const out: Problem[] = [];
      validate(
        { schemas: model.schemas, direction: 'response' },
        type,
        exampleFor(model.schemas, type),
        '$',
        out,
      );
      expect(out, s.name).toEqual([]);
    }
  });
});
