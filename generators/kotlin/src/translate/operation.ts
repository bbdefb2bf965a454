/**
 * One IR operation → the view model of one `suspend fun` of an `…Api` class: parameters (path
 * first, then the body, then query/header/cookie, optional ones last with `= null`), the request
 * description handed to the runtime's `ApiCore`, and how the response is read.
 */
import type { Operation, Parameter, RequestBody, Response, TypeRef } from '@sync/core';
import type { Imports } from '../imports.js';
import { kt, memberNames, type NameTable } from '../naming.js';
import { kotlinType } from '../type-map.js';
import { kdoc, withLast } from './common.js';

export interface ParamVM {
  name: string;
  type: string;
  /** Default value expression (`null`, a content type literal) or null for a required parameter. */
  defaultValue: string | null;
  last: boolean;
}

export interface WireParamVM {
  wire: string;
  name: string;
  explodeFalse: boolean;
  last: boolean;
}

export interface OperationVM {
  doc: string;
  name: string;
  params: ParamVM[];
  hasParams: boolean;
  /** Kotlin return type, or null for Unit. */
  returnType: string | null;
  /** `callJson`, `callText`, `callBytes` or `callUnit` (runtime ApiCore). */
  call: string;
  method: string;
  pathTemplate: string;
  pathParams: WireParamVM[];
  query: WireParamVM[];
  headers: WireParamVM[];
  cookies: WireParamVM[];
  /** Body kinds (all false without a body). */
  jsonBody: boolean;
  jsonBodyOptional: boolean;
  rawBody: boolean;
  bodyName: string;
  contentTypeName: string;
  secured: boolean;
  /** The IR operation, for repositories that forward to it. */
  source: Operation;
}

const isJson = (contentType: string | null): boolean => contentType !== null && /json/i.test(contentType);

function responseOf(success: Response | null, ctx: { names: NameTable; imports: Imports }): { returnType: string | null; call: string } {
  if (!success || !success.type || !success.contentType) return { returnType: null, call: 'callUnit' };
  if (isJson(success.contentType)) return { returnType: kotlinType(success.type, ctx), call: 'callJson' };
  if (/^text\//i.test(success.contentType)) return { returnType: 'String', call: 'callText' };
  return { returnType: 'ByteArray', call: 'callBytes' };
}

function bodyKind(body: RequestBody | null): 'none' | 'json' | 'raw' {
  if (!body) return 'none';
  return isJson(body.contentType) ? 'json' : 'raw';
}

/** Parameters in signature order: path, body (+ content type for raw bodies), required, optional. */
function ordered(op: Operation): Parameter[] {
  const path = op.parameters.filter((p) => p.in === 'path');
  const rest = op.parameters.filter((p) => p.in !== 'path');
  return [...path, ...rest.filter((p) => p.required), ...rest.filter((p) => !p.required)];
}

export function translateOperation(op: Operation, fnName: string, names: NameTable, imports: Imports): OperationVM {
  const ctx = { names, imports };
  const params = ordered(op);
  const kind = bodyKind(op.requestBody);
  // `core` is the class property every function uses; a parameter must not shadow it.
  const [bodyName, contentTypeName, ...paramNames] = memberNames(['body', 'content type', ...params.map((p) => p.wireName)], ['core']);
  const sig: Omit<ParamVM, 'last'>[] = params.map((p, i) => {
    const name = paramNames[i]!;
    if (p.in === 'path') return { name, type: kotlinType({ ...p.type, nullable: undefined } as TypeRef, ctx), defaultValue: null };
    const type = kotlinType(p.type, ctx);
    if (p.required) return { name, type, defaultValue: null };
    return { name, type: type.endsWith('?') ? type : `${type}?`, defaultValue: 'null' };
  });
  const nPath = params.filter((p) => p.in === 'path').length;
  const body = op.requestBody;
  if (body && kind === 'json') {
    const type = kotlinType(body.type, ctx);
    sig.splice(nPath, 0, body.required ? { name: bodyName!, type, defaultValue: null } : { name: bodyName!, type: type.endsWith('?') ? type : `${type}?`, defaultValue: 'null' });
  }
  if (body && kind === 'raw') {
    sig.splice(nPath, 0, { name: bodyName!, type: 'ByteArray', defaultValue: null }, { name: contentTypeName!, type: 'String', defaultValue: kt.stringLiteral(body.contentType) });
  }
  const wire = (where: Parameter['in']): WireParamVM[] =>
    withLast(params.flatMap((p, i) => (p.in === where ? [{ wire: kt.stringLiteral(p.wireName), name: paramNames[i]!, explodeFalse: !p.explode }] : [])));
  const { returnType, call } = responseOf(op.success, ctx);
  return {
    doc: kdoc([op.summary, op.description, op.deprecated ? 'Deprecated.' : null, `\`${op.method.toUpperCase()} ${op.path}\``], '    '),
    name: fnName,
    params: withLast(sig),
    hasParams: sig.length > 0,
    returnType,
    call,
    method: kt.stringLiteral(op.method.toUpperCase()),
    pathTemplate: kt.stringLiteral(op.path),
    pathParams: wire('path'),
    query: wire('query'),
    headers: wire('header'),
    cookies: wire('cookie'),
    jsonBody: kind === 'json',
    jsonBodyOptional: kind === 'json' && !body!.required,
    rawBody: kind === 'raw',
    bodyName: bodyName!,
    contentTypeName: contentTypeName!,
    secured: op.security.length > 0,
    source: op,
  };
}
