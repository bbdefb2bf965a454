/**
 * The render stage: a view model and a template name in, Swift source out. Templates are
 * Handlebars files in `src/templates/` (one per artifact, `<artifact>.swift.hbs`), compiled once in
 * strict mode without HTML escaping; they hold no logic beyond loops, precomputed booleans and
 * the `header` partial. Reading them happens at module load, never during `generate`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

const here = path.dirname(fileURLToPath(import.meta.url));
/** `src/templates` next to this file, or from `dist/` the package's `src/templates`. */
const templatesDir = [path.join(here, 'templates'), path.join(here, '..', 'src', 'templates')].find((d) => existsSync(d));
if (!templatesDir) throw new Error(`@sync/swift: templates folder not found next to ${here}`);

const hb = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();
for (const file of readdirSync(templatesDir).sort()) {
  if (!file.endsWith('.swift.hbs')) continue;
  const name = file.slice(0, -'.swift.hbs'.length);
  const source = readFileSync(path.join(templatesDir, file), 'utf8');
  hb.registerPartial(name, source);
  compiled.set(name, hb.compile(source, { strict: true, noEscape: true, preventIndent: true }));
}

export type TemplateName =
  | 'model-struct'
  | 'model-enum'
  | 'model-union'
  | 'model-alias'
  | 'client'
  | 'client-operations'
  | 'push-store'
  | 'live-records'
  | 'live-sql'
  | 'live-table'
  | 'live-store'
  | 'live-schema';

/** Renders one file; output ends with exactly one newline and has no trailing spaces. */
export function render(template: TemplateName, model: object): string {
  const t = compiled.get(template);
  if (!t) throw new Error(`@sync/swift: no template ${template}.swift.hbs`);
  const text = t(model)
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
  return `${text.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
