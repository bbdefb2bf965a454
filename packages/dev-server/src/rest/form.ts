/**
 * Form bodies (multipart/form-data, application/x-www-form-urlencoded) arrive as strings; before
 * validation they are coerced to the body schema's field types like query parameters are.
 */
import type { JsonValue, SchemaDecl, TypeRef } from '@sync/core';
import { own, put, record } from '../util/json.js';
import { coerce } from './params.js';

/** A marker property the HTTP layer sets on bodies read from a form (removed before use). */
export const FORM_MARK = '\u0000form';

/** True (and the marker removed) when `body` was read from a form. */
export function takeFormMark(body: JsonValue | undefined): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  if (own(body, FORM_MARK) !== true) return false;
  delete body[FORM_MARK];
  return true;
}

export function coerceForm(
  schemas: ReadonlyMap<string, SchemaDecl>,
  type: TypeRef,
  body: Record<string, JsonValue>,
): Record<string, JsonValue> {
  const decl = type.kind === 'ref' ? schemas.get(type.name) : undefined;
  if (decl?.kind !== 'object') return body;
  const out = record<JsonValue>();
  for (const [k, v] of Object.entries(body)) {
    const f = decl.fields.find((x) => x.wireName === k);
    if (f === undefined) {
      put(out, k, v);
      continue;
    }
    const items = f.type.kind === 'array' ? f.type.items : null;
    if (items !== null)
      put(
        out,
        k,
        (Array.isArray(v) ? v : [v]).map((x) =>
          typeof x === 'string' ? coerce(schemas, items, x) : x,
        ),
      );
    else put(out, k, typeof v === 'string' ? coerce(schemas, f.type, v) : v);
  }
  return out;
}
