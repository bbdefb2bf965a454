/**
 * `api/<group>.ts`: the typed fetch functions of one group of operations (see
 * operation-groups.ts) and their params interfaces. Every operation of the spec appears in
 * exactly one api file, entity or not.
 */
import { banner } from '../naming.js';
import type { Context } from './context.js';
import { translateOperation, type OperationView } from './operation.js';

export interface ApiFileView {
  banner: string;
  modelImports: string[];
  operations: OperationView[];
}

/** View model of one api file holding `operationNames` (IR order). */
export function translateApiFile(ctx: Context, operationNames: readonly string[]): ApiFileView {
  const operations = operationNames.map((n) => translateOperation(ctx, ctx.operation(n)!));
  const used = new Set(operations.flatMap((o) => [...o.uses]));
  return { banner: banner(ctx.ir), modelImports: [...used].sort(), operations };
}
