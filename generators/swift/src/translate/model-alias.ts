/** An IR alias (a named array, scalar, map…) → a `typealias`. */
import type { AliasDecl } from '@sync/core';
import { docText } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import type { AliasModel } from '../view-models.js';

export function translateAlias(ctx: TranslateContext, decl: AliasDecl): AliasModel {
  return {
    ...ctx.header(['Foundation', 'SyncPatternsClient']),
    doc: docText(decl.description ?? ''),
    name: ctx.names.types.get(decl.name)!,
    type: swiftType(decl.type, ctx.names, true),
  };
}
