/**
 * The translation context: every name of the output decided once, up front, from the IR alone
 * (so file names and identifiers never depend on which artifact asks first). Each translate
 * function reads names from here and never derives one itself.
 */
import type { Diagnostic, Entity, Operation, SchemaDecl, SyncIR, TypeRef } from '@sync/core';
import * as names from '../naming.js';
import type { ResolvedOptions } from '../options.js';
import { tsType } from '../type-map.js';
import { entityShapes, type EntityShapes } from './entity-shapes.js';
import { operationGroups } from './operation-groups.js';

export interface EntityContext {
  entity: Entity;
  names: names.EntityNames;
  /** File base name under `hooks/`. */
  file: string;
  shapes: EntityShapes;
}

export interface Context {
  ir: SyncIR;
  options: ResolvedOptions;
  diagnostics: Diagnostic[];
  /** Declaration name → TS type name / file base under `models/` / enum values const. */
  declType: Map<string, string>;
  declFile: Map<string, string>;
  enumValues: Map<string, string>;
  /** Operation name → function name / params type name / file base under `api/`. */
  opFunction: Map<string, string>;
  opParams: Map<string, string>;
  opFile: Map<string, string>;
  entities: Map<string, EntityContext>;
  decl(name: string): SchemaDecl | undefined;
  operation(name: string): Operation | undefined;
  typeOf(ref: TypeRef): string;
}

/** Raw names in scope order: types first, then values (one scope: `export *` merges both). */
function rawScope(ir: SyncIR, shapes: Map<string, EntityShapes>) {
  const entityNames = ir.entities.map((e) => names.entityNames(e.name, e.plural));
  const enums = ir.schemas.filter((s) => s.kind === 'enum');
  const derived = ir.entities.flatMap((e) => {
    const s = shapes.get(e.name);
    return [
      s?.create.derived ? names.createShapeName(e.name) : null,
      s?.update.derived ? names.updateShapeName(e.name) : null,
    ];
  });
  return {
    types: ir.schemas.map((s) => names.typeName(s.name)),
    derived,
    params: ir.operations.map((o) => names.paramsTypeName(o.name)),
    functions: ir.operations.map((o) => names.operationFunctionName(o.name)),
    enumValues: enums.map((s) => names.enumValuesName(s.name)),
    entityNames,
    enums,
  };
}

/** Assigns every exported name in one uniqueness pass and splits the result back. */
function assignNames(ir: SyncIR, shapes: Map<string, EntityShapes>) {
  const raw = rawScope(ir, shapes);
  const derivedPresent = raw.derived.filter((n): n is string => n !== null);
  const entityFlat = raw.entityNames.flatMap((n) => Object.values(n));
  const all = [
    ...raw.types,
    ...derivedPresent,
    ...raw.params,
    ...raw.functions,
    ...raw.enumValues,
    ...entityFlat,
  ];
  const unique = names.uniqueInScope(all, names.RESERVED_EXPORTS);
  let i = 0;
  const take = (n: number) => unique.slice(i, (i += n));
  const types = take(raw.types.length);
  const derived = take(derivedPresent.length);
  const params = take(raw.params.length);
  const functions = take(raw.functions.length);
  const enumValues = take(raw.enumValues.length);
  const perEntity = raw.entityNames.map((n) => {
    const keys = Object.keys(n) as (keyof names.EntityNames)[];
    const values = take(keys.length);
    return Object.fromEntries(keys.map((k, j) => [k, values[j]!])) as unknown as names.EntityNames;
  });
  return { types, derived, params, functions, enumValues, perEntity, enums: raw.enums };
}

/** Builds the context for one generation run. */
export function createContext(ir: SyncIR, options: ResolvedOptions): Context {
  const diagnostics: Diagnostic[] = [];
  const shapes = new Map(ir.entities.map((e) => [e.name, entityShapes(ir, e)]));
  const n = assignNames(ir, shapes);
  const declType = new Map(ir.schemas.map((s, i) => [s.name, n.types[i]!]));
  const modelFiles = names.fileNames(n.types);
  const groups = operationGroups(ir);
  const groupFiles = names.fileNames(groups.map((g) => g.name));
  const opFile = new Map(
    groups.flatMap((g, i) => g.operations.map((o) => [o, groupFiles[i]!] as const)),
  );
  const hookFiles = names.fileNames(ir.entities.map((e) => e.name));
  let derivedIndex = 0;
  const entities = new Map(
    ir.entities.map((e, i) => {
      const s = shapes.get(e.name)!;
      if (s.create.derived) s.create.name = n.derived[derivedIndex++]!;
      if (s.update.derived) s.update.name = n.derived[derivedIndex++]!;
      return [e.name, { entity: e, names: n.perEntity[i]!, file: hookFiles[i]!, shapes: s }];
    }),
  );
  const decls = new Map(ir.schemas.map((s) => [s.name, s]));
  const ops = new Map(ir.operations.map((o) => [o.name, o]));
  const nameOf = (d: string) => declType.get(d) ?? 'unknown';
  return {
    ir,
    options,
    diagnostics,
    declType,
    declFile: new Map(ir.schemas.map((s, i) => [s.name, modelFiles[i]!])),
    enumValues: new Map(n.enums.map((s, i) => [s.name, n.enumValues[i]!])),
    opFunction: new Map(ir.operations.map((o, i) => [o.name, n.functions[i]!])),
    opParams: new Map(ir.operations.map((o, i) => [o.name, n.params[i]!])),
    opFile,
    entities,
    decl: (name) => decls.get(name),
    operation: (name) => ops.get(name),
    typeOf: (ref) => tsType(ref, nameOf, names.stringLiteral),
  };
}
