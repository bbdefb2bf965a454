/**
 * Accounts: `x-sync: { mode: live, local_first: false }`: confirmed writes. The row shows a
 * spinner until the server answers; a refusal rolls it back and shows the server's message.
 */
import {
  useAccounts,
  useCreateAccount,
  useDeleteAccount,
  useUpdateAccount,
  type Account,
  type AccountUpdate,
} from '../generated';
import { useInflight } from './inflight';
import { byCreatedDesc, changed, orNull, text, type EntityModel, type EntityStore } from './model';

export type AccountDraft = {
  name: string;
  domain: string;
  owner_email: string;
  annual_revenue: string;
  is_customer: boolean;
};

const money = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});

/** Display only: the value stays an exact decimal string everywhere else. */
function formatRevenue(decimal: string): string {
  const n = Number(decimal);
  return Number.isFinite(n) ? money.format(n) : decimal;
}

function toBody(d: AccountDraft): Required<Omit<AccountUpdate, 'employee_count' | 'metadata'>> {
  return {
    name: text(d.name),
    domain: orNull(d.domain),
    owner_email: text(d.owner_email),
    // Sent as typed: the server is the judge of what a decimal is (422 → rollback).
    annual_revenue: text(d.annual_revenue) || '0.00',
    is_customer: d.is_customer,
  };
}

export const accountModel: EntityModel<Account, AccountDraft> = {
  id: 'accounts',
  title: 'Accounts',
  singular: 'account',
  summary: 'Live, confirmed: each write waits for the server and is rolled back if refused.',
  writes: 'confirmed',
  keyOf: (a) => a.id,
  labelOf: (a) => a.name,
  labelOfDraft: (d) => d.name,
  compare: byCreatedDesc((a: Account) => a.id),
  columns: [
    {
      header: 'Account',
      cell: (a) => (
        <>
          <span className="primary">{a.name}</span>
          <span className="secondary">{a.domain ?? 'no domain'}</span>
        </>
      ),
    },
    { header: 'Owner', cell: (a) => a.owner_email, className: 'muted' },
    { header: 'Revenue', cell: (a) => formatRevenue(a.annual_revenue), className: 'num' },
    {
      header: 'Stage',
      cell: (a) =>
        a.is_customer ? (
          <span className="pill pill-active">customer</span>
        ) : (
          <span className="pill pill-lead">prospect</span>
        ),
    },
  ],
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, autoComplete: 'organization' },
    { name: 'domain', label: 'Domain', type: 'text', placeholder: 'example.com' },
    {
      // Plain text on purpose: the address is checked by the server (a typo → refused, rolled back).
      name: 'owner_email',
      label: 'Owner email',
      type: 'text',
      inputMode: 'email',
      required: true,
      autoComplete: 'off',
      hint: 'The server checks the address.',
    },
    {
      name: 'annual_revenue',
      label: 'Annual revenue',
      type: 'decimal',
      placeholder: '250000.00',
      hint: 'A decimal number, e.g. 250000.00.',
    },
    { name: 'is_customer', label: 'Customer', type: 'checkbox' },
  ],
  emptyDraft: () => ({
    name: '',
    domain: '',
    owner_email: '',
    annual_revenue: '',
    is_customer: false,
  }),
  toDraft: (a) => ({
    name: a.name,
    domain: a.domain ?? '',
    owner_email: a.owner_email,
    annual_revenue: a.annual_revenue,
    is_customer: a.is_customer,
  }),
};

export function useAccountStore(): EntityStore<Account, AccountDraft> {
  const list = useAccounts();
  const create = useCreateAccount();
  const update = useUpdateAccount();
  const remove = useDeleteAccount();
  const { ops, track } = useInflight<AccountDraft>();
  return {
    rows: list.data,
    loading: list.isLoading,
    loadError: list.error,
    inflight: ops,
    create: (draft) => track({ kind: 'create', draft }, () => create.mutateAsync(toBody(draft))),
    update: async (row, draft) => {
      const body = changed(toBody(accountModel.toDraft(row)), toBody(draft));
      if (Object.keys(body).length === 0) return;
      await track({ kind: 'update', key: row.id, draft }, () =>
        update.mutateAsync({ id: row.id, body }),
      );
    },
    remove: (row) => track({ kind: 'delete', key: row.id }, () => remove.mutateAsync(row.id)),
  };
}
