/**
 * The JSON locator answers exactly as the jsonc-parser one it replaced (kept here as the
 * reference): on the repository's JSON specs, at every pointer they contain and at pointers that
 * go past them, and on random JSON with odd keys, escapes, duplicates and whitespace.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { JsonPositions } from './json-positions.js';

/**
 * The reference: jsonc-parser's tree, walked one token at a time (an array index as a number).
 * The locator this module replaced built the whole path at once and turned a token into a number
 * only when the path *before* it had no array index, so a pointer through two arrays
 * (`allOf/0/allOf/1/…`) stopped at the first one; see the test at the end.
 */
const trees = new Map<string, ReturnType<typeof parseTree>>();
function reference(text: string, tokens: string[]): number {
  if (!trees.has(text)) trees.set(text, parseTree(text));
  const tree = trees.get(text);
  if (!tree) return 0;
  let node = tree;
  let offset = tree.offset;
  for (const t of tokens) {
    const next =
      node.type === 'object'
        ? findNodeAtLocation(node, [t])
        : node.type === 'array'
          ? findNodeAtLocation(node, [Number(t)])
          : undefined;
    if (!next) break;
    offset = next.parent?.type === 'property' ? next.parent.offset : next.offset;
    node = next;
  }
  return offset;
}

/** Every pointer into `value`, plus one that goes one step too far under each. */
function pointers(value: unknown, at: string[] = [], out: string[][] = []): string[][] {
  out.push(at, [...at, 'missing'], [...at, '7']);
  if (Array.isArray(value)) value.forEach((v, i) => pointers(v, [...at, String(i)], out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) pointers(v, [...at, k], out);
  return out;
}

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'a',
  'b',
  '',
  'x/y',
  'ti~lde',
  'quo"te',
  'back\\slash',
  'uni\u00e9',
  'nl\n',
  '{',
  ']',
  '0',
  '1',
];
const WS = ['', ' ', '\n  ', '\t', '\r\n'];

function randomJson(rand: () => number, depth = 0): string {
  const ws = () => WS[Math.floor(rand() * WS.length)]!;
  const r = rand();
  if (depth > 4 || r < 0.3) {
    const scalars = [
      '1',
      '-2.5e3',
      'true',
      'false',
      'null',
      '"s"',
      '"a\\"b"',
      '"\\\\"',
      '"[{"',
      '"\\u0041"',
    ];
    return scalars[Math.floor(rand() * scalars.length)]!;
  }
  if (r < 0.6) {
    const n = Math.floor(rand() * 4);
    return `[${ws()}${Array.from({ length: n }, () => randomJson(rand, depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
  }
  const n = Math.floor(rand() * 5);
  const members = Array.from({ length: n }, () => {
    const key = JSON.stringify(KEYS[Math.floor(rand() * KEYS.length)]);
    return `${key}${ws()}:${ws()}${randomJson(rand, depth + 1)}`;
  });
  return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
}

describe('JsonPositions', () => {
  it('agrees with the jsonc-parser locator on the repository JSON specs', () => {
    const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const abs = path.join(dir, name);
        if (statSync(abs).isDirectory()) walk(abs);
        else if (name.endsWith('.json')) files.push(abs);
      }
    };
    walk(path.join(repo, 'fixtures'));
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue; // the bad corpus' syntax errors are located by JSON.parse, not here
      }
      const index = new JsonPositions(text);
      for (const p of pointers(value)) {
        expect(index.offsetOf(p), `${file} ${p.join('/')}`).toBe(reference(text, p));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('agrees with the jsonc-parser locator on random JSON', () => {
    const rand = random(7);
    for (let i = 0; i < 1500; i++) {
      const text = `${WS[i % WS.length]}${randomJson(rand)}${WS[(i + 2) % WS.length]}`;
      const value: unknown = JSON.parse(text);
      const index = new JsonPositions(text);
      for (const p of pointers(value))
        expect(index.offsetOf(p), `${text} ${p.join('/')}`).toBe(reference(text, p));
    }
  });

  it('locates a diagnostic under two arrays in a JSON spec at its own key (was: at the first array item)', async () => {
    const { load } = await import('../__tests__/spec.js');
    const spec = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          A: { allOf: [{ allOf: [{ type: 'object' }, { properties: { x: { type: 'strng' } } }] }] },
        },
      },
    };
    const text = JSON.stringify(spec, null, 2);
    const r = await load(text, { name: 'openapi.json', validate: false });
    const d = r.diagnostics.find((x) => x.pointer.endsWith('/allOf/0/allOf/1/properties/x/type'));
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"strng"')) + 1;
    expect([d!.line, d!.column]).toEqual([line, lines[line - 1]!.indexOf('"type"') + 1]);
  });
});
