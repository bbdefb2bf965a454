/**
 * The Kotlin target's warnings: an object with `additionalProperties` besides its properties is
 * reported with the Swift target's registered code (SP0602), since the data class decodes only the
 * declared fields (it was dropped silently); a map-only object (a `Map<String, T>`) is not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sync/core';
import { loadSpec } from '../../../../packages/core/src/index.js';
import { generateKotlin } from '../index.js';

const SPEC = `openapi: 3.1.0
info: { title: Extras, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Thing' } }
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: { type: string }
      additionalProperties: { type: integer }
    Counts:
      type: object
      additionalProperties: { type: integer }
    Closed:
      type: object
      properties:
        name: { type: string }
      additionalProperties: false
`;

const dir = mkdtempSync(path.join(tmpdir(), 'kotlin-diag-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kotlin diagnostics', () => {
  it('warns SP0602 for an object whose additionalProperties the data class drops, only there', async () => {
    writeFileSync(path.join(dir, 'openapi.yaml'), SPEC);
    const loaded = await loadSpec('openapi.yaml', { cwd: dir });
    expect(loaded.ir).not.toBeNull();
    const { diagnostics, files } = generateKotlin(loaded.ir!, { package: 'com.example.extras' });
    const extras = diagnostics.filter((d) => d.code === 'SP0602');
    expect(extras).toHaveLength(1);
    expect(extras[0]).toMatchObject({
      severity: DIAGNOSTIC_CODES.SP0602.severity,
      file: expect.stringContaining('openapi.yaml'),
      pointer: '#/components/schemas/Thing',
    });
    expect(extras[0]!.message).toContain('Thing');
    expect(extras[0]!.message).toContain('Kotlin');
    // What it warns about: the model has the declared field only.
    const thing = files.find((f) => f.path === 'model/Thing.kt')!.contents;
    expect(thing).toContain('val id: String,');
    expect(thing).not.toMatch(/Map</);
  });
});
