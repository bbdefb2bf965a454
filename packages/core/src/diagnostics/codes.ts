import type { Diagnostic, Severity } from '../ir/types.js';

/**
 * Every diagnostic code the core can emit, with its severity and a one-line title.
 * Each code is documented, with its fix, in packages/core/docs/diagnostics.md; a test fails when a
 * code is missing there.
 */
export const DIAGNOSTIC_CODES = {
  SP0101: { severity: 'error', title: 'spec file not found' },
  SP0102: { severity: 'error', title: 'referenced file not found' },
  SP0103: { severity: 'error', title: 'YAML or JSON syntax error' },
  SP0104: { severity: 'error', title: 'not an OpenAPI document' },
  SP0105: { severity: 'error', title: 'Swagger 2.0 is not supported' },
  SP0106: { severity: 'error', title: 'unsupported OpenAPI version' },
  SP0107: { severity: 'error', title: 'OpenAPI schema violation' },
  SP0108: { severity: 'error', title: 'OpenAPI rule violation' },
  SP0109: { severity: 'error', title: 'YAML aliases expand too much' },
  SP0110: { severity: 'error', title: 'broken $ref' },
  SP0111: { severity: 'error', title: 'unresolvable schema cycle' },
  SP0112: { severity: 'error', title: 'remote $ref not supported' },
  SP0113: { severity: 'error', title: '$ref leaves the spec folder' },
  SP0114: { severity: 'error', title: 'invalid schema keyword' },
  SP0115: { severity: 'error', title: 'empty property name' },
  SP0201: { severity: 'error', title: 'unknown sync mode' },
  SP0202: { severity: 'error', title: 'sync mode not supported yet' },
  SP0203: { severity: 'error', title: 'unknown key in x-sync' },
  SP0204: { severity: 'error', title: 'local_first must be a boolean' },
  SP0205: { severity: 'error', title: 'contradictory x-sync' },
  SP0206: { severity: 'error', title: 'ambiguous x-sync' },
  SP0207: { severity: 'error', title: 'x-sync and x-sync-mode disagree' },
  SP0208: { severity: 'error', title: 'entity operations declare different sync modes' },
  SP0209: { severity: 'error', title: 'sync flag must be a boolean' },
  SP0210: { severity: 'error', title: 'primary key cannot be excluded from sync' },
  SP0211: { severity: 'error', title: 'invalid x-rbac' },
  SP0212: { severity: 'error', title: 'invalid x-sync-table' },
  SP0213: { severity: 'warning', title: 'unknown sync extension' },
  SP0214: { severity: 'error', title: 'x-sync has the wrong type' },
  SP0215: { severity: 'error', title: 'live mode on an operation that is not part of an entity' },
  SP0220: { severity: 'error', title: 'table name reserved for the sync runtime' },
  SP0221: { severity: 'error', title: 'sync annotation where it has no effect' },
  SP0222: { severity: 'error', title: 'invalid x-sync-batch' },
  SP0301: { severity: 'error', title: 'live entity without a primary key' },
  SP0302: { severity: 'error', title: 'live entity without a list operation' },
  SP0303: { severity: 'error', title: 'live entity without a resolvable item schema' },
  SP0304: { severity: 'warning', title: 'operation of the resource outside the entity\'s paths' },
  SP0305: { severity: 'error', title: 'two entities share a table' },
  SP0306: { severity: 'error', title: 'required write parameter not bound to a column' },
  SP0307: { severity: 'error', title: 'invalid x-sync-bind' },
  SP0401: { severity: 'warning', title: 'schema keyword not supported' },
  SP0402: { severity: 'warning', title: 'unknown format' },
  SP0403: { severity: 'warning', title: 'discriminator mapping does not match a variant' },
  SP0404: { severity: 'warning', title: 'allOf parts are incompatible' },
  SP0501: { severity: 'error', title: 'duplicate operationId' },
  SP0502: { severity: 'error', title: 'path parameter not declared' },
  SP0503: { severity: 'warning', title: 'media type not supported' },
  // Emitted by the target generators (one registry for core and targets; catalogue section SP06xx).
  SP0601: { severity: 'warning', title: 'parameters share a wire name in a generated client' },
  SP0602: { severity: 'warning', title: 'additionalProperties not decoded by a generated client' },
  SP0603: { severity: 'warning', title: 'list parameter a live hook cannot apply locally' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Builds a diagnostic with the code's documented severity. Location is filled in by the loader. */
export function diag(
  code: DiagnosticCode,
  message: string,
  file: string,
  pointer: string,
  extra: { hint?: string; severity?: Severity } = {},
): Diagnostic {
  const d: Diagnostic = {
    severity: extra.severity ?? DIAGNOSTIC_CODES[code].severity,
    code,
    message,
    file,
    pointer,
  };
  if (extra.hint) d.hint = extra.hint;
  return d;
}
