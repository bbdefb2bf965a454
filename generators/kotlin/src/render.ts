/**
 * Render stage: plans → file text, through the kit (`@sync/codegen`): `templateSet` loads
 * `templates/*.kt.hbs` (Handlebars strict, no HTML escaping, no helpers, every template also a
 * partial: `{{> header}}`) and `renderPlans` prints each plan. The output is Kotlin; every string
 * a view model carries was already made safe by core's naming module. Never reads the IR and never
 * imports translate/: the plans are all it gets.
 */
import type { GeneratedFile } from '@sync/core';
import { renderPlans, templateSet, type TemplateSet } from '@sync/codegen';
import type { EditorconfigView, KotlinPlan, KotlinTemplate } from './plan.js';
import { editorconfig } from './render/editorconfig.js';

const kotlinTemplates = templateSet<Exclude<KotlinTemplate, 'editorconfig'>>({
  owner: '@sync/kotlin',
  // Templates ship next to the sources (package.json "files": src/templates), also for dist/.
  folders: [new URL('./templates/', import.meta.url), new URL('../src/templates/', import.meta.url)],
  extension: '.kt.hbs',
});

/** The Kotlin templates, and the `.editorconfig` printer for the one plan that is not Kotlin. */
const templates: TemplateSet<KotlinTemplate> = {
  render: (name, view) => (name === 'editorconfig' ? editorconfig(view as EditorconfigView) : kotlinTemplates.render(name, view)),
  names: () => [...kotlinTemplates.names(), 'editorconfig'].sort(),
};

/** Templates print blank lines around optional sections; at most one blank line is kept. */
const finish = (text: string): string => text.replace(/\n{3,}/g, '\n\n');

export function render(plans: readonly KotlinPlan[]): GeneratedFile[] {
  return renderPlans(plans, templates, finish);
}
