/**
 * No invented values in live rows (issue #12's last gap; Swift did the same in #19), on a small
 * spec with every kind of default, checked on the generated text (the compile gate in
 * src/compile.test.ts compiles the fixtures' output):
 * - a field only the server fills (core's `awaitsServerValue`) is `T? = null` in the model, with
 *   its KDoc, and `toModel()` passes it as it is;
 * - a required client field the create may omit takes the spec's `default` (or `const`), typed;
 * - without a default it is `LocalRows.required` (an error naming the column), never a stand-in.
 */
import type { GeneratedFile } from '@sync/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { doc, load } from '../../../../../packages/core/src/__tests__/spec.js';
import { generateKotlin } from '../../index.js';

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const spec = doc(
  {
    '/things': {
      'x-sync': 'live',
      get: { responses: { '200': { description: 'list', ...json({ type: 'array', items: ref('Thing') }) } } },
      post: { requestBody: json(ref('ThingCreate')), responses: { '201': { description: 'created', ...json(ref('Thing')) } } },
    },
    '/things/{id}': {
      'x-sync': 'live',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      get: { responses: { '200': { description: 'one', ...json(ref('Thing')) } } },
      delete: { responses: { '204': { description: 'deleted' } } },
    },
  },
  {
    Kind: { type: 'string', enum: ['small', 'large'] },
    Thing: {
      type: 'object',
      required: ['id', 'name', 'kind', 'count', 'total', 'ratio', 'score', 'done', 'price', 'labels', 'extra', 'shape', 'note', 'big', 'version', 'created_at'],
      properties: {
        id: { type: 'string', format: 'uuid', readOnly: true },
        name: { type: 'string' },
        kind: ref('Kind'),
        count: { type: 'integer', format: 'int32' },
        total: { type: 'integer', format: 'int64' },
        ratio: { type: 'number', format: 'float' },
        score: { type: 'number', format: 'double' },
        done: { type: 'boolean' },
        price: { type: 'string', format: 'decimal' },
        labels: { type: 'array', items: { type: 'string' } },
        extra: { type: 'object', additionalProperties: { type: 'string' } },
        shape: { const: 'thing' },
        note: { type: 'string' },
        big: { type: 'integer', format: 'int32' },
        version: { type: 'integer', readOnly: true },
        created_at: { type: 'string', format: 'date-time', readOnly: true },
      },
    },
    ThingCreate: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        kind: { ...ref('Kind'), default: 'large' },
        count: { type: 'integer', format: 'int32', default: 3 },
        total: { type: 'integer', format: 'int64', default: 7 },
        ratio: { type: 'number', format: 'float', default: 0.5 },
        score: { type: 'number', format: 'double', default: 2 },
        done: { type: 'boolean', default: true },
        price: { type: 'string', format: 'decimal', default: '9.90' },
        labels: { type: 'array', items: { type: 'string' }, default: [] },
        extra: { type: 'object', additionalProperties: { type: 'string' }, default: {} },
        shape: { const: 'thing' },
        note: { type: 'string' },
        // Out of Int's range: no literal is written, the column is required instead.
        big: { type: 'integer', format: 'int32', default: 3000000000 },
      },
    },
  },
);

let files: GeneratedFile[] = [];
const file = (p: string) => files.find((f) => f.path === p)?.contents ?? '';

describe('live rows invent no values (kotlin)', () => {
  beforeAll(async () => {
    const r = await load(spec, { validate: false });
    if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
    files = generateKotlin(r.ir, { package: 'com.example.things' }).files;
  }, 60_000);

  it('server-set fields are nullable in the model, documented, and read as they are', () => {
    const model = file('model/Thing.kt');
    expect(model).toContain('    /** Set by the server: null until the server has stored the row. */\n    val version: Int? = null,');
    expect(model).toContain('    /** Set by the server: null until the server has stored the row. */\n    @SerialName("created_at")\n    val createdAt: IsoDateTime? = null,');
    expect(model).toContain('    /** Read-only: set by the server. */\n    val id: String,');
    const row = file('data/ThingRow.kt');
    expect(row).toContain('            version = version,');
    expect(row).toContain('            createdAt = createdAt,');
  });

  it('omitted client fields take the spec default, typed; none is an error naming the column', () => {
    const row = file('data/ThingRow.kt');
    for (const line of [
      'kind = kind ?: Kind.LARGE,',
      'count = count ?: 3,',
      'total = total ?: 7L,',
      'ratio = ratio ?: 0.5f,',
      'score = score ?: 2.0,',
      'done = done ?: true,',
      'price = price ?: Decimal("9.90"),',
      'labels = labels ?: emptyList(),',
      'extra = extra ?: emptyMap(),',
      'shape = shape ?: "thing",',
      'name = LocalRows.required(name, "things", "name"),',
      'note = LocalRows.required(note, "things", "note"),',
      'big = LocalRows.required(big, "things", "big"),',
    ]) {
      expect(row).toContain(`            ${line}`);
    }
    expect(row).toContain('import io.syncpatterns.runtime.serial.Decimal');
    for (const f of files) expect(f.contents, f.path).not.toMatch(/provisional|LocalRows\.(timestamp|date|time|uuid)\(/i);
  });
});
