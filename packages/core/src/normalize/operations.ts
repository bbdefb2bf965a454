import type { HttpMethod, Operation, Parameter, RequestBody, Response } from '../ir/types.js';
import { at, isObject, sourceRef, type LoadContext, type Located } from '../load/context.js';
import { pascalCase, snakeCase } from '../naming/words.js';
import type { SchemaTranslator } from './schemas.js';
import { readSyncAnnotation, toSyncConfig, type SyncAnnotation } from './sync-vocabulary.js';

export const METHODS: HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/** An operation as read from the spec, with what entity detection needs next to it. */
export interface RawOperation {
  op: Operation;
  loc: Located;
  pathItem: Located;
  /** The explicit annotation: operation-level wins over path-item-level; null when none. */
  annotation: SyncAnnotation | null;
  invalidAnnotation: boolean;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:;.*)?$/i;
const MEDIA_PREFERENCE = [
  (t: string) => /^application\/json(;|$)/i.test(t),
  (t: string) => JSON_TYPE.test(t),
  (t: string) => /^application\/x-www-form-urlencoded/i.test(t),
  (t: string) => /^multipart\/form-data/i.test(t),
  (t: string) => /^application\/octet-stream/i.test(t),
  (t: string) => /^text\/plain/i.test(t),
  (t: string) => /^\*\/\*$/.test(t),
];

/** Media types the generated clients can encode and decode. */
export function isSupportedMedia(type: string): boolean {
  return MEDIA_PREFERENCE.some((test) => test(type));
}

function warnMedia(ctx: LoadContext, media: string, loc: Located): void {
  if (!isSupportedMedia(media))
    ctx.report(
      'SP0503',
      `Media type "${media}" has no codec in the generated clients; its body is typed as unknown.`,
      loc,
      'Offer application/json as well.',
    );
}

function pickMedia(content: unknown): string | null {
  if (!isObject(content)) return null;
  const types = Object.keys(content);
  for (const test of MEDIA_PREFERENCE) {
    const hit = types.find(test);
    if (hit) return hit;
  }
  return types[0] ?? null;
}

/**
 * FastAPI's default operationId is `{function name}{path with non-word chars as _}_{method}`, and a
 * common custom one is `{tag}-{function name}`. Both decorations are dropped so that
 * `list_contacts_api_v1_contacts_get` and `items-read_items` become `list_contacts` and `read_items`.
 */
export function cleanOperationId(
  operationId: string,
  path: string,
  method: string,
  tags: string[],
): string {
  let id = operationId;
  const suffix = `${path.replace(/\W/g, '_')}_${method}`;
  if (id.length > suffix.length && id.endsWith(suffix)) id = id.slice(0, -suffix.length);
  const dash = id.indexOf('-');
  if (dash > 0 && tags.some((t) => t === id.slice(0, dash))) id = id.slice(dash + 1);
  return id;
}

/** `GET /accounts/{account_id}/line-items/` → `get_accounts_account_id_line_items`. */
function nameFromPath(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith('{') ? `by_${s.slice(1, -1)}` : s));
  return snakeCase([method, ...words].join(' ')) || method;
}

/** Reads every operation under `paths`, in path order then method order. */
export function readOperations(ctx: LoadContext, schemas: SchemaTranslator): RawOperation[] {
  const rootLoc: Located = { doc: ctx.root, pointer: '', value: ctx.root.value };
  const paths = at(rootLoc, 'paths');
  if (!isObject(paths.value)) return [];
  const rootSecurity = (rootLoc.value as Record<string, unknown>).security;
  const out: RawOperation[] = [];
  const seenIds = new Map<string, string>();
  for (const p of Object.keys(paths.value).sort()) {
    const itemRaw = at(paths, p);
    const item = ctx.deref(itemRaw);
    if (!item || !isObject(item.value)) continue;
    const itemAnnotation = readSyncAnnotation(ctx, item);
    for (const method of METHODS) {
      if (!isObject(item.value[method])) continue;
      const loc = at(item, method);
      const o = loc.value as Record<string, unknown>;
      const tags = Array.isArray(o.tags)
        ? o.tags.filter((t): t is string => typeof t === 'string')
        : [];
      const operationId =
        typeof o.operationId === 'string' && o.operationId.trim() !== '' ? o.operationId : null;
      if (operationId) {
        const prev = seenIds.get(operationId);
        if (prev)
          ctx.report(
            'SP0501',
            `operationId "${operationId}" is already used by ${prev}.`,
            at(loc, 'operationId'),
            'Every operationId must be unique; rename one of them.',
          );
        else seenIds.set(operationId, `${method.toUpperCase()} ${p}`);
      }
      const opAnnotation = readSyncAnnotation(ctx, loc);
      const invalid = opAnnotation === 'invalid' || itemAnnotation === 'invalid';
      const annotation =
        opAnnotation !== 'invalid' && opAnnotation
          ? opAnnotation
          : itemAnnotation !== 'invalid'
            ? itemAnnotation
            : null;
      const name = operationId
        ? cleanOperationId(operationId, p, method, tags)
        : nameFromPath(method, p);
      const hint = pascalCase(name);
      const op: Operation = {
        name,
        operationId,
        method,
        path: p,
        deprecated: o.deprecated === true,
        tags,
        parameters: readParameters(ctx, schemas, item, loc, p, hint),
        requestBody: readRequestBody(ctx, schemas, loc, hint),
        responses: readResponses(ctx, schemas, loc, hint),
        success: null,
        entity: null,
        sync: toSyncConfig(invalid ? null : annotation),
        security: readSecurity(o.security ?? rootSecurity),
        source: sourceRef(loc),
      };
      if (typeof o.summary === 'string') op.summary = o.summary;
      if (typeof o.description === 'string') op.description = o.description;
      op.success = pickSuccess(op.responses);
      out.push({
        op,
        loc,
        pathItem: item,
        annotation: invalid ? null : annotation,
        invalidAnnotation: invalid,
      });
    }
  }
  dedupeNames(out);
  return out;
}

/** Cleaned names can collide (`items-list` and `users-list`); fall back to the full operationId. */
function dedupeNames(ops: RawOperation[]): void {
  const count = new Map<string, number>();
  for (const r of ops) count.set(r.op.name, (count.get(r.op.name) ?? 0) + 1);
  const used = new Set<string>();
  for (const r of ops) {
    if ((count.get(r.op.name) ?? 0) > 1 && r.op.operationId) r.op.name = r.op.operationId;
    let name = r.op.name;
    let n = 2;
    while (used.has(snakeCase(name))) name = `${r.op.name}_${n++}`;
    used.add(snakeCase(name));
    r.op.name = name;
  }
}

function readSecurity(sec: unknown): string[] {
  if (!Array.isArray(sec)) return [];
  const names = new Set<string>();
  for (const req of sec) if (isObject(req)) for (const k of Object.keys(req)) names.add(k);
  return [...names].sort();
}

function pickSuccess(responses: Response[]): Response | null {
  const ok = responses.filter((r) => /^2(\d\d|XX)$/i.test(r.status));
  return ok.find((r) => r.type !== null) ?? ok[0] ?? null;
}

function readParameters(
  ctx: LoadContext,
  schemas: SchemaTranslator,
  item: Located,
  op: Located,
  path: string,
  hint: string,
): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const owner of [item, op]) {
    const list = at(owner, 'parameters');
    if (!Array.isArray(list.value)) continue;
    list.value.forEach((_, i) => {
      const p = ctx.deref(at(list, i));
      if (!p || !isObject(p.value)) return;
      const v = p.value;
      const where = v.in;
      if (
        typeof v.name !== 'string' ||
        (where !== 'path' && where !== 'query' && where !== 'header' && where !== 'cookie')
      )
        return;
      let type =
        isObject(v.schema) || typeof v.schema === 'boolean'
          ? schemas.typeOf(at(p, 'schema'), `${hint}${pascalCase(v.name)}`)
          : null;
      if (!type && isObject(v.content)) {
        const media = pickMedia(v.content);
        if (media)
          type = schemas.typeOf(at(p, 'content', media, 'schema'), `${hint}${pascalCase(v.name)}`);
      }
      const style =
        typeof v.style === 'string'
          ? v.style
          : where === 'query' || where === 'cookie'
            ? 'form'
            : 'simple';
      const param: Parameter = {
        wireName: v.name,
        in: where,
        required: where === 'path' ? true : v.required === true,
        type: type ?? { kind: 'scalar', scalar: 'string' },
        style,
        explode: typeof v.explode === 'boolean' ? v.explode : style === 'form',
        deprecated: v.deprecated === true,
        source: sourceRef(p),
      };
      if (typeof v.description === 'string') param.description = v.description;
      byKey.set(`${where}:${v.name}`, param);
    });
  }
  for (const m of path.matchAll(/\{([^}]+)\}/g)) {
    if (!byKey.has(`path:${m[1]}`)) {
      ctx.report(
        'SP0502',
        `Path parameter "{${m[1]}}" is used in "${path}" but not declared in parameters.`,
        { ...op, pointer: op.pointer },
        `Add \`- {name: ${m[1]}, in: path, required: true, schema: {type: string}}\` to the operation's or path's parameters.`,
      );
    }
  }
  const order = { path: 0, query: 1, header: 2, cookie: 3 };
  const pathOrder = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  return [...byKey.values()].sort(
    (a, b) =>
      order[a.in] - order[b.in] ||
      (a.in === 'path' ? pathOrder.indexOf(a.wireName) - pathOrder.indexOf(b.wireName) : 0),
  );
}

function readRequestBody(
  ctx: LoadContext,
  schemas: SchemaTranslator,
  op: Located,
  hint: string,
): RequestBody | null {
  const raw = at(op, 'requestBody');
  if (raw.value === undefined) return null;
  const body = ctx.deref(raw);
  if (!body || !isObject(body.value)) return null;
  const media = pickMedia(body.value.content);
  if (!media) return null;
  warnMedia(ctx, media, at(body, 'content', media));
  const schema = at(body, 'content', media, 'schema');
  const type =
    schema.value === undefined || !isSupportedMedia(media)
      ? { kind: 'unknown' as const }
      : schemas.typeOf(schema, `${hint}Request`);
  return { contentType: media, required: body.value.required === true, type };
}

function readResponses(
  ctx: LoadContext,
  schemas: SchemaTranslator,
  op: Located,
  hint: string,
): Response[] {
  const responses = at(op, 'responses');
  if (!isObject(responses.value)) return [];
  const out: Response[] = [];
  for (const status of Object.keys(responses.value).sort()) {
    const r = ctx.deref(at(responses, status));
    if (!r || !isObject(r.value)) continue;
    const media = pickMedia(r.value.content);
    if (media) warnMedia(ctx, media, at(r, 'content', media));
    const schema = media && isSupportedMedia(media) ? at(r, 'content', media, 'schema') : null;
    const suffix =
      /^2\d\d$/.test(status) && (status === '200' || status === '201')
        ? 'Response'
        : `Response${pascalCase(status)}`;
    const type =
      schema && schema.value !== undefined ? schemas.typeOf(schema, `${hint}${suffix}`) : null;
    out.push({
      status,
      description: typeof r.value.description === 'string' ? r.value.description : '',
      contentType: media,
      type,
    });
  }
  return out;
}
