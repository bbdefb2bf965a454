import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../load/load-spec.js';
import { serverSetKind } from './server-set.js';

/** Server-set columns are decided in core (issue #10): `Column.serverSet` in the IR. */

const FIXTURE = fileURLToPath(
  new URL('../../../../fixtures/dev-server/server-set.openapi.yaml', import.meta.url),
);

describe('Column.serverSet', () => {
  it('names what the server sets on the fixture of the dev server', async () => {
    const { ir } = await loadSpec(FIXTURE);
    const task = ir?.entities.find((e) => e.name === 'Task');
    expect(Object.fromEntries((task?.columns ?? []).map((c) => [c.name, c.serverSet]))).toEqual({
      id: 'key',
      title: null,
      priority: null,
      state: 'other',
      version: 'version',
      owner_id: 'owner',
      created_at: 'created',
      updated_at: 'updated',
      created: 'created',
      secret: null,
    });
  });

  it('follows names, storage and whether the client may write the column', () => {
    const col = (name: string, storage: 'uuid' | 'text' | 'int32' | 'timestamp' | 'bool') => ({
      name,
      storage: storage === 'bool' ? ('boolean' as const) : storage,
      primaryKey: false,
      serverGenerated: true,
    });
    expect(serverSetKind({ ...col('id', 'uuid'), primaryKey: true }, false)).toBe('key');
    expect(serverSetKind(col('createdAt', 'timestamp'), false)).toBe('created');
    expect(serverSetKind(col('modified_at', 'text'), false)).toBe('updated');
    expect(serverSetKind(col('row_version', 'int32'), false)).toBe('version');
    expect(serverSetKind(col('version', 'text'), false)).toBe('other');
    expect(serverSetKind(col('user_id', 'int32'), false)).toBe('owner');
    expect(serverSetKind(col('owner', 'bool'), false)).toBe('other');
    // The client may write it: not server-set, except a created_at / updated_at timestamp.
    expect(serverSetKind({ ...col('version', 'int32'), serverGenerated: false }, false)).toBe(null);
    expect(
      serverSetKind({ ...col('created_at', 'timestamp'), serverGenerated: false }, false),
    ).toBe('created');
    // readOnly (a local-only field is never serverGenerated) still makes it the server's.
    expect(serverSetKind({ ...col('owner_id', 'uuid'), serverGenerated: false }, true)).toBe(
      'owner',
    );
  });
});
