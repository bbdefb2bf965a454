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

const { doc, item, load, resource, writeSpec } = await import('../__tests__/spec.js');
const { loadSpecStaged } = await import('./load-spec.js');

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

describe('parser validation in a worker thread', () => {
  // each load writes its spec into a fresh folder: compare without the folder's name
  const strip = (r: { ir: unknown; diagnostics: unknown[]; files: string[] }) =>
    JSON.stringify({ ir: r.ir, diagnostics: r.diagnostics, files: r.files }).replace(
      /sp-spec-[A-Za-z0-9]+/g,
      'sp-spec-X',
    );

  it('runs the parser in the worker (not here) and gives the same result as in this thread', async () => {
    const spec = doc(resource('notes', 'Note'), { Note: item() });
    const inWorker = await load(spec, { parserInWorker: true });
    expect(calls).toEqual([]); // the mock above only sees this thread's calls
    const here = await load(spec);
    expect(calls).toEqual(['object']);
    expect(inWorker.ir).not.toBeNull();
    expect(strip(inWorker)).toEqual(strip(here));
  });

  it('reports an invalid spec with the same located diagnostics as in this thread', async () => {
    const spec = doc({ '/notes': { get: { responses: { '200': { descriptio: 'typo' } } } } });
    const inWorker = await load(spec, { parserInWorker: true });
    expect(calls).toEqual([]);
    const here = await load(spec);
    expect(inWorker.ir).toBeNull();
    expect(inWorker.diagnostics.some((d) => d.code === 'SP0107' && d.line > 0)).toBe(true);
    expect(strip(inWorker)).toEqual(strip(here));
  });

  it('validates a spec with file $refs from its file in the worker', async () => {
    const spec = doc({ '/notes': { $ref: './paths/notes.yaml' } });
    const notes = ['get:', '  responses:', "    '200': {description: ok}", ''].join('\n');
    const r = await load(spec, { parserInWorker: true, extra: { 'paths/notes.yaml': notes } });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ir).not.toBeNull();
    expect(calls).toEqual([]);
  });

  it('hands out the IR as a draft before the verdict, and the verdict decides', async () => {
    // valid for our own passes (so there is a draft), refused by the parser
    const bad = doc({ '/notes': { get: { responses: { '200': { descriptio: 'typo' } } } } });
    const staged = await loadSpecStaged(writeSpec(bad).file, { parserInWorker: true });
    expect(staged.draft).not.toBeNull();
    expect((await staged.result).ir).toBeNull();

    const good = doc(resource('notes', 'Note'), { Note: item() });
    const ok = await loadSpecStaged(writeSpec(good).file, { parserInWorker: true });
    expect(ok.draft).not.toBeNull();
    expect((await ok.result).ir).toBe(ok.draft);
  });
});
