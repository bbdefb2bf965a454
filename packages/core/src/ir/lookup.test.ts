import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../load/load-spec.js';
import { awaitsServerValue } from './lookup.js';

const CRM = fileURLToPath(new URL('../../../../fixtures/crm/openapi.yaml', import.meta.url));

describe('awaitsServerValue', () => {
  it('is true for the server-set fields of an item schema, not its key, parent key or client fields', async () => {
    const { ir } = await loadSpec(CRM);
    if (!ir) throw new Error('crm fixture did not load');
    const awaited = (schema: string) =>
      (
        ir.schemas.find((s) => s.name === schema && s.kind === 'object') as {
          fields: { wireName: string }[];
        }
      ).fields
        .map((f) => f.wireName)
        .filter((name) => awaitsServerValue(ir, schema, name));
    expect(awaited('Contact')).toEqual(['created_at', 'updated_at']);
    // account_id is server-set on LineItem (absent from the create body), but the nested create passes it.
    expect(awaited('LineItem')).toEqual(['created_at']);
    // A create body is no entity's item schema; an unknown field awaits nothing.
    expect(awaited('ContactCreate')).toEqual([]);
    expect(awaitsServerValue(ir, 'Contact', 'no_such_field')).toBe(false);
  });
});
