/**
 * The render stage: a plan's view model + its logic-free Handlebars template → file text (then
 * Prettier, in format.ts). Templates come from the kit's one loader (`templateSet` of
 * @sync/codegen: strict, so a missing view field throws; no HTML escaping, since every value of a
 * view model is already valid TypeScript text from naming.ts; no helpers). Rendering never looks
 * at the IR nor at translate/: it takes plans only.
 */
import { templateSet } from '@sync/codegen';
import type { TemplateName } from './plan.js';

const templates = templateSet<TemplateName>({
  owner: '@sync/react',
  // src/templates/ from both src/ (tsx, vitest) and dist/ (the package ships src/templates)
  folders: [new URL('./templates/', import.meta.url), new URL('../src/templates/', import.meta.url)],
  extension: '.ts.hbs',
});

/** Prints one view model with its template. */
export function render(name: TemplateName, view: object): string {
  return templates.render(name, view);
}

/**
 * The repository's Prettier style, inlined so that no config file is read. `babel-ts` prints the
 * same bytes as the `typescript` parser on every golden and parses faster (generation time is
 * mostly Prettier).
 */
export const PRETTIER_OPTIONS = {
  parser: 'babel-ts',
  singleQuote: true,
  printWidth: 100,
  trailingComma: 'all',
} as const;
