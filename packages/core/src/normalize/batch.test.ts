import { describe, expect, it } from 'vitest';
import { doc, item, load, resource } from '../__tests__/spec.js';

const writes = {
  type: 'array',
  items: {
    type: 'object',
    required: ['write_id', 'table', 'op', 'key'],
    properties: {
      write_id: { type: 'string' },
      table: { type: 'string' },
      op: { type: 'string', enum: ['insert', 'update', 'delete'] },
      key: {},
      payload: { type: 'object' },
    },
  },
};
const batchPost = (extra: Record<string, unknown> = {}, body: unknown = writes) => ({
  post: {
    operationId: 'sync_batch',
    'x-sync-batch': true,
    requestBody: { required: true, content: { 'application/json': { schema: body } } },
    responses: { '200': { description: 'results' } },
    ...extra,
  },
});

async function loadWith(paths: Record<string, unknown>) {
  const r = await load(
    doc(
      { ...resource('contacts', 'Contact', { annotation: { 'x-sync': 'live' } }), ...paths },
      {
        Contact: item(),
      },
    ),
    { validate: false },
  );
  return {
    ir: r.ir,
    errors: r.diagnostics.filter((d) => d.severity === 'error'),
    warnings: r.diagnostics.filter((d) => d.severity === 'warning'),
  };
}

describe('x-sync-batch', () => {
  it('carries the batch operation in the IR', async () => {
    const { ir, errors, warnings } = await loadWith({ '/sync/batch': batchPost() });
    expect(errors).toEqual([]);
    expect(warnings.filter((w) => w.message.includes('x-sync-batch'))).toEqual([]);
    expect(ir?.batch).toEqual({
      operation: 'sync_batch',
      method: 'POST',
      path: '/sync/batch',
      source: { file: 'openapi.yaml', pointer: '#/paths/~1sync~1batch/post/x-sync-batch' },
    });
    // still an ordinary operation for push clients
    expect(ir?.operations.some((o) => o.name === 'sync_batch')).toBe(true);
  });

  it('is absent when no operation declares it (and when it says false)', async () => {
    expect((await loadWith({})).ir?.batch).toBeUndefined();
    const off = await loadWith({ '/sync/batch': batchPost({ 'x-sync-batch': false }) });
    expect(off.errors).toEqual([]);
    expect(off.ir?.batch).toBeUndefined();
  });

  it.each([
    [
      'a non-boolean',
      { '/sync/batch': batchPost({ 'x-sync-batch': 'yes' }) },
      /must be true or false/,
      '/paths/~1sync~1batch/post/x-sync-batch',
    ],
    [
      'a PUT',
      { '/sync/batch': { put: batchPost().post } },
      /must be a POST/,
      '/paths/~1sync~1batch/put/x-sync-batch',
    ],
    [
      'a body that is not a list',
      { '/sync/batch': batchPost({}, { type: 'object' }) },
      /request body is not a list/,
      '/paths/~1sync~1batch/post/requestBody',
    ],
    [
      'a path item',
      {
        '/sync/batch': {
          'x-sync-batch': true,
          post: batchPost({ 'x-sync-batch': undefined }).post,
        },
      },
      /path item \/sync\/batch/,
      '/paths/~1sync~1batch/x-sync-batch',
    ],
    [
      'two operations',
      {
        '/sync/batch': batchPost(),
        '/sync/batch2': batchPost({ operationId: 'sync_batch_2' }),
      },
      /on both POST \/sync\/batch and POST \/sync\/batch2/,
      '/paths/~1sync~1batch2/post/x-sync-batch',
    ],
  ])('refuses %s with a located SP0222', async (_name, paths, message, pointer) => {
    const { errors } = await loadWith(paths);
    expect(errors.map((e) => e.code)).toEqual(['SP0222']);
    expect(errors[0]!.message).toMatch(message);
    expect(errors[0]!.pointer).toBe(`#${pointer}`);
    expect(errors[0]!.line).toBeGreaterThan(0);
  });

  it("refuses an entity's own create", async () => {
    const r = await load(
      doc(
        resource('contacts', 'Contact', {
          annotation: { 'x-sync': 'live' },
        }),
        { Contact: item() },
      ),
      { validate: false },
    );
    expect(r.ir?.batch).toBeUndefined();
    const raw = doc(resource('contacts', 'Contact'), { Contact: item() }) as {
      paths: Record<string, { post?: Record<string, unknown> }>;
    };
    raw.paths['/contacts']!.post!['x-sync-batch'] = true;
    const bad = await load(raw, { validate: false });
    const errors = bad.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.code)).toEqual(['SP0222']);
    expect(errors[0]!.message).toMatch(/create operation of entity Contact/);
  });
});
