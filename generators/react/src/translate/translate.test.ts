import { describe, expect, it } from 'vitest';
import { fixtureIr } from '../testing/fixtures.js';
import { resolveOptions } from '../options.js';
import { createContext } from './context.js';
import { entityShapes } from './entity-shapes.js';
import { operationGroups } from './operation-groups.js';
import { translate } from './index.js';

describe('operationGroups', () => {
  it('puts entity ops with their entity and others by tag (crm)', async () => {
    const groups = operationGroups(await fixtureIr('crm'));
    expect(groups.map((g) => g.name)).toEqual([
      'Account',
      'Contact',
      'LineItem',
      'Person',
      'Reports',
      'System',
    ]);
    expect(groups.find((g) => g.name === 'System')?.operations).toEqual(['getHealth']);
  });

  it('joins a non-entity op to the entity sharing its tag (petstore)', async () => {
    const groups = operationGroups(await fixtureIr('petstore-3.0'));
    expect(groups.find((g) => g.name === 'Category')?.operations).toEqual([
      'listCategories',
      'getCategoryTree',
    ]);
    expect(groups.find((g) => g.name === 'Order')?.operations).toContain('getInventory');
  });

  it('covers every operation exactly once', async () => {
    for (const fixture of ['crm', 'bad-names', 'fastapi', 'multi-file']) {
      const ir = await fixtureIr(fixture);
      const grouped = operationGroups(ir)
        .flatMap((g) => g.operations)
        .sort();
      expect(grouped).toEqual(ir.operations.map((o) => o.name).sort());
    }
  });
});

describe('entityShapes', () => {
  it('uses the spec bodies when they are separate schemas (crm Contact)', async () => {
    const ir = await fixtureIr('crm');
    const shapes = entityShapes(
      ir,
      ir.entities.find((e) => e.name === 'Contact')!,
    );
    expect(shapes.create.derived).toBe(false);
    expect(shapes.update.derived).toBe(false);
  });

  it('derives create/update when the item schema is posted (bad-names Order)', async () => {
    const ir = await fixtureIr('bad-names');
    const shapes = entityShapes(
      ir,
      ir.entities.find((e) => e.name === 'Order')!,
    );
    expect(shapes.create).toMatchObject({ derived: true, omit: ['id'], partial: false });
    expect(shapes.update).toMatchObject({ derived: true, omit: ['id'], partial: true });
  });
});

describe('translate', () => {
  it('plans the crm files, paths derived from the IR alone', async () => {
    const ir = await fixtureIr('crm');
    const paths = translate(createContext(ir, resolveOptions(ir, {})))
      .map((p) => p.path)
      .sort();
    expect(paths.filter((p) => !p.startsWith('models/'))).toEqual([
      'api/account.ts',
      'api/client.ts',
      'api/contact.ts',
      'api/line-item.ts',
      'api/person.ts',
      'api/reports.ts',
      'api/system.ts',
      'hooks/account.ts',
      'hooks/contact.ts',
      'hooks/line-item.ts',
      'hooks/person.ts',
      'index.ts',
      'live/local-schema.ts',
      'live/schema.ts',
      'query-keys.ts',
    ]);
    expect(paths).toContain('models/error-model.ts');
  });

  it('renames spec types that would shadow the client (ApiError)', async () => {
    const ir = structuredClone(await fixtureIr('crm'));
    ir.schemas.push({
      kind: 'object',
      name: 'ApiError',
      componentName: 'ApiError',
      deprecated: false,
      fields: [],
      additionalProperties: null,
      source: { file: '', pointer: '' },
    });
    const ctx = createContext(ir, resolveOptions(ir, {}));
    expect(ctx.declType.get('ApiError')).toBe('ApiError2');
  });
});

describe('live schema: the batch write operation', () => {
  const liveSchemaText = async (batch: boolean) => {
    const { generateReact } = await import('../index.js');
    const ir = await fixtureIr('crm');
    const withBatch = batch
      ? {
          ...ir,
          batch: {
            operation: 'getHealth',
            method: 'POST' as const,
            path: '/sync/batch',
            source: { file: 'openapi.yaml', pointer: '#/paths/~1sync~1batch/post/x-sync-batch' },
          },
        }
      : ir;
    const files = (await generateReact(withBatch, { format: false })).files;
    return files.find((f) => f.path === 'live/schema.ts')!.contents;
  };

  it('passes the IR batch operation to the runtime', async () => {
    expect(await liveSchemaText(true)).toContain(`batch: { method: 'POST', path: '/sync/batch' },`);
  });

  it('declares none when the spec has none (the runtime sends one request per write)', async () => {
    expect(await liveSchemaText(false)).not.toContain('batch:');
  });
});
