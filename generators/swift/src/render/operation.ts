/**
 * Builder of the lines of an `APIClient` method that need layout: the signature and the
 * `HTTPRequest(…)` line (one line when they fit in 100 columns, else one argument per line), and
 * the statements that put the body on the request. The rest of the method is its template
 * (`client-operations.swift.hbs`).
 */
import { fitCall } from './layout.js';
import { signature } from './signature.js';
import type { ClientOperationsModel, OperationModel, RequestBodyModel, SecurityModel } from '../view-models.js';

function securityItem(s: SecurityModel): string {
  if (s.apiKey) return `.apiKey(name: ${s.apiKey.name}, in: .${s.apiKey.location})`;
  return s.basic ? '.basic' : '.bearer';
}

/** `public func name(…) async throws -> T {`. */
export function operationSignature(op: OperationModel): string {
  const params = op.params.map((p) => `${p.label}: ${p.type}${p.optional ? '? = nil' : ''}`);
  return signature(op.name, params, `async throws${op.returnType ? ` -> ${op.returnType}` : ''}`);
}

/** `let request = HTTPRequest(method: …, path: "…", security: […])`. */
export function requestLine(op: OperationModel): string {
  const path = op.path.map((s) => (s.param !== null ? `\\(ParameterEncoding.path(${s.param}))` : s.text)).join('');
  const args = [`method: .${op.method}`, `path: "${path}"`, ...(op.security.length > 0 ? [`security: [${op.security.map(securityItem).join(', ')}]`] : [])];
  return fitCall(`${op.mutableRequest ? 'var' : 'let'} request = HTTPRequest`, args, '    ');
}

/** The statements that put the body on `request` (indented inside `if let body` when optional). */
export function bodyStatements(body: RequestBodyModel): string[] {
  const lines = body.multipart
    ? ['var form = MultipartFormData()', ...body.multipart.map((f) => `try form.append(${f.wire}, body.${f.property})`), 'request.setMultipartBody(form)']
    : body.form
      ? ['try request.setFormBody(body)']
      : body.raw
        ? [`request.setBody(${body.raw.text ? 'Data(body.utf8)' : 'body'}, contentType: ${body.raw.contentType})`]
        : ['try request.setJSONBody(body)'];
  return body.optional ? lines.map((l) => `  ${l}`) : lines;
}

export function printOperations(view: ClientOperationsModel): object {
  return {
    ...view,
    operations: view.operations.map((op) => ({
      ...op,
      signature: operationSignature(op),
      request: requestLine(op),
      bodyStatements: op.body ? bodyStatements(op.body) : [],
    })),
  };
}
