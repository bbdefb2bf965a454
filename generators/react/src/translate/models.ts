/**
 * One `models/<schema>.ts` per IR declaration: objects as interfaces (wire names as keys, `?:`
 * for optional, `| null` for nullable), enums as a literal union plus an `as const` array,
 * oneOf/anyOf as unions (discriminated by a literal tag when the IR has a discriminator),
 * aliases as type aliases; plus the derived create/update shapes of entities whose item schema
 * this is (see entity-shapes.ts).
 */
import type { Field, ObjectDecl, SchemaDecl, TypeRef, UnionDecl, UnionVariant } from '@sync/core';
import { banner, docComment, propertyKey, stringLiteral } from '../naming.js';
import { referencedDecls } from '../type-map.js';
import type { Context } from './context.js';

export interface FieldView {
  doc: string;
  key: string;
  optional: boolean;
  type: string;
}

export interface DeclView {
  doc: string;
  name: string;
  isInterface: boolean;
  isEnum: boolean;
  /** Type alias text for unions and aliases ('' otherwise). */
  aliasType: string;
  fields: FieldView[];
  /** Index signature value type, or '' when extra properties are not allowed. */
  indexSignature: string;
  valuesName: string;
  values: string[];
}

export interface DerivedView {
  doc: string;
  name: string;
  type: string;
}

export interface ModelFileView {
  banner: string;
  imports: { names: string; specifier: string }[];
  decl: DeclView;
  derived: DerivedView[];
}

function docOf(description: string | undefined, deprecated: boolean, indent = ''): string {
  const text = [description ?? '', deprecated ? '@deprecated' : ''].filter(Boolean).join('\n');
  return docComment(text, indent);
}

function fieldView(ctx: Context, f: Field): FieldView {
  return {
    doc: docOf(f.description, f.deprecated, '  '),
    key: propertyKey(f.wireName),
    optional: !f.required,
    type: ctx.typeOf(f.type),
  };
}

/** A variant of a discriminated union: `Omit<Cat, 'pet_type'> & { pet_type: 'cat' }`. */
function variantType(ctx: Context, union: UnionDecl, v: UnionVariant): string {
  const base = ctx.typeOf(v.type);
  if (!union.discriminator || v.tags.length === 0) return base;
  const prop = union.discriminator.property;
  const tag = `{ ${propertyKey(prop)}: ${v.tags.map(stringLiteral).join(' | ')} }`;
  const target = v.type.kind === 'ref' ? ctx.decl(v.type.name) : undefined;
  const hasProp = target?.kind === 'object' && target.fields.some((f) => f.wireName === prop);
  return hasProp ? `(Omit<${base}, ${stringLiteral(prop)}> & ${tag})` : `(${base} & ${tag})`;
}

function indexSignature(ctx: Context, d: ObjectDecl): string {
  if (!d.additionalProperties) return '';
  return d.fields.length === 0 ? ctx.typeOf(d.additionalProperties) : 'unknown';
}

function declView(ctx: Context, d: SchemaDecl): DeclView {
  const view: DeclView = {
    doc: docOf(d.description, d.deprecated),
    name: ctx.declType.get(d.name)!,
    isInterface: d.kind === 'object',
    isEnum: d.kind === 'enum',
    aliasType: '',
    fields: [],
    indexSignature: '',
    valuesName: '',
    values: [],
  };
  if (d.kind === 'object') {
    view.fields = d.fields.map((f) => fieldView(ctx, f));
    view.indexSignature = indexSignature(ctx, d);
  } else if (d.kind === 'enum') {
    view.values = d.members.map((m) =>
      typeof m.value === 'string' ? stringLiteral(m.value) : String(m.value),
    );
    view.valuesName = ctx.enumValues.get(d.name)!;
    view.aliasType = view.values.length ? view.values.join(' | ') : 'never';
  } else if (d.kind === 'union') {
    view.aliasType = d.variants.map((v) => variantType(ctx, d, v)).join(' | ');
  } else view.aliasType = ctx.typeOf(d.type);
  return view;
}

/** Declarations a declaration's type text mentions (its imports). */
function references(d: SchemaDecl): Set<string> {
  const refs = new Set<string>();
  const add = (t: TypeRef | null) => t && referencedDecls(t, refs);
  if (d.kind === 'object') {
    d.fields.forEach((f) => add(f.type));
    add(d.additionalProperties);
  } else if (d.kind === 'union') d.variants.forEach((v) => add(v.type));
  else if (d.kind === 'alias') add(d.type);
  refs.delete(d.name);
  return refs;
}

/** Derived write shapes of the entities whose item schema is `d`. */
function derivedViews(ctx: Context, d: SchemaDecl): DerivedView[] {
  const own = ctx.declType.get(d.name)!;
  return [...ctx.entities.values()]
    .filter((e) => e.entity.schema === d.name)
    .flatMap((e) =>
      [e.shapes.create, e.shapes.update]
        .filter((s) => s.derived)
        .map((s) => {
          const omitted = s.omit.length
            ? `Omit<${own}, ${s.omit.map(stringLiteral).join(' | ')}>`
            : own;
          const what = s.partial ? 'update (PATCH)' : 'create';
          return {
            doc: docComment(
              `The ${what} body of ${e.entity.name}: ${d.name} without its read-only fields${s.partial ? ', every field optional' : ''}.`,
            ),
            name: s.name,
            type: s.partial ? `Partial<${omitted}>` : omitted,
          };
        }),
    );
}

/** View model of `models/<file>.ts` for one declaration. */
export function translateModel(ctx: Context, d: SchemaDecl): ModelFileView {
  const imports = [...references(d)]
    .sort()
    .map((r) => ({ names: ctx.declType.get(r)!, specifier: `./${ctx.declFile.get(r)!}.js` }));
  return { banner: banner(ctx.ir), imports, decl: declView(ctx, d), derived: derivedViews(ctx, d) };
}
