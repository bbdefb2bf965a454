import { describe, expect, it } from 'vitest';
import {
  buildManifest,
  canonicalJson,
  computeInputHash,
  parseManifest,
  serializeManifest,
  type InputHashParts,
} from './manifest.js';

const parts: InputHashParts = {
  cli: '0.1.0',
  generator: 'react@1.0.0',
  generatorPackage: '@sync/react@0.1.0',
  spec: '../openapi.yaml',
  inputs: { '../openapi.yaml': 'a'.repeat(64), '../components.yaml': 'b'.repeat(64) },
  options: { electricUrl: 'http://x/v1/shape', apiBaseUrl: 'http://x' },
};

describe('manifest', () => {
  it('computes an input hash that ignores key order but sees every part', () => {
    const base = computeInputHash(parts);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const reordered = computeInputHash({
      ...parts,
      inputs: { '../components.yaml': 'b'.repeat(64), '../openapi.yaml': 'a'.repeat(64) },
      options: { apiBaseUrl: 'http://x', electricUrl: 'http://x/v1/shape' },
    });
    expect(reordered).toBe(base);
    const variants: Partial<InputHashParts>[] = [
      { cli: '0.2.0' },
      { generator: 'react@1.0.1' },
      { generatorPackage: null },
      { spec: '../other.yaml' },
      { inputs: { '../openapi.yaml': 'c'.repeat(64), '../components.yaml': 'b'.repeat(64) } },
      { inputs: { '../openapi.yaml': 'a'.repeat(64) } },
      { options: { apiBaseUrl: 'http://y', electricUrl: 'http://x/v1/shape' } },
    ];
    for (const v of variants) expect(computeInputHash({ ...parts, ...v })).not.toBe(base);
  });

  it('serialises deterministically and round-trips', () => {
    const m = buildManifest(
      { ...parts, inputHash: computeInputHash(parts) },
      { 'b.ts': '1', 'a.ts': '2' },
    );
    const text = serializeManifest(m);
    expect(text).toBe(serializeManifest(parseManifest(text)!));
    expect(text.indexOf('"a.ts"')).toBeLessThan(text.indexOf('"b.ts"'));
    expect(text).not.toMatch(/time|date/i);
    expect(canonicalJson({ b: 1, a: { d: 1, c: undefined } })).toBe('{"a":{"d":1},"b":1}');
  });

  it('rejects things that are not manifests', () => {
    expect(parseManifest('<<<<<<< HEAD')).toBeNull();
    expect(parseManifest('[]')).toBeNull();
    expect(parseManifest('{"manifestVersion":2}')).toBeNull();
    expect(
      parseManifest(
        JSON.stringify({
          manifestVersion: 1,
          generator: 'x',
          generatorPackage: null,
          cli: '1',
          inputHash: 'h',
          inputs: {},
          files: { a: 1 },
        }),
      ),
    ).toBeNull();
  });
});
