import { describe, expect, it } from 'vitest';
import { doc, item, load, resource } from '../__tests__/spec.js';

describe("diagnostic locations are in the user's own file", () => {
  it('points into a JSON file by line:col', async () => {
    const spec = doc(resource('notes', 'Note', { annotation: { 'x-sync': 'realtim' } }), {
      Note: item(),
    });
    const text = JSON.stringify(spec, null, 4);
    const r = await load(text, { name: 'openapi.json', validate: false });
    const d = r.diagnostics[0]!;
    const line = text.split('\n').findIndex((l) => l.includes('"x-sync": "realtim"')) + 1;
    expect([d.code, d.file, d.line, d.column]).toEqual(['SP0201', 'openapi.json', line, 13]);
  });

  it('points into the referenced file for problems written there', async () => {
    const spec = doc({ '/notes': { $ref: './paths/notes.yaml' } }, { Note: item() });
    const notes = ['x-sync: Live', 'get:', '  responses:', "    '200': {description: ok}", ''].join(
      '\n',
    );
    const r = await load(spec, { extra: { 'paths/notes.yaml': notes }, validate: false });
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.column, d.pointer])).toEqual([
      ['SP0201', 'paths/notes.yaml', 1, 1, '#/x-sync'],
    ]);
  });

  it('reports a broken file ref at the $ref, with the missing file named', async () => {
    const spec = doc({
      '/notes': {
        get: {
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { $ref: './schemas/nope.yaml' } } },
            },
          },
        },
      },
    });
    const r = await load(spec);
    expect(r.ir).toBeNull();
    expect(r.diagnostics.map((d) => [d.code, d.message, d.pointer])).toEqual([
      [
        'SP0102',
        'The file "schemas/nope.yaml" referenced here does not exist.',
        '#/paths/~1notes/get/responses/200/content/application~1json/schema/$ref',
      ],
    ]);
    expect(r.diagnostics[0]!.line).toBeGreaterThan(1);
  });

  it('locates an OpenAPI schema violation found by the parser', async () => {
    const text = [
      'openapi: 3.0.3',
      'info: {title: t, version: "1"}',
      'paths:',
      '  /a:',
      '    get:',
      '      responses:',
      '        "200": {}',
      '',
    ].join('\n');
    const r = await load(text);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['SP0107', 7, 9]]);
    expect(r.diagnostics[0]!.message).toContain('"description"');
  });

  it('gives line:col for a YAML syntax error and no IR', async () => {
    const r = await load('openapi: 3.1.0\ninfo:\n  title: t\n   version: 1\n');
    expect(r.ir).toBeNull();
    // js-yaml flags the over-indented `version:` key (line 4), at the colon that makes it a mapping.
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['SP0103', 4, 11]]);
  });

  it('reads relative-file refs: schemas, path items and fragments', async () => {
    const spec = doc(
      { '/tasks': { $ref: './paths/tasks.yaml' } },
      { Task: { $ref: './schemas/task.yaml' } },
    );
    const extra = {
      'paths/tasks.yaml':
        "x-sync: live\nget:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {type: array, items: {$ref: '../schemas/task.yaml'}}\n",
      'schemas/task.yaml':
        "type: object\nrequired: [id]\nproperties:\n  id: {type: string, format: uuid}\n  at: {$ref: './common.yaml#/Timestamp'}\n",
      'schemas/common.yaml': 'Timestamp: {type: string, format: date-time}\n',
    };
    const r = await load(spec, { extra });
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.replace(/^.*sp-spec-[^/]+\//, ''))).toEqual([
      'openapi.yaml',
      'paths/tasks.yaml',
      'schemas/common.yaml',
      'schemas/task.yaml',
    ]);
    const e = r.ir!.entities[0]!;
    expect([e.name, e.schema, e.sync.mode]).toEqual(['Task', 'Task', 'live']);
    expect(r.ir!.schemas.map((s) => s.name)).toEqual(['Task']);
  });

  it('produces byte-identical IR for the same input', async () => {
    const spec = doc(resource('notes', 'Note'), { Note: item() });
    const a = await load(spec, { validate: false });
    const b = await load(spec, { validate: false });
    expect(JSON.stringify(a.ir)).toBe(JSON.stringify(b.ir));
  });
});

describe('ir.source.file', () => {
  it('is cwd-relative POSIX, `../` included, never absolute: banners must not depend on the checkout path', async () => {
    const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { loadSpec } = await import('../index.js');
    const root = await mkdtemp(path.join(os.tmpdir(), 'sp-source-'));
    try {
      await mkdir(path.join(root, 'spec'));
      await mkdir(path.join(root, 'app'));
      const specFile = path.join(root, 'spec', 'openapi.json');
      await writeFile(specFile, JSON.stringify(doc(resource('notes', 'Note'), { Note: item() })));
      const outside = await loadSpec(specFile, { cwd: path.join(root, 'app'), validate: false });
      expect(outside.ir?.source.file).toBe('../spec/openapi.json');
      const inside = await loadSpec(specFile, { cwd: root, validate: false });
      expect(inside.ir?.source.file).toBe('spec/openapi.json');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
