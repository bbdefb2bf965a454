/**
 * The layout builders (layout.ts) near the width limit: generated views with long names, long
 * paths, many parameters and every variant of each template are rendered with the real
 * templates; every file the builders vouch for must be exactly what Prettier prints for it, and
 * most generated files must be vouched for (so the property tests the builders, not the
 * fallback). The same claim on every fixture and corpus spec is in prettier-stable.test.ts.
 */
import fc from 'fast-check';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { knownText } from './generate.js';
import { arrowProperty, awaitAll, list, objectArray, returnCallWithArrow } from './layout.js';
import type { TemplateName } from './plan.js';
import { PRETTIER_OPTIONS, renderFile } from './render.js';

const prettier = (text: string) => format(text, PRETTIER_OPTIONS);

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await as async of type'.split(
    ' ',
  ),
);

/** Names from 1 to `max` characters (lines cross the 100-column limit at various places). */
const name = (max: number) =>
  fc.stringMatching(new RegExp(`^[a-z][A-Za-z0-9]{0,${max - 1}}$`)).filter((n) => !RESERVED.has(n));
const typeName = (max: number) => fc.stringMatching(new RegExp(`^[A-Z][A-Za-z0-9]{0,${max - 1}}$`));
const type = fc.oneof(
  typeName(40),
  typeName(30).map((t) => `${t}[]`),
  typeName(25).map((t) => `Record<string, ${t}>`),
  fc.tuple(typeName(20), typeName(20)).map(([a, b]) => `${a} | ${b}`),
  fc.constantFrom('string', 'number', 'void', 'Blob', 'unknown'),
);
const wire = fc.oneof(name(30), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}-[a-z]{1,6}$/));
const lit = (s: string) => `'${s}'`;
const access = (target: string, key: string) =>
  /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${target}.${key}` : `${target}[${lit(key)}]`;
const path = fc
  .array(
    fc.oneof(
      name(24),
      name(16).map((n) => `{${n}}`),
    ),
    { minLength: 1, maxLength: 7 },
  )
  .map((parts) => `/${parts.join('/')}`);

/** Renders a view; when the builders vouch for the text, checks it against Prettier. */
async function check(template: TemplateName, view: object): Promise<boolean> {
  const r = renderFile(template, view);
  const known = knownText({ path: 'x.ts', contents: r.text, laidOut: r.laidOut });
  if (known === null) return false;
  expect(known).toBe(await prettier(r.text));
  return true;
}

/** Runs a property over `views`; at least `share` of the views must be vouched for. */
async function property(
  template: TemplateName,
  views: fc.Arbitrary<object>,
  share: number,
): Promise<void> {
  let known = 0;
  let total = 0;
  await fc.assert(
    fc.asyncProperty(views, async (view) => {
      total++;
      if (await check(template, view)) known++;
    }),
    { numRuns: 120, seed: 16 },
  );
  expect(known).toBeGreaterThan(total * share);
}

const banner = '/**\n * Generated.\n */\n';

describe('layout builders near the width limit', () => {
  const param = fc
    .tuple(wire, fc.boolean(), type, fc.constantFrom('path', 'query', 'header'), fc.boolean())
    .map(([w, optional, t, location, explode]) => ({
      doc: '',
      key: /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(w) ? w : lit(w),
      optional,
      type: t,
      location: lit(location),
      name: lit(w),
      access: access('params', w),
      style: lit(location === 'query' ? 'form' : 'simple'),
      explode,
    }));
  const auth = fc.constantFrom(
    [],
    [{ kind: lit('bearer'), location: '', name: '', isApiKey: false }],
    [{ kind: lit('apiKey'), location: lit('header'), name: lit('X-API-Key'), isApiKey: true }],
  );
  const operation = fc
    .tuple(
      name(50),
      fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
      path,
      fc.array(param, { maxLength: 5 }),
      fc.option(fc.tuple(type, fc.boolean())),
      type,
      auth,
      typeName(45),
    )
    .map(([fn, method, p, params, body, result, au, paramsType]) => ({
      doc: `/** \`${method} ${p}\` */\n`,
      fn,
      method: lit(method),
      path: lit(p),
      hasParams: params.length > 0,
      paramsOptional: params.every((x) => x.optional),
      paramsType,
      params,
      hasBody: body !== null,
      bodyOptional: body?.[1] ?? false,
      bodyType: body?.[0] ?? '',
      bodyKind: lit('json'),
      resultType: result,
      responseKind: lit(result === 'void' ? 'none' : 'json'),
      auth: au,
    }));

  it('api files: signatures, params and auth arrays', async () => {
    const views = fc.array(operation, { minLength: 1, maxLength: 3 }).map((operations) => ({
      banner,
      modelImports: ['Account', 'AccountCreate'],
      operations,
    }));
    await property('api-group', views, 0.5);
  }, 300_000);

  const call = fc
    .tuple(name(50), fc.boolean(), fc.boolean(), typeName(45), fc.boolean(), wire, type, type)
    .map(([fn, hasParams, paramsOptional, paramsType, byId, idKey, idType, bodyType]) => ({
      fn,
      file: 'x',
      hasParams: hasParams || byId,
      paramsOptional,
      paramsType,
      byId,
      idKey: /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(idKey) ? idKey : lit(idKey),
      idType: byId ? idType : '',
      hasBody: true,
      bodyType,
      bodyImports: [],
      resultType: 'X',
    }));
  const liveWrite = (c: { paramsType: string; idType: string; bodyType: string }) =>
    fc
      .tuple(
        fc.constantFrom(
          'insertBody',
          'insertParamsBody',
          'updateById',
          'updateByParams',
          'deleteById',
          'deleteByParams',
        ),
        name(30),
        typeName(40),
        wire,
        fc.array(fc.tuple(name(20), wire), { maxLength: 3 }),
      )
      .map(([shape, table, row, key, columns]) => ({
        table: lit(table),
        row,
        bodyType: c.bodyType,
        paramsType: c.paramsType,
        idType: c.idType || 'string',
        insertBody: shape === 'insertBody',
        insertParamsBody: shape === 'insertParamsBody',
        updateById: shape === 'updateById',
        updateByParams: shape === 'updateByParams',
        deleteById: shape === 'deleteById',
        deleteByParams: shape === 'deleteByParams',
        key: access('params', key),
        columns: columns.map(([column, p]) => ({ column, param: access('variables.params', p) })),
      }));
  const mutation = call.chain((c) =>
    fc
      .tuple(
        name(40),
        fc.array(name(40), { maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.option(liveWrite(c)),
      )
      .map(([hook, lists, invalidateAll, removeDetail, live]) => ({
        hook,
        keys: 'accountKeys',
        call: c,
        lists,
        invalidateAll,
        removeDetail: removeDetail && c.byId,
        live,
      })),
  );
  const query = call.chain((c) =>
    fc
      .tuple(
        name(45),
        name(40),
        fc.constantFrom('', '.data', "['items']"),
        fc.boolean(),
        fc.option(
          fc.tuple(
            name(30),
            typeName(30),
            fc.constantFrom('', 'P', "Pick<P, 'status'>"),
            fc.boolean(),
          ),
        ),
      )
      .map(([options, hook, unwrap, unwrapFallback, live]) => ({
        options,
        hook,
        call: c,
        unwrap,
        unwrapFallback: unwrap !== '' && unwrapFallback,
        live: live && {
          table: lit(live[0]),
          row: live[1],
          key: c.byId ? 'id' : 'params.id',
          filterType: live[2],
          filterOptional: live[3],
        },
      })),
  );

  it('hooks files: heads, queryFn, mutationFn, invalidation and live mutation calls', async () => {
    const views = fc
      .tuple(
        fc.option(query),
        fc.option(query),
        fc.option(mutation),
        fc.option(mutation),
        fc.option(mutation),
        fc.option(mutation),
      )
      .map(([l, item, create, update, replace, remove]) => ({
        banner,
        keys: 'accountKeys',
        reactQuery: ['queryOptions', 'useMutation', 'useQuery', 'useQueryClient'],
        usesRequestOptions: true,
        api: [
          { file: 'account', names: ['getAccount', 'listAccounts', 'type ListAccountsParams'] },
        ],
        models: ['Account'],
        keyImports: ['accountKeys'],
        runtime: ['useLiveMutation', 'useLiveRow', 'useLiveRows'],
        list: l,
        item,
        create,
        update,
        replace,
        remove,
      }));
    await property('hooks', views, 0.5);
  }, 300_000);

  it('query keys: list and detail arrows', async () => {
    const entity = fc
      .tuple(name(45), typeName(40), fc.option(call), fc.option(call))
      .map(([n, root, l, detail]) => ({ name: `${n}Keys`, root: lit(root), list: l, detail }));
    const views = fc.array(entity, { minLength: 1, maxLength: 3 }).map((entities) => ({
      banner,
      imports: [{ file: 'account', names: ['ListAccountsParams'] }],
      entities,
    }));
    await property('query-keys', views, 0.5);
  }, 300_000);

  it('live schema: columns and operations', async () => {
    const column = fc
      .tuple(
        wire,
        fc.constantFrom('text', 'uuid', 'timestamp', 'int64'),
        fc.boolean(),
        fc.boolean(),
      )
      .map(([n, storage, nullable, synced]) => ({
        name: lit(n),
        storage: lit(storage),
        nullable,
        primaryKey: false,
        synced,
      }));
    const operation = fc.option(
      fc
        .tuple(
          fc.constantFrom('POST', 'PATCH', 'PUT', 'DELETE'),
          path,
          fc.array(fc.tuple(wire, wire, fc.constantFrom('', 'query')), { maxLength: 3 }),
        )
        .map(([method, p, params]) => ({
          method: lit(method),
          path: lit(p),
          params: params.map(([n, c, i]) => ({ name: lit(n), column: lit(c), in: i && lit(i) })),
        })),
    );
    const entity = fc
      .tuple(
        name(30),
        fc.array(column, { minLength: 1, maxLength: 4 }),
        operation,
        operation,
        operation,
        fc.boolean(),
      )
      .map(([n, columns, create, update, remove, confirmed]) => ({
        name: lit(n),
        table: lit(n),
        primaryKey: lit('id'),
        confirmed,
        columns,
        create,
        update,
        remove,
        schemaHash: lit('abc'),
        sqlKey: lit(n),
      }));
    const views = fc
      .tuple(fc.array(entity, { maxLength: 2 }), fc.option(path))
      .map(([entities, batch]) => ({ banner, entities, batch: batch && { path: lit(batch) } }));
    await property('live-schema', views, 0.5);
  }, 300_000);
});

describe('layout builders answer unknown where they cannot tell', () => {
  const wide = 'é'.repeat(60); // non-ASCII: its width is not measured
  it.each([
    ['a list whose width is not known', list('', `f(${wide}`, ['a: A', 'b: B'], ') {', () => true)],
    ['a list item of another kind', list('', 'f(', ['a: { x: 1 }'], ') {', () => false)],
    [
      'a line too wide even when broken',
      list('', 'f(', [`a: ${'A'.repeat(100)}`, 'b: B'], ') {', () => true),
    ],
    ['an array of values of another kind', objectArray('  ', 'xs', [[['a', 'f()']]])],
    ['an array whose width is not known', objectArray('  ', 'xs', [[['a', `'${wide}'`]]])],
    [
      'an arrow whose call does not fit on its own line',
      arrowProperty('    ', 'fn', '(x: X)', `${'f'.repeat(100)}(x)`),
    ],
    ['an item too wide in Promise.all', awaitAll('  ', [`${'x'.repeat(100)}()`])],
    [
      'a live call with a value of another kind',
      returnCallWithArrow('use<A, B>', ["'t'"], '(x)', [['values', 'f(x)']]),
    ],
  ])('%s', (_, laid) => {
    expect(laid.known).toBe(false);
  });

  it('breaks an inline object only when its one-line form is too wide (Prettier keeps it broken)', () => {
    const short = objectArray('      ', 'params', [
      [
        ['in', "'query'"],
        ['name', "'a'"],
      ],
    ]);
    expect(short).toEqual({ lines: ["      params: [{ in: 'query', name: 'a' }],"], known: true });
    const two = objectArray('      ', 'params', [
      [
        ['in', "'query'"],
        ['name', "'a'"],
      ],
      [
        ['in', "'query'"],
        ['name', "'b'"],
      ],
    ]);
    // two objects of more than one property: Prettier always breaks the array, not the objects
    expect(two.lines).toEqual([
      '      params: [',
      "        { in: 'query', name: 'a' },",
      "        { in: 'query', name: 'b' },",
      '      ],',
    ]);
  });
});
