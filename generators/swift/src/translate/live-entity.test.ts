import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSpec } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { generateSwift } from '../generate.js';

/** A live write whose required query and header parameters core binds to columns (`x-sync-bind`). */
const spec = {
  openapi: '3.1.0',
  info: { title: 'V', version: '1' },
  paths: {
    '/vendors': {
      'x-sync': 'live',
      get: {
        responses: {
          '200': {
            description: 'l',
            content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Vendor' } } } },
          },
        },
      },
    },
    '/vendors/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      put: {
        'x-sync-bind': { expectedVersion: 'version' },
        parameters: [
          { name: 'expectedVersion', in: 'query', required: true, schema: { type: 'integer' } },
          { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Vendor' } } } },
        responses: { '200': { description: 'u' } },
      },
    },
  },
  components: {
    schemas: {
      Vendor: {
        type: 'object',
        required: ['id', 'version'],
        properties: { id: { type: 'string' }, version: { type: 'integer' }, 'If-Match': { type: 'string' } },
      },
    },
  },
};

describe('live routes', () => {
  it('send the parameters core binds to columns, where the operation declares them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-bind-'));
    writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(spec));
    const { ir, diagnostics } = await loadSpec(path.join(dir, 'openapi.json'), { cwd: dir });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const table = generateSwift(ir!, {}).files.find((f) => f.path === 'Live/VendorSyncTable.swift')!;
    expect(table.contents).toContain('.init("expectedVersion", .payload("version"), in: .query)');
    expect(table.contents).toContain('.init("If-Match", .payload("If-Match"), in: .header)');
    expect(table.contents).toContain('.init("id", .primaryKey)');
  });
});
