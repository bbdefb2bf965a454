/**
 * An IR enum → a Swift enum with one case per member plus `unknown(…)`, so a value the server adds
 * later decodes instead of failing (custom `init(from:)`), and `rawValue` round-trips it.
 */
import type { EnumDecl } from '@sync/core';
import { caseNames, docText, stringLiteral } from '../naming.js';
import type { TranslateContext } from './context.js';
import type { EnumModel } from '../view-models.js';

const RAW_TYPES = { string: 'String', integer: 'Int', number: 'Double' } as const;

/** Swift literal of a member value (`"in-progress"`, `-1`, `1.5`). */
function memberLiteral(value: string | number, base: EnumDecl['base']): string {
  if (base === 'string') return stringLiteral(String(value));
  const n = Number(value);
  return base === 'number' && Number.isInteger(n) ? `${n}.0` : String(n);
}

export function translateEnum(ctx: TranslateContext, decl: EnumDecl): EnumModel {
  const names = caseNames(decl.members.map((m) => m.value));
  return {
    ...ctx.header(['Foundation']),
    doc: docText(decl.description ?? ''),
    name: ctx.names.types.get(decl.name)!,
    rawType: RAW_TYPES[decl.base],
    hasCases: decl.members.length > 0,
    cases: decl.members.map((m, i) => ({
      doc: docText(m.description ?? ''),
      name: names[i]!,
      literal: memberLiteral(m.value, decl.base),
    })),
  };
}
