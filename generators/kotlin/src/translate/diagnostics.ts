/**
 * Warnings for what the Kotlin target generates in a reduced form (docs/diagnostics codes of
 * core): a non-JSON request body becomes raw `ByteArray` + content type (SP0503).
 */
import type { Diagnostic, SyncIR } from '@sync/core';

export function kotlinDiagnostics(ir: SyncIR): Diagnostic[] {
  return ir.operations
    .filter((op) => op.requestBody !== null && !/json/i.test(op.requestBody.contentType))
    .map((op) => ({
      severity: 'warning' as const,
      code: 'SP0503',
      message: `${op.method.toUpperCase()} ${op.path}: the ${op.requestBody!.contentType} body is passed as raw bytes in Kotlin (body: ByteArray, contentType: String)`,
      hint: 'Encode the body yourself (e.g. OkHttp MultipartBody) and pass its bytes and content type, or offer a JSON variant of the operation.',
      file: op.source.file,
      pointer: `${op.source.pointer}/requestBody`,
    }));
}
