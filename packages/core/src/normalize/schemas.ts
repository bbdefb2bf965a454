import type { ScalarKind, SchemaDecl, TypeRef } from '../ir/types.js';
import { at, isObject, isRef, locKey, type LoadContext, type Located } from '../load/context.js';
import { pascalCase } from '../naming/words.js';
import { DeclarationBuilder } from './declarations.js';
import {
  isNullable,
  isNullSchema,
  isPydanticDecimal,
  isUnformattedInteger,
  scalarKind,
  typeList,
  UNSUPPORTED_KEYWORDS,
  withNullable,
} from './scalar-types.js';

/**
 * Turns schema objects into {@link TypeRef}s and named {@link SchemaDecl}s.
 *
 * Named declarations come from `components/schemas` (names reserved up front, in sorted order, so a
 * new schema never renames an old one) and from inline objects, enums and unions, which are hoisted
 * under a name derived from where they appear (`Contact` + `status` → `ContactStatus`).
 * References are lazy: a `$ref` becomes `{kind: 'ref'}` to a name, so recursive schemas are fine;
 * only cycles with no real definition in them are errors (SP0111).
 */
export class SchemaTranslator {
  private readonly decls = new Map<string, SchemaDecl>();
  /** location key → declaration name */
  private readonly names = new Map<string, string>();
  private readonly usedNames = new Set<string>();
  private readonly pending: { name: string; loc: Located; componentName: string | null }[] = [];
  private readonly builder = new DeclarationBuilder(this);
  private readonly warnedKeywords = new Set<string>();

  constructor(readonly ctx: LoadContext) {}

  /** Reserves names for every `components/schemas` entry of the root document. */
  registerComponents(): void {
    const schemas = at(
      { doc: this.ctx.root, pointer: '', value: this.ctx.root.value },
      'components',
      'schemas',
    );
    if (!isObject(schemas.value)) return;
    for (const key of Object.keys(schemas.value).sort()) {
      const loc = at(schemas, key);
      const name = this.claim(pascalCase(key) || 'Schema');
      this.names.set(locKey(loc), name);
      // A component that is only a reference to another file adopts its target under this name.
      if (isRef(loc.value) && !loc.value.$ref.startsWith('#')) {
        const target = this.ctx.resolveRef(loc.value.$ref, loc);
        if (target && !this.names.has(locKey(target))) this.names.set(locKey(target), name);
      }
      this.pending.push({ name, loc, componentName: key });
    }
  }

  /** Builds every declaration reached so far (including those discovered while building). */
  flush(): void {
    while (this.pending.length > 0) {
      const next = this.pending.shift()!;
      if (this.decls.has(next.name)) continue;
      this.decls.set(next.name, this.builder.build(next.name, next.loc, next.componentName));
    }
  }

  declarations(): SchemaDecl[] {
    this.flush();
    return [...this.decls.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  decl(name: string): SchemaDecl | undefined {
    this.flush();
    return this.decls.get(name);
  }

  /** Declaration name for a location, if it is (or will be) a named declaration. */
  nameOf(loc: Located): string | undefined {
    return this.names.get(locKey(loc));
  }

  private claim(base: string): string {
    let name = /^[A-Za-z]/.test(base) ? base : `Schema${base}`;
    if (this.usedNames.has(name)) {
      let n = 2;
      while (this.usedNames.has(`${name}${n}`)) n++;
      name = `${name}${n}`;
    }
    this.usedNames.add(name);
    return name;
  }

  /** Names an inline schema (or a schema in another file) and queues it for building. */
  private hoist(loc: Located, hint: string): string {
    const key = locKey(loc);
    const existing = this.names.get(key);
    if (existing) return existing;
    // Hints are already PascalCase compositions (`Contact` + `Status`); re-casing them would turn
    // `TV` into `Tv`. Only raw tokens (file names, pointer tokens) need casing.
    const name = this.claim(/^[A-Z][A-Za-z0-9]*$/.test(hint) ? hint : pascalCase(hint) || 'Inline');
    this.names.set(key, name);
    this.pending.push({ name, loc, componentName: null });
    return name;
  }

  /**
   * The type of a schema at `loc`. `hint` names any declaration that has to be hoisted from here.
   */
  typeOf(loc: Located, hint: string): TypeRef {
    const v = loc.value;
    if (v === true || (isObject(v) && Object.keys(v).length === 0)) return { kind: 'unknown' };
    if (v === false || !isObject(v)) return { kind: 'unknown' };
    this.warnUnsupported(loc);
    if (isRef(v)) return this.refType(loc, hint);
    const nullable = isNullable(v);

    const named = this.names.get(locKey(loc));
    if (named) return withNullable({ kind: 'ref', name: named }, nullable);

    if (Array.isArray(v.allOf)) {
      const parts = v.allOf;
      const meta = Object.keys(v).filter(
        (k) =>
          ![
            'allOf',
            'nullable',
            'description',
            'title',
            'default',
            'readOnly',
            'writeOnly',
            'deprecated',
            'example',
            'examples',
            'x-sync-exclude',
            'x-owner-only',
          ].includes(k),
      );
      if (parts.length === 1 && meta.length === 0)
        return withNullable(this.typeOf(at(loc, 'allOf', 0), hint), nullable);
      const scalar = this.scalarAllOf(loc, hint);
      if (scalar) return withNullable(scalar, nullable);
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable);
    }
    const union = (Array.isArray(v.oneOf) ? v.oneOf : Array.isArray(v.anyOf) ? v.anyOf : null) as
      unknown[] | null;
    if (union && !v.properties) {
      const key = Array.isArray(v.oneOf) ? 'oneOf' : 'anyOf';
      const variants = union.map((_, i) => at(loc, key, i)).filter((p) => !isNullSchema(p.value));
      const hasNull = variants.length < union.length;
      if (variants.length === 0) return { kind: 'unknown', nullable: true };
      if (variants.length === 1)
        return withNullable(this.typeOf(variants[0]!, hint), nullable || hasNull);
      if (isPydanticDecimal(variants.map((p) => p.value as Record<string, unknown>))) {
        return withNullable({ kind: 'scalar', scalar: 'decimal' }, nullable || hasNull);
      }
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable || hasNull);
    }
    if ('const' in v) {
      const c = v.const;
      if (typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean')
        return withNullable({ kind: 'literal', value: c }, nullable);
      return withNullable({ kind: 'unknown' }, nullable || c === null);
    }
    if (Array.isArray(v.enum)) {
      const members = v.enum.filter((e) => e !== null);
      if (members.length === 0) return { kind: 'unknown', nullable: true };
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable);
    }
    const types = typeList(v);
    if (types.length > 1)
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable);
    const type = types[0];
    if (type === 'array' || (type === undefined && 'items' in v)) {
      const items =
        'items' in v
          ? this.typeOf(at(loc, 'items'), `${hint}Item`)
          : ({ kind: 'unknown' } as TypeRef);
      return withNullable({ kind: 'array', items }, nullable);
    }
    if (
      type === 'object' ||
      (type === undefined && (isObject(v.properties) || 'additionalProperties' in v))
    ) {
      const hasProps = isObject(v.properties) && Object.keys(v.properties).length > 0;
      if (!hasProps && v.additionalProperties !== false) {
        const ap = v.additionalProperties;
        const values =
          ap === undefined || ap === true
            ? ({ kind: 'unknown' } as TypeRef)
            : this.typeOf(at(loc, 'additionalProperties'), `${hint}Value`);
        return withNullable({ kind: 'map', values }, nullable);
      }
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable);
    }
    if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') {
      return withNullable(this.scalarType(type, loc), nullable);
    }
    if (type === 'null') return { kind: 'unknown', nullable: true };
    return withNullable({ kind: 'unknown' }, nullable);
  }

  /**
   * `allOf` used to stack constraints on a non-object (`[{type: string}, {minLength: 1}]`): the
   * result is that type (the most specific format wins). Parts of different types can never all
   * match; that is reported (SP0404) and the first part's type is used. Null when any part is an
   * object, so the caller merges fields instead.
   */
  private scalarAllOf(loc: Located, hint: string): TypeRef | null {
    const parts = (loc.value as { allOf: unknown[] }).allOf.map((_, i) =>
      this.ctx.deref(at(loc, 'allOf', i)),
    );
    const objectish = (p: Located | null) =>
      !p ||
      !isObject(p.value) ||
      p.value.type === 'object' ||
      isObject(p.value.properties) ||
      Array.isArray(p.value.allOf) ||
      Array.isArray(p.value.oneOf) ||
      Array.isArray(p.value.anyOf);
    const typed = parts.filter((p) => p && isObject(p.value) && Object.keys(p.value).length > 0);
    if (typed.length === 0 || typed.some(objectish)) return null;
    const types = typed.map((p) => this.typeOf(p!, hint));
    const first = types.find((t) => t.kind !== 'unknown') ?? types[0]!;
    const base = (t: TypeRef) =>
      t.kind === 'scalar'
        ? t.scalar.startsWith('int')
          ? 'integer'
          : ['float', 'double', 'decimal'].includes(t.scalar)
            ? 'number'
            : t.scalar === 'boolean'
              ? 'boolean'
              : 'string'
        : t.kind;
    const conflicting = types.filter((t) => t.kind !== 'unknown' && base(t) !== base(first));
    if (conflicting.length > 0) {
      this.ctx.report(
        'SP0404',
        `The allOf parts have incompatible types (${[...new Set(types.filter((t) => t.kind !== 'unknown').map(base))].join(' and ')}), so no value can match all of them; the first part's type is used.`,
        at(loc, 'allOf'),
      );
      return first;
    }
    return (
      types.find((t) => t.kind === 'scalar' && !['string', 'int32', 'double'].includes(t.scalar)) ??
      first
    );
  }

  private refType(loc: Located, hint: string): TypeRef {
    const v = loc.value as Record<string, unknown>;
    const nullable = v.nullable === true;
    const target = this.ctx.deref(loc);
    if (!target) return { kind: 'unknown' };
    const name = this.names.get(locKey(target));
    if (name) return withNullable({ kind: 'ref', name }, nullable);
    // A schema in another file (or deep inside a document): name it after its last pointer token,
    // or after the file itself.
    const token =
      target.pointer.split('/').at(-1) ||
      target.doc.absPath.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
    const t = this.typeOf(target, token || hint);
    return withNullable(t, nullable);
  }

  /** @internal {@link DeclarationHost} */
  nameAt(key: string): string | undefined {
    return this.names.get(key);
  }

  /** @internal {@link DeclarationHost} */
  withoutName<T>(loc: Located, fn: () => T): T {
    const key = locKey(loc);
    const name = this.names.get(key);
    this.names.delete(key);
    try {
      return fn();
    } finally {
      if (name !== undefined) this.names.set(key, name);
    }
  }

  /** @internal {@link DeclarationHost}: the scalar type, `noFormat` kept for plain integers. */
  scalarType(type: string, loc: Located): TypeRef {
    const scalar = this.scalarKind(type, loc);
    return scalar === 'int32' && isUnformattedInteger(type, loc.value as Record<string, unknown>)
      ? { kind: 'scalar', scalar, noFormat: true }
      : { kind: 'scalar', scalar };
  }

  /** @internal {@link DeclarationHost}: the scalar kind, warning (SP0402) about unknown formats. */
  scalarKind(type: string, loc: Located): ScalarKind {
    return scalarKind(type, loc.value as Record<string, unknown>, (format, as) =>
      this.ctx.report(
        'SP0402',
        `Unknown format "${format}"; it is treated as a plain ${as}.`,
        at(loc, 'format'),
      ),
    );
  }

  private warnUnsupported(loc: Located): void {
    const v = loc.value as Record<string, unknown>;
    for (const k of UNSUPPORTED_KEYWORDS) {
      if (!(k in v)) continue;
      const key = `${locKey(loc)}|${k}`;
      if (this.warnedKeywords.has(key)) continue;
      this.warnedKeywords.add(key);
      this.ctx.report(
        'SP0401',
        `The "${k}" keyword is not supported; it is ignored, so generated types accept more than the schema allows.`,
        at(loc, k),
      );
    }
  }
}
