/**
 * Test helper: type-checks generated files with the real TypeScript compiler against the pinned
 * libraries. Files are written under `generators/react/tmp/` (git-ignored) so that bare imports
 * (`@tanstack/react-query`, `react`) resolve from the workspace exactly as in an app, and so that
 * vitest can import the generated TypeScript directly.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { GeneratedFile } from '@sync/core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The strictest settings an app is likely to use. */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  jsx: ts.JsxEmit.ReactJSX,
  types: [],
  // Generated code imports the runtime (live code) and its fetch client (every api/client.ts);
  // check against their sources (no build needed).
  paths: {
    '@sync/react-runtime': [path.join(repoRoot, 'packages/react-runtime/src/index.ts')],
    '@sync/react-runtime/fetch': [path.join(repoRoot, 'packages/react-runtime/src/fetch/index.ts')],
  },
};

/** Writes `files` into a fresh folder; returns it (remove with `rmSync(dir, {recursive})`). */
export function writeTemp(files: readonly GeneratedFile[], label: string): string {
  const base = path.join(repoRoot, 'generators', 'react', 'tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, `${label}-`));
  for (const f of files) {
    const target = path.join(dir, f.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.contents);
  }
  return dir;
}

/** `file:line:col TSxxxx message` relative to `dir`. */
function describeDiagnostic(d: ts.Diagnostic, dir: string): string {
  const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return msg;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${path.relative(dir, d.file.fileName)}:${line + 1}:${character + 1} TS${d.code} ${msg}`;
}

/**
 * Type-checks several generated outputs in ONE program (each in its own folder, so they cannot
 * see each other); returns the diagnostics per label. One program amortises lib loading.
 */
export function typeCheckMany(
  outputs: ReadonlyMap<string, readonly GeneratedFile[]>,
): Map<string, string[]> {
  const files = [...outputs].flatMap(([label, fs]) =>
    fs.map((f) => ({ ...f, path: `${label}/${f.path}` })),
  );
  const dir = writeTemp(files, 'many');
  try {
    const roots = files.filter((f) => /\.tsx?$/.test(f.path)).map((f) => path.join(dir, f.path));
    const program = ts.createProgram(roots, STRICT_OPTIONS);
    const result = new Map([...outputs.keys()].map((k): [string, string[]] => [k, []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const text = describeDiagnostic(d, dir);
      const label = text.split('/')[0] ?? '';
      (result.get(label) ?? result.set('(global)', []).get('(global)')!).push(text);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Type-checks one output (plus `extra` files, e.g. a usage module); returns its diagnostics. */
export function typeCheck(
  files: readonly GeneratedFile[],
  label: string,
  extra: GeneratedFile[] = [],
): string[] {
  const result = typeCheckMany(new Map([[label, [...files, ...extra]]]));
  return [...result.values()].flat();
}
