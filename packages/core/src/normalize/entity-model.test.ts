import { describe, expect, it } from 'vitest';
import { doc, item, json, load, ref, resource } from '../__tests__/spec.js';
import { choosePaths, isSubEndpoint, itemPathsOf, pathShape } from './entity-paths.js';

/** The entity model (IR v2): which paths and operations make an entity, list vs item types, bindings. */

const pathParam = (name: string, type = 'string') => ({
  name,
  in: 'path',
  required: true,
  schema: { type },
});
const getting = (schema: unknown) => ({
  responses: { '200': { description: 'ok', ...json(schema) } },
});
const writing = (schema: unknown, parameters: unknown[] = []) => ({
  parameters,
  requestBody: json(schema),
  responses: { '200': { description: 'ok', ...json(schema) } },
});

describe('isSubEndpoint', () => {
  const declared = new Set([
    '/pet',
    '/pet/{petId}',
    '/users',
    '/courses',
    '/expenses',
    '/accounts/{account_id}',
  ]);
  it.each([
    ['/pet/findByStatus', true],
    ['/users/search', true],
    ['/users/search/basic', true],
    ['/courses/stats/expelled', true],
    ['/expenses/number/{n}', true],
    ['/search', true],
    ['/find-by-name', true],
    ['/accounts/{account_id}/line-items', false],
    ['/api/v1/items/', false],
    ['/api/v1/items/{id}', false],
    ['/quotes/{id}/approve', false],
    ['/finders', false],
    ['/searches', false],
    ['/abya', false],
    ['/filter', false],
    ['/filter/{id}', false],
    ['/lookup-user', true],
    ['/courses/{courseId}/students/available', true],
    ['/course/{courseId}/students/score/{githubId}', true],
    ['/teams/{id}/members', false],
  ])('%s → %s', (path, want) => {
    expect(isSubEndpoint(path, declared)).toBe(want);
  });
  it('does not take an API root for a parent collection', async () => {
    const r = await load(
      doc(
        {
          '/api/v1/': { get: getting({ type: 'object', properties: { ok: { type: 'boolean' } } }) },
          ...resource('items', 'Item', { prefix: '/api/v1', annotation: { 'x-sync': 'live' } }),
        },
        { Item: item() },
      ),
      { validate: false },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.entities.map((e) => e.name)).toEqual(['Item']);
  });
});

describe('itemPathsOf', () => {
  it('accepts any parameter name under the collection, then the flat form of a nested one', () => {
    expect(itemPathsOf('/a/', ['/a/{id}', '/a/{a_id}', '/b/{id}'])).toEqual([
      '/a/{id}',
      '/a/{a_id}',
    ]);
    expect(
      itemPathsOf('/api/accounts/{account_id}/line-items', [
        '/api/line-items/{id}',
        '/line-items/{id}',
      ]),
    ).toEqual(['/api/line-items/{id}']);
    expect(itemPathsOf('/events', ['/courses/{courseId}/events/{id}'])).toEqual([]);
  });
});

describe('choosePaths', () => {
  const m = (path: string, role: 'list' | 'create' | 'get' | 'update' | 'replace' | 'delete') => ({
    path,
    role,
    shape: pathShape(path)!,
    value: `${role} ${path}`,
  });
  it('never mixes paths: one collection and the item path under it', () => {
    const got = choosePaths([
      m('/vendors/{id}/cards/payments', 'list'),
      m('/expenses/{id}/payments', 'create'),
      m('/purchase-orders/{po}/payments/{id}', 'replace'),
    ]);
    expect(got.own.map((x) => x.value)).toEqual(['list /vendors/{id}/cards/payments']);
    expect(got.others.map((x) => x.value).sort()).toEqual([
      'create /expenses/{id}/payments',
      'replace /purchase-orders/{po}/payments/{id}',
    ]);
  });
  it('prefers a pair with a list, then the shallower, over one that also gets', () => {
    const got = choosePaths([
      m('/tasks', 'list'),
      m('/tasks/{id}', 'delete'),
      m('/courses/{courseId}/tasks', 'list'),
      m('/courses/{courseId}/tasks/{courseTaskId}', 'get'),
    ]);
    expect([got.collection, got.item]).toEqual(['/tasks', '/tasks/{id}']);
  });
  it('prefers the pair that lists and gets, then the shallower', () => {
    const got = choosePaths([
      m('/cards', 'list'),
      m('/cards/{card_id}', 'get'),
      m('/cards/{card_id}', 'update'),
      m('/practice-sessions/{sid}/cards/{card_id}', 'update'),
      m('/practice-sessions/{sid}/cards', 'list'),
    ]);
    expect([got.collection, got.item]).toEqual(['/cards', '/cards/{card_id}']);
    expect(got.others.map((x) => x.value).sort()).toEqual([
      'list /practice-sessions/{sid}/cards',
      'update /practice-sessions/{sid}/cards/{card_id}',
    ]);
  });
});

describe('entity operations', () => {
  it('keeps operations of the resource on another path out of the entity, warning with both paths', async () => {
    const r = await load(
      doc(
        {
          ...resource('events', 'Event', { annotation: { 'x-sync': 'live' } }),
          '/courses/{courseId}/events/{id}': {
            parameters: [pathParam('courseId'), pathParam('id')],
            put: writing(ref('Event')),
          },
        },
        { Event: item() },
      ),
      { validate: false },
    );
    const ir = r.ir!;
    const put = ir.operations.find((o) => o.path === '/courses/{courseId}/events/{id}')!;
    expect(put.entity).toBeNull();
    expect(ir.entities[0]!.operations.replace).toBeUndefined();
    const warning = r.diagnostics.find((d) => d.code === 'SP0304')!;
    expect(warning.message).toBe(
      'PUT /courses/{courseId}/events/{id} is not part of entity "Event", whose paths are /events and /events/{id}; it gets a plain typed call.',
    );
    expect(warning.pointer).toBe('#/paths/~1courses~1{courseId}~1events~1{id}/put');
  });

  it('reports a stray on a live path item once, as a warning', async () => {
    const r = await load(
      doc(
        {
          ...resource('events', 'Event', { annotation: { 'x-sync': 'live' } }),
          '/courses/{courseId}/events/{id}': {
            'x-sync': 'live',
            parameters: [pathParam('courseId'), pathParam('id')],
            put: writing(ref('Event')),
          },
        },
        { Event: item() },
      ),
      { validate: false },
    );
    expect(r.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'SP0304']]);
  });

  it.each([
    ['org_id', 'Organization', 'organizations'],
    ['todo_id', 'TodoItem', 'todo-items'],
  ])('takes {%s} for the id of %s', async (param, _name, plural) => {
    const ir = (
      await load(
        doc(resource(plural, 'Thing', { param, annotation: { 'x-sync': 'live' } }), {
          Thing: item(),
        }),
        { validate: false },
      )
    ).ir!;
    expect(ir.entities[0]!.primaryKey?.field).toBe('id');
  });

  it('makes no entity of search, filter and lookup endpoints', async () => {
    const r = await load(
      doc(
        {
          ...resource('pet', 'Pet'),
          '/pet/findByStatus': { get: getting({ type: 'array', items: ref('Pet') }) },
          '/pet/search/{text}': { parameters: [pathParam('text')], get: getting(ref('Pet')) },
          '/search': { get: getting({ type: 'array', items: ref('Pet') }) },
        },
        { Pet: item() },
      ),
      { validate: false },
    );
    expect(r.ir!.entities.map((e) => e.name)).toEqual(['Pet']);
    expect(r.diagnostics).toEqual([]);
  });

  it('keeps the list type beside the item type', async () => {
    const ir = (
      await load(
        doc(
          resource('quotes', 'Quote', {
            list: { type: 'array', items: ref('QuoteSummary') },
            annotation: { 'x-sync': 'live' },
          }),
          { Quote: item({ total: { type: 'number' } }), QuoteSummary: item() },
        ),
        { validate: false },
      )
    ).ir!;
    expect([ir.entities[0]!.schema, ir.entities[0]!.listSchema]).toEqual(['Quote', 'QuoteSummary']);
  });
});

describe('path-item annotations and hints (Petstore)', () => {
  it('blames no operation for sharing an annotated path item, and names the real collection path', async () => {
    const r = await load(
      doc(
        {
          '/store/order': {
            'x-sync': 'live',
            post: writing(ref('Order')),
            put: writing(ref('Order')),
          },
          '/store/order/{orderId}': {
            parameters: [pathParam('orderId', 'integer')],
            get: getting(ref('Order')),
            delete: { responses: { '204': { description: 'd' } } },
          },
        },
        { Order: item() },
      ),
      { validate: false },
    );
    expect(r.diagnostics.map((d) => [d.code, d.hint])).toEqual([
      ['SP0302', 'Add `GET /store/order` returning an array of Order (bare or wrapped in {data}).'],
    ]);
  });
});

describe('bindings of required write parameters', () => {
  const vendors = (put: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    doc(
      {
        '/vendors': { 'x-sync': 'live', get: getting({ type: 'array', items: ref('Vendor') }) },
        '/vendors/{id}': {
          parameters: [pathParam('id')],
          get: getting(ref('Vendor')),
          put,
          ...extra,
        },
      },
      {
        Vendor: {
          type: 'object',
          required: ['id', 'version'],
          properties: {
            id: { type: 'string' },
            version: { type: 'integer' },
            vendorName: { type: 'string' },
          },
        },
      },
    );
  const expected = {
    name: 'expectedVersion',
    in: 'query',
    required: true,
    schema: { type: 'integer' },
  };

  it('refuses a live write whose required parameter no row column fills', async () => {
    const r = await load(vendors(writing(ref('Vendor'), [expected])), { validate: false });
    const d = r.diagnostics.find((x) => x.code === 'SP0306')!;
    expect(d.message).toBe(
      'PUT /vendors/{id} requires the query parameter "expectedVersion", which live entity "Vendor" cannot fill from a row: no column is named like it and no x-sync-bind maps it.',
    );
    expect(d.pointer).toBe('#/paths/~1vendors~1{id}/put');
    expect(d.hint).toContain('x-sync-bind: {expectedVersion: <column>}');
    expect(r.ir).toBeNull();
  });

  it('binds by x-sync-bind, or by a name equal after snake/camel normalisation', async () => {
    const r = await load(
      vendors({
        ...writing(ref('Vendor'), [expected]),
        'x-sync-bind': { expectedVersion: 'version' },
      }),
      { validate: false },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.entities[0]!.bindings).toEqual([
      {
        operation: 'put_vendors_by_id',
        role: 'replace',
        param: 'expectedVersion',
        in: 'query',
        column: 'version',
        via: 'annotation',
      },
    ]);
    const byName = await load(
      vendors(writing(ref('Vendor'), [{ ...expected, name: 'vendor_name' }])),
      { validate: false },
    );
    expect(byName.ir!.entities[0]!.bindings.map((b) => [b.param, b.column, b.via])).toEqual([
      ['vendor_name', 'vendorName', 'name'],
    ]);
  });

  it('needs nothing bound for one-value parameters, security headers and transport headers', async () => {
    const beta = {
      name: 'OpenAI-Beta',
      in: 'header',
      required: true,
      schema: { type: 'string', enum: ['assistants=v2'] },
    };
    const org = {
      name: 'OpenAI-Organization',
      in: 'header',
      required: true,
      schema: { type: 'string' },
    };
    const key = { name: 'X-API-Key', in: 'header', required: true, schema: { type: 'string' } };
    const spec = vendors({
      ...writing(ref('Vendor'), [beta, org, key]),
      'x-sync-bind': { 'openai-organization': null },
    }) as {
      components: Record<string, unknown>;
    };
    spec.components.securitySchemes = {
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    };
    const r = await load(spec, { validate: false });
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.entities[0]!.bindings).toEqual([]);
  });

  it('binds the parent of a nested live collection, or refuses it when no column can fill it', async () => {
    const nested = (props: Record<string, unknown>) =>
      doc(
        {
          '/users/{user_id}/items': {
            'x-sync': 'live',
            parameters: [pathParam('user_id')],
            get: getting({ type: 'array', items: ref('Item') }),
            post: writing(ref('Item')),
          },
        },
        {
          Item: {
            type: 'object',
            required: ['id'],
            properties: { id: { type: 'string' }, ...props },
          },
        },
      );
    const bound = await load(nested({ user_id: { type: 'string' } }), { validate: false });
    expect(bound.ir!.entities[0]!.bindings.map((b) => [b.param, b.column])).toEqual([
      ['user_id', 'user_id'],
    ]);
    const unbound = await load(nested({}), { validate: false });
    expect(unbound.diagnostics.map((d) => d.code)).toEqual(['SP0306']);
  });

  it('refuses an x-sync-bind naming an unknown parameter or column, located at the entry', async () => {
    const r = await load(
      vendors({
        ...writing(ref('Vendor'), [expected]),
        'x-sync-bind': { expectedVersion: 'revision' },
      }),
      { validate: false },
    );
    expect(r.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['SP0307', '#/paths/~1vendors~1{id}/put/x-sync-bind/expectedVersion'],
    ]);
  });
});

describe('local column names', () => {
  it('are decided once: case-insensitive clashes and bookkeeping names get a suffix', async () => {
    const ir = (
      await load(
        doc(resource('things', 'Thing', { annotation: { 'x-sync': 'live' } }), {
          Thing: item({
            self: { type: 'string' },
            Self: { type: 'string' },
            SELF: { type: 'string' },
            _changed: { type: 'string' },
          }),
        }),
        { validate: false },
      )
    ).ir!;
    expect(ir.entities[0]!.columns.map((c) => [c.name, c.localName])).toEqual([
      ['id', 'id'],
      ['name', 'name'],
      ['self', 'self'],
      ['Self', 'Self_2'],
      ['SELF', 'SELF_3'],
      ['_changed', '_changed_2'],
    ]);
  });
});
