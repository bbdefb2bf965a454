/**
 * The writes the server refused (live mode: `useFailedWrites()` of the runtime). Each shows what
 * was refused and why — entity, operation, status, the server's field errors, the values sent —
 * with Retry (the same values again, as a new write) and Discard. Hidden when there are none.
 */
import { useState } from 'react';
import type { FailedWrite } from '@sync/react-runtime';
import { useSync } from '../sync/status';

const OP_LABEL = { insert: 'Create', update: 'Edit', delete: 'Delete' } as const;

/** `tags.1` → `tags 1`, `owner_email` → `owner email`. */
const label = (field: string) => field.replace(/[._]/g, ' ');

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function Item({ write }: { write: FailedWrite }) {
  const { failed } = useSync();
  const [busy, setBusy] = useState(false);
  const act = (what: 'retry' | 'discard') => async () => {
    if (!failed) return;
    setBusy(true);
    try {
      await failed[what](write.writeId);
    } catch {
      // a retry refused again comes back in the list with its new error
    } finally {
      setBusy(false);
    }
  };
  const values = Object.entries(write.values);
  return (
    <li className="failed-write" data-testid="failed-write" data-write-id={write.writeId}>
      <div className="failed-write-head">
        <strong>
          {OP_LABEL[write.op]} {write.entity}
        </strong>{' '}
        <code>{write.key.slice(0, 8)}</code> refused{' '}
        <span className="failed-status" data-testid="failed-status">
          {write.status || 'unsupported'}
        </span>
      </div>
      {write.fieldErrors.length > 0 ? (
        <ul className="failed-fields" data-testid="failed-fields">
          {write.fieldErrors.map((f, i) => (
            <li key={i}>
              <span className="failed-field">{label(f.field) || 'request'}</span> {f.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="failed-message">{write.message}</p>
      )}
      {values.length > 0 && (
        <dl className="failed-values">
          {values.map(([k, v]) => (
            <div key={k}>
              <dt>{label(k)}</dt>
              <dd>{show(v)}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="failed-actions">
        <button type="button" onClick={act('retry')} disabled={busy}>
          Retry
        </button>
        <button type="button" className="ghost" onClick={act('discard')} disabled={busy}>
          Discard
        </button>
      </div>
    </li>
  );
}

export function FailedWrites() {
  const { status } = useSync();
  if (status.failedWrites.length === 0) return null;
  return (
    <section className="failed-writes" data-testid="failed-writes" aria-label="Refused writes">
      <h2>
        {status.failedWrites.length} change{status.failedWrites.length === 1 ? '' : 's'} refused by
        the server
      </h2>
      <ul>
        {status.failedWrites.map((w) => (
          <Item key={w.writeId} write={w} />
        ))}
      </ul>
    </section>
  );
}
