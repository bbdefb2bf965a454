/**
 * The render-side layout builder: prints, from a view model's data, the lines of the generated
 * code whose layout depends on width, exactly as Prettier (`PRETTIER_OPTIONS`) lays them out, so
 * that the templates print Prettier's output and the file can skip Prettier (see
 * prettier-stable.ts and generate.ts). Data in, text out; the templates own every other line.
 *
 * Every builder also says whether it knows the layout. It knows only the common, simple cases:
 *
 * - a parameter list or an argument list of a fixed head and tail (`export function f(` …
 *   `): Promise<R> {`): on one line when that line fits in `printWidth`, else one item per line
 *   with a trailing comma (Prettier breaks the group that does not fit; the items are names with a
 *   type of the recogniser's subset, which cannot break on their own line when it fits);
 * - an array property of inline object literals (`params: [{ … }, { … }],`): on one line when it
 *   fits and Prettier does not force the break (it always breaks an array of two or more objects
 *   that each have more than one property), else one object per line, each on one line when it
 *   fits, else one property per line (the object was written inline, so Prettier joins it when it
 *   fits and breaks it only when it does not);
 * - values that cannot break: string literals (single-quoted, as Prettier prints them), numbers,
 *   booleans, `null`, names and property accesses.
 *
 * When it cannot tell (a value of another kind, a line too wide even when broken, a width it does
 * not know: non-ASCII text is not measured), the builder answers `known: false` and prints the
 * layout the templates printed before any builder existed (Prettier output does not depend on it:
 * those groups are joined or broken by Prettier alone); the file then goes through Prettier as
 * before. It never breaks an object literal Prettier would have joined (an object written broken
 * stays broken in Prettier's output): it breaks one only when its one-line form is certainly too
 * wide.
 *
 * `prettier-stable.test.ts` checks every file the builders vouch for, on every fixture and corpus
 * spec and on generated data near the width limit, against Prettier.
 */
import { isStringLiteral, isType, tooWide, WIDTH, width } from './prettier-stable.js';
import type { LiveWrite } from './plan.js';

/** The answer of a builder: the lines it printed and whether they are Prettier's layout. */
export interface Laid {
  lines: string[];
  known: boolean;
}

/** Whether a line surely fits in `printWidth` (non-ASCII code units are counted wide). */
export function fits(line: string): boolean {
  return width(line) <= WIDTH;
}

const ATOM = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?|true|false|null)$/;
const ACCESS = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*|\['(?:[^'\\\n]|\\.)*'\])*$/;

/**
 * A value Prettier prints as it is and never breaks: a string literal of the recogniser's subset,
 * a number, a boolean, `null`, a name or a property access (`params.id`, `params['X-Id']`).
 */
export function isAtom(value: string): boolean {
  if (ATOM.test(value) || isStringLiteral(value)) return true;
  if (!ACCESS.test(value)) return false;
  // the bracketed keys must be strings of the subset too
  const keys = value.match(/\['(?:[^'\\\n]|\\.)*'\]/g) ?? [];
  return keys.every((k) => isStringLiteral(k.slice(1, -1)));
}

/** `name: Type`, `name?: Type`, `name: Type = {}`: a parameter whose type is of the subset. */
export function isSimpleParam(param: string): boolean {
  const m = /^[A-Za-z_$][A-Za-z0-9_$]*\??: (.+?)(?: = \{\})?$/.exec(param);
  return m !== null && isType(m[1]!);
}

/**
 * `head` + the items joined by `, ` + `tail` at `indent`, laid out as Prettier prints a
 * parameter or argument list: one line when it fits, else one item per line (two items or more).
 * Unknown (the broken form, with the old template's layout) when a line does not fit either way,
 * when the width is not known, or when an item is not `simple`. `params`: the items are the
 * parameters of a function (one of them alone is broken too).
 */
export function list(
  indent: string,
  head: string,
  items: readonly string[],
  tail: string,
  simple: (item: string) => boolean,
  params = false,
): Laid {
  const flat = `${indent}${head}${items.join(', ')}${tail}`;
  const broken = [
    `${indent}${head}`,
    ...items.map((p) => `${indent}  ${p},`),
    `${indent}${tail.replace(/^\s+/, '')}`,
  ];
  if (items.length === 0) return { lines: [flat], known: fits(flat) };
  if (!items.every(simple)) return { lines: broken, known: false };
  if (fits(flat)) return { lines: [flat], known: true };
  // A single argument is not broken here: Prettier may hug it (`f({` … `})`). A single
  // parameter `name: T` is broken like several when T is not an object type (which `simple`
  // rules out): Prettier hugs only patterns and object-typed parameters.
  const known = tooWide(flat) && (items.length > 1 || params) && broken.every(fits);
  return { lines: broken, known };
}

/** An object literal printed inline: `[key, value]` entries. */
export type InlineObject = readonly (readonly [string, string])[];

const flatObject = (o: InlineObject) => `{ ${o.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;

/**
 * The lines of the property `key: [ …objects ],` at `indent` (the objects written inline), laid
 * out as Prettier prints it (see the module doc). `last` is what follows the array (`,` inside an
 * object literal).
 */
export function objectArray(indent: string, key: string, objects: readonly InlineObject[]): Laid {
  if (objects.length === 0) return { lines: [`${indent}${key}: [],`], known: true };
  const simple = objects.every(
    (o) => o.length > 0 && o.every(([k, v]) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) && isAtom(v)),
  );
  const flat = `${indent}${key}: [${objects.map(flatObject).join(', ')}],`;
  const inner = `${indent}  `;
  // the layout of the old template: the array broken, each object inline (Prettier decides)
  const old = [
    `${indent}${key}: [`,
    ...objects.map((o) => `${inner}${flatObject(o)},`),
    `${indent}],`,
  ];
  if (!simple) return { lines: old, known: false };
  const forced = objects.length > 1 && objects.every((o) => o.length > 1);
  if (!forced && fits(flat)) return { lines: [flat], known: true };
  if (!forced && !tooWide(flat)) return { lines: old, known: false };
  const lines = [`${indent}${key}: [`];
  let known = true;
  for (const o of objects) {
    const one = `${inner}${flatObject(o)},`;
    if (fits(one)) lines.push(one);
    else if (tooWide(one)) {
      const props = o.map(([k, v]) => `${inner}  ${k}: ${v},`);
      known &&= props.every(fits);
      lines.push(`${inner}{`, ...props, `${inner}},`);
    } else {
      known = false;
      lines.push(one);
    }
  }
  lines.push(`${indent}],`);
  return { lines, known };
}

/** What the api-group builder reads of an operation's view (translate/operation.ts). */
interface OperationData {
  fn: string;
  method: string;
  path: string;
  hasParams: boolean;
  paramsOptional: boolean;
  paramsType: string;
  params: readonly {
    location: string;
    name: string;
    access: string;
    style: string;
    explode: boolean;
  }[];
  hasBody: boolean;
  bodyOptional: boolean;
  bodyType: string;
  bodyKind: string;
  resultType: string;
  responseKind: string;
  auth: readonly { kind: string; location: string; name: string; isApiKey: boolean }[];
}

/** The layout lines of one operation function of `api-group` (its signature and request arrays). */
export interface OperationLayout {
  signature: string[];
  requestParams: string[];
  requestAuth: string[];
}

/**
 * Lays out an api file's operation functions: the signature and the `params`/`auth` arrays of
 * the request; `known` when every line of every function is Prettier's (the fixed lines of the
 * template included: `return request<R>(` and `path: '…',` are checked here).
 */
export function layoutOperations<T extends OperationData>(
  operations: readonly T[],
): { operations: (T & OperationLayout)[]; known: boolean } {
  let known = true;
  const out = operations.map((op) => {
    const params = [
      ...(op.hasParams ? [`params: ${op.paramsType}${op.paramsOptional ? ' = {}' : ''}`] : []),
      ...(op.hasBody ? [`body${op.bodyOptional ? '?' : ''}: ${op.bodyType}`] : []),
      'options?: RequestOptions',
    ];
    const signature = list(
      '',
      `export function ${op.fn}(`,
      params,
      `): Promise<${op.resultType}> {`,
      isSimpleParam,
      true,
    );
    const requestParams = objectArray(
      '      ',
      'params',
      op.params.map((p) => [
        ['in', p.location],
        ['name', p.name],
        ['value', p.access],
        ['style', p.style],
        ['explode', String(p.explode)],
      ]),
    );
    const requestAuth = objectArray(
      '      ',
      'auth',
      op.auth.map((a) =>
        a.isApiKey
          ? [
              ['kind', a.kind],
              ['in', a.location],
              ['name', a.name],
            ]
          : [['kind', a.kind]],
      ),
    );
    known &&=
      signature.known &&
      requestParams.known &&
      requestAuth.known &&
      isType(op.resultType) &&
      fits(`  return request<${op.resultType}>(`) &&
      isAtom(op.method) &&
      isStringLiteral(op.path) && // a string is never broken: a long `path:` line stays
      (!op.hasBody ||
        (isAtom(op.bodyKind) && fits(`      body: { kind: ${op.bodyKind}, value: body },`))) &&
      isAtom(op.responseKind);
    return {
      ...op,
      signature: signature.lines,
      requestParams: requestParams.lines,
      requestAuth: requestAuth.lines,
    };
  });
  return { operations: out, known };
}

/** `export function name(params) {` (or `): R {` with `tail`), laid out. */
export function functionHead(name: string, params: readonly string[], tail = ' {'): Laid {
  return list('', `export function ${name}(`, params, `)${tail}`, isSimpleParam, true);
}

/**
 * `key: (params) => call,` at `indent`: one line when it fits, else broken after `=>` with the
 * call on the next line (when both lines fit). Unknown: the one-line form.
 */
export function arrowProperty(
  indent: string,
  key: string,
  params: string,
  call: string,
  hug?: ObjectParam,
): Laid {
  const flat = `${indent}${key}: ${params} => ${call},`;
  if (fits(flat)) return { lines: [flat], known: true };
  const broken = [`${indent}${key}: ${params} =>`, `${indent}  ${call},`];
  if (!tooWide(flat)) return { lines: [flat], known: false };
  if (fits(broken[0]!)) return { lines: broken, known: fits(broken[1]!) };
  // the only parameter has an object type: Prettier hugs it and breaks the object type
  if (!hug || !tooWide(broken[0]!)) return { lines: [flat], known: false };
  const hugged = [
    `${indent}${key}: (${hug.name}: {`,
    ...hug.members.map(([k, t]) => `${indent}  ${k}: ${t};`),
    `${indent}}) => ${call},`,
  ];
  return hugged.every(fits) ? { lines: hugged, known: true } : { lines: [flat], known: false };
}

/** `(name: { k: T; k2: T2 })`, the only parameter of an arrow, as data. */
export interface ObjectParam {
  name: string;
  members: readonly (readonly [string, string])[];
}

/**
 * `await Promise.all([a, b]);` at `indent`: one line when it fits, else one item per line (the
 * array, the only argument, is hugged). Unknown: the broken form (the old template's).
 */
export function awaitAll(indent: string, items: readonly string[]): Laid {
  const flat = `${indent}await Promise.all([${items.join(', ')}]);`;
  const broken = [
    `${indent}await Promise.all([`,
    ...items.map((i) => `${indent}  ${i},`),
    `${indent}]);`,
  ];
  if (fits(flat)) return { lines: [flat], known: true };
  return { lines: broken, known: items.length > 0 && tooWide(flat) && broken.every(fits) };
}

/**
 * `  return callee(arg, arg, (param) => ({ k: v }));` (the body of a live mutation hook): one line
 * when it fits; else the last argument expanded (`… (param) => ({`, one property a line, `}));`)
 * when that first line fits; else one argument per line. `values` are atoms or one inline object
 * of atoms and a spread (`{ ...variables.body, a: params.a }`). Unknown: the one-line form.
 */
export function returnCallWithArrow(
  callee: string,
  args: readonly string[],
  param: string,
  entries: InlineObject,
): Laid {
  const object = flatObject(entries);
  const flat = `  return ${callee}(${args.join(', ')}, ${param} => (${object}));`;
  const simple =
    args.every(isAtom) &&
    entries.every(
      ([k, v]) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) && (isAtom(v) || isSpreadObject(v)),
    );
  if (!simple) return { lines: [flat], known: false };
  if (fits(flat)) return { lines: [flat], known: true };
  if (!tooWide(flat)) return { lines: [flat], known: false };
  const hugged = `  return ${callee}(${args.join(', ')}, ${param} => ({`;
  if (fits(hugged)) {
    const lines = [hugged, ...entries.map(([k, v]) => `    ${k}: ${v},`), '  }));'];
    return { lines, known: lines.every(fits) };
  }
  if (!tooWide(hugged)) return { lines: [flat], known: false };
  const lines = [
    `  return ${callee}(`,
    ...args.map((a) => `    ${a},`),
    `    ${param} => (${object}),`,
    '  );',
  ];
  return { lines, known: lines.every(fits) };
}

/** `{ ...name.path, key: atom, … }` on one line (keys identifiers or string literals). */
function isSpreadObject(v: string): boolean {
  const m = /^\{ \.\.\.([A-Za-z_$][A-Za-z0-9_$.]*)((?:, [^,]+)*) \}$/.exec(v);
  if (!m) return false;
  return m[2]!
    .split(', ')
    .slice(1)
    .every((p) => {
      const kv = /^([A-Za-z_$][A-Za-z0-9_$]*|'[^'\\]*'): (.+)$/.exec(p);
      return kv !== null && isAtom(kv[2]!) && (!kv[1]!.startsWith("'") || isStringLiteral(kv[1]!));
    });
}

/** What the hooks builder reads of a call shape (translate/call-shape.ts). */
interface CallData {
  fn: string;
  hasParams: boolean;
  paramsOptional: boolean;
  paramsType: string;
  byId: boolean;
  idKey: string;
  idType: string;
  bodyType: string;
}

interface QueryData {
  options: string;
  hook: string;
  call: CallData;
  /** Lists: `.data` for a wrapped list, '' for a bare array; `?? []` after it. */
  unwrap?: string;
  unwrapFallback?: boolean;
  live: { filterType: string; filterOptional: boolean } | null;
}

interface MutationData {
  hook: string;
  keys: string;
  call: CallData;
  lists: readonly string[];
  invalidateAll: boolean;
  live: LiveWrite | null;
}

interface HooksData {
  list: QueryData | null;
  item: QueryData | null;
  create: MutationData | null;
  update: MutationData | null;
  replace: MutationData | null;
  remove: MutationData | null;
}

/** Layout lines of a query section (list, item) of `hooks`. */
export interface QueryLayout {
  optionsHead: string[];
  hookHead: string[];
  queryFn: string[];
}

/** Layout lines of a mutation section of `hooks`. */
export interface MutationLayout {
  hookHead: string[];
  mutationFn: string[];
  invalidate: string[];
  liveCall: string[];
}

type Role = 'create' | 'update' | 'replace' | 'remove';

/** The mutation function of a push mutation hook: its parameters and its call. */
function mutationFn(role: Role, c: CallData): [string, string, ObjectParam?] {
  const pair = (first: string, firstType: string) =>
    [
      `(variables: { ${first}: ${firstType}; body: ${c.bodyType} })`,
      {
        name: 'variables',
        members: [
          [first, firstType],
          ['body', c.bodyType],
        ],
      },
    ] as const;
  if (role === 'remove') {
    if (c.byId) return [`(id: ${c.idType})`, `${c.fn}({ ${c.idKey}: id })`];
    return c.hasParams ? [`(params: ${c.paramsType})`, `${c.fn}(params)`] : ['()', `${c.fn}()`];
  }
  if (role !== 'create' && c.byId) {
    const [params, hug] = pair('id', c.idType);
    return [params, `${c.fn}({ ${c.idKey}: variables.id }, variables.body)`, hug];
  }
  if (c.hasParams) {
    const [params, hug] = pair('params', c.paramsType);
    return [params, `${c.fn}(variables.params, variables.body)`, hug];
  }
  return [`(body: ${c.bodyType})`, `${c.fn}(body)`];
}

/** The live mutation call of a live write. */
function liveCall(w: LiveWrite): Laid {
  const typesOk = [w.row, w.bodyType, w.paramsType, w.idType].every((t) => t === '' || isType(t));
  const laid = liveCallOf(w);
  return { lines: laid.lines, known: laid.known && typesOk };
}

function liveCallOf(w: LiveWrite): Laid {
  const both = (first: string, t: string) => `{ ${first}: ${t}; body: ${w.bodyType} }`;
  const call = (row: string, vars: string, op: string, param: string, entries: InlineObject) =>
    returnCallWithArrow(`useLiveMutation<${row}, ${vars}>`, [w.table, `'${op}'`], param, entries);
  if (w.insertBody) return call(w.row, w.bodyType, 'insert', '(body)', [['values', 'body']]);
  if (w.insertParamsBody) {
    const values = w.columns.length
      ? `{ ...variables.body${w.columns.map((c) => `, ${c.column}: ${c.param}`).join('')} }`
      : 'variables.body';
    return call(w.row, both('params', w.paramsType), 'insert', '(variables)', [['values', values]]);
  }
  if (w.updateById)
    return call(w.row, both('id', w.idType), 'update', '(variables)', [
      ['key', 'variables.id'],
      ['values', 'variables.body'],
    ]);
  if (w.updateByParams)
    return call(w.row, both('params', w.paramsType), 'update', '(variables)', [
      ['key', w.key],
      ['values', 'variables.body'],
    ]);
  if (w.deleteById) return call('void', w.idType, 'delete', '(id)', [['key', 'id']]);
  return call('void', w.paramsType, 'delete', '(params)', [['key', w.key]]);
}

/**
 * Lays out a hooks file: function heads, push mutations' `mutationFn` and invalidation, live
 * mutations' call; `known` when every such line is Prettier's (the template's other lines are
 * checked by the recogniser: every line of a laid-out statement within `printWidth`).
 */
export function layoutHooks<T extends HooksData>(view: T): { view: T; known: boolean } {
  let known = true;
  const take = (l: Laid) => {
    known &&= l.known;
    return l.lines;
  };
  const query = (q: QueryData | null, kind: 'list' | 'item') => {
    if (q === null) return null;
    const c = q.call;
    const first =
      kind === 'item' && c.byId
        ? [`id: ${c.idType}`]
        : c.hasParams
          ? [
              `${kind === 'list' ? 'filter' : 'params'}${kind === 'list' && c.paramsOptional ? '?' : ''}: ${c.paramsType}`,
            ]
          : [];
    const hookParams =
      kind === 'list' && q.live
        ? q.live.filterType
          ? [`filter${q.live.filterOptional ? '?' : ''}: ${q.live.filterType}`]
          : []
        : first;
    const args = `${kind === 'item' && c.byId ? `{ ${c.idKey}: id }, ` : c.hasParams ? `${kind === 'list' ? 'filter' : 'params'}, ` : ''}{ ...options, signal }`;
    const queryFn = q.unwrap
      ? arrowProperty(
          '    ',
          'queryFn',
          'async ({ signal })',
          `(await ${c.fn}(${args}))${q.unwrap}${q.unwrapFallback ? ' ?? []' : ''}`,
        )
      : arrowProperty('    ', 'queryFn', '({ signal })', `${c.fn}(${args})`);
    return {
      ...q,
      queryFn: take(queryFn),
      optionsHead: take(functionHead(q.options, [...first, 'options?: RequestOptions'])),
      hookHead: take(functionHead(q.hook, hookParams)),
    };
  };
  const mutation = (m: MutationData | null, role: Role) => {
    if (m === null) return null;
    const hookHead = take(functionHead(m.hook, []));
    if (m.live)
      return { ...m, hookHead, mutationFn: [], invalidate: [], liveCall: take(liveCall(m.live)) };
    const [params, call, hug] = mutationFn(role, m.call);
    const typesOk = [m.call.bodyType, m.call.idType, m.call.paramsType].every(
      (t) => t === '' || isType(t),
    );
    known &&= typesOk;
    const items = [
      ...(m.invalidateAll ? [`queryClient.invalidateQueries({ queryKey: ${m.keys}.all })`] : []),
      ...m.lists.map((k) => `queryClient.invalidateQueries({ queryKey: ${k}.lists() })`),
    ];
    return {
      ...m,
      hookHead,
      mutationFn: take(arrowProperty('    ', 'mutationFn', params, call, hug)),
      invalidate: take(awaitAll('      ', items)),
      liveCall: [],
    };
  };
  const out = {
    ...view,
    list: query(view.list, 'list'),
    item: query(view.item, 'item'),
    create: mutation(view.create, 'create'),
    update: mutation(view.update, 'update'),
    replace: mutation(view.replace, 'replace'),
    remove: mutation(view.remove, 'remove'),
  };
  return { view: out, known };
}

/** What the live-schema builder reads of a live write (translate/live.ts `LiveOperationView`). */
interface LiveOperationData {
  method: string;
  path: string;
  params: readonly { name: string; column: string; in: string }[];
}

interface LiveEntityData {
  name: string;
  table: string;
  primaryKey: string;
  columns: readonly {
    name: string;
    storage: string;
    nullable: boolean;
    primaryKey: boolean;
    synced: boolean;
  }[];
  create: LiveOperationData | null;
  update: LiveOperationData | null;
  remove: LiveOperationData | null;
  schemaHash: string;
  sqlKey: string;
}

/**
 * `key: { method, path, params: [ … ] },` at `indent` (a `LiveOperation`, written inline): one line
 * when it fits and the params array does not force a break, else one property a line, the params
 * array laid out by {@link objectArray}; `key: null,` without an operation.
 */
export function liveOperation(indent: string, key: string, op: LiveOperationData | null): Laid {
  if (op === null) return { lines: [`${indent}${key}: null,`], known: true };
  const objects: InlineObject[] = op.params.map((p) => [
    ['name', p.name],
    ['column', p.column],
    ...(p.in ? [['in', p.in] as const] : []),
  ]);
  const params = `[${objects.map(flatObject).join(', ')}]`;
  const flat = `${indent}${key}: { method: ${op.method}, path: ${op.path}, params: ${params} },`;
  const simple = isAtom(op.method) && isAtom(op.path);
  const forced = objects.length > 1 && objects.every((o) => o.length > 1);
  if (!forced && fits(flat)) {
    const array = objectArray('', 'params', objects); // checks the values
    return { lines: [flat], known: simple && array.known };
  }
  if (!simple || (!forced && !tooWide(flat))) return { lines: [flat], known: false };
  const array = objectArray(`${indent}  `, 'params', objects);
  const lines = [
    `${indent}${key}: {`,
    `${indent}  method: ${op.method},`,
    `${indent}  path: ${op.path},`,
    ...array.lines,
    `${indent}},`,
  ];
  // only a broken array keeps its layout through Prettier when unknown: print the flat form then
  return array.known && lines.every(fits)
    ? { lines, known: true }
    : { lines: [flat], known: false };
}

/** Layout lines of one entity of `live-schema`. */
export interface LiveEntityLayout {
  columnLines: string[];
  operationLines: string[];
}

/**
 * Lays out `live/schema.ts`: each entity's columns array and its three operations; `known` when
 * these and the template's values (string literals) are Prettier's.
 */
export function layoutLiveSchema<E extends LiveEntityData>(
  entities: readonly E[],
): { entities: (E & LiveEntityLayout)[]; known: boolean } {
  let known = true;
  const out = entities.map((e) => {
    const columns = objectArray(
      '      ',
      'columns',
      e.columns.map((c) => [
        ['name', c.name],
        ['storage', c.storage],
        ['nullable', String(c.nullable)],
        ['primaryKey', String(c.primaryKey)],
        ['synced', String(c.synced)],
      ]),
    );
    const ops = [
      liveOperation('        ', 'create', e.create),
      liveOperation('        ', 'update', e.update),
      liveOperation('        ', 'delete', e.remove),
    ];
    known &&=
      columns.known &&
      ops.every((o) => o.known) &&
      [e.name, e.table, e.primaryKey, e.schemaHash, e.sqlKey].every(isStringLiteral);
    return {
      ...e,
      columnLines: columns.lines,
      operationLines: ops.flatMap((o) => o.lines),
    };
  });
  return { entities: out, known };
}

/** What the query-keys builder reads (translate/query-keys.ts). */
interface KeysData {
  name: string;
  root: string;
  list: { hasParams: boolean; paramsOptional: boolean; paramsType: string } | null;
  detail: { byId: boolean; hasParams: boolean; idType: string; paramsType: string } | null;
}

/** Layout lines of one entity's key factory in `query-keys`. */
export interface KeysLayout {
  listLines: string[];
  detailLines: string[];
}

/**
 * Lays out `query-keys.ts`: each factory's `list` and `detail` arrows (broken after `=>` when too
 * wide); its objects are written broken and its other lines fit. Known when these and the values
 * are of the subset.
 */
export function layoutQueryKeys<E extends KeysData>(
  entities: readonly E[],
): { entities: (E & KeysLayout)[]; known: boolean } {
  let known = true;
  const typeOk = (t: string) => t === '' || isType(t);
  const out = entities.map((e) => {
    const l = e.list;
    const list = !l
      ? { lines: [], known: true }
      : l.hasParams
        ? arrowProperty(
            '  ',
            'list',
            `(filter${l.paramsOptional ? '?' : ''}: ${l.paramsType})`,
            `[...${e.name}.lists(), ${l.paramsOptional ? 'filter ?? {}' : 'filter'}] as const`,
          )
        : arrowProperty('  ', 'list', '()', `[...${e.name}.lists(), {}] as const`);
    const d = e.detail;
    const detail = !d
      ? { lines: [], known: true }
      : d.byId
        ? arrowProperty(
            '  ',
            'detail',
            `(id: ${d.idType})`,
            `[...${e.name}.details(), id] as const`,
          )
        : d.hasParams
          ? arrowProperty(
              '  ',
              'detail',
              `(params: ${d.paramsType})`,
              `[...${e.name}.details(), params] as const`,
            )
          : arrowProperty('  ', 'detail', '()', `[...${e.name}.details()] as const`);
    known &&=
      list.known &&
      detail.known &&
      isStringLiteral(e.root) &&
      typeOk(l?.paramsType ?? '') &&
      typeOk(d?.idType ?? '') &&
      typeOk(d?.paramsType ?? '');
    return { ...e, listLines: list.lines, detailLines: detail.lines };
  });
  return { entities: out, known };
}
