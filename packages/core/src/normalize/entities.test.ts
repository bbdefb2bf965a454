import { describe, expect, it } from 'vitest';
import { doc, item, json, load, ok, ref, resource } from '../__tests__/spec.js';
import { pathShape } from './entity-paths.js';
import { cleanOperationId } from './operations.js';

describe('pathShape', () => {
  it.each([
    ['/contacts', { kind: 'collection', resource: 'contacts', param: null, parentResource: null }],
    ['/contacts/', { kind: 'collection', resource: 'contacts', param: null, parentResource: null }],
    [
      '/api/v1/contacts/{contact_id}',
      { kind: 'item', resource: 'contacts', param: 'contact_id', parentResource: null },
    ],
    [
      '/accounts/{account_id}/line-items',
      {
        kind: 'collection',
        resource: 'line-items',
        param: 'account_id',
        parentResource: 'accounts',
      },
    ],
    [
      '/line-items/{line_item_id}/',
      { kind: 'item', resource: 'line-items', param: 'line_item_id', parentResource: null },
    ],
    ['/files/{a}{b}', null],
    ['/{tenant}/{id}', null],
    ['/', null],
  ])('%s', (path, want) => {
    const got = pathShape(path);
    expect(
      got && {
        kind: got.kind,
        resource: got.resource,
        param: got.param,
        parentResource: got.parentResource,
      },
    ).toEqual(want);
  });
});

describe('cleanOperationId', () => {
  it.each([
    ['list_contacts_api_v1_contacts_get', '/api/v1/contacts', 'get', [], 'list_contacts'],
    ['read_items_api_v1_items__get', '/api/v1/items/', 'get', [], 'read_items'],
    ['read_item_api_v1_items__item_id__get', '/api/v1/items/{item_id}', 'get', [], 'read_item'],
    ['items-read_items', '/items', 'get', ['items'], 'read_items'],
    ['items-read_items', '/items', 'get', ['other'], 'items-read_items'],
    ['listContacts', '/contacts', 'get', ['contacts'], 'listContacts'],
    ['get', '/get', 'get', [], 'get'],
  ])('%s → %s', (id, path, method, tags, want) => {
    expect(cleanOperationId(id, path, method, tags as string[])).toBe(want);
  });
});

async function entities(paths: Record<string, unknown>, schemas: Record<string, unknown>) {
  const r = await load(doc(paths, schemas), { validate: false });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.ir!;
}

describe('entity detection', () => {
  it.each([
    ['people', 'Person', 'People', 'people'],
    ['categories', 'Category', 'Categories', 'categories'],
    ['analyses', 'Analysis', 'Analyses', 'analyses'],
    ['statuses', 'Status', 'Statuses', 'statuses'],
    ['line-items', 'LineItem', 'LineItems', 'line_items'],
    ['line_items', 'LineItem', 'LineItems', 'line_items'],
    ['addresses', 'Address', 'Addresses', 'addresses'],
  ])('names /%s as %s / %s with table %s', async (segment, name, plural, table) => {
    const ir = await entities(resource(segment, 'Row'), { Row: item() });
    expect(ir.entities.map((e) => [e.name, e.plural, e.table, e.resource])).toEqual([
      [name, plural, table, segment],
    ]);
  });

  it('recognises /api/v1 prefixes, trailing slashes and FastAPI operation ids', async () => {
    const paths = resource('items', 'Item', {
      prefix: '/api/v1',
      trailingSlash: true,
      param: 'item_id',
    });
    const ir = await entities(paths, { Item: item() });
    const e = ir.entities[0]!;
    expect(e.paths).toEqual({ collection: '/api/v1/items/', item: '/api/v1/items/{item_id}' });
    expect(e.primaryKey).toEqual({ field: 'id', storage: 'uuid' });
    expect(Object.keys(e.operations)).toEqual(['list', 'create', 'get', 'update', 'delete']);
  });

  it('links a nested collection to its parent and uses the matching field', async () => {
    const lineItem = item({ account_id: { type: 'string', format: 'uuid' } });
    const paths = {
      ...resource('accounts', 'Account'),
      '/accounts/{account_id}/line-items': {
        parameters: [
          { name: 'account_id', in: 'path', required: true, schema: { type: 'string' } },
        ],
        get: {
          responses: {
            '200': { description: 'l', ...json({ type: 'array', items: ref('LineItem') }) },
          },
        },
      },
      '/line-items/{line_item_id}': {
        parameters: [
          { name: 'line_item_id', in: 'path', required: true, schema: { type: 'string' } },
        ],
        get: { responses: { '200': { description: 'g', ...json(ref('LineItem')) } } },
      },
    };
    const ir = await entities(paths, { Account: item(), LineItem: lineItem });
    const li = ir.entities.find((e) => e.name === 'LineItem')!;
    expect(li.parent).toEqual({ param: 'account_id', field: 'account_id', entity: 'Account' });
    expect(li.paths).toEqual({
      collection: '/accounts/{account_id}/line-items',
      item: '/line-items/{line_item_id}',
    });
  });

  it.each([
    [
      {
        type: 'object',
        properties: { data: { type: 'array', items: ref('Row') }, count: { type: 'integer' } },
      },
      { shape: 'wrapped', itemsProperty: 'data', totalProperty: 'count' },
    ],
    [
      {
        type: 'object',
        properties: { items: { type: 'array', items: ref('Row') }, total: { type: 'integer' } },
      },
      { shape: 'wrapped', itemsProperty: 'items', totalProperty: 'total' },
    ],
    [
      {
        type: 'object',
        properties: {
          rows_here: { type: 'array', items: ref('Row') },
          next: { type: ['string', 'null'] },
        },
      },
      { shape: 'wrapped', itemsProperty: 'rows_here', totalProperty: null },
    ],
    [{ type: 'array', items: ref('Row') }, { shape: 'array' }],
  ])('list response %j', async (list, want) => {
    const ir = await entities(resource('rows', 'Row', { list }), { Row: item() });
    expect(ir.entities[0]!.list).toEqual(want);
  });

  it('does not take a collection GET returning one object (a report) for a list', async () => {
    const paths = {
      '/reports/pipeline': {
        get: {
          responses: {
            '200': {
              description: 'r',
              ...json({ type: 'object', properties: { total: { type: 'integer' } } }),
            },
          },
        },
      },
    };
    const ir = await entities(paths, {});
    expect(ir.entities).toEqual([]);
    expect(ir.operations.map((o) => [o.name, o.entity])).toEqual([['get_reports_pipeline', null]]);
  });

  it('does not take a tree node with children of its own type for a wrapped list', async () => {
    const node = {
      type: 'object',
      properties: { id: { type: 'integer' }, children: { type: 'array', items: ref('Node') } },
    };
    const ir = await entities(
      {
        '/tree': { get: { responses: { '200': ok('t') } } },
        '/nodes/root': {
          get: { responses: { '200': { description: 'n', ...json(ref('Node')) } } },
        },
      },
      { Node: node },
    );
    expect(ir.entities).toEqual([]);
  });

  it.each([
    ['{contact_id}', 'contact_id', 'id'],
    ['{contactId}', 'contactId', 'id'],
    ['{uuid}', 'uuid', 'id'],
    ['{email}', 'email', 'email'],
    ['{course_contact_id} (the id of a contact in a course)', 'course_contact_id', 'id'],
    ['{githubId} (another identifier the item does not carry)', 'githubId', undefined],
  ])('finds the primary key for %s', async (_, param, key) => {
    const ir = await entities(resource('contacts', 'Contact', { param }), {
      Contact: item({ email: { type: 'string' } }),
    });
    expect(ir.entities[0]!.primaryKey?.field).toBe(key);
  });

  it('keeps the first of two list operations for one resource and warns about the second', async () => {
    const paths = {
      ...resource('tasks', 'Task'),
      '/projects/{project_id}/tasks': {
        parameters: [
          { name: 'project_id', in: 'path', required: true, schema: { type: 'string' } },
        ],
        get: {
          responses: {
            '200': { description: 'l', ...json({ type: 'array', items: ref('Task') }) },
          },
        },
      },
    };
    const r = await load(doc(paths, { Task: item() }), { validate: false });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['SP0304']);
    expect(r.ir!.entities[0]!.paths.collection).toBe('/tasks');
  });

  it('joins item paths that name the id differently (FastAPI template: {id} and {attempt_id})', async () => {
    const param = (name: string) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string', format: 'uuid' },
    });
    const paths = {
      '/api/v1/exam-attempts/': {
        'x-sync': 'live',
        get: {
          responses: {
            '200': {
              description: 'l',
              ...json({
                type: 'object',
                properties: {
                  data: { type: 'array', items: ref('ExamAttempt') },
                  count: { type: 'integer' },
                },
              }),
            },
          },
        },
        post: {
          requestBody: json(ref('ExamAttempt')),
          responses: { '200': { description: 'c', ...json(ref('ExamAttempt')) } },
        },
      },
      '/api/v1/exam-attempts/{id}': {
        get: {
          parameters: [param('id')],
          responses: { '200': { description: 'g', ...json(ref('ExamAttempt')) } },
        },
      },
      '/api/v1/exam-attempts/{attempt_id}': {
        patch: {
          parameters: [param('attempt_id')],
          requestBody: json(ref('ExamAttempt')),
          responses: { '200': { description: 'u', ...json(ref('ExamAttempt')) } },
        },
      },
      '/api/v1/users/me': {
        get: { responses: { '200': { description: 'me', ...json(ref('ExamAttempt')) } } },
      },
    };
    const ir = await entities(paths, { ExamAttempt: item() });
    expect(
      ir.entities.map((e) => [
        e.name,
        e.table,
        e.primaryKey?.field,
        Object.keys(e.operations),
        e.sync.mode,
      ]),
    ).toEqual([
      ['ExamAttempt', 'exam_attempts', 'id', ['list', 'create', 'get', 'update'], 'live'],
    ]);
    expect(ir.operations.find((o) => o.path === '/api/v1/users/me')?.entity).toBeNull();
  });

  it('uses x-sync-table for the table name', async () => {
    const ir = await entities(
      resource('tasks', 'Task', {
        annotation: { 'x-sync': 'live', 'x-sync-table': 'project_tasks' },
      }),
      { Task: item() },
    );
    expect(ir.entities[0]!.table).toBe('project_tasks');
  });

  it('orders columns primary key first and marks server-generated ones', async () => {
    const schema = {
      type: 'object',
      required: ['name', 'id'],
      properties: {
        name: { type: 'string' },
        id: { type: 'integer', format: 'int64', readOnly: true },
        created_at: { type: 'string', format: 'date-time', readOnly: true },
        price: { type: 'string', format: 'decimal' },
      },
    };
    const ir = await entities(resource('things', 'Thing'), { Thing: schema });
    expect(
      ir.entities[0]!.columns.map(
        (c) =>
          `${c.name}:${c.storage}:${c.nullable ? 'null' : 'notnull'}:${c.serverGenerated ? 'server' : 'client'}`,
      ),
    ).toEqual([
      'id:int64:notnull:server',
      'name:text:notnull:client',
      'created_at:timestamp:null:server',
      'price:decimal:null:client',
    ]);
  });
});
