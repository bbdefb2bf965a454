/**
 * Retry delay of the outbox worker (sync-runtime-contract.md section 2): full jitter,
 * `floor(random() * min(maxMs, baseMs * factor^(attempt-1)))`. `random` is injectable so the
 * shared vectors (fixtures/runtime-vectors/backoff.json) can pin it.
 */

export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, factor: 2, maxMs: 30_000 };

/** Delay before retry number `attempt` (1-based). A huge attempt count still caps at `maxMs`. */
export function backoffMs(
  attempt: number,
  random: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * policy.factor ** (attempt - 1));
  return Math.floor(random * cap);
}

/** The delay after a 429: the backoff, or `Retry-After` when that is longer. */
export function retryDelayMs(
  attempt: number,
  random: number,
  retryAfterMs: number | null,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const delay = backoffMs(attempt, random, policy);
  return retryAfterMs !== null && retryAfterMs > delay ? retryAfterMs : delay;
}

/** `Retry-After` (seconds or an HTTP date) in ms from `now`, or null when absent/invalid. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
