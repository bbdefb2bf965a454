/**
 * Loads the Handlebars templates shipped in `src/templates/` (the package publishes that folder).
 * This reads the generator's own files once, at first use; it never reads user files or the
 * environment, so `generate` stays a pure function of (IR, options).
 */
import { readFileSync } from 'node:fs';

/** `src/templates/` from both `src/` (tsx, vitest) and `dist/` (built package). */
const TEMPLATE_DIR = new URL('../src/templates/', import.meta.url);

const cache = new Map<string, string>();

/** The source of `templates/<file>`. */
export function templateSource(file: string): string {
  let source = cache.get(file);
  if (source === undefined) {
    source = readFileSync(new URL(file, TEMPLATE_DIR), 'utf8');
    cache.set(file, source);
  }
  return source;
}
