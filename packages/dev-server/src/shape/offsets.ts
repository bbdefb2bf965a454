/**
 * Shape log offsets, `<a>_<b>` like Electric's, ordered by (a, b) numerically:
 *
 * - `n_0` (tail): the client has every change with `seq <= n`. The next request reads `seq > n`.
 * - `(S-1)_k`, k ≥ 1 (snapshot continuation): chunk k of the snapshot taken at change-log
 *   position S. It sorts after everything before S and before `S_0`, where the tail resumes.
 *   The change log holds a sentinel row (seq 1), so S ≥ 1 and S-1 is never negative.
 */

/** The largest int8: change-log positions (and snapshot positions + 1) stay below it. */
const MAX_SEQ = 9_223_372_036_854_775_807n;

export type ParsedOffset =
  | { kind: 'initial' }
  | { kind: 'now' }
  | { kind: 'tail'; seq: bigint }
  | { kind: 'snapshot'; snapshotSeq: bigint; chunk: number };

export function parseOffset(
  raw: string | null,
): ParsedOffset | { kind: 'invalid'; message: string } {
  if (raw === null) return { kind: 'invalid', message: 'offset is required' };
  if (raw === '-1') return { kind: 'initial' };
  if (raw === 'now') return { kind: 'now' };
  const m = /^(\d{1,19})_(\d{1,9})$/.exec(raw);
  if (m === null) return { kind: 'invalid', message: `offset "${raw}" is not -1, now or <n>_<m>` };
  const a = BigInt(m[1] ?? '0');
  const b = Number(m[2] ?? '0');
  // Positions are int8 in the change log; a larger one can never have been issued.
  if (a >= MAX_SEQ)
    return { kind: 'invalid', message: `offset "${raw}" is beyond any position of this server` };
  if (b === 0) return { kind: 'tail', seq: a };
  return { kind: 'snapshot', snapshotSeq: a + 1n, chunk: b };
}

export function tailOffset(seq: bigint): string {
  return `${seq}_0`;
}

export function snapshotOffset(snapshotSeq: bigint, chunk: number): string {
  return `${snapshotSeq - 1n}_${chunk}`;
}
