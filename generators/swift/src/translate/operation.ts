/**
 * One IR operation → one `async throws` method on `APIClient`: typed parameters (path params
 * percent-encoded by the runtime, query params serialised per `style`/`explode`), the request
 * body by media type, and the decoded success response.
 */
import type { Operation, Parameter, RequestBody, TypeRef } from '@sync/core';
import { docComment, localNames, stringLiteral, wrapProse, wrapSpecText } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';

export interface OperationModel {
  doc: string;
  /** `public func name(…) async throws -> T {`, on one line when it fits in 100 columns. */
  signature: string;
  requestLines: string[];
  statements: string[];
  sendLine: string;
}

const STYLES = new Set(['form', 'spaceDelimited', 'pipeDelimited', 'deepObject', 'simple', 'label', 'matrix']);
const isJson = (ct: string): boolean => /^application\/(.+\+)?json\b/i.test(ct) || ct === '*/*';

/** The path template as a Swift string literal with interpolated, percent-encoded parameters. */
function pathExpression(op: Operation, localOf: Map<Parameter, string>): string {
  const parts = op.path.split(/(\{[^}]*\})/);
  let out = '"';
  for (const part of parts) {
    const m = /^\{([^}]*)\}$/.exec(part);
    const param = m ? op.parameters.find((p) => p.in === 'path' && p.wireName === m[1]) : undefined;
    if (param) out += `\\(ParameterEncoding.path(${localOf.get(param)!}))`;
    else out += stringLiteral(part).slice(1, -1);
  }
  return `${out}"`;
}

function securityList(ctx: TranslateContext, op: Operation): string {
  const items = new Set<string>();
  for (const name of op.security) {
    const s = ctx.ir.securitySchemes.find((x) => x.name === name);
    if (!s) continue;
    if (s.type === 'http-bearer' || s.type === 'oauth2' || s.type === 'openid') items.add('.bearer');
    else if (s.type === 'http-basic') items.add('.basic');
    else if (s.type === 'api-key' && s.paramName) items.add(`.apiKey(name: ${stringLiteral(s.paramName)}, in: .${s.in ?? 'header'})`);
  }
  return [...items].join(', ');
}

/** Statements that put the body on the request, by media type. */
function bodyStatements(ctx: TranslateContext, body: RequestBody): string[] {
  const ct = body.contentType.toLowerCase();
  const decl = body.type.kind === 'ref' ? ctx.schemas.get(body.type.name) : undefined;
  if (ct.startsWith('multipart/form-data') && decl?.kind === 'object') {
    const props = ctx.fieldNamesOf(decl);
    return ['var form = MultipartFormData()', ...decl.fields.map((f, i) => `try form.append(${stringLiteral(f.wireName)}, body.${props[i]!})`), 'request.setMultipartBody(form)'];
  }
  if (ct === 'application/x-www-form-urlencoded') return ['try request.setFormBody(body)'];
  if (body.type.kind === 'scalar' && (body.type.scalar === 'binary' || body.type.scalar === 'byte')) return [`request.setBody(body, contentType: ${stringLiteral(body.contentType)})`];
  if (ct.startsWith('text/') && body.type.kind === 'scalar') return [`request.setBody(Data(body.utf8), contentType: ${stringLiteral(body.contentType)})`];
  return ['try request.setJSONBody(body)'];
}

function returnOf(ctx: TranslateContext, op: Operation): { clause: string; send: string } {
  const s = op.success;
  if (!s || !s.type || !s.contentType) return { clause: '', send: '_ = try await http.send(request)' };
  const t: TypeRef = s.type;
  const type = swiftType(t, ctx.names);
  if (isJson(s.contentType)) return { clause: ` -> ${type}`, send: `return try await http.send(request).decode(${type}.self)` };
  if (s.contentType.startsWith('text/') && t.kind === 'scalar' && t.scalar !== 'binary') return { clause: ' -> String', send: 'return try await http.send(request).text()' };
  return { clause: ' -> Data', send: 'return try await http.send(request).body' };
}

function paramDoc(op: Operation, ordered: { p: Parameter | null; local: string }[]): string {
  // Doc lines stay within 100 columns at the method's indentation (2 + `/// `).
  const lines = [op.summary ?? '', op.description ?? '', op.deprecated ? '- Warning: deprecated.' : ''].filter(Boolean).map((text) => wrapSpecText(text, 94));
  const described = ordered.filter((x) => x.p?.description);
  const item = (x: { p: Parameter | null; local: string }) =>
    `  ${wrapProse(`- ${x.local.replace(/`/g, '')}: ${x.p!.description!.replace(/\s+/g, ' ')}`, 88).replace(/\n/g, '\n    ')}`;
  if (described.length > 0) lines.push(['- Parameters:', ...described.map(item)].join('\n'));
  lines.push(`\`${op.method.toUpperCase()} ${op.path}\``);
  return docComment(lines.join('\n\n'), '  ');
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
  const decl = (p: Parameter): string => {
    const optional = !p.required && p.in !== 'path';
    const type = swiftType({ ...p.type, nullable: undefined } as TypeRef, ctx.names);
    return `${localOf.get(p)!}: ${type}${optional ? '? = nil' : ''}`;
  };
  const params = [...pathParams.map(decl)];
  const body = op.requestBody;
  if (body) params.push(`body: ${swiftType({ ...body.type, nullable: undefined } as TypeRef, ctx.names)}${body.required ? '' : '? = nil'}`);
  params.push(...ordered.slice(pathParams.length).map(decl));
  const statements: string[] = [];
  for (const p of others) {
    const local = localOf.get(p)!;
    if (p.in === 'query') statements.push(`request.addQuery(${stringLiteral(p.wireName)}, ${local}, style: .${STYLES.has(p.style) ? p.style : 'form'}, explode: ${p.explode})`);
    if (p.in === 'header') statements.push(`request.addHeader(${stringLiteral(p.wireName)}, ${local})`);
    if (p.in === 'cookie') statements.push(`request.addCookie(${stringLiteral(p.wireName)}, ${local})`);
  }
  if (body) {
    const lines = bodyStatements(ctx, body);
    statements.push(...(body.required ? lines : ['if let body = body {', ...lines.map((l) => `  ${l}`), '}']));
  }
  const security = securityList(ctx, op);
  const method = `.${op.method}`;
  const args = [`method: ${method}`, `path: ${pathExpression(op, localOf)}`, ...(security ? [`security: [${security}]`] : [])];
  const { clause, send } = returnOf(ctx, op);
  const name = ctx.names.operations.get(op.name)!;
  const oneLine = `  public func ${name}(${params.join(', ')}) async throws${clause} {`;
  const signature =
    oneLine.length <= 100
      ? oneLine.trimStart()
      : `public func ${name}(\n${params.map((p) => `    ${p}`).join(',\n')}\n  ) async throws${clause} {`;
  const head = `${statements.length > 0 ? 'var' : 'let'} request = HTTPRequest(`;
  const inline = `    ${head}${args.join(', ')})`;
  return {
    doc: paramDoc(op, ordered.map((p) => ({ p, local: localOf.get(p)! }))),
    signature,
    requestLines: inline.length <= 100 ? [inline.trimStart()] : [head, ...args.map((a, i) => `  ${a}${i < args.length - 1 ? ',' : ''}`), ')'],
    statements,
    sendLine: send,
  };
}
