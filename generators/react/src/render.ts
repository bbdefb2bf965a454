/**
 * The render stage: view model + logic-free Handlebars template → file text (formatted afterwards
 * by format.ts).
 * Templates compile in strict mode (a missing view field throws instead of printing nothing) and
 * without HTML escaping: every value in a view model is already valid TypeScript text (names and
 * literals come from naming.ts). No helpers are registered.
 */
import Handlebars from 'handlebars';
import type { TemplateName } from './translate/index.js';
import { templateSource } from './templates.js';

const PARTIALS = {
  writeMutation: 'write-mutation.partial.hbs',
  liveMutation: 'live-mutation.partial.hbs',
} as const;

const env = Handlebars.create();
const compiled = new Map<TemplateName, HandlebarsTemplateDelegate>();

function compile(source: string): HandlebarsTemplateDelegate {
  return env.compile(source, { strict: true, noEscape: true });
}

function template(name: TemplateName): HandlebarsTemplateDelegate {
  let t = compiled.get(name);
  if (!t) {
    for (const [partial, file] of Object.entries(PARTIALS))
      env.registerPartial(partial, compile(templateSource(file)));
    t = compile(templateSource(`${name}.ts.hbs`));
    compiled.set(name, t);
  }
  return t;
}

/** Prints one view model with its template. */
export function render(name: TemplateName, view: object): string {
  return template(name)(view);
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
