import type { EnumMember, Field, JsonValue, ScalarKind, SchemaDecl, TypeRef, UnionVariant } from '../ir/types.js';
import { at, isObject, isRef, locKey, sourceRef, type LoadContext, type Located } from '../load/context.js';
import { pascalCase } from '../naming/words.js';
import { readSyncFlag } from './sync-vocabulary.js';

/** Keywords we read; anything else structural is reported once as skipped (SP0401). */
const UNSUPPORTED_KEYWORDS = ['not', 'if', 'then', 'else', 'patternProperties', 'dependentSchemas', 'unevaluatedProperties', 'prefixItems'] as const;

const INT_FORMATS: Record<string, ScalarKind> = { int32: 'int32', int64: 'int64', int8: 'int32', int16: 'int32', uint8: 'int32', uint16: 'int32', uint32: 'int64', uint64: 'int64' };
const NUMBER_FORMATS: Record<string, ScalarKind> = { float: 'float', double: 'double', decimal: 'decimal' };
const STRING_FORMATS: Record<string, ScalarKind> = {
  uuid: 'uuid',
  date: 'date',
  'date-time': 'date-time',
  time: 'time',
  email: 'email',
  'idn-email': 'email',
  uri: 'uri',
  url: 'uri',
  'uri-reference': 'uri',
  iri: 'uri',
  decimal: 'decimal',
  byte: 'byte',
  base64: 'byte',
  binary: 'binary',
};
/** Formats that carry no type information for us: plain strings, no warning. */
const PLAIN_STRING_FORMATS = new Set(['password', 'hostname', 'ipv4', 'ipv6', 'regex', 'json-pointer', 'uri-template', 'duration', 'phone', 'idn-hostname', 'relative-json-pointer', 'textarea', 'html', 'markdown', 'color']);

/** pydantic v2 emits Decimal as `anyOf: [{type: number}, {type: string, pattern: …}]`. */
function isPydanticDecimal(variants: Record<string, unknown>[]): boolean {
  if (variants.length !== 2) return false;
  const types = variants.map((v) => v.type).sort();
  return types[0] === 'number' && types[1] === 'string' && variants.every((v) => Object.keys(v).every((k) => ['type', 'pattern', 'title', 'format'].includes(k)));
}

function withNullable(t: TypeRef, nullable: boolean): TypeRef {
  if (!nullable || t.nullable) return t;
  return { ...t, nullable: true };
}

function isNullSchema(v: unknown): boolean {
  return isObject(v) && (v.type === 'null' || (Array.isArray(v.enum) && v.enum.length === 1 && v.enum[0] === null)) && !('$ref' in v);
}

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
  private readonly building = new Set<string>();
  private readonly objectFieldCache = new Map<string, { fields: Field[]; additional: TypeRef | null; required: Set<string> } | null>();
  private readonly warnedKeywords = new Set<string>();

  constructor(private readonly ctx: LoadContext) {}

  /** Reserves names for every `components/schemas` entry of the root document. */
  registerComponents(): void {
    const schemas = at({ doc: this.ctx.root, pointer: '', value: this.ctx.root.value }, 'components', 'schemas');
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
      this.buildDecl(next.name, next.loc, next.componentName);
    }
  }

  declarations(): SchemaDecl[] {
    this.flush();
    return [...this.decls.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
    const nullable = this.isNullable(v);

    const named = this.names.get(locKey(loc));
    if (named) return withNullable({ kind: 'ref', name: named }, nullable);

    if (Array.isArray(v.allOf)) {
      const parts = v.allOf;
      const meta = Object.keys(v).filter((k) => !['allOf', 'nullable', 'description', 'title', 'default', 'readOnly', 'writeOnly', 'deprecated', 'example', 'examples', 'x-sync-exclude', 'x-owner-only'].includes(k));
      if (parts.length === 1 && meta.length === 0) return withNullable(this.typeOf(at(loc, 'allOf', 0), hint), nullable);
      const scalar = this.scalarAllOf(loc, hint);
      if (scalar) return withNullable(scalar, nullable);
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable);
    }
    const union = (Array.isArray(v.oneOf) ? v.oneOf : Array.isArray(v.anyOf) ? v.anyOf : null) as unknown[] | null;
    if (union && !v.properties) {
      const key = Array.isArray(v.oneOf) ? 'oneOf' : 'anyOf';
      const variants = union.map((_, i) => at(loc, key, i)).filter((p) => !isNullSchema(p.value));
      const hasNull = variants.length < union.length;
      if (variants.length === 0) return { kind: 'unknown', nullable: true };
      if (variants.length === 1) return withNullable(this.typeOf(variants[0]!, hint), nullable || hasNull);
      if (isPydanticDecimal(variants.map((p) => p.value as Record<string, unknown>))) {
        return withNullable({ kind: 'scalar', scalar: 'decimal' }, nullable || hasNull);
      }
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable || hasNull);
    }
    if ('const' in v) {
      const c = v.const;
      if (typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean') return withNullable({ kind: 'literal', value: c }, nullable);
      return withNullable({ kind: 'unknown' }, nullable || c === null);
    }
    if (Array.isArray(v.enum)) {
      const members = v.enum.filter((e) => e !== null);
      if (members.length === 0) return { kind: 'unknown', nullable: true };
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable);
    }
    const types = this.typeList(v);
    if (types.length > 1) return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable);
    const type = types[0];
    if (type === 'array' || (type === undefined && 'items' in v)) {
      const items = 'items' in v ? this.typeOf(at(loc, 'items'), `${hint}Item`) : ({ kind: 'unknown' } as TypeRef);
      return withNullable({ kind: 'array', items }, nullable);
    }
    if (type === 'object' || (type === undefined && (isObject(v.properties) || 'additionalProperties' in v))) {
      const hasProps = isObject(v.properties) && Object.keys(v.properties).length > 0;
      if (!hasProps && v.additionalProperties !== false) {
        const ap = v.additionalProperties;
        const values = ap === undefined || ap === true ? ({ kind: 'unknown' } as TypeRef) : this.typeOf(at(loc, 'additionalProperties'), `${hint}Value`);
        return withNullable({ kind: 'map', values }, nullable);
      }
      return withNullable({ kind: 'ref', name: this.hoist(loc, hint) }, nullable);
    }
    if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') {
      return withNullable({ kind: 'scalar', scalar: this.scalarKind(type, v.format, loc) }, nullable);
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
    const parts = (loc.value as { allOf: unknown[] }).allOf.map((_, i) => this.ctx.deref(at(loc, 'allOf', i)));
    const objectish = (p: Located | null) => !p || !isObject(p.value) || p.value.type === 'object' || isObject(p.value.properties) || Array.isArray(p.value.allOf) || Array.isArray(p.value.oneOf) || Array.isArray(p.value.anyOf);
    const typed = parts.filter((p) => p && isObject(p.value) && Object.keys(p.value).length > 0);
    if (typed.length === 0 || typed.some(objectish)) return null;
    const types = typed.map((p) => this.typeOf(p!, hint));
    const first = types.find((t) => t.kind !== 'unknown') ?? types[0]!;
    const base = (t: TypeRef) => (t.kind === 'scalar' ? (t.scalar.startsWith('int') ? 'integer' : ['float', 'double', 'decimal'].includes(t.scalar) ? 'number' : t.scalar === 'boolean' ? 'boolean' : 'string') : t.kind);
    const conflicting = types.filter((t) => t.kind !== 'unknown' && base(t) !== base(first));
    if (conflicting.length > 0) {
      this.ctx.report('SP0404', `The allOf parts have incompatible types (${[...new Set(types.filter((t) => t.kind !== 'unknown').map(base))].join(' and ')}), so no value can match all of them; the first part's type is used.`, at(loc, 'allOf'));
      return first;
    }
    return types.find((t) => t.kind === 'scalar' && !['string', 'int32', 'double'].includes(t.scalar)) ?? first;
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
    const token = target.pointer.split('/').at(-1) || target.doc.absPath.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
    const t = this.typeOf(target, token || hint);
    return withNullable(t, nullable);
  }

  private typeList(v: Record<string, unknown>): string[] {
    if (Array.isArray(v.type)) return v.type.filter((t): t is string => typeof t === 'string' && t !== 'null');
    return typeof v.type === 'string' ? [v.type] : [];
  }

  private isNullable(v: Record<string, unknown>): boolean {
    if (v.nullable === true) return true;
    if (Array.isArray(v.type) && v.type.includes('null')) return true;
    if (Array.isArray(v.enum) && v.enum.includes(null)) return true;
    return false;
  }

  private scalarKind(type: string, format: unknown, loc: Located): ScalarKind {
    if (type === 'boolean') return 'boolean';
    const f = typeof format === 'string' ? format : undefined;
    if (type === 'integer') {
      if (f && INT_FORMATS[f]) return INT_FORMATS[f]!;
      const v = loc.value as Record<string, unknown>;
      const max = typeof v.maximum === 'number' ? v.maximum : 0;
      const min = typeof v.minimum === 'number' ? v.minimum : 0;
      if (max > 2_147_483_647 || min < -2_147_483_648) return 'int64';
      if (f) this.unknownFormat(f, loc, 'int32');
      return 'int32';
    }
    if (type === 'number') {
      if (f && NUMBER_FORMATS[f]) return NUMBER_FORMATS[f]!;
      if (f && !INT_FORMATS[f]) this.unknownFormat(f, loc, 'double');
      return 'double';
    }
    if (f && STRING_FORMATS[f]) return STRING_FORMATS[f]!;
    if (f && !PLAIN_STRING_FORMATS.has(f)) this.unknownFormat(f, loc, 'string');
    return 'string';
  }

  private unknownFormat(format: string, loc: Located, as: string): void {
    this.ctx.report('SP0402', `Unknown format "${format}"; it is treated as a plain ${as}.`, at(loc, 'format'));
  }

  private warnUnsupported(loc: Located): void {
    const v = loc.value as Record<string, unknown>;
    for (const k of UNSUPPORTED_KEYWORDS) {
      if (!(k in v)) continue;
      const key = `${locKey(loc)}|${k}`;
      if (this.warnedKeywords.has(key)) continue;
      this.warnedKeywords.add(key);
      this.ctx.report('SP0401', `The "${k}" keyword is not supported; it is ignored, so generated types accept more than the schema allows.`, at(loc, k));
    }
  }

  /* -------------------------------------------------------------------------------------------- */

  private buildDecl(name: string, loc: Located, componentName: string | null): void {
    const target = this.ctx.deref(loc);
    const base = { name, componentName, deprecated: false, source: sourceRef(loc) };
    if (!target) {
      this.decls.set(name, { ...base, kind: 'alias', type: { kind: 'unknown' } });
      return;
    }
    // A component that is a plain `$ref` to another *named* schema is an alias.
    if (target !== loc && locKey(target) !== locKey(loc)) {
      const targetName = this.names.get(locKey(target));
      if (targetName && targetName !== name) {
        this.decls.set(name, { ...base, kind: 'alias', type: { kind: 'ref', name: targetName } });
        return;
      }
    }
    const v = target.value;
    const s = isObject(v) ? v : {};
    const description = typeof s.description === 'string' ? s.description : undefined;
    const meta = { ...base, deprecated: s.deprecated === true, source: sourceRef(target), ...(description ? { description } : {}) };

    if (Array.isArray(s.enum) && !('properties' in s)) {
      const members: EnumMember[] = [];
      const seen = new Set<string>();
      for (const e of s.enum) {
        if (e === null || (typeof e !== 'string' && typeof e !== 'number')) continue;
        const k = typeof e + ':' + String(e);
        if (seen.has(k)) continue;
        seen.add(k);
        members.push({ value: e });
      }
      const types = this.typeList(s);
      const baseType = types[0] === 'integer' ? 'integer' : types[0] === 'number' ? 'number' : members.every((m) => typeof m.value === 'number') && members.length > 0 ? (members.every((m) => Number.isInteger(m.value)) ? 'integer' : 'number') : 'string';
      this.decls.set(name, { ...meta, kind: 'enum', base: baseType, members });
      return;
    }
    const unionKey = Array.isArray(s.oneOf) ? 'oneOf' : Array.isArray(s.anyOf) ? 'anyOf' : null;
    if (unionKey && !isObject(s.properties) && !Array.isArray(s.allOf)) {
      this.decls.set(name, { ...meta, kind: 'union', combinator: unionKey, ...this.buildUnion(target, unionKey, name) });
      return;
    }
    const types = this.typeList(s);
    if (types.length > 1) {
      const variants: UnionVariant[] = types.map((t) => ({ type: t === 'array' ? { kind: 'array', items: { kind: 'unknown' } } : t === 'object' ? { kind: 'map', values: { kind: 'unknown' } } : { kind: 'scalar', scalar: this.scalarKind(t, s.format, target) }, tags: [] }));
      this.decls.set(name, { ...meta, kind: 'union', combinator: 'anyOf', variants, discriminator: null });
      return;
    }
    const isObjectSchema = Array.isArray(s.allOf) || isObject(s.properties) || (types[0] === 'object' && s.additionalProperties === false);
    if (isObjectSchema) {
      const merged = this.objectFields(target, name);
      this.decls.set(name, { ...meta, kind: 'object', fields: merged?.fields ?? [], additionalProperties: merged?.additional ?? null });
      return;
    }
    // Anything else (array, map, scalar) is an alias. Strip the name so typeOf does not return itself.
    this.names.delete(locKey(target));
    const type = this.typeOf(target, name);
    this.names.set(locKey(target), name);
    this.decls.set(name, { ...meta, kind: 'alias', type });
  }

  /** Fields of an object schema, with allOf parts merged in order; null on an allOf cycle. */
  objectFields(loc: Located, owner: string): { fields: Field[]; additional: TypeRef | null; required: Set<string> } | null {
    const key = locKey(loc);
    if (this.objectFieldCache.has(key)) return this.objectFieldCache.get(key) ?? null;
    if (this.building.has(key)) {
      this.ctx.report('SP0111', 'This allOf includes itself (directly or through other schemas), so its fields can never be resolved.', loc, 'Break the cycle: an allOf part must not include the schema that uses it.');
      return null;
    }
    this.building.add(key);
    const s = loc.value as Record<string, unknown>;
    const byName = new Map<string, Field>();
    const required = new Set<string>(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
    let additional: TypeRef | null = null;
    let failed = false;
    if (Array.isArray(s.allOf)) {
      s.allOf.forEach((_, i) => {
        const part = this.ctx.deref(at(loc, 'allOf', i));
        if (!part || !isObject(part.value)) return;
        if (part.value.type !== undefined && part.value.type !== 'object' && !isObject(part.value.properties) && !Array.isArray(part.value.allOf)) {
          this.ctx.report('SP0404', `allOf part ${i} is not an object (type "${String(part.value.type)}"), so it cannot be merged into an object; it is ignored.`, at(loc, 'allOf', i));
          return;
        }
        const sub = this.objectFields(part, owner);
        if (!sub) {
          failed = true;
          return;
        }
        for (const f of sub.fields) byName.set(f.wireName, f);
        // `required` in one part applies to properties defined in another.
        for (const r of sub.required) required.add(r);
        if (sub.additional) additional = sub.additional;
      });
    }
    if (isObject(s.properties)) {
      for (const prop of Object.keys(s.properties)) {
        byName.set(prop, this.field(at(loc, 'properties', prop), prop, owner));
      }
    }
    if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
      additional = s.additionalProperties === true ? { kind: 'unknown' } : this.typeOf(at(loc, 'additionalProperties'), `${owner}Value`);
    }
    this.building.delete(key);
    if (failed) {
      this.objectFieldCache.set(key, null);
      return null;
    }
    const fields = [...byName.values()].map((f) => ({ ...f, required: required.has(f.wireName) }));
    const result = { fields, additional, required };
    this.objectFieldCache.set(key, result);
    return result;
  }

  private field(loc: Located, wireName: string, owner: string): Field {
    const raw = isObject(loc.value) ? loc.value : {};
    // readOnly etc. may sit next to a $ref (3.1) or on the target.
    const target = isRef(raw) ? this.ctx.deref(loc) : loc;
    const t = isObject(target?.value) ? target.value : {};
    const flag = (k: string): boolean => raw[k] === true || (t !== raw && t[k] === true && !isRef(raw));
    const type = this.typeOf(loc, `${owner}${pascalCase(wireName)}`);
    const description = typeof raw.description === 'string' ? raw.description : undefined;
    const field: Field = {
      wireName,
      type,
      required: false,
      nullable: type.nullable === true,
      readOnly: flag('readOnly'),
      writeOnly: flag('writeOnly'),
      deprecated: flag('deprecated'),
      sync: { exclude: readSyncFlag(this.ctx, loc, 'x-sync-exclude'), ownerOnly: readSyncFlag(this.ctx, loc, 'x-owner-only') },
      source: sourceRef(loc),
    };
    if ('default' in raw) field.default = raw.default as JsonValue;
    if (description) field.description = description;
    return field;
  }

  private buildUnion(loc: Located, key: 'oneOf' | 'anyOf', owner: string): { variants: UnionVariant[]; discriminator: { property: string } | null } {
    const s = loc.value as Record<string, unknown>;
    const parts = (s[key] as unknown[]).map((_, i) => at(loc, key, i)).filter((p) => !isNullSchema(p.value));
    const disc = isObject(s.discriminator) && typeof s.discriminator.propertyName === 'string' ? s.discriminator : null;
    const mapping = disc && isObject(disc.mapping) ? (disc.mapping as Record<string, unknown>) : {};
    const variants: UnionVariant[] = parts.map((p, i) => ({ type: this.typeOf(p, `${owner}Option${i + 1}`), tags: [] }));
    if (!disc) return { variants, discriminator: null };
    const property = disc.propertyName as string;
    for (const [tag, ref] of Object.entries(mapping)) {
      if (typeof ref !== 'string') continue;
      const target = ref.includes('#') || ref.includes('/') ? this.ctx.resolveRef(ref, at(loc, 'discriminator', 'mapping', tag)) : this.ctx.resolveRef(`#/components/schemas/${ref}`, at(loc, 'discriminator', 'mapping', tag));
      const name = target ? this.names.get(locKey(target)) : undefined;
      const variant = variants.find((vr) => vr.type.kind === 'ref' && vr.type.name === name);
      if (!variant) {
        this.ctx.report('SP0403', `Discriminator value "${tag}" maps to "${ref}", which is not one of the ${key} variants.`, at(loc, 'discriminator', 'mapping', tag));
        continue;
      }
      variant.tags.push(tag);
    }
    // Implicit mapping: the component name, or the variant's const / single-enum value.
    for (const variant of variants) {
      if (variant.tags.length > 0 || variant.type.kind !== 'ref') continue;
      const d = this.decl(variant.type.name);
      const f = d?.kind === 'object' ? d.fields.find((x) => x.wireName === property) : undefined;
      const tagType = f?.type;
      if (tagType?.kind === 'literal') variant.tags.push(String(tagType.value));
      else if (tagType?.kind === 'ref') {
        const e = this.decl(tagType.name);
        if (e?.kind === 'enum' && e.members.length === 1) variant.tags.push(String(e.members[0]!.value));
      }
      if (variant.tags.length === 0) variant.tags.push(d?.componentName ?? variant.type.name);
    }
    return { variants, discriminator: { property } };
  }
}
