import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareGolden, writeGolden } from './harness.js';

describe('golden harness', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'golden-'));

  it('reports a changed byte with a unified diff', () => {
    const d = dir();
    writeFileSync(path.join(d, 'a.txt'), 'one\ntwo\n');
    const [m] = compareGolden(d, new Map([['a.txt', 'one\nTWO\n']]));
    expect(m?.kind).toBe('differs');
    expect(m?.diff).toContain('-two');
    expect(m?.diff).toContain('+TWO');
  });

  it('reports missing and unexpected goldens, and ignores files it does not own', () => {
    const d = dir();
    writeFileSync(path.join(d, 'old.txt'), 'x');
    writeFileSync(path.join(d, 'input.yaml'), 'x');
    const kinds = compareGolden(d, new Map([['new.txt', 'y']]), (f) => f.endsWith('.txt')).map(
      (m) => `${m.kind}:${m.file}`,
    );
    expect(kinds).toEqual(['missing golden:new.txt', 'unexpected golden:old.txt']);
  });

  it('is silent when equal, and writeGolden makes it equal', () => {
    const d = dir();
    const files = new Map([['sub/b.txt', 'b\n']]);
    expect(compareGolden(d, files)).toHaveLength(1);
    expect(writeGolden(d, files)).toEqual({ written: 1, removed: 0 });
    expect(compareGolden(d, files)).toEqual([]);
    expect(readFileSync(path.join(d, 'sub/b.txt'), 'utf8')).toBe('b\n');
  });
});
