import { useEffect, useState } from 'react';
import type { Draft, EntityModel, EntityStore, Key } from '../entities/model';
import { describeError } from '../errors';
import { useSync } from '../sync/status';
import { Alert } from './Alert';
import { EntityForm } from './EntityForm';
import { EntityTable } from './EntityTable';
import { Spinner } from './Spinner';

const modeLabel = { optimistic: 'live · instant', confirmed: 'live · confirmed', push: 'push' };

/**
 * One entity: a form (create, or edit the selected row) and the list. Optimistic entities
 * submit and move on; confirmed and push entities keep the form busy until the server answers.
 */
export function EntityScreen<R, D extends Draft>({
  model,
  store,
}: {
  model: EntityModel<R, D>;
  store: EntityStore<R, D>;
}) {
  const { mode } = useSync();
  const [editing, setEditing] = useState<R | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const waits = model.writes !== 'optimistic';
  const editingKey: Key | null = editing === null ? null : model.keyOf(editing);

  const reset = () => {
    setEditing(null);
    setFormKey((k) => k + 1);
  };
  const run = async (write: Promise<void>, after: () => void): Promise<void> => {
    setError(null);
    if (!waits) {
      after();
      write.catch((e: unknown) => setError(describeError(e)));
      return;
    }
    setBusy(true);
    try {
      await write;
      after();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const submit = (draft: D) =>
    void run(editing === null ? store.create(draft) : store.update(editing, draft), reset);
  const remove = (row: R) => {
    if (editingKey === model.keyOf(row)) reset();
    setError(null);
    store.remove(row).catch((e: unknown) => setError(describeError(e)));
  };

  const background = useBackgroundRefusal(model.writes === 'optimistic' && mode === 'live');
  const rows = store.rows === undefined ? [] : [...store.rows].sort(model.compare);
  const creating = mode === 'push' ? store.inflight.filter((o) => o.kind === 'create') : [];
  return (
    <section className="screen" aria-labelledby={`${model.id}-title`} data-testid={model.id}>
      <header className="screen-header">
        <div>
          <h1 id={`${model.id}-title`}>
            {model.title} <span className="count">{store.rows?.length ?? ''}</span>
          </h1>
          <p className="summary">{model.summary}</p>
        </div>
        <span className={`mode mode-${model.writes}`}>{modeLabel[model.writes]}</span>
      </header>
      {error !== null && <Alert message={error} onDismiss={() => setError(null)} />}
      {error === null && background.message !== null && (
        <Alert message={background.message} onDismiss={background.dismiss} />
      )}
      <div className="layout">
        <EntityForm
          key={`${String(editingKey)}-${formKey}`}
          title={editing === null ? `New ${model.singular}` : `Edit ${model.labelOf(editing)}`}
          fields={model.fields}
          initial={editing === null ? model.emptyDraft() : model.toDraft(editing)}
          submitLabel={editing === null ? `Add ${model.singular}` : 'Save changes'}
          busy={busy}
          onSubmit={submit}
          {...(editing === null ? {} : { onCancel: reset })}
        />
        {store.loading ? (
          <div className="card loading" aria-live="polite">
            <Spinner label="Loading" /> Loading {model.title.toLowerCase()}…
          </div>
        ) : store.loadError !== null && store.rows === undefined ? (
          <div className="card" role="alert">
            Could not load {model.title.toLowerCase()}: {describeError(store.loadError)}
          </div>
        ) : (
          <EntityTable
            model={model}
            rows={rows}
            creating={creating}
            inflight={store.inflight}
            editingKey={editingKey}
            onEdit={setEditing}
            onDelete={remove}
          />
        )}
      </div>
    </section>
  );
}

/**
 * Optimistic writes settle in the background: a refusal reaches the UI through the sync status
 * (the row is already rolled back). Only refusals (4xx) are shown: retries are the badge's job.
 */
function useBackgroundRefusal(enabled: boolean): { message: string | null; dismiss: () => void } {
  const { status } = useSync();
  const last = status.lastError;
  const refused =
    last !== null && last.status !== undefined && last.status >= 400 && last.status < 500;
  const [dismissed, setDismissed] = useState<typeof last>(null);
  useEffect(() => setDismissed(null), [last]);
  return {
    message: enabled && refused && dismissed !== last ? `Not saved: ${last.message}` : null,
    dismiss: () => setDismissed(last),
  };
}
