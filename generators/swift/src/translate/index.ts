/**
 * The translate stage: IR → `SwiftPlan`s (one per output file: path, template, view model) and
 * diagnostics. It never renders; see render/ for the other half.
 */
import type { Diagnostic, SyncIR } from '@sync/core';
import type { SwiftPlan } from '../plan.js';
import { clientPlans } from './client.js';
import { createContext, type TranslateContext } from './context.js';
import { modelPlans } from './models.js';
import { storePlans } from './stores.js';

/** Plans sorted by path (the order of the output). */
export function translateSwift(ir: SyncIR, options: TranslateContext['options']): { plans: SwiftPlan[]; diagnostics: Diagnostic[] } {
  const ctx = createContext(ir, options);
  const plans = [...modelPlans(ctx), ...clientPlans(ctx), ...storePlans(ctx)];
  plans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { plans, diagnostics: ctx.diagnostics };
}
