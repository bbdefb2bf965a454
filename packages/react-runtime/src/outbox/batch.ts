/**
 * What the outbox worker does with each row of a batch request, given the classified answer
 * (contract §2 "Batch drain", backend contract §7): a pure model of `OutboxWorker.apply` for a
 * batch, checked by vector batch.json; the worker applies the same decisions as SQL.
 */
import type { BatchAnswer } from './send.js';
import type { OutboxRecord } from './store.js';

export type BatchDecision =
  | { writeId: string; decision: 'ack'; txid: string | null }
  | { writeId: string; decision: 'refuse' | 'update-gone' | 'retry'; status: number | null }
  | { writeId: string; decision: 'delete-gone' | 'skip' | 'untouched' };

type Row = Pick<OutboxRecord, 'write_id' | 'table_name' | 'pk' | 'op'>;

export function batchDecisions(rows: readonly Row[], answer: BatchAnswer): BatchDecision[] {
  const untouched = (r: Row): BatchDecision => ({ writeId: r.write_id, decision: 'untouched' });
  if (answer.kind === 'too-large' || answer.kind === 'refused') return rows.map(untouched);
  if (answer.kind === 'retry')
    return rows.map((r, i) =>
      i === 0
        ? { writeId: r.write_id, decision: 'retry', status: answer.result.status ?? null }
        : untouched(r),
    );
  const refusedKeys = new Set<string>();
  let stopped = false;
  return rows.map((row, i): BatchDecision => {
    const result = answer.results[i];
    if (stopped || result === undefined) return untouched(row);
    const key = `${row.table_name}\u0000${row.pk}`;
    if (refusedKeys.has(key)) return { writeId: row.write_id, decision: 'skip' };
    if (result.kind === 'ok') return { writeId: row.write_id, decision: 'ack', txid: result.txid };
    if (result.kind === 'retry') {
      stopped = true;
      return { writeId: row.write_id, decision: 'retry', status: result.status ?? null };
    }
    const status = result.error.status;
    if (status === 404 && row.op === 'delete')
      return { writeId: row.write_id, decision: 'delete-gone' };
    refusedKeys.add(key);
    return {
      writeId: row.write_id,
      decision: status === 404 && row.op === 'update' ? 'update-gone' : 'refuse',
      status,
    };
  });
}
