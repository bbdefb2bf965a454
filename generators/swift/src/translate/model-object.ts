/**
 * An IR object declaration → a Codable struct (one file per schema). Synthesised Codable is used
 * when it is exact; custom `init(from:)`/`encode(to:)` when a field needs the runtime's decimal
 * coding, a required nullable field must encode `null`, or a const value must be checked (which
 * makes const-tagged unions decode the right variant).
 */
import type { Entity, Field, ObjectDecl } from '@sync/core';
import { docText, stringLiteral, wrapSpecText } from '../naming.js';
import { isFieldDecimal, swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import { isServerSetOptional } from './live-row.js';
import type { StructField, StructModel } from '../view-models.js';

const bare = (name: string): string => name.replace(/^`(.*)`$/, '$1');

/** Swift literal of a const value, used as a parameter default. */
function literalValue(f: Field): string | null {
  if (f.type.kind !== 'literal') return null;
  const v = f.type.value;
  return typeof v === 'string' ? stringLiteral(v) : String(v);
}

function translateField(ctx: TranslateContext, decl: ObjectDecl, f: Field, i: number): StructField {
  const name = ctx.fieldNamesOf(decl)[i]!;
  const serverSet = isServerSetOptional(ctx, decl, f);
  const optional = !f.required || f.nullable || f.type.nullable === true || serverSet;
  const valueType = swiftType({ ...f.type, nullable: undefined } as Field['type'], ctx.names);
  const constant = literalValue(f);
  return {
    doc: docText(
      [
        f.description ?? '',
        serverSet ? 'Set by the server: `nil` until the server has stored the row (a create not synced yet).' : '',
        f.deprecated ? '- Warning: deprecated.' : '',
      ]
        .filter(Boolean)
        .map((text) => wrapSpecText(text, 94))
        .join('\n\n'),
    ),
    indirect: ctx.isIndirect(decl, i),
    name,
    type: optional ? `${valueType}?` : valueType,
    valueType,
    optional,
    decimal: isFieldDecimal(f.type),
    encodeIfPresent: optional && (!f.required || serverSet),
    wireLiteral: bare(name) === f.wireName ? null : stringLiteral(f.wireName),
    defaultValue: optional ? 'nil' : constant,
    constant:
      constant !== null && !optional
        ? { literal: constant, expected: stringLiteral(`expected ${String(f.type.kind === 'literal' ? f.type.value : '')}`) }
        : null,
  };
}

/** `Identifiable` when a non-optional property is called `id`, or through the entity's key. */
function identity(fields: StructField[], decl: ObjectDecl, entity: Entity | undefined): StructModel['idAlias'] | 'id' | null {
  const id = fields.find((f) => f.name === 'id');
  if (id) return id.optional ? null : 'id';
  const pk = entity?.primaryKey;
  if (!pk) return null;
  const i = decl.fields.findIndex((f) => f.wireName === pk.field);
  const field = fields[i];
  if (!field || field.optional) return null;
  return { type: field.type, property: field.name };
}

export function translateObject(ctx: TranslateContext, decl: ObjectDecl): StructModel {
  const fields = decl.fields.map((f, i) => translateField(ctx, decl, f, i));
  const entity = ctx.ir.entities.find((e) => e.schema === decl.name);
  const id = identity(fields, decl, entity);
  const customCoding =
    fields.some((f) => f.indirect) ||
    decl.fields.some((f) => isFieldDecimal(f.type) || (f.required && f.nullable) || (f.type.kind === 'literal' && f.required));
  const renamed = fields.some((f) => f.wireLiteral !== null);
  return {
    ...ctx.header(['Foundation', 'SyncPatternsClient']),
    doc: docText(wrapSpecText(decl.description ?? '', 96)),
    name: ctx.names.types.get(decl.name)!,
    identifiable: id !== null,
    fields,
    hasFields: fields.length > 0,
    codingKeys: fields.length > 0 && (customCoding || renamed),
    customCoding: fields.length > 0 && customCoding,
    idAlias: id && id !== 'id' ? id : null,
  };
}
