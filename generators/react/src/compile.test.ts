/**
 * The compile gate: every fixture's output (bad-names included) type-checks with `strict`,
 * `noUncheckedIndexedAccess`, `exactOptionalPropertyTypes`, `noUnused*` and
 * `verbatimModuleSyntax` against the pinned React / TanStack Query, and contains no `any`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpec, type GeneratedFile } from '@sync/core';
import { generateReact } from './generate.js';
import { reactFixtures } from '../golden-cases.js';
import { typeCheck, typeCheckMany } from './testing/compile.js';
import { generateFixture } from './testing/fixtures.js';

const FIXTURES = reactFixtures().map((f) => f.name);

describe('generated code compiles', () => {
  it('covers bad-names and the main fixture', () => {
    expect(FIXTURES).toEqual(expect.arrayContaining(['bad-names', 'crm', 'petstore-3.0']));
  });

  let errors = new Map<string, string[]>();
  beforeAll(async () => {
    const outputs = await Promise.all(
      FIXTURES.map(async (n) => [n, (await generateFixture(n)).files] as const),
    );
    errors = typeCheckMany(new Map(outputs));
  }, 120_000);

  it('no diagnostic outside a fixture folder', () => {
    expect(errors.get('(global)') ?? []).toEqual([]);
  });

  it.each(FIXTURES)('%s type-checks with zero errors', (name) => {
    expect(errors.get(name)).toEqual([]);
  });

  it('reports real errors (the gate can fail)', async () => {
    const result = await generateFixture('todo');
    const broken = result.files.map((f) =>
      f.path === 'models/todo.ts'
        ? { ...f, contents: f.contents.replace('title: string', 'title: Strin') }
        : f,
    );
    expect(typeCheck(broken, 'todo-broken').join('\n')).toMatch(/TS2552|TS2304/);
  });

  it('crm hooks and models have the intended types at a call site', async () => {
    const result = await generateFixture('crm');
    const usage = `
      import { useContacts, useContact, useLineItems, useCreateLineItem, useUpdateContact, useReplacePerson,
        useDeleteContact, contactsQueryOptions, type Contact, type LineItem, type ContactCreate } from './index.js';
      import { useQueries } from '@tanstack/react-query';
      export function usage(): void {
        const rows: Contact[] | undefined = useContacts({ status: 'lead' }).data;
        const one: Contact | undefined = useContact('id-1').data;
        const items: LineItem[] | undefined = useLineItems({ account_id: 'a1' }).data;
        useCreateLineItem().mutate({ params: { account_id: 'a1' }, body: { description: 'd', quantity: 1, unit_price: '9.50', currency: 'EUR' } });
        useUpdateContact().mutate({ id: 'c1', body: { phone: null } });
        useReplacePerson().mutate({ id: 7, body: { full_name: 'Ann' } });
        useDeleteContact().mutate('c1');
        const q = useQueries({ queries: [contactsQueryOptions(), contactsQueryOptions({ status: 'active' })] });
        const create: ContactCreate = { first_name: 'A', email: 'a@example.com' };
        // @ts-expect-error status is a closed union
        const wrong: ContactCreate = { first_name: 'A', email: 'a@example.com', status: 'unknown' };
        void [rows, one, items, q, create, wrong];
      }`;
    expect(typeCheck(result.files, 'crm-usage', [{ path: 'usage.ts', contents: usage }])).toEqual(
      [],
    );
  });
});

describe('specs without entities still compile', () => {
  // Only a health check, or no path at all: no query keys, no hooks, no models (issue #10).
  const specs: Record<string, string> = {
    'health-only': `openapi: 3.1.0
info: {title: Health, version: '1'}
paths:
  /health:
    get:
      operationId: health
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {status: {type: string}}}}}}
`,
    'health-no-schema': `openapi: 3.0.3
info: {title: Health, version: '1'}
paths:
  /health:
    get:
      operationId: health
      responses:
        '204': {description: ok}
`,
    'empty-paths': `openapi: 3.0.3
info: {title: Empty, version: '1'}
paths: {}
`,
  };
  // One program for the three outputs (a program per spec costs a lib load each).
  let errors = new Map<string, string[]>();
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'react-no-entities-'));
    try {
      const outputs = new Map<string, readonly GeneratedFile[]>();
      for (const [name, text] of Object.entries(specs)) {
        writeFileSync(path.join(dir, `${name}.yaml`), text);
        const loaded = await loadSpec(path.join(dir, `${name}.yaml`));
        if (!loaded.ir) throw new Error(`${name} did not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
        outputs.set(name, (await generateReact(loaded.ir, {})).files);
      }
      errors = typeCheckMany(outputs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it.each(Object.keys(specs))('%s type-checks', (name) => {
    expect(errors.get(name)).toEqual([]);
  });
});

/** Every `any` keyword in a TypeScript source (types only: comments and strings never match). */
function anyKeywords(source: string): number {
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) count++;
    node.forEachChild(visit);
  };
  visit(ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, true));
  return count;
}

describe('no any', () => {
  it.each(FIXTURES)('%s output never uses the any type', async (name) => {
    const result = await generateFixture(name);
    expect(result.files.filter((f) => anyKeywords(f.contents) > 0).map((f) => f.path)).toEqual([]);
  });

  it('the check finds an any (and ignores the word in comments and strings)', () => {
    expect(anyKeywords('export const x: Array<any> = [];')).toBe(1);
    expect(anyKeywords("/** any */ export const any = 'any';")).toBe(0);
  });
});
