/**
 * Runs the shared runtime vectors (fixtures/runtime-vectors/) against the TypeScript runtime's
 * pure modules. Kotlin and Swift run the same files.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backoffMs, type BackoffPolicy } from './backoff.js';
import { batchDecisions } from './outbox/batch.js';
import * as outbox from './outbox/machine.js';
import { batchAnswer } from './outbox/send.js';
import { applyResponse, initialShapeState, type ShapeResponse } from './shape/log.js';
import { parseValue, type ColumnSchema } from './shape/values.js';

const vectors = (file: string): unknown =>
  JSON.parse(
    readFileSync(new URL(`../../../fixtures/runtime-vectors/${file}`, import.meta.url), 'utf8'),
  );

/** bigint → string so that int8 values compare with the vectors' string form. */
const normalise = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v, (_, x: unknown) =>
      typeof x === 'bigint' ? (Number.isSafeInteger(Number(x)) ? Number(x) : String(x)) : x,
    ),
  );

describe('backoff.json', () => {
  const v = vectors('backoff.json') as {
    policy: BackoffPolicy;
    cases: { attempt: number; random: number; expectedMs: number }[];
  };
  it.each(v.cases)(
    'attempt $attempt, random $random → $expectedMs ms',
    ({ attempt, random, expectedMs }) => {
      expect(backoffMs(attempt, random, v.policy)).toBe(expectedMs);
    },
  );
});

describe('shape-values.json', () => {
  const v = vectors('shape-values.json') as {
    cases: { schema: ColumnSchema; text: string | null; expected: unknown }[];
  };
  it.each(v.cases)('$schema.type $schema.dims: $text', ({ schema, text, expected }) => {
    const parsed = parseValue(schema, text);
    if (schema.type === 'int8' && text !== null) expect(parsed).toBe(BigInt(String(expected)));
    expect(normalise(parsed)).toEqual(expected);
  });
});

interface LogCase {
  name: string;
  steps: {
    response: ShapeResponse;
    expect: {
      handle: string | null;
      offset: string;
      upToDate: boolean;
      action: string;
      rows: unknown[];
    };
  }[];
}

describe('shape-log.json', () => {
  const v = vectors('shape-log.json') as { cases: LogCase[] };
  it.each(v.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const state = initialShapeState();
    c.steps.forEach((step, i) => {
      const action = applyResponse(state, step.response);
      const rows = [...state.rows.values()].map(normalise);
      const byId = (a: unknown) => JSON.stringify((a as { id: unknown }).id);
      const got = {
        handle: state.handle,
        offset: state.offset,
        upToDate: state.upToDate,
        action,
        rows: rows.sort((a, b) => byId(a).localeCompare(byId(b))),
      };
      const want = {
        ...step.expect,
        rows: [...step.expect.rows].sort((a, b) => byId(a).localeCompare(byId(b))),
      };
      expect(got, `step ${i + 1}`).toEqual(want);
    });
  });
});

type OutboxEvent = Record<string, unknown> & { type: string };
interface OutboxCase {
  name: string;
  events: OutboxEvent[];
  expect: Record<string, unknown>;
}

function runEvent(m: outbox.OutboxModel, e: OutboxEvent): void {
  const now = e.now as number;
  const writeId = e.writeId as string;
  switch (e.type) {
    case 'enqueue':
      return outbox.enqueue(
        m,
        {
          writeId,
          table: e.table as string,
          pk: e.pk as string,
          op: e.op as 'insert',
          confirmed: e.confirmed as boolean,
        },
        now,
      );
    case 'dispatch':
      return void outbox.dispatch(m, now);
    case 'response': {
      const status = e.status as number;
      if (status >= 200 && status < 300)
        return outbox.acknowledge(
          m,
          writeId,
          outbox.txidOf(e.headers as Record<string, string>, e.body),
        );
      if (status === 429 || status >= 500)
        return outbox.retryLater(
          m,
          writeId,
          now,
          e.random as number,
          (e.retryAfterMs as number | undefined) ?? null,
        );
      return outbox.refuse(m, writeId, status);
    }
    case 'network-error':
    case 'timeout':
      return outbox.retryLater(m, writeId, now, e.random as number, null, true);
    case 'shape-batch':
      return outbox.channelSucceeded(m, now);
    case 'shape-error':
      return outbox.channelFailed(m);
    case 'shape-delete':
      return outbox.shapeDeleted(m, e.table as string, e.pk as string);
    case 'discard':
      return outbox.discard(m, writeId);
    case 'seen':
      return outbox.markSeen(m, e.txids as string[]);
    case 'reconnect':
      return outbox.reconnect(m, now);
    case 'cancel':
      return outbox.cancel(m, writeId);
    default:
      throw new Error(`unknown event ${e.type}`);
  }
}

describe('outbox.json', () => {
  const v = vectors('outbox.json') as { policy: BackoffPolicy; cases: OutboxCase[] };
  it.each(v.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const m = outbox.createOutboxModel(v.policy);
    c.events.forEach((e) => runEvent(m, e));
    expect({
      outbox: m.rows.map((r) => ({
        writeId: r.writeId,
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.nextAttemptAt,
        txid: r.txid,
      })),
      local: Object.fromEntries(m.local),
      sent: m.sent,
      resolved: m.resolved,
      rejected: m.rejected,
      rolledBack: m.rolledBack,
      lastError: m.lastError,
      hidden: [...m.hidden].sort(),
    }).toEqual(c.expect);
  });
});

describe('batch.json', () => {
  const v = vectors('batch.json') as {
    cases: {
      name: string;
      rows: { writeId: string; table: string; pk: string; op: 'insert' | 'update' | 'delete' }[];
      answer: { status: number; body: unknown; retryAfter?: string };
      expect: { kind: string; retryAfterMs?: number; decisions: unknown[] };
    }[];
  };
  it.each(v.cases)('$name', ({ rows, answer, expect: want }) => {
    const records = rows.map((r) => ({
      write_id: r.writeId,
      table_name: r.table,
      pk: r.pk,
      op: r.op,
    }));
    const got = batchAnswer(records, answer.status, answer.body, answer.retryAfter ?? null, {
      now: 0,
      what: 'POST /sync/batch',
      describe: () => 'POST /todos',
    });
    expect(got.kind).toBe(want.kind);
    if (want.retryAfterMs !== undefined && got.kind === 'retry')
      expect(got.result.retryAfterMs).toBe(want.retryAfterMs);
    expect(batchDecisions(records, got)).toEqual(want.decisions);
  });
});
