/**
 * The render stage: a plan's view model + its logic-free Handlebars template → file text (then
 * Prettier, in format.ts). Templates come from the kit's one loader (`templateSet` of
 * @sync/codegen: strict, so a missing view field throws; no HTML escaping, since every value of a
 * view model is already valid TypeScript text from naming.ts; no helpers). Rendering never looks
 * at the IR nor at translate/: it takes plans only.
 */
import { templateSet } from '@sync/codegen';
import {
  fits,
  layoutHooks,
  layoutLiveSchema,
  layoutOperations,
  layoutQueryKeys,
} from './layout.js';
import { isDocComment, isStringLiteral } from './prettier-stable.js';
import type { TemplateName } from './plan.js';

const templates = templateSet<TemplateName>({
  owner: '@sync/react',
  // src/templates/ from both src/ (tsx, vitest) and dist/ (the package ships src/templates)
  folders: [
    new URL('./templates/', import.meta.url),
    new URL('../src/templates/', import.meta.url),
  ],
  extension: '.ts.hbs',
});

/** Prints one view model with its template. */
export function render(name: TemplateName, view: object): string {
  return renderFile(name, view).text;
}

/**
 * A file's text, and whether the layout builders (layout.ts) vouch that its laid-out statements
 * are Prettier's layout (`isPrettierStable(text, laidOut)` then checks the rest).
 */
export interface RenderedFile {
  text: string;
  /**
   * `statements`: every top-level `export function` / `export const … {` statement is Prettier's
   * layout (the recogniser checks the rest); `file`: the whole text is (a template of fixed text
   * whose values the builder checked); false: unknown.
   */
  laidOut: LaidOut;
}

export type LaidOut = false | 'statements' | 'file';

/** Prints one view model with its template, the width-dependent lines laid out by layout.ts. */
export function renderFile(name: TemplateName, view: object): RenderedFile {
  if (name === 'api-group') {
    const v = view as { operations: Parameters<typeof layoutOperations>[0] };
    const laid = layoutOperations(v.operations);
    return {
      text: templates.render(name, { ...v, operations: laid.operations }),
      laidOut: laid.known && 'statements',
    };
  }
  if (name === 'hooks') {
    const laid = layoutHooks(view as Parameters<typeof layoutHooks>[0]);
    return { text: templates.render(name, laid.view), laidOut: laid.known && 'statements' };
  }
  if (name === 'live-schema') {
    const v = view as { entities: Parameters<typeof layoutLiveSchema>[0] };
    const laid = layoutLiveSchema(v.entities);
    return {
      text: templates.render(name, { ...v, entities: laid.entities }),
      laidOut: laid.known && 'statements',
    };
  }
  if (name === 'query-keys') {
    const v = view as { entities: Parameters<typeof layoutQueryKeys>[0] };
    const laid = layoutQueryKeys(v.entities);
    return {
      text: templates.render(name, { ...v, entities: laid.entities }),
      laidOut: laid.known && 'statements',
    };
  }
  if (name === 'api-client') {
    const v = view as { banner: string; baseUrl: string };
    const known =
      isDocComment(v.banner) &&
      fits(`export const defaultApiConfig: ApiConfig = { baseUrl: ${v.baseUrl} };`) &&
      isStringLiteral(v.baseUrl);
    return { text: templates.render(name, view), laidOut: known && 'file' };
  }
  return { text: templates.render(name, view), laidOut: false };
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
