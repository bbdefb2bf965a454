/**
 * The typed stage between translating and rendering, the same for the three targets:
 *
 *     translate(ir, options) → FilePlan[] → render(plan) → GeneratedFile[]
 *
 * A `FilePlan` says which file to write (`path`), with which template, from which view model. The
 * view model is data only (names, types, flags, lists); it never holds code text, so one output
 * line is owned by one place (its template, or a small structured builder called by the renderer).
 * Translation never renders, and rendering never looks at the IR: a target's `render` takes the
 * plans and nothing else.
 */
import type { GeneratedFile } from '@sync/core';
import type { TemplateSet } from './templates.js';

export interface FilePlan<Template extends string = string, View extends object = object> {
  /** Relative to the output folder, `/`-separated. */
  path: string;
  template: Template;
  view: View;
}

/**
 * Renders every plan with `templates` and `finish` (the target's text normalisation, e.g. one
 * trailing newline), keeping the plans' order. Paths are checked by the writer, not here.
 */
export function renderPlans<T extends string>(
  plans: readonly FilePlan<T>[],
  templates: TemplateSet<T>,
  finish: (text: string, plan: FilePlan<T>) => string = (text) => text,
): GeneratedFile[] {
  return plans.map((plan) => ({
    path: plan.path,
    contents: finish(templates.render(plan.template, plan.view), plan),
  }));
}
