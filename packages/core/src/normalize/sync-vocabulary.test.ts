import { describe, expect, it } from 'vitest';
import { doc, item, load, resource } from '../__tests__/spec.js';

/** Loads a contacts resource with `annotation` on the collection path item. */
async function modeOf(
  annotation: Record<string, unknown>,
  itemAnnotation: Record<string, unknown> = {},
) {
  const r = await load(
    doc(resource('contacts', 'Contact', { annotation, itemAnnotation }), { Contact: item() }),
    { validate: false },
  );
  const errors = r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  const e = r.ir?.entities[0];
  return {
    errors,
    mode: e?.sync.mode,
    localFirst: e?.sync.localFirst,
    ops: r.ir?.operations.map((o) => o.sync.mode),
  };
}

describe('sync vocabulary', () => {
  it.each([
    [{}, 'push', false],
    [{ 'x-sync': 'push' }, 'push', false],
    [{ 'x-sync': 'api' }, 'push', false],
    [{ 'x-sync': 'live' }, 'live', true],
    [{ 'x-sync': 'realtime' }, 'live', true],
    [{ 'x-sync': 'local_first' }, 'live', true],
    [{ 'x-sync-mode': 'live' }, 'live', true],
    [{ 'x-sync-mode': 'realtime' }, 'live', true],
    [{ 'x-sync': { mode: 'live' } }, 'live', true],
    [{ 'x-sync': { mode: 'live', local_first: true } }, 'live', true],
    [{ 'x-sync': { mode: 'live', local_first: false } }, 'live', false],
    [{ 'x-sync': { mode: 'realtime', local_first: false } }, 'live', false],
    [{ 'x-sync': { local_first: true } }, 'live', true],
    [{ 'x-sync': { mode: 'push', local_first: false } }, 'push', false],
    [{ 'x-sync': { mode: 'api' } }, 'push', false],
    [{ 'x-sync': 'live', 'x-sync-mode': 'live' }, 'live', true],
  ])('%j means %s (local_first %s)', async (annotation, mode, localFirst) => {
    const r = await modeOf(annotation);
    expect(r.errors).toEqual([]);
    expect(r.mode).toBe(mode);
    expect(r.localFirst).toBe(localFirst);
    // Every operation of the entity shares its mode, including the unannotated item path.
    expect(new Set(r.ops)).toEqual(new Set([mode]));
  });

  it.each([
    [{ 'x-sync': 'cache' }, 'SP0202'],
    [{ 'x-sync': 'Live' }, 'SP0201'],
    [{ 'x-sync': 'offline' }, 'SP0201'],
    [{ 'x-sync': '' }, 'SP0201'],
    [{ 'x-sync-mode': 'cache' }, 'SP0202'],
    [{ 'x-sync': true }, 'SP0214'],
    [{ 'x-sync': ['live'] }, 'SP0214'],
    [{ 'x-sync-mode': { mode: 'live' } }, 'SP0214'],
    [{ 'x-sync': { mode: 'live', localFirst: true } }, 'SP0203'],
    [{ 'x-sync': { mode: 'live', local_first: 'yes' } }, 'SP0204'],
    [{ 'x-sync': { mode: 'push', local_first: true } }, 'SP0205'],
    [{ 'x-sync': { local_first: false } }, 'SP0206'],
    [{ 'x-sync': {} }, 'SP0206'],
    [{ 'x-sync': { mode: 7 } }, 'SP0214'],
    [{ 'x-sync': 'live', 'x-sync-mode': 'push' }, 'SP0207'],
  ])('%j is refused with %s', async (annotation, code) => {
    const r = await modeOf(annotation);
    expect(r.errors).toEqual([code]);
    expect(r.mode).toBeUndefined();
  });

  it('lets the operation-level annotation win over the path item', async () => {
    const paths = resource('contacts', 'Contact', { annotation: { 'x-sync': 'push' } });
    const collection = paths['/contacts'] as Record<string, Record<string, unknown>>;
    collection.get!['x-sync'] = 'live';
    collection.post!['x-sync'] = 'live';
    const r = await load(doc(paths, { Contact: item() }), { validate: false });
    expect(r.diagnostics).toEqual([]);
    expect(r.ir?.entities[0]?.sync.mode).toBe('live');
  });

  it('refuses one entity with two explicit modes, naming both places', async () => {
    const r = await modeOf({ 'x-sync': 'live' }, { 'x-sync': 'push' });
    expect(r.errors).toEqual(['SP0208']);
  });

  it('warns about a misspelt sync extension instead of ignoring it silently', async () => {
    const r = await load(
      doc(resource('contacts', 'Contact', { annotation: { 'x-sync-tabel': 'x' } }), {
        Contact: item(),
      }),
      { validate: false },
    );
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.hint])).toEqual([
      ['SP0213', 'warning', 'Did you mean "x-sync-table"?'],
    ]);
    expect(r.ir).not.toBeNull();
  });
});

describe('property sync flags', () => {
  it('carries x-sync-exclude and x-owner-only into fields and columns', async () => {
    const schema = item({
      draft: { type: 'string', 'x-sync-exclude': true },
      owner: { type: 'string', 'x-owner-only': true },
    });
    const r = await load(
      doc(resource('notes', 'Note', { annotation: { 'x-sync': 'live' } }), { Note: schema }),
      { validate: false },
    );
    const decl = r.ir!.schemas.find((s) => s.name === 'Note');
    expect(
      decl?.kind === 'object' &&
        decl.fields.map((f) => [f.wireName, f.sync.exclude, f.sync.ownerOnly]),
    ).toEqual([
      ['id', false, false],
      ['name', false, false],
      ['draft', true, false],
      ['owner', false, true],
    ]);
    const cols = r.ir!.entities[0]!.columns;
    expect(cols.filter((c) => !c.synced).map((c) => c.name)).toEqual(['draft']);
    expect(cols.find((c) => c.name === 'draft')?.serverGenerated).toBe(false);
  });
});
