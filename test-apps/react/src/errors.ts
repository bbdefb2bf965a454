/** Human-readable messages for the generated client's `ApiError` and the runtime's errors. */
import { ApiError } from './generated';

interface FieldProblem {
  field: string;
  message: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fieldProblems(body: unknown): FieldProblem[] {
  if (!isRecord(body) || !Array.isArray(body.fields)) return [];
  return body.fields.flatMap((f: unknown): FieldProblem[] =>
    isRecord(f) && typeof f.field === 'string' && typeof f.message === 'string'
      ? [{ field: f.field, message: f.message }]
      : [],
  );
}

/** `$.owner_email` → `owner email`. */
function fieldLabel(path: string): string {
  return path.replace(/^\$\.?/, '').replace(/_/g, ' ');
}

export function errorStatus(error: unknown): number | undefined {
  if (error instanceof ApiError) return error.status;
  if (isRecord(error) && typeof error.status === 'number') return error.status;
  return undefined;
}

/** The generated client's `ApiError` and the runtime's `SyncApiError` both carry status + body. */
function httpError(error: unknown): { status: number; body: unknown } | null {
  if (error instanceof ApiError) return error;
  if (isRecord(error) && typeof error.status === 'number' && 'body' in error)
    return { status: error.status, body: error.body };
  return null;
}

export function describeError(error: unknown): string {
  const http = httpError(error);
  if (http !== null) {
    const problems = fieldProblems(http.body);
    if (problems.length > 0)
      return problems.map((p) => `${fieldLabel(p.field)} ${p.message}`).join('; ');
    if (isRecord(http.body) && typeof http.body.message === 'string') return http.body.message;
    return `The server answered ${http.status}`;
  }
  if (error instanceof TypeError) return 'The server cannot be reached';
  if (error instanceof Error) return error.message;
  return String(error);
}
