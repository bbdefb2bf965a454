/**
 * One small interface over the two databases the dev server runs on: embedded PGlite (default)
 * and a real Postgres (`--database-url`). Everything above this layer writes plain SQL with
 * positional parameters and reads rows as plain objects, so the REST handlers and the shape feed
 * never know which one they talk to.
 *
 * Values cross the boundary as text: parameters are strings (or null) cast in SQL (`$1::uuid`),
 * and queries select `::text` / `jsonb` columns. The two drivers parse types differently
 * (int8 → bigint in PGlite, string in pg), so agreeing on text keeps them interchangeable.
 */

export type SqlParam = string | null;

export interface Queryable {
  query<R extends object>(sql: string, params?: readonly SqlParam[]): Promise<R[]>;
}

export type Isolation = 'read committed' | 'repeatable read';

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, isolation?: Isolation): Promise<T>;
  /** A multi-statement script without parameters (DDL). */
  exec(script: string): Promise<void>;
  /** LISTEN on a channel; notifications arrive after the notifying transaction commits. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** The SQLSTATE of a driver error (both drivers set `code`), or undefined. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Session settings both drivers apply so that text output (timestamps, floats) is deterministic. */
export const SESSION_SETTINGS = { TimeZone: 'UTC', DateStyle: 'ISO, MDY' } as const;
