/**
 * An IR object declaration → a Codable struct (one file per schema). Synthesised Codable is used
 * when it is exact; custom `init(from:)`/`encode(to:)` when a field needs the runtime's decimal
 * coding, a required nullable field must encode `null`, or a const value must be checked (which
 * makes const-tagged unions decode the right variant).
 */
import type { Entity, Field, ObjectDecl } from '@sync/core';
import { docComment, fitCall, stringLiteral, wrapSpecText } from '../naming.js';
import { isFieldDecimal, swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import { isServerSetOptional } from './live-row.js';
import type { StructField, StructModel } from './view-models.js';

const bare = (name: string): string => name.replace(/^`(.*)`$/, '$1');

/** Swift literal of a const value, used as a parameter default. */
function literalValue(f: Field): string | null {
  if (f.type.kind !== 'literal') return null;
  const v = f.type.value;
  return typeof v === 'string' ? stringLiteral(v) : String(v);
}

function decodeLine(f: Field, name: string, type: string, optional: boolean): string {
  const base = optional ? type.slice(0, -1) : type;
  if (isFieldDecimal(f.type)) return fitCall(`self.${name} = try container.decodeDecimal${optional ? 'IfPresent' : ''}`, [`forKey: .${name}`], '    ');
  return fitCall(`self.${name} = try container.decode${optional ? 'IfPresent' : ''}`, [`${base}.self`, `forKey: .${name}`], '    ');
}

function encodeLine(f: Field, name: string, optional: boolean, serverSet: boolean): string {
  const ifPresent = optional && (!f.required || serverSet) ? 'IfPresent' : '';
  const fn = isFieldDecimal(f.type) ? 'encodeDecimal' : 'encode';
  return fitCall(`try container.${fn}${ifPresent}`, [name, `forKey: .${name}`], '    ');
}

function translateField(ctx: TranslateContext, decl: ObjectDecl, f: Field, i: number): StructField {
  const name = ctx.fieldNamesOf(decl)[i]!;
  const serverSet = isServerSetOptional(ctx, decl, f);
  const optional = !f.required || f.nullable || f.type.nullable === true || serverSet;
  const inner = swiftType({ ...f.type, nullable: undefined } as Field['type'], ctx.names);
  const type = optional ? `${inner}?` : inner;
  const constant = literalValue(f);
  const defaultValue = optional ? ' = nil' : constant !== null ? ` = ${constant}` : '';
  const check =
    constant !== null && !optional
      ? `guard ${name} == ${constant} else {\n      throw DecodingError.dataCorruptedError(\n        forKey: .${name}, in: container, debugDescription: ${stringLiteral(`expected ${String(f.type.kind === 'literal' ? f.type.value : '')}`)})\n    }`
      : '';
  return {
    doc: docComment(
      [
        f.description ?? '',
        serverSet ? 'Set by the server: `nil` until the server has stored the row (a create not synced yet).' : '',
        f.deprecated ? '- Warning: deprecated.' : '',
      ]
        .filter(Boolean)
        .map((text) => wrapSpecText(text, 94))
        .join('\n\n'),
      '  ',
    ),
    attribute: ctx.isIndirect(decl, i) ? '@Indirect ' : '',
    name,
    type,
    codingCase: bare(name) === f.wireName ? `case ${name}` : `case ${name} = ${stringLiteral(f.wireName)}`,
    param: `${name}: ${type}${defaultValue}`,
    decode: decodeLine(f, name, type, optional),
    encode: encodeLine(f, name, optional, serverSet),
    check,
  };
}

/** `Identifiable` when a non-optional property is called `id`, or through the entity's key. */
function identity(fields: StructField[], decl: ObjectDecl, entity: Entity | undefined): StructModel['idAlias'] | 'id' | null {
  const id = fields.find((f) => f.name === 'id');
  if (id) return id.type.endsWith('?') ? null : 'id';
  const pk = entity?.primaryKey;
  if (!pk) return null;
  const i = decl.fields.findIndex((f) => f.wireName === pk.field);
  const field = fields[i];
  if (!field || field.type.endsWith('?')) return null;
  return { type: field.type, property: field.name };
}

export function translateObject(ctx: TranslateContext, decl: ObjectDecl): StructModel {
  const fields = decl.fields.map((f, i) => translateField(ctx, decl, f, i));
  const entity = ctx.ir.entities.find((e) => e.schema === decl.name);
  const id = identity(fields, decl, entity);
  const customCoding =
    fields.some((f) => f.attribute !== '') ||
    decl.fields.some((f) => isFieldDecimal(f.type) || (f.required && f.nullable) || (f.type.kind === 'literal' && f.required));
  const renamed = fields.some((f) => f.codingCase.includes('='));
  return {
    imports: ['Foundation', 'SyncPatternsClient'],
    doc: docComment(wrapSpecText(decl.description ?? '', 96)),
    name: ctx.names.types.get(decl.name)!,
    conformances: ['Codable', 'Sendable', 'Hashable', ...(id ? ['Identifiable'] : [])].join(', '),
    fields,
    hasFields: fields.length > 0,
    codingKeys: fields.length > 0 && (customCoding || renamed),
    customCoding: fields.length > 0 && customCoding,
    idAlias: id && id !== 'id' ? id : null,
  };
}
