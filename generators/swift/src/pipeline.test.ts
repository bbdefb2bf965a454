/**
 * The shape of the pipeline (issue #15): translate/ produces plans, render/ prints them, neither
 * imports the other, and view models hold data, never Swift code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadIR, swiftFixtures } from './testing/fixture.js';
import { translateSwift } from './translate/index.js';

const src = path.dirname(fileURLToPath(import.meta.url));

function importsOf(folder: string): { file: string; specifier: string }[] {
  return readdirSync(path.join(src, folder))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) => {
      const text = readFileSync(path.join(src, folder, f), 'utf8');
      return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => ({ file: `${folder}/${f}`, specifier: m[1]! }));
    });
}

describe('pipeline: translate → SwiftPlan[] → render', () => {
  it('render/ never imports translate/, and translate/ never imports render/', () => {
    const render = importsOf('render');
    const translate = importsOf('translate');
    expect(render.length).toBeGreaterThan(5);
    expect(translate.length).toBeGreaterThan(20);
    expect(render.filter((i) => i.specifier.includes('translate/'))).toEqual([]);
    expect(translate.filter((i) => /(^|\/)render(\/|\.js$)/.test(i.specifier))).toEqual([]);
  });

  // Statements, calls and line layout are Swift code; a view model carries names, types,
  // literals (which start with a quote) and flags. Doc comment lines and the banner are prose.
  const CODE = /\b(try|await|return|guard|throw|let|var)\s|\bself\.|\n|\(\)|\bfunc\s/;

  /** Every string of `value` that is not a doc comment or a literal, with its path. */
  function strings(value: unknown, at: string, out: { at: string; text: string }[]): void {
    if (typeof value === 'string') {
      if (!/(^|\.)(doc|itemsDoc|banner)\[\d+\]$/.test(at) && !value.startsWith('"') && !value.startsWith('#"')) out.push({ at, text: value });
    } else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${at}[${i}]`, out));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, at ? `${at}.${k}` : k, out);
  }

  it.each(swiftFixtures())('%s: no view model field holds Swift code', async (fixture) => {
    const { plans } = translateSwift(await loadIR(fixture), {});
    expect(plans.length).toBeGreaterThan(0);
    const found: { at: string; text: string }[] = [];
    for (const p of plans) strings(p.view, p.path, found);
    expect(found.length).toBeGreaterThan(10);
    expect(found.filter((s) => CODE.test(s.text))).toEqual([]);
  });

  it('the code check catches a code string (as the view models had before issue #15)', () => {
    const found: { at: string; text: string }[] = [];
    strings({ fields: [{ doc: ['let x'], decode: 'self.id = try container.decode(UUID.self, forKey: .id)' }] }, '', found);
    expect(found.filter((s) => CODE.test(s.text)).map((s) => s.at)).toEqual(['fields[0].decode']);
  });
});
