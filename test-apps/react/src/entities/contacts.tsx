/** Contacts: `x-sync: live` with optimistic writes (local at once, synced in the background). */
import {
  contactStatusValues,
  useContacts,
  useCreateContact,
  useDeleteContact,
  useUpdateContact,
  type Contact,
  type ContactCreate,
  type ContactStatus,
} from '../generated';
import { useInflight } from './inflight';
import { byCreatedDesc, changed, orNull, text, type EntityModel, type EntityStore } from './model';

export type ContactDraft = {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  status: ContactStatus;
};

function fullName(c: { first_name: string; last_name: string | null }): string {
  return [c.first_name, c.last_name].filter(Boolean).join(' ');
}

function isStatus(value: string): value is ContactStatus {
  return (contactStatusValues as readonly string[]).includes(value);
}

function toBody(d: ContactDraft): Required<Omit<ContactCreate, 'account_id' | 'tags'>> {
  return {
    first_name: text(d.first_name),
    last_name: orNull(d.last_name),
    email: text(d.email),
    phone: orNull(d.phone),
    status: isStatus(d.status) ? d.status : 'lead',
  };
}

export const contactModel: EntityModel<Contact, ContactDraft> = {
  id: 'contacts',
  title: 'Contacts',
  singular: 'contact',
  summary: 'Live, optimistic: changes show up at once and sync in the background.',
  writes: 'optimistic',
  keyOf: (c) => c.id,
  labelOf: fullName,
  labelOfDraft: (d) => fullName({ first_name: d.first_name, last_name: d.last_name }),
  compare: byCreatedDesc((c: Contact) => c.id),
  columns: [
    {
      header: 'Name',
      cell: (c) => (
        <>
          <span className="primary">{fullName(c)}</span>
          <span className="secondary">{c.email}</span>
        </>
      ),
    },
    {
      header: 'Status',
      cell: (c) => <span className={`pill pill-${c.status}`}>{c.status}</span>,
    },
    { header: 'Phone', cell: (c) => c.phone ?? '—', className: 'muted nowrap' },
  ],
  fields: [
    { name: 'first_name', label: 'First name', type: 'text', required: true, autoComplete: 'off' },
    { name: 'last_name', label: 'Last name', type: 'text', autoComplete: 'off' },
    { name: 'email', label: 'Email', type: 'email', required: true, autoComplete: 'off' },
    { name: 'phone', label: 'Phone', type: 'tel', autoComplete: 'off' },
    { name: 'status', label: 'Status', type: 'select', options: contactStatusValues },
  ],
  emptyDraft: () => ({ first_name: '', last_name: '', email: '', phone: '', status: 'lead' }),
  toDraft: (c) => ({
    first_name: c.first_name,
    last_name: c.last_name ?? '',
    email: c.email,
    phone: c.phone ?? '',
    status: c.status,
  }),
};

export function useContactStore(): EntityStore<Contact, ContactDraft> {
  const list = useContacts();
  const create = useCreateContact();
  const update = useUpdateContact();
  const remove = useDeleteContact();
  const { ops, track } = useInflight<ContactDraft>();
  return {
    rows: list.data,
    loading: list.isLoading,
    loadError: list.error,
    inflight: ops,
    create: (draft) =>
      track({ kind: 'create', draft }, () => create.mutateAsync({ ...toBody(draft), tags: [] })),
    update: async (row, draft) => {
      const body = changed(toBody(contactModel.toDraft(row)), toBody(draft));
      if (Object.keys(body).length === 0) return;
      await track({ kind: 'update', key: row.id, draft }, () =>
        update.mutateAsync({ id: row.id, body }),
      );
    },
    remove: (row) => track({ kind: 'delete', key: row.id }, () => remove.mutateAsync(row.id)),
  };
}
