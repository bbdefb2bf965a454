/**
 * Enum schema → `enum class` implementing `WireEnum`, with an `UNKNOWN` fallback entry and the
 * runtime's `FallbackEnumSerializer`: a member added on the server later decodes to `UNKNOWN`
 * instead of failing the whole response (old app versions keep working).
 */
import type { EnumDecl } from '@sync/core';
import { Imports } from '../imports.js';
import { enumEntryNames, kt, RUNTIME_PACKAGE, type NameTable } from '../naming.js';
import { header, kdoc, type FileHeader } from './common.js';

export interface EnumVM extends FileHeader {
  doc: string;
  name: string;
  serialName: string;
  isNumber: boolean;
  entries: { doc: string; name: string; wire: string }[];
  unknown: string;
}

export function translateEnum(decl: EnumDecl, names: NameTable): EnumVM {
  const imports = new Imports(names.packages.model);
  imports.add('kotlinx.serialization.Serializable');
  imports.add(`${RUNTIME_PACKAGE}.serial.FallbackEnumSerializer`);
  imports.add(`${RUNTIME_PACKAGE}.serial.WireEnum`);
  const { entries, unknown } = enumEntryNames(decl.members.map((m) => m.value));
  const name = names.types.get(decl.name)!;
  return {
    ...header(names.packages.model, imports),
    doc: kdoc([decl.description, decl.deprecated ? 'Deprecated.' : null]),
    name,
    serialName: kt.stringLiteral(name),
    isNumber: decl.base !== 'string',
    entries: decl.members.map((m, i) => ({ doc: kdoc([m.description], '    '), name: entries[i]!, wire: kt.stringLiteral(String(m.value)) })),
    unknown,
  };
}
