/**
 * `Client/APIClient.swift` (the client struct and its default base URL) and one
 * `Client/APIClient+<Group>.swift` per entity (or first tag) holding its operations, so that no
 * file grows with the size of the spec.
 */
import type { Operation } from '@sync/core';
import { docText, stringLiteral, typeName } from '../naming.js';
import { plan, type SwiftPlan } from '../plan.js';
import type { TranslateContext } from './context.js';
import { translateOperation } from './operation.js';

function groupOf(ctx: TranslateContext, op: Operation): string {
  if (op.entity) {
    const e = ctx.ir.entities.find((x) => x.name === op.entity!.name);
    if (e) return typeName(e.plural);
  }
  return typeName(op.tags[0] ?? 'Operations');
}

export function clientPlans(ctx: TranslateContext): SwiftPlan[] {
  const base = ctx.options.apiBaseUrl ?? ctx.ir.servers[0] ?? 'http://localhost';
  const files: SwiftPlan[] = [
    plan('Client/APIClient.swift', 'client', {
      ...ctx.header(['Foundation', 'SyncPatternsClient']),
      doc: docText(`Client for ${ctx.ir.info.title} ${ctx.ir.info.version}.\n\nEvery operation of the spec is a method in an \`APIClient+<Group>.swift\` extension.`),
      baseURL: stringLiteral(base),
    }),
  ];
  const groups = new Map<string, Operation[]>();
  for (const op of ctx.ir.operations) {
    const g = groupOf(ctx, op);
    groups.set(g, [...(groups.get(g) ?? []), op]);
  }
  for (const [group, ops] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    files.push(
      plan(`Client/APIClient+${group}.swift`, 'client-operations', {
        ...ctx.header(['Foundation', 'SyncPatternsClient']),
        operations: ops.map((op) => translateOperation(ctx, op)),
      }),
    );
  }
  return files;
}
