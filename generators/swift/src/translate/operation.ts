/**
 * One IR operation → one `async throws` method on `APIClient`: typed parameters (path params
 * percent-encoded by the runtime, query params serialised per `style`/`explode`), the request
 * body by media type, and the decoded success response.
 */
import type { Operation, Parameter, RequestBody, TypeRef } from '@sync/core';
import { docText, localNames, stringLiteral, wrapProse, wrapSpecText } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import type { OperationModel, PathSegment, RequestBodyModel, SecurityModel } from '../view-models.js';

const STYLES = new Set(['form', 'spaceDelimited', 'pipeDelimited', 'deepObject', 'simple', 'label', 'matrix']);
const isJson = (ct: string): boolean => /^application\/(.+\+)?json\b/i.test(ct) || ct === '*/*';

/** The path template as segments: literal text (escaped for a string literal) and path parameters. */
function pathSegments(op: Operation, localOf: Map<Parameter, string>): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const part of op.path.split(/(\{[^}]*\})/)) {
    const m = /^\{([^}]*)\}$/.exec(part);
    const param = m ? op.parameters.find((p) => p.in === 'path' && p.wireName === m[1]) : undefined;
    if (param) segments.push({ text: null, param: localOf.get(param)! });
    else if (part !== '') segments.push({ text: stringLiteral(part).slice(1, -1), param: null });
  }
  return segments;
}

function security(ctx: TranslateContext, op: Operation): SecurityModel[] {
  const items = new Map<string, SecurityModel>();
  for (const name of op.security) {
    const s = ctx.ir.securitySchemes.find((x) => x.name === name);
    if (!s) continue;
    if (s.type === 'http-bearer' || s.type === 'oauth2' || s.type === 'openid') items.set('bearer', { bearer: true, basic: false, apiKey: null });
    else if (s.type === 'http-basic') items.set('basic', { bearer: false, basic: true, apiKey: null });
    else if (s.type === 'api-key' && s.paramName) {
      const apiKey = { name: stringLiteral(s.paramName), location: s.in ?? 'header' };
      items.set(`apiKey:${apiKey.name}:${apiKey.location}`, { bearer: false, basic: false, apiKey });
    }
  }
  return [...items.values()];
}

/** How the body goes on the request, by media type. */
function requestBody(ctx: TranslateContext, body: RequestBody): RequestBodyModel {
  const ct = body.contentType.toLowerCase();
  const decl = body.type.kind === 'ref' ? ctx.schemas.get(body.type.name) : undefined;
  const none = { optional: !body.required, multipart: null, form: false, raw: null, json: false };
  if (ct.startsWith('multipart/form-data') && decl?.kind === 'object') {
    const props = ctx.fieldNamesOf(decl);
    return { ...none, multipart: decl.fields.map((f, i) => ({ wire: stringLiteral(f.wireName), property: props[i]! })) };
  }
  if (ct === 'application/x-www-form-urlencoded') return { ...none, form: true };
  if (body.type.kind === 'scalar' && (body.type.scalar === 'binary' || body.type.scalar === 'byte'))
    return { ...none, raw: { contentType: stringLiteral(body.contentType), text: false } };
  if (ct.startsWith('text/') && body.type.kind === 'scalar') return { ...none, raw: { contentType: stringLiteral(body.contentType), text: true } };
  return { ...none, json: true };
}

/** The method's result type and how the answer is read. */
function returnOf(ctx: TranslateContext, op: Operation): Pick<OperationModel, 'returnType' | 'returnsJson' | 'returnsText' | 'returnsData'> {
  const s = op.success;
  const none = { returnType: null, returnsJson: false, returnsText: false, returnsData: false };
  if (!s || !s.type || !s.contentType) return none;
  const t: TypeRef = s.type;
  if (isJson(s.contentType)) return { ...none, returnType: swiftType(t, ctx.names), returnsJson: true };
  if (s.contentType.startsWith('text/') && t.kind === 'scalar' && t.scalar !== 'binary') return { ...none, returnType: 'String', returnsText: true };
  return { ...none, returnType: 'Data', returnsData: true };
}

function paramDoc(op: Operation, ordered: { p: Parameter | null; local: string }[]): string[] {
  // Doc lines stay within 100 columns at the method's indentation (2 + `/// `).
  const lines = [op.summary ?? '', op.description ?? '', op.deprecated ? '- Warning: deprecated.' : ''].filter(Boolean).map((text) => wrapSpecText(text, 94));
  const described = ordered.filter((x) => x.p?.description);
  const item = (x: { p: Parameter | null; local: string }) =>
    `  ${wrapProse(`- ${x.local.replace(/`/g, '')}: ${x.p!.description!.replace(/\s+/g, ' ')}`, 88).replace(/\n/g, '\n    ')}`;
  if (described.length > 0) lines.push(['- Parameters:', ...described.map(item)].join('\n'));
  lines.push(`\`${op.method.toUpperCase()} ${op.path}\``);
  return docText(lines.join('\n\n'));
}

/** Parameters in method order (path, then required, then optional) with their Swift names. */
export function operationParameters(op: Operation): { ordered: Parameter[]; localOf: Map<Parameter, string> } {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const others = op.parameters.filter((p) => p.in !== 'path');
  const ordered = [...pathParams, ...others.filter((p) => p.required), ...others.filter((p) => !p.required)];
  const locals = localNames(ordered.map((p) => p.wireName), ['body', 'request', 'form', 'http']);
  return { ordered, localOf: new Map(ordered.map((p, i) => [p, locals[i]!] as const)) };
}

export function translateOperation(ctx: TranslateContext, op: Operation): OperationModel {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const others = op.parameters.filter((p) => p.in !== 'path');
  const { ordered, localOf } = operationParameters(op);
  const param = (p: Parameter) => ({
    label: localOf.get(p)!,
    type: swiftType({ ...p.type, nullable: undefined } as TypeRef, ctx.names),
    optional: !p.required && p.in !== 'path',
  });
  const body = op.requestBody;
  const params = [
    ...pathParams.map(param),
    ...(body ? [{ label: 'body', type: swiftType({ ...body.type, nullable: undefined } as TypeRef, ctx.names), optional: !body.required }] : []),
    ...ordered.slice(pathParams.length).map(param),
  ];
  const parameters = others
    .filter((p) => p.in === 'query' || p.in === 'header' || p.in === 'cookie')
    .map((p) => ({
      query: p.in === 'query',
      header: p.in === 'header',
      cookie: p.in === 'cookie',
      wire: stringLiteral(p.wireName),
      local: localOf.get(p)!,
      style: STYLES.has(p.style) ? p.style : 'form',
      explode: p.explode,
    }));
  return {
    doc: paramDoc(op, ordered.map((p) => ({ p, local: localOf.get(p)! }))),
    name: ctx.names.operations.get(op.name)!,
    params,
    ...returnOf(ctx, op),
    method: op.method,
    path: pathSegments(op, localOf),
    security: security(ctx, op),
    parameters,
    body: body ? requestBody(ctx, body) : null,
    mutableRequest: parameters.length > 0 || Boolean(body),
  };
}
