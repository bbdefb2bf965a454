/**
 * Shared state of one translation: the IR, the name table, per-object property names and the set
 * of fields that must be boxed because they recurse by value.
 */
import type { Diagnostic, ObjectDecl, SchemaDecl, SyncIR, TypeRef } from '@sync/core';
import { bannerLines } from '@sync/codegen';
import { buildNameTable, commentLines, fieldNames, type NameTable } from '../naming.js';
import { SWIFT_GENERATOR } from '../package-info.js';
import type { FileHeader } from '../view-models.js';

export interface TranslateContext {
  ir: SyncIR;
  names: NameTable;
  schemas: ReadonlyMap<string, SchemaDecl>;
  /** Property names of an object declaration, in field order. */
  fieldNamesOf(decl: ObjectDecl): string[];
  /** Whether `field` of `decl` must be `@Indirect` (a struct cannot contain itself by value). */
  isIndirect(decl: ObjectDecl, fieldIndex: number): boolean;
  diagnostics: Diagnostic[];
  options: { apiBaseUrl?: string; electricUrl?: string };
  /** The banner and the given imports, the start of every file. */
  header(imports: string[]): FileHeader;
}

/** Declarations a type holds by value (not through an array or a map, which are heap-backed). */
function directRefs(t: TypeRef, schemas: ReadonlyMap<string, SchemaDecl>): string[] {
  if (t.kind !== 'ref') return [];
  const decl = schemas.get(t.name);
  if (decl?.kind === 'alias') return [t.name, ...directRefs(decl.type, schemas)];
  return [t.name];
}

/** Edges "object holds declaration by value"; unions are `indirect enum`s and break cycles. */
function reaches(from: string, target: string, schemas: ReadonlyMap<string, SchemaDecl>): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (name === target) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    const decl = schemas.get(name);
    if (decl?.kind === 'object') for (const f of decl.fields) stack.push(...directRefs(f.type, schemas));
    if (decl?.kind === 'alias') stack.push(...directRefs(decl.type, schemas));
  }
  return false;
}

export function createContext(ir: SyncIR, options: TranslateContext['options']): TranslateContext {
  const schemas = new Map(ir.schemas.map((s) => [s.name, s] as const));
  const names = buildNameTable(ir);
  const fieldCache = new Map<string, string[]>();
  // The header template prints each line after `//`; spec text in it may hold line breaks.
  const banner = commentLines(bannerLines(ir, SWIFT_GENERATOR));
  return {
    ir,
    names,
    schemas,
    diagnostics: [],
    options,
    header: (imports) => ({ banner, imports }),
    fieldNamesOf(decl) {
      let cached = fieldCache.get(decl.name);
      if (!cached) fieldCache.set(decl.name, (cached = fieldNames(decl.fields.map((f) => f.wireName))));
      return cached;
    },
    isIndirect(decl, i) {
      const field = decl.fields[i];
      if (!field) return false;
      return directRefs(field.type, schemas).some((ref) => reaches(ref, decl.name, schemas));
    },
  };
}
