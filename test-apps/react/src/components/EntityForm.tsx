import { useId, useState, type FormEvent } from 'react';
import type { Draft, DraftValue, Field } from '../entities/model';
import { Spinner } from './Spinner';

interface Props<D extends Draft> {
  title: string;
  fields: readonly Field<D>[];
  initial: D;
  submitLabel: string;
  busy: boolean;
  onSubmit: (draft: D) => void;
  onCancel?: () => void;
}

/** A labelled form for one entity; remounted (by key) to start over from `initial`. */
export function EntityForm<D extends Draft>(props: Props<D>) {
  const { title, fields, initial, submitLabel, busy, onSubmit, onCancel } = props;
  const [draft, setDraft] = useState<D>(initial);
  const headingId = useId();
  const set = (name: keyof D & string, value: DraftValue) =>
    setDraft((d) => ({ ...d, [name]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onSubmit(draft);
  };
  return (
    <form className="card form" aria-labelledby={headingId} onSubmit={submit}>
      <h2 id={headingId}>{title}</h2>
      <div className="fields">
        {fields.map((f) => (
          <FieldInput key={f.name} field={f} value={draft[f.name]} onChange={set} />
        ))}
      </div>
      <div className="actions">
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {busy && <Spinner label="Saving" />}
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

function FieldInput<D extends Draft>({
  field,
  value,
  onChange,
}: {
  field: Field<D>;
  value: DraftValue | undefined;
  onChange: (name: keyof D & string, value: DraftValue) => void;
}) {
  const id = useId();
  const hintId = field.hint === undefined ? undefined : `${id}-hint`;
  if (field.type === 'checkbox')
    return (
      <label className="field field-check" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(field.name, e.target.checked)}
        />
        <span>{field.label}</span>
      </label>
    );
  const common = {
    id,
    name: field.name,
    required: field.required,
    'aria-describedby': hintId,
    value: typeof value === 'string' ? value : '',
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}
        {field.required && (
          <span className="req" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {field.type === 'select' ? (
        <select {...common} onChange={(e) => onChange(field.name, e.target.value)}>
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={field.type === 'decimal' ? 'text' : field.type}
          inputMode={field.inputMode ?? (field.type === 'decimal' ? 'decimal' : undefined)}
          placeholder={field.placeholder}
          autoComplete={field.autoComplete}
          onChange={(e) => onChange(field.name, e.target.value)}
        />
      )}
      {hintId && (
        <small id={hintId} className="hint">
          {field.hint}
        </small>
      )}
    </div>
  );
}
