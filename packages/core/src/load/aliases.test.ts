/**
 * The cheap alias pre-check must never let through a document that the `yaml` package's
 * accounting refuses (it is an upper bound of that accounting), and must let through specs that
 * merely reuse anchors, so that they do not pay for the position-bearing syntax tree.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { aliasesMayExceed } from './aliases.js';
import { DocumentStore, MAX_YAML_ALIAS_COUNT } from './documents.js';

/** What the exact check (the `yaml` package's accounting) says, with limit `max`. */
function yamlRefuses(text: string, max: number): boolean {
  const doc = parseDocument(text, {
    uniqueKeys: false,
    prettyErrors: false,
    version: '1.2',
    logLevel: 'error', // random keys that are collections: no warning per document
  });
  try {
    doc.toJS({ maxAliasCount: max });
    return false;
  } catch (err) {
    return err instanceof ReferenceError && /alias/i.test(err.message);
  }
}

/** A small deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random document of nested block and flow collections with anchors (some reused names),
 * aliases to earlier anchors (also nested, also as mapping keys), scalars and empty collections.
 */
function randomDoc(rand: () => number): string {
  const anchors: string[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let key = 0;
  const node = (depth: number): string => {
    const r = rand();
    if (anchors.length > 0 && r < 0.35) return `*${pick(anchors)}`;
    const anchor =
      rand() < 0.4
        ? pick(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) + String(Math.floor(rand() * 3))
        : null;
    let body: string;
    if (depth > 3 || r < 0.5) body = rand() < 0.1 ? '[]' : `s${Math.floor(rand() * 5)}`;
    else if (r < 0.75)
      body = `[${Array.from({ length: Math.floor(rand() * 5) }, () => node(depth + 1)).join(', ')}]`;
    else
      body = `{${Array.from({ length: Math.floor(rand() * 4) }, () => {
        const k = anchors.length > 0 && rand() < 0.1 ? `*${pick(anchors)} ` : `k${key++}`;
        return `${k}: ${node(depth + 1)}`;
      }).join(', ')}}`;
    // the anchor is usable only after its node: register it afterwards
    if (anchor) anchors.push(anchor);
    return anchor ? `&${anchor} ${body}` : body;
  };
  const lines: string[] = [];
  for (let i = 0; i < 2 + Math.floor(rand() * 6); i++) lines.push(`x${i}: ${node(0)}`);
  return `${lines.join('\n')}\n`;
}

describe('aliasesMayExceed', () => {
  it('lets a spec that reuses anchors through (no syntax tree needed)', () => {
    const spec = [
      'openapi: 3.1.0',
      'x-err: &err {description: error, content: {application/json: {schema: &s {type: object}}}}',
      'paths:',
      ...Array.from(
        { length: 300 },
        (_, i) => `  /r${i}: {get: {responses: {'400': *err, '500': *err}}, x-s: *s}`,
      ),
      '',
    ].join('\n');
    expect(yamlRefuses(spec, MAX_YAML_ALIAS_COUNT)).toBe(false);
    expect(aliasesMayExceed(spec, MAX_YAML_ALIAS_COUNT)).toBe(false);
  });

  it('flags a billion-laughs document', () => {
    const lines = ['x-l0: &l0 [a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `x-l${i}: &l${i} [${Array(9)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = lines.join('\n');
    expect(yamlRefuses(bomb, MAX_YAML_ALIAS_COUNT)).toBe(true);
    expect(aliasesMayExceed(bomb, MAX_YAML_ALIAS_COUNT)).toBe(true);
  });

  it('flags an alias that has no anchor before it, or that sits inside its own anchor', () => {
    expect(aliasesMayExceed('a: &x [1, *x]\n', MAX_YAML_ALIAS_COUNT)).toBe(true);
  });

  it('is an upper bound of the yaml package accounting on random documents', () => {
    const rand = random(16);
    let refused = 0;
    let letThrough = 0;
    for (let i = 0; i < 3000; i++) {
      const text = randomDoc(rand);
      const max = 1 + Math.floor(rand() * 40);
      const exact = yamlRefuses(text, max);
      const bound = aliasesMayExceed(text, max);
      if (exact && !bound)
        expect.fail(`refused by yaml (maxAliasCount ${max}) but let through:\n${text}`);
      if (exact) refused++;
      if (!bound) letThrough++;
    }
    // the generator makes both kinds (else the test proves nothing)
    expect(refused).toBeGreaterThan(100);
    expect(letThrough).toBeGreaterThan(1000);
  });
});

describe('DocumentStore and aliases', () => {
  it('does not build the syntax tree of a YAML file that reuses anchors moderately', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-alias-'));
    const file = path.join(dir, 'openapi.yaml');
    writeFileSync(
      file,
      ['openapi: 3.1.0', 'x-a: &a {type: string}', 'x-b: *a', 'x-c: [*a, *a]', ''].join('\n'),
    );
    const store = new DocumentStore(dir);
    const doc = store.load(file);
    expect(store.diagnostics).toEqual([]);
    expect(doc?.value).toEqual({
      openapi: '3.1.0',
      'x-a': { type: 'string' },
      'x-b': { type: 'string' },
      'x-c': [{ type: 'string' }, { type: 'string' }],
    });
    expect(doc?.tree).toBeUndefined();
  });
});
