/** Every schema declaration → one file under `Models/` (no giant Types.swift). */
import type { GeneratedFile } from '@sync/core';
import { render } from '../render.js';
import type { TranslateContext } from './context.js';
import { translateAlias } from './model-alias.js';
import { translateEnum } from './model-enum.js';
import { translateObject } from './model-object.js';
import { translateUnion } from './model-union.js';

export function modelFiles(ctx: TranslateContext): GeneratedFile[] {
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
        return { path, contents: render('model-struct', translateObject(ctx, decl)) };
      case 'enum':
        return { path, contents: render('model-enum', translateEnum(ctx, decl)) };
      case 'union':
        return { path, contents: render('model-union', translateUnion(ctx, decl)) };
      case 'alias':
        return { path, contents: render('model-alias', translateAlias(ctx, decl)) };
    }
  });
}
