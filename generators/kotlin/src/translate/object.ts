/**
 * Object schema → `@Serializable data class`. Optional (absent allowed) and nullable stay
 * distinct: an optional property is `T? = null` (omitted from the JSON when null, as
 * `encodeDefaults = false`), a required nullable one is `T?` without a default (always sent).
 *
 * A field only the server fills (core's `awaitsServerValue`: an entity's server-set column such as
 * `created_at`, not its key nor a nested create's parent key) is `T? = null` too, in push and live
 * mode alike (one interface): a row created on the device has no such value until the server has
 * stored it, and nothing invents one.
 */
import { awaitsServerValue, type ObjectDecl, type SyncIR } from '@sync/core';
import { Imports } from '../imports.js';
import { fieldNames, kt, type NameTable } from '../naming.js';
import { kotlinType } from '../type-map.js';
import { header, kdoc, type FileHeader } from './common.js';

export interface PropertyVM {
  doc: string;
  /** `@SerialName` argument (a string literal) when the Kotlin name differs from the wire name. */
  serialName: string | null;
  name: string;
  type: string;
  optional: boolean;
}

export interface ObjectVM extends FileHeader {
  doc: string;
  name: string;
  /** No fields: a plain `class` (a data class needs at least one property). */
  empty: boolean;
  properties: PropertyVM[];
}

const bare = (name: string): string => name.replace(/^`|`$/g, '');

/** KDoc line of a field only the server fills. */
export const SERVER_SET_DOC = 'Set by the server: null until the server has stored the row.';

export function translateObject(decl: ObjectDecl, ir: SyncIR, names: NameTable): ObjectVM {
  const imports = new Imports(names.packages.model);
  imports.add('kotlinx.serialization.Serializable');
  const propNames = fieldNames(decl.fields);
  const properties = decl.fields.map((field, i): PropertyVM => {
    const name = propNames[i]!;
    const base = kotlinType(field.type, { names, imports });
    const serverSet = field.required && !base.endsWith('?') && awaitsServerValue(ir, decl.name, field.wireName);
    const optional = !field.required || serverSet;
    const serialName = bare(name) === field.wireName ? null : kt.stringLiteral(field.wireName);
    if (serialName) imports.add('kotlinx.serialization.SerialName');
    const notes = [
      serverSet ? SERVER_SET_DOC : field.readOnly ? 'Read-only: set by the server.' : null,
      field.sync.exclude ? 'Local only (`x-sync-exclude`): never sent to the server.' : null,
    ];
    return {
      doc: kdoc([field.description, ...notes, field.deprecated ? 'Deprecated.' : null], '    '),
      serialName,
      name,
      type: optional && !base.endsWith('?') ? `${base}?` : base,
      optional,
    };
  });
  return {
    ...header(names.packages.model, imports),
    doc: kdoc([decl.description, decl.deprecated ? 'Deprecated.' : null]),
    name: names.types.get(decl.name)!,
    empty: properties.length === 0,
    properties,
  };
}
