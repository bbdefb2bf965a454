/**
 * Batched formatting prints what one Prettier call per file prints, also for the file shapes that
 * must not share a call (they are formatted alone). The proof on real output (every fixture and
 * corpus spec) is in prettier-stable.test.ts.
 */
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { batchable, formatAll } from './format.js';
import { PRETTIER_OPTIONS } from './render.js';
import { generateReact } from './generate.js';
import { fixtureIr } from './testing/fixtures.js';

const alone = (texts: string[]) => Promise.all(texts.map((t) => format(t, PRETTIER_OPTIONS)));

const plain = (n: number) =>
  `/** File ${n}. */\n\nimport {a,b} from './x.js'\nexport function f${n}(x: number) { return x + ${n} }\n`;

describe('formatAll', () => {
  it.each([
    ['a string directive with an escape', `'a\\"b';\n\nexport const x = 1;\n`],
    ['a directive after a comment', `/** c */\n'a\\"b';\nexport const x = 1;\n`],
    ['a comment at the end', `export const x = 1;\n// the end\n`],
    ['a block comment at the end', `export const x = 1;\n/* the end */\n`],
    ['a trailing comment on the last line', `export const x = 1; // the end\n`],
    ['a byte-order mark', `\uFEFFexport const x = 1;\n`],
    ['a comment only', `/** nothing */\n`],
    ['blank lines around', `\n\n\nexport const x = {\n  a: 1 };\n\n\n\n`],
    ['no final newline', `export const x = 1`],
    ['a shebang', `#!/usr/bin/env node\nexport const x = 1;\n`],
    ['the marker itself', `// sync-patterns:format-batch 0\nexport const x = 1;\n`],
  ])('prints what Prettier prints for each file alone: %s', async (_, odd) => {
    const texts = [plain(1), odd, plain(2), odd, plain(3)];
    expect(await formatAll(texts)).toEqual(await alone(texts));
  });

  it('formats large runs of files in several batches, each like the file alone', async () => {
    const texts = Array.from({ length: 60 }, (_, i) => plain(i));
    expect(await formatAll(texts, 1000)).toEqual(await alone(texts));
  });

  it('reports a syntax error as Prettier does for the file alone', async () => {
    const texts = [plain(1), 'export const = ;\n', plain(2)];
    const expected = await format(texts[1]!, PRETTIER_OPTIONS).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    await expect(formatAll(texts)).rejects.toThrow(expected);
  });

  it('batches the api and hook files of crm (what reaches Prettier when no builder vouches)', async () => {
    const raw = await generateReact(await fixtureIr('crm'), { format: false });
    const files = raw.files.filter((f) => /^(?:api|hooks)\//.test(f.path));
    expect(files.filter((f) => !batchable(f.contents)).map((f) => f.path)).toEqual([]);
    expect(files.length).toBeGreaterThan(1);
  });
});
