/**
 * Warnings for what the Kotlin target generates in a reduced form (codes from core's one registry,
 * packages/core/src/diagnostics/codes.ts, documented in packages/core/docs/diagnostics.md):
 * - SP0503: a non-JSON request body becomes raw `ByteArray` + content type;
 * - SP0602: an object schema's `additionalProperties` (besides its declared properties) are not
 *   decoded: the data class has the declared fields only and `SyncJson` ignores unknown keys (the
 *   same code and wording as the Swift target's).
 */
import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode, type SyncIR } from '@sync/core';

/** A diagnostic with its code's registered severity. */
function diag(code: DiagnosticCode, message: string, file: string, pointer: string, hint: string): Diagnostic {
  return { severity: DIAGNOSTIC_CODES[code].severity, code, message, hint, file, pointer };
}

export function kotlinDiagnostics(ir: SyncIR): Diagnostic[] {
  const bodies = ir.operations
    .filter((op) => op.requestBody !== null && !/json/i.test(op.requestBody.contentType))
    .map((op) =>
      diag(
        'SP0503',
        `${op.method.toUpperCase()} ${op.path}: the ${op.requestBody!.contentType} body is passed as raw bytes in Kotlin (body: ByteArray, contentType: String)`,
        op.source.file,
        `${op.source.pointer}/requestBody`,
        'Encode the body yourself (e.g. OkHttp MultipartBody) and pass its bytes and content type, or offer a JSON variant of the operation.',
      ),
    );
  const extras = ir.schemas.flatMap((decl) =>
    decl.kind === 'object' && decl.additionalProperties
      ? [
          diag(
            'SP0602',
            `additional properties of ${decl.name} are not decoded by the Kotlin client (only its declared fields are; unknown keys are ignored)`,
            decl.source.file,
            decl.source.pointer,
            'Declare the extra fields, or use a map-typed property.',
          ),
        ]
      : [],
  );
  return [...bodies, ...extras];
}
