/**
 * The claims that let generation skip Prettier or call it less: whatever `prettierStableText`
 * answers is exactly what Prettier prints for the raw text, and the batched formatting of the
 * other files (format.ts) prints exactly what one Prettier call per file prints. Checked on every
 * fixture's and every corpus spec's raw output (all file kinds), and on generated text of the
 * accepted subset near the width limit.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '@sync/core';
import { formatAll } from './format.js';
import { generateReact, knownText, renderReact, type RawFile } from './generate.js';
import { breakLongLines, isPrettierStable, prettierStableText } from './prettier-stable.js';
import { PRETTIER_OPTIONS } from './render.js';
import { repoRoot } from './testing/compile.js';
import { fixtureIr } from './testing/fixtures.js';

const prettier = (text: string) => format(text, PRETTIER_OPTIONS);

/**
 * Raw files whose known text (or, for the others, whose batched formatting) differs from what
 * Prettier prints for the file alone, and how many were known.
 */
async function check(files: RawFile[]) {
  const wrong: string[] = [];
  const unknown: { path: string; contents: string }[] = [];
  let known = 0;
  for (const f of files) {
    const k = knownText(f);
    if (k === null) {
      unknown.push(f);
      continue;
    }
    known++;
    if (k !== (await prettier(f.contents))) wrong.push(f.path);
  }
  const batched = await formatAll(unknown.map((f) => f.contents));
  for (const [i, f] of unknown.entries())
    if (batched[i] !== (await prettier(f.contents))) wrong.push(`${f.path} (batched)`);
  return { wrong, known };
}

const fixtures = readdirSync(path.join(repoRoot, 'generators/react/__goldens__')).sort();

describe('prettierStableText on every fixture', () => {
  it.each(fixtures)('%s: known text is Prettier output', async (name) => {
    const raw = renderReact(await fixtureIr(name));
    const { wrong, known } = await check(raw.files);
    expect(wrong).toEqual([]);
    expect(known).toBeGreaterThan(0);
  });

  it('knows the models of crm (so the skip is in use)', async () => {
    const raw = await generateReact(await fixtureIr('crm'), { format: false });
    const models = raw.files.filter((f) => f.path.startsWith('models/'));
    expect(
      models.filter((f) => prettierStableText(f.contents) === null).map((f) => f.path),
    ).toEqual([]);
  });
});

const corpusDir = path.resolve(repoRoot, '../shared/realworld');
const corpus = existsSync(corpusDir)
  ? ['plain', 'annotated'].flatMap((d) =>
      readdirSync(path.join(corpusDir, d))
        .filter((f) => /\.(json|ya?ml)$/.test(f))
        .map((f) => `${d}/${f}`),
    )
  : [];

describe.skipIf(corpus.length === 0)('prettierStableText on the real-world corpus', () => {
  it.each(corpus)(
    '%s: known text is Prettier output',
    async (spec) => {
      const { ir } = await loadSpec(path.join(corpusDir, spec), { cwd: repoRoot });
      if (!ir) return; // a spec that must be refused (annotated/petstore3) generates nothing
      const raw = renderReact(ir);
      const { wrong, known } = await check(raw.files);
      expect(wrong).toEqual([]);
      expect(known).toBeGreaterThan(0);
    },
    600_000,
  );
});

describe('the accepted subset, generated', () => {
  const ident = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,30}$/);
  const chars = fc.constantFrom(
    'a',
    'Z',
    ' ',
    '-',
    '"',
    '\\\\',
    '\\n',
    '\\u2028',
    'é',
    '界',
    '.',
    '1',
  );
  const str = fc.array(chars, { maxLength: 24 }).map((cs) => `'${cs.join('')}'`);
  const num = fc.constantFrom('0', '1', '-1', '42', '1.5', '-0.25', '1000000');
  const name = fc.oneof(ident, fc.constantFrom('string', 'number', 'unknown', 'null', 'Blob'));
  const type: fc.Arbitrary<string> = fc.letrec<{ t: string; m: string }>((tie) => ({
    t: fc.array(tie('m'), { minLength: 1, maxLength: 6 }).map((ms) => ms.join(' | ')),
    m: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      name,
      str,
      num,
      name.map((n) => `${n}[]`),
      tie('t').map((t) => `Array<${t}>`),
      tie('t').map((t) => `Record<string, ${t}>`),
    ),
  })).t;
  const key = fc.oneof(ident, str, fc.constant(`['__proto__']`));
  // a discriminated union's member: `(Omit<A, 'k'> & { k: 'a' })`
  const objectType = fc
    .array(fc.tuple(fc.oneof(ident, str), fc.boolean(), type), { minLength: 1, maxLength: 2 })
    .map((ms) => `{ ${ms.map(([k, o, t]) => `${k}${o ? '?' : ''}: ${t}`).join('; ')} }`);
  const intersection = fc
    .tuple(
      fc.oneof(
        name,
        ident.map((n) => `Omit<${n}, 'type'>`),
      ),
      fc.array(fc.oneof(objectType, name), { minLength: 1, maxLength: 2 }),
    )
    .map(([first, rest]) => `(${[first, ...rest].join(' & ')})`);
  const aliasType = fc.oneof(
    type,
    fc
      .array(fc.oneof(intersection, name, str), { minLength: 2, maxLength: 6 })
      .map((ms) => ms.join(' | ')),
    // one long string literal (Prettier breaks after `=`)
    fc
      .array(fc.constantFrom('a', '.', '_', 'response'), { minLength: 10, maxLength: 30 })
      .map((cs) => `'${cs.join('')}'`),
  );
  const docText = fc.array(fc.stringMatching(/^[A-Za-z `*./é-]{0,40}$/), { maxLength: 3 });
  const doc = (indent: string) =>
    docText.map((lines) => {
      const ls = lines.map((l) => l.trimEnd()).filter((l) => l !== '' && !l.includes('*/'));
      if (ls.length === 0) return '';
      if (ls.length === 1) return `${indent}/** ${ls[0]} */\n`;
      return `${indent}/**\n${ls.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
    });
  const field = fc
    .tuple(doc('  '), key, fc.boolean(), type)
    .map(([d, k, o, t]) => `${d}  ${k}${o ? '?' : ''}: ${t};\n`);
  const statement = fc.oneof(
    fc
      .tuple(doc(''), ident, fc.array(field, { minLength: 1, maxLength: 4 }), fc.option(type))
      .map(
        ([d, n, fs, index]) =>
          `${d}export interface ${n} {\n${fs.join('')}${index ? `  [key: string]: ${index};\n` : ''}}\n`,
      ),
    fc.tuple(doc(''), ident, aliasType).map(([d, n, t]) => `${d}export type ${n} = ${t};\n`),
    fc.tuple(doc(''), ident).map(([d, n]) => `${d}export interface ${n} {\n}\n`),
    fc
      .tuple(ident, objectBody('  '), fc.boolean())
      .map(
        ([n, body, asConst]) => `export const ${n} = {\n${body}}${asConst ? ' as const' : ''};\n`,
      ),
    fc
      .tuple(
        ident,
        ident,
        fc.array(fc.oneof(str, num, fc.constantFrom('true', 'null')), { maxLength: 12 }),
      )
      .map(
        ([v, n, xs]) =>
          `export const ${v} = [${xs.join(', ')}] as const satisfies readonly ${n}[];\n`,
      ),
    fc
      .tuple(fc.array(ident, { minLength: 1, maxLength: 4 }), str)
      .map(([ns, s]) => `import type { ${ns.join(', ')} } from ${s};\n`),
    // value imports with `type` names, long enough to be broken one name a line
    fc
      .tuple(fc.array(fc.tuple(fc.boolean(), ident), { minLength: 1, maxLength: 8 }), str)
      .map(
        ([ns, s]) =>
          `import { ${ns.map(([t, n]) => (t ? `type ${n}` : n)).join(', ')} } from ${s};\n`,
      ),
    str.map((s) => `export * from ${s};\n`),
  );
  function objectBody(indent: string): fc.Arbitrary<string> {
    const templateText = fc
      .array(fc.constantFrom('a', ' ', '\n', "'q': ", '\\`', '$', '{', '}', '"x"', '  ', 'é'), {
        maxLength: 12,
      })
      .map((cs) => `\`${cs.join('')}\``);
    const scalar = fc.oneof(str, num, fc.constantFrom('true', 'false', 'null'));
    const propKey = fc.oneof(
      ident,
      str,
      ident.map((k) => `'${k}'`),
      fc.constantFrom("'class'"),
    );
    const leaf = fc
      .tuple(propKey, fc.oneof(templateText, scalar))
      .map(([k, v]) => `${indent}${k}: ${v},\n`);
    const nested =
      indent.length < 6
        ? fc
            .tuple(propKey, objectBody(`${indent}  `))
            .map(([k, b]) => `${indent}${k}: {\n${b}${indent}},\n`)
        : leaf;
    return fc
      .array(fc.oneof(leaf, nested), { minLength: 1, maxLength: 3 })
      .map((ps) => ps.join(''));
  }

  const file = fc
    .tuple(doc(''), fc.array(statement, { minLength: 1, maxLength: 4 }))
    .map(([banner, ss]) => `${banner || '/** banner */\n'}\n${ss.join('\n')}`);

  it('every accepted text is what Prettier prints (and much generated text is accepted)', async () => {
    let accepted = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(file, async (text) => {
        total++;
        const known = prettierStableText(text);
        if (known === null) return;
        accepted++;
        expect(known).toBe(await prettier(text));
      }),
      { numRuns: 1000, seed: 16 },
    );
    expect(accepted).toBeGreaterThan(total / 4);
  }, 300_000);
});

describe('isPrettierStable rejects what Prettier would change', () => {
  const banner = '/** b */\n\n';
  it.each([
    ['an empty interface', `${banner}export interface A {\n}\n`],
    ['an unindented member', `${banner}export interface A {\nx: string;\n}\n`],
    [
      'a blank line in an interface',
      `${banner}export interface A {\n  x: string;\n\n  y: string;\n}\n`,
    ],
    ['two blank lines', `${banner}export type A = string;\n\n\nexport type B = string;\n`],
    ['a quote in a string', `${banner}export type A = 'it\\'s';\n`],
    ['a needless escape', `${banner}export type A = '\\d';\n`],
    [
      'a trailing comma in an array',
      `${banner}export const a = ['x', ] as const satisfies readonly A[];\n`,
    ],
    ['a non-canonical number', `${banner}export type A = 1.50;\n`],
    ['a quoted identifier key', `${banner}export interface A {\n  'x': string;\n}\n`],
    ['a parenthesised name', `${banner}export type A = (B) | D;\n`],
    ['doubled parentheses', `${banner}export type A = ((B & C)) | D;\n`],
    [
      'a lone parenthesised intersection',
      `${banner}export type A = (Omit<B, 'k'> & { k: 'b' });\n`,
    ],
    [
      'a parenthesised intersection in a member',
      `${banner}export interface A {\n  x: (B & { k: 'b' }) | C;\n}\n`,
    ],
    ['an intersection without parentheses', `${banner}export type A = B & { k: 'b' } | C;\n`],
    ['an empty object type', `${banner}export type A = (B & {}) | C;\n`],
    ['an unclosed empty interface', `${banner}export interface A {\n}\n`],
    ['a quoted identifier property', `${banner}export const a = {\n  'x': 1,\n};\n`],
    ['an empty object', `${banner}export const a = {\n  x: {\n  },\n};\n`],
    ['a property without a comma', `${banner}export const a = {\n  x: 1\n};\n`],
    ['a template with a substitution', `${banner}export const a = {\n  x: \`\${b}\`,\n};\n`],
    [
      'a property over 100 columns',
      `${banner}export const a = {\n  x: '${'y'.repeat(100)}',\n};\n`,
    ],
    ['a flat object', `${banner}export const a = { x: 1 };\n`],
    [
      'a line over 100 columns',
      `${banner}export type A = ${Array.from({ length: 20 }, (_, i) => `T${i}`).join(' & ')};\n`,
    ],
    [
      'a flat union that does not fit',
      `${banner}export type A = ${Array.from({ length: 20 }, (_, i) => `'v${i}'`).join(' | ')};\n`,
    ],
    ['a broken union that fits', `${banner}export type A =\n  | 'a'\n  | 'b';\n`],
    ['CRLF', `${banner}export type A = string;\r\n`],
    ['a trailing space in a comment', `/**\n * b \n */\n\nexport type A = string;\n`],
  ])('%s', (_, text) => {
    expect(isPrettierStable(text)).toBe(false);
  });

  it('lays out a long discriminated union, a long string alias and an empty interface as Prettier does', async () => {
    const members = Array.from(
      { length: 4 },
      (_, i) => `(Omit<CitationBody${i}, 'type'> & { type: 'citation_${i}' })`,
    );
    const text = `${banner}export type A = ${members.join(' | ')};\n\nexport type BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB = 'response.code_interpreter_call.completed.with.more';\n\nexport interface C {\n}\n`;
    const known = prettierStableText(text);
    expect(known).not.toBeNull();
    expect(known).toBe(await prettier(text));
  });

  it('leaves the text of template literals alone (no line-based rewrite inside them)', async () => {
    const alias = `export type A = ${Array.from({ length: 14 }, (_, i) => `'value-${i}'`).join(' | ')};`;
    const text = `${banner}export const a = {\n  'x': \`\n${alias}\nexport interface B {\n}\n\`,\n} as const;\n`;
    const known = prettierStableText(text);
    expect(known).toContain(alias);
    expect(known).toBe(await prettier(text));
  });

  it('lays out a long union and a long values array as Prettier does', async () => {
    const members = Array.from({ length: 14 }, (_, i) => `'value-${i}'`);
    const text = `${banner}export type A = ${members.join(' | ')};\n\nexport const aValues = [${members.join(', ')}] as const satisfies readonly A[];\n`;
    expect(isPrettierStable(text)).toBe(false);
    const broken = breakLongLines(text);
    expect(isPrettierStable(broken)).toBe(true);
    expect(broken).toBe(await prettier(text));
  });
});
