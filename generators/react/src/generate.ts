/**
 * The pipeline of the React target: IR → context (all names) → view models → templates →
 * Prettier. Pure: no disk, network or environment access; the same IR and options always give
 * the same bytes.
 */
import type { GenerateResult, GeneratedFile, SyncIR } from '@sync/core';
import { resolveOptions, type ReactGeneratorOptions } from './options.js';
import { formatTypeScript, render } from './render.js';
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
  const files: GeneratedFile[] = await Promise.all(
    plans.map(async (p) => {
      const text = render(p.template, p.view);
      return { path: p.path, contents: resolved.format ? await formatTypeScript(text) : text };
    }),
  );
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics: ctx.diagnostics };
}
