/**
 * The render stage: `SwiftPlan`s in, Swift files out, through the kit (`templateSet`,
 * `renderPlans`). Templates are `src/templates/<name>.swift.hbs` (one per artifact, the `header`
 * partial shared), loaded lazily by the kit. A few lines need a layout decision a template cannot
 * make (a call fitted into swift-format's 100 columns); the builders in this folder own those
 * lines and add them to the view before printing. Render never sees the IR and never imports
 * translate/.
 */
import { renderPlans, templateSet, type FilePlan } from '@sync/codegen';
import type { GeneratedFile } from '@sync/core';
import type { SwiftPlan, SwiftTemplate } from '../plan.js';
import { printOperations } from './operation.js';
import { printLiveRecords } from './live-records.js';
import { printLiveStore } from './live-store.js';
import { printLiveTable } from './live-table.js';
import { printPushStore } from './push-store.js';
import { printStruct } from './model.js';

const templates = templateSet<SwiftTemplate>({
  owner: '@sync/swift',
  // src/render/ → src/templates/; dist/render/ → the package's src/templates/.
  folders: [new URL('../templates/', import.meta.url), new URL('../../src/templates/', import.meta.url)],
  extension: '.swift.hbs',
  preventIndent: true,
});

/** What a template prints: the plan's view plus the lines its builders own. */
function printable(p: SwiftPlan): FilePlan<SwiftTemplate> {
  switch (p.template) {
    case 'model-struct':
      return { ...p, view: printStruct(p.view) };
    case 'client-operations':
      return { ...p, view: printOperations(p.view) };
    case 'push-store':
      return { ...p, view: printPushStore(p.view) };
    case 'live-records':
      return { ...p, view: printLiveRecords(p.view) };
    case 'live-table':
      return { ...p, view: printLiveTable(p.view) };
    case 'live-store':
      return { ...p, view: printLiveStore(p.view) };
    default:
      return p;
  }
}

/** Swift text normalisation: no trailing spaces, at most one blank line, exactly one final newline. */
export function finishSwift(text: string): string {
  const trimmed = text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
  return `${trimmed.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Renders every plan, in order. */
export function renderSwift(plans: readonly SwiftPlan[]): GeneratedFile[] {
  return renderPlans(plans.map(printable), templates, finishSwift);
}
