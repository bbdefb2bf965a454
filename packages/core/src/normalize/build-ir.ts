import { IR_VERSION, type SecurityScheme, type SyncIR } from '../ir/types.js';
import { at, isObject, type LoadContext, type Located } from '../load/context.js';
import { readBatchOperation } from './batch.js';
import { detectEntities } from './entities.js';
import { readOperations } from './operations.js';
import { SchemaTranslator } from './schemas.js';

/** Normalises a loaded, valid document into the IR. Problems are reported on `ctx`. */
export function buildIr(ctx: LoadContext, version: '3.0' | '3.1'): SyncIR {
  const root: Located = { doc: ctx.root, pointer: '', value: ctx.root.value };
  const doc = root.value as Record<string, unknown>;
  const schemas = new SchemaTranslator(ctx);
  schemas.registerComponents();
  const raw = readOperations(ctx, schemas);
  const securitySchemes = readSecuritySchemes(ctx, root);
  const transportHeaders = new Set(
    securitySchemes
      .filter((s) => s.type === 'api-key' && s.in === 'header' && s.paramName)
      .map((s) => s.paramName!.toLowerCase()),
  );
  const entities = detectEntities(ctx, schemas, raw, transportHeaders);
  const operations = raw
    .map((r) => r.op)
    .sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : methodOrder(a.method) - methodOrder(b.method),
    );
  const info = isObject(doc.info) ? doc.info : {};
  const ir: SyncIR = {
    irVersion: IR_VERSION,
    source: { file: ctx.store.portable(ctx.root.absPath), openapi: String(doc.openapi ?? version) },
    info: {
      title: typeof info.title === 'string' ? info.title : '',
      version: typeof info.version === 'string' ? info.version : '',
      ...(typeof info.description === 'string' ? { description: info.description } : {}),
    },
    servers: Array.isArray(doc.servers)
      ? doc.servers
          .filter(isObject)
          .map((s) => String(s.url ?? ''))
          .filter(Boolean)
      : [],
    securitySchemes,
    schemas: schemas.declarations(),
    entities,
    operations,
  };
  const batch = readBatchOperation(ctx, raw, ir.schemas);
  if (batch !== undefined) ir.batch = batch;
  return ir;
}

const METHOD_ORDER = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
function methodOrder(m: string): number {
  return METHOD_ORDER.indexOf(m);
}

function readSecuritySchemes(ctx: LoadContext, root: Located): SecurityScheme[] {
  const list = at(at(root, 'components'), 'securitySchemes');
  if (!isObject(list.value)) return [];
  const out: SecurityScheme[] = [];
  for (const name of Object.keys(list.value).sort()) {
    const s = ctx.deref(at(list, name));
    if (!s || !isObject(s.value)) continue;
    const v = s.value;
    const scheme = typeof v.scheme === 'string' ? v.scheme.toLowerCase() : '';
    if (v.type === 'http' && scheme === 'bearer') out.push({ name, type: 'http-bearer' });
    else if (v.type === 'http' && scheme === 'basic') out.push({ name, type: 'http-basic' });
    else if (
      v.type === 'apiKey' &&
      (v.in === 'header' || v.in === 'query' || v.in === 'cookie') &&
      typeof v.name === 'string'
    )
      out.push({ name, type: 'api-key', in: v.in, paramName: v.name });
    else if (v.type === 'oauth2') out.push({ name, type: 'oauth2' });
    else if (v.type === 'openIdConnect') out.push({ name, type: 'openid' });
    else out.push({ name, type: 'other' });
  }
  return out;
}
