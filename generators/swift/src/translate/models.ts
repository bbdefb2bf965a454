/** Every schema declaration → one file under `Models/` (no giant Types.swift). */
import { plan, type SwiftPlan } from '../plan.js';
import type { TranslateContext } from './context.js';
import { translateAlias } from './model-alias.js';
import { translateEnum } from './model-enum.js';
import { translateObject } from './model-object.js';
import { translateUnion } from './model-union.js';

export function modelPlans(ctx: TranslateContext): SwiftPlan[] {
  return ctx.ir.schemas.map((decl) => {
    const path = `Models/${ctx.names.types.get(decl.name)!}.swift`;
    switch (decl.kind) {
      case 'object':
        if (decl.additionalProperties) {
          ctx.diagnostics.push({
            severity: 'warning',
            code: 'SP0602',
            message: `additional properties of ${decl.name} are not decoded by the Swift client (only its declared fields are)`,
            file: decl.source.file,
            pointer: decl.source.pointer,
          });
        }
        return plan(path, 'model-struct', translateObject(ctx, decl));
      case 'enum':
        return plan(path, 'model-enum', translateEnum(ctx, decl));
      case 'union':
        return plan(path, 'model-union', translateUnion(ctx, decl));
      case 'alias':
        return plan(path, 'model-alias', translateAlias(ctx, decl));
    }
  });
}
