/**
 * The pipeline of the React target: IR → context (all names) → view models → templates →
 * Prettier (skipped for text it would leave unchanged, see prettier-stable.ts; batched, see
 * format.ts). Pure: no disk, network or environment access; the same IR and options always give
 * the same bytes.
 */
import type { GenerateResult, GeneratedFile, SyncIR } from '@sync/core';
import { resolveOptions, type ReactGeneratorOptions } from './options.js';
import { formatAll } from './format.js';
import { prettierStableText } from './prettier-stable.js';
import { render } from './render.js';
import { createContext } from './translate/context.js';
import { translate } from './translate/index.js';

/** Generates every file for `ir`; files sorted by path. */
export async function generateReact(
  ir: SyncIR,
  options: ReactGeneratorOptions = {},
): Promise<GenerateResult> {
  const resolved = resolveOptions(ir, options);
  const ctx = createContext(ir, resolved);
  const plans = translate(ctx);
  const files: GeneratedFile[] = plans.map((p) => ({
    path: p.path,
    contents: render(p.template, p.view),
  }));
  if (resolved.format) {
    // What Prettier would print, when known without running it (most models); else Prettier,
    // in batches (format.ts).
    const unknown: GeneratedFile[] = [];
    for (const f of files) {
      const known = prettierStableText(f.contents);
      if (known === null) unknown.push(f);
      else f.contents = known;
    }
    const formatted = await formatAll(unknown.map((f) => f.contents));
    unknown.forEach((f, i) => (f.contents = formatted[i]!));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics: ctx.diagnostics };
}
