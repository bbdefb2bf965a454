/** People: `x-sync: push`: plain request/response calls, through the same components. */
import {
  useCreatePerson,
  useDeletePerson,
  usePeople,
  useReplacePerson,
  type Person,
  type PersonInput,
} from '../generated';
import { useInflight } from './inflight';
import { orNull, text, type EntityModel, type EntityStore } from './model';

export type PersonDraft = { full_name: string; title: string };

function toBody(d: PersonDraft): PersonInput {
  return { full_name: text(d.full_name), title: orNull(d.title) };
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}

export const personModel: EntityModel<Person, PersonDraft> = {
  id: 'people',
  title: 'People',
  singular: 'person',
  summary: 'Push: plain API calls, no local database. Same screens, same components.',
  writes: 'push',
  keyOf: (p) => p.id,
  labelOf: (p) => p.full_name,
  labelOfDraft: (d) => d.full_name,
  compare: (a, b) => b.id - a.id,
  columns: [
    {
      header: 'Name',
      cell: (p) => (
        <span className="with-avatar">
          <span className="avatar" aria-hidden="true">
            {initials(p.full_name)}
          </span>
          <span className="primary">{p.full_name}</span>
        </span>
      ),
    },
    { header: 'Title', cell: (p) => p.title ?? '—', className: 'muted' },
  ],
  fields: [
    { name: 'full_name', label: 'Full name', type: 'text', required: true, autoComplete: 'off' },
    { name: 'title', label: 'Title', type: 'text', autoComplete: 'off' },
  ],
  emptyDraft: () => ({ full_name: '', title: '' }),
  toDraft: (p) => ({ full_name: p.full_name, title: p.title ?? '' }),
};

export function usePersonStore(): EntityStore<Person, PersonDraft> {
  const list = usePeople();
  const create = useCreatePerson();
  const replace = useReplacePerson();
  const remove = useDeletePerson();
  const { ops, track } = useInflight<PersonDraft>();
  return {
    rows: list.data,
    loading: list.isLoading,
    loadError: list.error,
    inflight: ops,
    create: (draft) => track({ kind: 'create', draft }, () => create.mutateAsync(toBody(draft))),
    update: (row, draft) =>
      track({ kind: 'update', key: row.id, draft }, () =>
        replace.mutateAsync({ id: row.id, body: { ...toBody(draft), ...keep(row) } }),
      ),
    remove: (row) => track({ kind: 'delete', key: row.id }, () => remove.mutateAsync(row.id)),
  };
}

/**
 * PUT replaces everything: keep the fields this form does not edit. (The dev server answers
 * absent optional fields as `null`, which the spec's types do not allow: only strings are kept.)
 */
function keep(p: Person): Pick<PersonInput, 'avatar_url' | 'birthday'> {
  const avatar: unknown = p.avatar_url;
  const birthday: unknown = p.birthday;
  return {
    ...(typeof avatar === 'string' ? { avatar_url: avatar } : {}),
    ...(typeof birthday === 'string' ? { birthday } : {}),
  };
}
