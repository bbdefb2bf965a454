/** Alias schema (`Tags: array of string`, `Timestamp: date-time`) → `typealias`. */
import type { AliasDecl } from '@sync/core';
import { Imports } from '../imports.js';
import type { NameTable } from '../naming.js';
import { kotlinType } from '../type-map.js';
import { header, kdoc, type FileHeader } from './common.js';

export interface AliasVM extends FileHeader {
  doc: string;
  name: string;
  type: string;
}

export function translateAlias(decl: AliasDecl, names: NameTable): AliasVM {
  const imports = new Imports(names.packages.model);
  const type = kotlinType(decl.type, { names, imports });
  return { ...header(names.packages.model, imports), doc: kdoc([decl.description]), name: names.types.get(decl.name)!, type };
}
