/**
 * One operation → the view of its typed fetch function: the params object (every path, query,
 * header and cookie parameter, keyed by wire name), the body, the result type, how each value is
 * serialised (style/explode from the IR) and which credential it needs (the operation's first
 * applicable security scheme). Entity create/update bodies use the entity's write shapes.
 */
import type { Operation, Parameter, SecurityScheme, TypeRef } from '@sync/core';
import { docComment, propertyAccess, propertyKey, stringLiteral } from '../naming.js';
import { referencedDecls } from '../type-map.js';
import type { Context } from './context.js';

export interface ParamView {
  doc: string;
  key: string;
  optional: boolean;
  type: string;
  location: string;
  name: string;
  access: string;
  style: string;
  explode: boolean;
}

export interface AuthView {
  kind: string;
  location: string;
  name: string;
  isApiKey: boolean;
}

export interface OperationView {
  doc: string;
  fn: string;
  method: string;
  path: string;
  hasParams: boolean;
  paramsOptional: boolean;
  paramsType: string;
  params: ParamView[];
  hasBody: boolean;
  bodyOptional: boolean;
  bodyType: string;
  bodyKind: string;
  resultType: string;
  responseKind: string;
  auth: AuthView[];
  /** TS type names from `models/` the signature mentions (imports of the api file). */
  uses: Set<string>;
}

const isJson = (ct: string) => /^application\/(.+\+)?json\b/i.test(ct) || /\+json\b/i.test(ct);

function bodyKind(contentType: string): string {
  if (isJson(contentType)) return 'json';
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return 'form';
  if (/^multipart\//i.test(contentType)) return 'multipart';
  if (/^text\//i.test(contentType)) return 'text';
  return 'binary';
}

function responseKind(contentType: string | null): string {
  if (contentType === null) return 'none';
  if (isJson(contentType)) return 'json';
  return /^text\//i.test(contentType) ? 'text' : 'blob';
}

/** Keeps the first parameter of each wire name; a clash across locations is reported and skipped. */
function distinctParams(ctx: Context, op: Operation): Parameter[] {
  const seen = new Set<string>();
  return op.parameters.filter((p) => {
    if (!seen.has(p.wireName)) return (seen.add(p.wireName), true);
    ctx.diagnostics.push({
      severity: 'warning',
      code: 'SP0601',
      file: p.source.file,
      pointer: p.source.pointer,
      message: `Operation ${op.name}: a second parameter named "${p.wireName}" (in ${p.in}) is skipped by the React client.`,
      hint: 'Rename one of the parameters; the React params object is keyed by wire name.',
    });
    return false;
  });
}

function paramView(ctx: Context, p: Parameter): ParamView {
  return {
    doc: docComment(
      [p.description ?? '', p.deprecated ? '@deprecated' : ''].filter(Boolean).join('\n'),
      '  ',
    ),
    key: propertyKey(p.wireName),
    optional: !p.required,
    type: ctx.typeOf(p.type),
    location: stringLiteral(p.in),
    name: stringLiteral(p.wireName),
    access: propertyAccess('params', p.wireName),
    style: stringLiteral(p.style),
    explode: p.explode,
  };
}

function authView(scheme: SecurityScheme | undefined): AuthView[] {
  if (!scheme || scheme.type === 'other') return [];
  if (scheme.type === 'api-key') {
    const location = stringLiteral(scheme.in ?? 'header');
    return [
      {
        kind: stringLiteral('apiKey'),
        location,
        name: stringLiteral(scheme.paramName ?? scheme.name),
        isApiKey: true,
      },
    ];
  }
  const kind = scheme.type === 'http-basic' ? 'basic' : 'bearer';
  return [{ kind: stringLiteral(kind), location: '', name: '', isApiKey: false }];
}

/** The body type: the entity's write shape for entity writes, else the spec's body type. */
export function bodyType(ctx: Context, op: Operation, type: TypeRef): string {
  const e = op.entity ? ctx.entities.get(op.entity.name) : undefined;
  const role = op.entity?.role;
  if (e && (role === 'create' || role === 'replace') && e.shapes.create.derived)
    return e.shapes.create.name;
  if (e && role === 'update' && e.shapes.update.derived) return e.shapes.update.name;
  return ctx.typeOf(type);
}

function operationDoc(op: Operation): string {
  const lines = [
    op.summary ?? '',
    op.description ?? '',
    `\`${op.method.toUpperCase()} ${op.path}\``,
  ];
  if (op.deprecated) lines.push('@deprecated');
  return docComment(lines.filter(Boolean).join('\n\n'));
}

/** Model type names mentioned by the operation's signature (`body` is the chosen body type). */
function usedTypes(ctx: Context, op: Operation, params: Parameter[], body: string): Set<string> {
  const decls = new Set<string>();
  params.forEach((p) => referencedDecls(p.type, decls));
  const derived = op.requestBody !== null && body !== ctx.typeOf(op.requestBody.type);
  if (op.requestBody && !derived) referencedDecls(op.requestBody.type, decls);
  if (op.success?.type) referencedDecls(op.success.type, decls);
  const uses = new Set([...decls].map((d) => ctx.declType.get(d)!));
  if (derived) uses.add(body);
  return uses;
}

/** View model of one operation function. */
export function translateOperation(ctx: Context, op: Operation): OperationView {
  const params = distinctParams(ctx, op);
  const body = op.requestBody;
  const scheme = ctx.ir.securitySchemes.find((s) => s.name === op.security[0]);
  const chosenBody = body ? bodyType(ctx, op, body.type) : '';
  return {
    doc: operationDoc(op),
    fn: ctx.opFunction.get(op.name)!,
    method: stringLiteral(op.method.toUpperCase()),
    path: stringLiteral(op.path),
    hasParams: params.length > 0,
    paramsOptional: params.every((p) => !p.required),
    paramsType: ctx.opParams.get(op.name)!,
    params: params.map((p) => paramView(ctx, p)),
    hasBody: body !== null,
    bodyOptional: body !== null && !body.required,
    bodyType: chosenBody,
    bodyKind: stringLiteral(body ? bodyKind(body.contentType) : 'none'),
    resultType: op.success?.type ? ctx.typeOf(op.success.type) : 'void',
    responseKind: stringLiteral(responseKind(op.success?.type ? op.success.contentType : null)),
    auth: authView(scheme),
    uses: usedTypes(ctx, op, params, chosenBody),
  };
}
