/**
 * @readme/openapi-parser validates the document the loader already read and parsed, once: it is not
 * handed the file name to read, parse and dereference a second time (#16: that second pass was
 * 10–13 % of generation time on OpenAI's spec). Verdicts stay those of validating the file.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls: string[] = [];
vi.mock('@readme/openapi-parser', async (importOriginal) => {
  const real = await importOriginal<typeof import('@readme/openapi-parser')>();
  return {
    ...real,
    validate: (api: Parameters<typeof real.validate>[0], options?: object) => {
      calls.push(typeof api === 'string' ? 'file' : 'object');
      return real.validate(api, options);
    },
  };
});

const { doc, item, load, resource } = await import('../__tests__/spec.js');

afterEach(() => {
  calls.length = 0;
});

describe('parser validation', () => {
  it('validates a one-file spec once, in memory, without reading the file again', async () => {
    const r = await load(doc(resource('notes', 'Note'), { Note: item() }));
    expect(r.ir).not.toBeNull();
    expect(calls).toEqual(['object']);
  });

  it('leaves the loaded document as it was (the parser dereferences a copy)', async () => {
    const spec = doc(resource('notes', 'Note'), { Note: item() });
    const validated = await load(spec);
    const unvalidated = await load(spec, { validate: false });
    expect(validated.ir).not.toBeNull();
    // the same IR as without the parser: no `$ref` of the document was replaced by its target
    expect(JSON.stringify(validated.ir)).toEqual(JSON.stringify(unvalidated.ir));
  });

  it('validates a spec with file $refs from its file, so the parser can follow them', async () => {
    const spec = doc({ '/notes': { $ref: './paths/notes.yaml' } });
    const notes = ['get:', '  responses:', "    '200': {description: ok}", ''].join('\n');
    const r = await load(spec, { extra: { 'paths/notes.yaml': notes } });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(calls).toEqual(['file']);
  });

  it('reports an invalid spec with the verdict and words of validating its file', async () => {
    const spec = doc({ '/notes': { get: { responses: { '200': { descriptio: 'typo' } } } } });
    const r = await load(spec);
    expect(r.ir).toBeNull();
    expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(calls).toEqual(['object', 'file']);
  });
});
