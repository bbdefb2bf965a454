/**
 * One interface (issue #11): the same component compiles against the crm client generated with
 * contacts in live mode and in push mode — the list and item hooks have exactly the push hooks'
 * types (`UseQueryResult<Contact[], Error>`, `UseQueryResult<Contact, Error>`), mutations are
 * typed (a wrong variable shape is a compile error in both modes), and a list parameter the local
 * database cannot honour (`q`, a search) is refused by the live hook's type with a warning.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateResult } from '@sync/core';
import { typeCheckMany } from './testing/compile.js';
import { fixtureIr, pushOnly } from './testing/fixtures.js';
import { generateReact } from './index.js';

/** A component written once, used against both modes. */
const component = `
import type { UseQueryResult } from '@tanstack/react-query';
import {
  useContact, useContacts, useCreateContact, useDeleteContact, useUpdateContact, type Contact,
} from './index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

function summary(result: UseQueryResult<Contact[], Error>): string {
  return [result.status, result.fetchStatus, result.isFetching, result.isSuccess, result.dataUpdatedAt].join(' ');
}

export function ContactsView(): string {
  const list = useContacts({ status: 'lead' });
  const one = useContact('c1');
  const sameList: Equal<typeof list, UseQueryResult<Contact[], Error>> = true;
  const sameOne: Equal<typeof one, UseQueryResult<Contact, Error>> = true;
  void list.refetch().then((r) => r.data?.length);
  if (list.isSuccess) {
    const rows: Contact[] = list.data;
    void rows;
  }
  useCreateContact().mutate({ first_name: 'A', email: 'a@example.com' });
  useUpdateContact().mutate({ id: 'c1', body: { phone: null } });
  useDeleteContact().mutate('c1');
  // @ts-expect-error a wrong variable shape is a compile error
  useUpdateContact().mutate({ key: 'c1', values: { phone: null } });
  // @ts-expect-error so is a wrong body field
  useCreateContact().mutate({ first_name: 'A', email: 'a@example.com', colour: 'red' });
  void [sameList, sameOne, one.error?.cause];
  return summary(list);
}
`;

/** Live only: a search cannot be honoured by the local database, so the type refuses it. */
const liveOnly = `
import { useContacts } from './index.js';
export function Search(): void {
  // @ts-expect-error q (a server-side search) is not a live filter
  useContacts({ status: 'lead', q: 'ann' });
}
`;

let live: GenerateResult;
let push: GenerateResult;
let errors: Map<string, string[]>;

beforeAll(async () => {
  const ir = await fixtureIr('crm');
  live = await generateReact(ir, {});
  push = await generateReact(pushOnly(ir), {});
  errors = typeCheckMany(
    new Map([
      [
        'live',
        [
          ...live.files,
          { path: 'component.ts', contents: component },
          { path: 'search.ts', contents: liveOnly },
        ],
      ],
      ['push', [...push.files, { path: 'component.ts', contents: component }]],
      // the gate can fail: the live-only refusal does not hold in push mode
      ['push-search', [...push.files, { path: 'search.ts', contents: liveOnly }]],
    ]),
  );
}, 120_000);

describe('one interface across modes (crm contacts)', () => {
  it('contacts really are live in one client and push in the other', () => {
    const hooks = (r: GenerateResult) =>
      r.files.find((f) => f.path === 'hooks/contact.ts')!.contents;
    expect(hooks(live)).toContain('useLiveRows<Contact>');
    expect(hooks(push)).not.toContain('useLiveRows');
  });

  it('the same component compiles against the live client', () => {
    expect(errors.get('live')).toEqual([]);
  });

  it('and against the push client', () => {
    expect(errors.get('push')).toEqual([]);
  });

  it('the live-only refusal of q is real (push accepts q, so its @ts-expect-error is unused)', () => {
    expect(errors.get('push-search')?.join('\n')).toMatch(/TS2578/);
  });

  it('warns that q cannot be a live filter, with its location', () => {
    const w = live.diagnostics.filter((d) => d.code === 'SP0603');
    expect(w.map((d) => d.message)).toEqual([expect.stringContaining('parameter "q"')]);
    expect(w[0]).toMatchObject({
      severity: 'warning',
      file: expect.stringContaining('openapi.yaml'),
    });
    expect(push.diagnostics.filter((d) => d.code === 'SP0603')).toEqual([]);
  });
});
