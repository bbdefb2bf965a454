/**
 * The checks of validate/document.ts (issue #10): each case passed validation before them. The
 * bad-spec corpus (fixtures/bad/34…43) pins the exact messages; these tests pin the behaviour
 * around them (nothing outside the spec folder is read, what stays allowed).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { doc, item, load, resource } from '../__tests__/spec.js';
import { loadSpec } from '../load/load-spec.js';

const codes = (r: { diagnostics: { code: string; severity: string; pointer: string }[] }) =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.pointer]);

const listOf = (schema: unknown) => ({
  '/notes': {
    get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: schema } } } } } },
  },
});

describe('$ref outside the spec folder', () => {
  /** root/outside.yaml next to root/spec/openapi.yaml. */
  function layout(ref: string, link?: { name: string; to: (root: string) => string }) {
    const root = mkdtempSync(path.join(tmpdir(), 'sp-confine-'));
    mkdirSync(path.join(root, 'spec'));
    writeFileSync(path.join(root, 'outside.yaml'), 'type: object\nproperties: {secret: {type: string}}\n');
    if (link) symlinkSync(link.to(root), path.join(root, 'spec', link.name));
    writeFileSync(path.join(root, 'spec/openapi.yaml'), stringify(doc(listOf({ $ref: ref }))));
    return { root, file: path.join(root, 'spec/openapi.yaml') };
  }
  const pointer = '#/paths/~1notes/get/responses/200/content/application~1json/schema/items/$ref';

  it.each([['../outside.yaml'], ['/etc/hostname'], ['../outside.yaml#/properties']])('%s is refused and never read', async (ref) => {
    const { root, file } = layout(ref);
    const r = await loadSpec(file, { cwd: root });
    expect(codes(r)).toEqual([['SP0113', pointer]]);
    expect(r.diagnostics[0]!.line).toBeGreaterThan(0);
    expect(r.files).toEqual([file]);
    expect(r.ir).toBeNull();
  });

  it('a symlink inside the folder that leads out is refused too', async () => {
    const { root, file } = layout('./link.yaml', { name: 'link.yaml', to: (r) => path.join(r, 'outside.yaml') });
    const r = await loadSpec(file, { cwd: root });
    expect(codes(r).map((c) => c[0])).toEqual(['SP0113']);
  });

  it('files in subfolders, and ../ that stays inside, are fine', async () => {
    const spec = doc(listOf({ $ref: './schemas/note.yaml' }));
    const r = await load(spec, {
      extra: { 'schemas/note.yaml': stringify({ type: 'object', properties: { tag: { $ref: '../schemas/tag.yaml' } } }), 'schemas/tag.yaml': 'type: string\n' },
      validate: false,
    });
    expect(codes(r)).toEqual([]);
    expect(r.files).toHaveLength(3);
  });
});

describe('Schema Objects', () => {
  const withNote = (note: object, version = '3.1.0') => ({ ...doc(resource('notes', 'Note'), { Note: note }), openapi: version });

  it.each([
    ['type: 5', { type: 5 }, '/type'],
    ['type: strin', { type: 'strin' }, '/type'],
    ['type: [string, nul]', { type: ['string', 'nul'] }, '/type'],
    ['required: "id"', { required: 'id' }, '/required'],
    ['required: [1]', { required: [1] }, '/required/0'],
  ])('%s is an error at its keyword', async (_name, override, at) => {
    const r = await load(withNote({ ...item(), ...override }), { validate: false });
    expect(codes(r)).toEqual([['SP0114', `#/components/schemas/Note${at}`]]);
  });

  it('a nested schema is checked too (items, allOf, properties of properties)', async () => {
    const note = item({ tags: { type: 'array', items: { allOf: [{ type: 'object', properties: { x: { type: 'strng' } } }] } } });
    const r = await load(withNote(note), { validate: false });
    expect(codes(r)).toEqual([['SP0114', '#/components/schemas/Note/properties/tags/items/allOf/0/properties/x/type']]);
  });

  it('a type list is fine in 3.1 and an error in 3.0', async () => {
    const note = item({ text: { type: ['string', 'null'] } });
    expect(codes(await load(withNote(note), { validate: false }))).toEqual([]);
    expect(codes(await load(withNote(note, '3.0.3'), { validate: false }))).toEqual([['SP0114', '#/components/schemas/Note/properties/text/type']]);
  });

  it('an empty property name is an error', async () => {
    const r = await load(withNote(item({ '': { type: 'string' } })), { validate: false });
    expect(codes(r)).toEqual([['SP0115', '#/components/schemas/Note/properties/']]);
  });

  it('a blank property name is not (it has a wire name; naming falls back)', async () => {
    const r = await load(withNote(item({ ' ': { type: 'string' } })), { validate: false });
    expect(codes(r)).toEqual([]);
  });

  it('a property named like a keyword or an extension is still fine', async () => {
    const r = await load(withNote(item({ type: { type: 'string' }, required: { type: 'boolean' }, 'x-sync': { type: 'string' } })), { validate: false });
    expect(codes(r)).toEqual([]);
  });
});

describe('sync annotations where they have no effect', () => {
  it.each([
    ['a schema', (s: Record<string, unknown>) => (s.Note = { ...item(), 'x-sync': 'live' }), '#/components/schemas/Note/x-sync'],
    ['a property', (s: Record<string, unknown>) => (s.Note = item({ text: { type: 'string', 'x-sync-mode': 'live' } })), '#/components/schemas/Note/properties/text/x-sync-mode'],
  ])('on %s', async (_what, edit, pointer) => {
    const schemas: Record<string, unknown> = { Note: item() };
    edit(schemas);
    const r = await load(doc(resource('notes', 'Note'), schemas), { validate: false });
    expect(codes(r)).toEqual([['SP0221', pointer]]);
  });

  it('on a response, a request body, a parameter: the hint names the path item', async () => {
    const paths = resource('notes', 'Note', { param: 'id' }) as Record<string, Record<string, Record<string, unknown>>>;
    (paths['/notes']!.get!.responses as Record<string, Record<string, unknown>>)['200']!['x-sync'] = 'live';
    (paths['/notes']!.post!.requestBody as Record<string, unknown>)['x-sync-table'] = 'notes';
    (paths['/notes/{id}']!.parameters as unknown as Record<string, unknown>[])[0]!['x-sync'] = 'live';
    const r = await load(doc(paths, { Note: item() }), { validate: false });
    expect(codes(r)).toEqual([
      ['SP0221', '#/paths/~1notes/get/responses/200/x-sync'],
      ['SP0221', '#/paths/~1notes/post/requestBody/x-sync-table'],
      ['SP0221', '#/paths/~1notes~1{id}/parameters/0/x-sync'],
    ]);
    expect(r.diagnostics[0]!.hint).toContain('`paths: /notes: x-sync: live`');
  });

  it('on a path item and an operation it is fine', async () => {
    const paths = resource('notes', 'Note', { annotation: { 'x-sync': 'live', 'x-sync-table': 'my_notes' } }) as Record<string, Record<string, Record<string, unknown>>>;
    paths['/notes/{id}']!.get!['x-sync'] = 'live';
    expect(codes(await load(doc(paths, { Note: item() }), { validate: false }))).toEqual([]);
  });
});

describe('tables reserved for the runtime', () => {
  it.each([['_sync_notes'], ['_SYNC_Notes'], ['app._sync_notes']])('x-sync-table: %s is refused', async (table) => {
    const r = await load(doc(resource('notes', 'Note', { annotation: { 'x-sync': 'live', 'x-sync-table': table } }), { Note: item() }), { validate: false });
    expect(codes(r)).toEqual([['SP0220', '#/paths/~1notes/x-sync-table']]);
  });

  it('sync_notes (no leading underscore) is fine', async () => {
    const r = await load(doc(resource('notes', 'Note', { annotation: { 'x-sync': 'live', 'x-sync-table': 'sync_notes' } }), { Note: item() }), { validate: false });
    expect(codes(r)).toEqual([]);
  });
});

describe('YAML alias bombs', () => {
  const bomb = (levels: number, width: number): string => {
    const lines = ['openapi: 3.1.0', 'info: {title: bomb, version: "1"}', `x-l0: &l0 [${Array(width).fill('"x"').join(',')}]`];
    for (let i = 1; i < levels; i++) lines.push(`x-l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(',')}]`);
    lines.push('paths: {}', '');
    return lines.join('\n');
  };

  it('is refused fast, located at the first alias of an alias', async () => {
    const start = performance.now();
    const r = await load(bomb(9, 9));
    expect(performance.now() - start).toBeLessThan(20_000); // before SP0109: > 120 s
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.pointer])).toEqual([['SP0109', 5, 12, '#/x-l2/0']]);
  });

  it('a spec that reuses anchors moderately still loads', async () => {
    const spec = [
      'openapi: 3.1.0',
      'info: {title: ok, version: "1"}',
      'x-err: &err {description: error, content: {application/json: {schema: {type: object, properties: {detail: {type: string}}}}}}',
      'paths:',
      ...Array.from({ length: 40 }, (_, i) => `  /r${i}: {get: {responses: {'200': {description: ok}, '400': *err, '500': *err}}}`),
      '',
    ].join('\n');
    const r = await load(spec, { validate: false });
    expect(codes(r)).toEqual([]);
  });
});
