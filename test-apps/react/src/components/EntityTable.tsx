import type { Draft, EntityModel, InFlight, Key, WriteMode } from '../entities/model';
import { isPendingRow } from '../entities/model';
import { Spinner } from './Spinner';

interface Props<R, D extends Draft> {
  model: EntityModel<R, D>;
  rows: readonly R[];
  /** Creates the server has not answered yet, shown as placeholder rows (push mode only). */
  creating: readonly InFlight<D>[];
  inflight: readonly InFlight<D>[];
  editingKey: Key | null;
  onEdit: (row: R) => void;
  onDelete: (row: R) => void;
}

const pendingText: Record<WriteMode, string> = {
  optimistic: 'Not yet synced',
  confirmed: 'Waiting for the server',
  push: 'Saving',
};

export function EntityTable<R, D extends Draft>(props: Props<R, D>) {
  const { model, rows, creating, inflight, editingKey, onEdit, onDelete } = props;
  const span = model.columns.length + 1;
  return (
    <div className="card table-card">
      <table data-testid={`${model.id}-table`}>
        <caption className="visually-hidden">{model.title}</caption>
        <thead>
          <tr>
            {model.columns.map((c) => (
              <th key={c.header} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
            <th scope="col" className="actions-col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {creating.map((op) => (
            <tr key={`new-${op.id}`} className="row-pending" data-testid="placeholder" aria-busy>
              <td colSpan={span}>
                <span className="pending-cell">
                  <Spinner label={pendingText[model.writes]} />
                  <span className="primary">{op.draft ? model.labelOfDraft(op.draft) : ''}</span>
                  <span className="secondary">{pendingText[model.writes]}…</span>
                </span>
              </td>
            </tr>
          ))}
          {rows.map((row) => {
            const key = model.keyOf(row);
            const ops = inflight.filter((o) => o.key === key);
            const deleting = ops.some((o) => o.kind === 'delete');
            const pending = isPendingRow(row) || ops.length > 0;
            const label = model.labelOf(row);
            return (
              <tr
                key={key}
                data-testid="row"
                data-key={key}
                data-pending={pending}
                aria-busy={pending}
                className={[
                  pending ? 'row-pending' : '',
                  deleting ? 'row-deleting' : '',
                  editingKey === key ? 'row-editing' : '',
                ].join(' ')}
              >
                {model.columns.map((c, i) => (
                  <td key={c.header} className={c.className}>
                    {i === 0 ? (
                      <span className="first-cell">
                        {pending && <PendingMark mode={model.writes} />}
                        <span className="stack">{c.cell(row)}</span>
                      </span>
                    ) : (
                      c.cell(row)
                    )}
                  </td>
                ))}
                <td className="actions-col">
                  <button
                    type="button"
                    className="ghost"
                    onClick={() => onEdit(row)}
                    aria-label={`Edit ${label}`}
                    disabled={deleting}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="ghost danger"
                    onClick={() => onDelete(row)}
                    aria-label={`Delete ${label}`}
                    disabled={deleting}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
          {rows.length === 0 && creating.length === 0 && (
            <tr>
              <td colSpan={span} className="empty">
                No {model.title.toLowerCase()} yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Optimistic rows get a quiet dot (they are already saved locally); others a spinner. */
function PendingMark({ mode }: { mode: WriteMode }) {
  return mode === 'optimistic' ? (
    <span
      className="sync-dot"
      role="img"
      aria-label={pendingText[mode]}
      title={pendingText[mode]}
    />
  ) : (
    <Spinner label={pendingText[mode]} />
  );
}
