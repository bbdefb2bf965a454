/**
 * Render stage: view model + template → file text. Templates are Handlebars in strict mode
 * with HTML escaping off (the output is Kotlin; every string that reaches a template was already
 * made safe by core's naming module). No helpers: templates only loop, branch on precomputed
 * booleans and include the shared header partial.
 */
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const hbs = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

function source(name: string): string {
  // Templates ship next to the sources (package.json "files": src/templates), also for dist/.
  for (const base of ['./templates/', '../src/templates/']) {
    try {
      return readFileSync(new URL(`${base}${name}.kt.hbs`, import.meta.url), 'utf8');
    } catch {
      // try the next location
    }
  }
  throw new Error(`@sync/kotlin: template ${name}.kt.hbs not found`);
}

function template(name: string): Handlebars.TemplateDelegate {
  let t = compiled.get(name);
  if (!t) {
    if (!hbs.partials['header']) hbs.registerPartial('header', hbs.compile(source('_header'), { strict: true, noEscape: true }));
    t = hbs.compile(source(name), { strict: true, noEscape: true });
    compiled.set(name, t);
  }
  return t;
}

/** Renders template `name` (`templates/<name>.kt.hbs`) with `viewModel`; collapses 3+ newlines. */
export function render(name: string, viewModel: object): string {
  return template(name)(viewModel).replace(/\n{3,}/g, '\n\n');
}
