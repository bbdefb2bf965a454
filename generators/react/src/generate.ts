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
import { renderFile, type LaidOut } from './render.js';
import { createContext } from './translate/context.js';
import { translate } from './translate/index.js';

/** Generates every file for `ir`; files sorted by path. */
export async function generateReact(
  ir: SyncIR,
  options: ReactGeneratorOptions = {},
): Promise<GenerateResult> {
  const resolved = resolveOptions(ir, options);
  const { files: rendered, diagnostics } = renderReact(ir, options);
  const files: GeneratedFile[] = rendered.map((f) => ({ path: f.path, contents: f.contents }));
  if (resolved.format) {
    // What Prettier would print, when known without running it (models, indexes, files the
    // layout builders vouch for); else Prettier, in batches (format.ts).
    const unknown: GeneratedFile[] = [];
    for (const [i, f] of files.entries()) {
      const known = knownText(rendered[i]!);
      if (known === null) unknown.push(f);
      else f.contents = known;
    }
    const formatted = await formatAll(unknown.map((f) => f.contents));
    unknown.forEach((f, i) => (f.contents = formatted[i]!));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics };
}

/** A file as the templates print it, before Prettier; `laidOut`: see `RenderedFile`. */
export interface RawFile extends GeneratedFile {
  laidOut: LaidOut;
}

/** The raw files of `ir` (unsorted, unformatted) and the diagnostics. */
export function renderReact(
  ir: SyncIR,
  options: ReactGeneratorOptions = {},
): { files: RawFile[]; diagnostics: GenerateResult['diagnostics'] } {
  const ctx = createContext(ir, resolveOptions(ir, options));
  const files = translate(ctx).map((p) => {
    const r = renderFile(p.template, p.view);
    return { path: p.path, contents: r.text, laidOut: r.laidOut };
  });
  return { files, diagnostics: ctx.diagnostics };
}

/** What Prettier prints for a raw file when known without running it, else null. */
export function knownText(f: RawFile): string | null {
  if (f.laidOut === 'file') return f.contents;
  return prettierStableText(f.contents, f.laidOut === 'statements');
}
