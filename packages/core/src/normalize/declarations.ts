import type {
  EnumMember,
  Field,
  JsonValue,
  SchemaDecl,
  ScalarKind,
  TypeRef,
  UnionVariant,
} from '../ir/types.js';
import {
  at,
  isObject,
  isRef,
  locKey,
  sourceRef,
  type LoadContext,
  type Located,
} from '../load/context.js';
import { pascalCase } from '../naming/words.js';
import { isNullSchema, typeList } from './scalar-types.js';
import { readSyncFlag } from './sync-vocabulary.js';

/** What the declaration builder needs from the {@link SchemaTranslator} that owns the names. */
export interface DeclarationHost {
  readonly ctx: LoadContext;
  typeOf(loc: Located, hint: string): TypeRef;
  decl(name: string): SchemaDecl | undefined;
  /** The declaration name given to a location (`locKey`), if any. */
  nameAt(key: string): string | undefined;
  /** Runs `fn` with `loc` temporarily unnamed, so that typeOf describes its content, not itself. */
  withoutName<T>(loc: Located, fn: () => T): T;
  scalarKind(type: string, loc: Located): ScalarKind;
  scalarType(type: string, loc: Located): TypeRef;
}

type ObjectFields = { fields: Field[]; additional: TypeRef | null; required: Set<string> };

/**
 * Builds named declarations (objects with allOf merged, enums, unions with discriminators,
 * aliases) from schema locations the translator has named. See docs/ir.md, "Types".
 */
export class DeclarationBuilder {
  private readonly building = new Set<string>();
  private readonly objectFieldCache = new Map<string, ObjectFields | null>();

  constructor(private readonly host: DeclarationHost) {}

  /** Builds the declaration named `name` from the schema at `loc`. */
  build(name: string, loc: Located, componentName: string | null): SchemaDecl {
    const target = this.host.ctx.deref(loc);
    const base = { name, componentName, deprecated: false, source: sourceRef(loc) };
    if (!target) {
      return { ...base, kind: 'alias', type: { kind: 'unknown' } };
    }
    // A component that is a plain `$ref` to another *named* schema is an alias.
    if (target !== loc && locKey(target) !== locKey(loc)) {
      const targetName = this.host.nameAt(locKey(target));
      if (targetName && targetName !== name) {
        return { ...base, kind: 'alias', type: { kind: 'ref', name: targetName } };
      }
    }
    const v = target.value;
    const s = isObject(v) ? v : {};
    const description = typeof s.description === 'string' ? s.description : undefined;
    const meta = {
      ...base,
      deprecated: s.deprecated === true,
      source: sourceRef(target),
      ...(description ? { description } : {}),
    };

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
      const types = typeList(s);
      const baseType =
        types[0] === 'integer'
          ? 'integer'
          : types[0] === 'number'
            ? 'number'
            : members.every((m) => typeof m.value === 'number') && members.length > 0
              ? members.every((m) => Number.isInteger(m.value))
                ? 'integer'
                : 'number'
              : 'string';
      return { ...meta, kind: 'enum', base: baseType, members };
    }
    const unionKey = Array.isArray(s.oneOf) ? 'oneOf' : Array.isArray(s.anyOf) ? 'anyOf' : null;
    if (unionKey && !isObject(s.properties) && !Array.isArray(s.allOf)) {
      return {
        ...meta,
        kind: 'union',
        combinator: unionKey,
        ...this.buildUnion(target, unionKey, name),
      };
    }
    const types = typeList(s);
    if (types.length > 1) {
      const variants: UnionVariant[] = types.map((t) => ({
        type:
          t === 'array'
            ? { kind: 'array', items: { kind: 'unknown' } }
            : t === 'object'
              ? { kind: 'map', values: { kind: 'unknown' } }
              : this.host.scalarType(t, target),
        tags: [],
      }));
      return { ...meta, kind: 'union', combinator: 'anyOf', variants, discriminator: null };
    }
    const isObjectSchema =
      Array.isArray(s.allOf) ||
      isObject(s.properties) ||
      (types[0] === 'object' && s.additionalProperties === false);
    if (isObjectSchema) {
      const merged = this.objectFields(target, name);
      return {
        ...meta,
        kind: 'object',
        fields: merged?.fields ?? [],
        additionalProperties: merged?.additional ?? null,
      };
    }
    // Anything else (array, map, scalar) is an alias. Strip the name so typeOf does not return itself.
    const type = this.host.withoutName(target, () => this.host.typeOf(target, name));
    return { ...meta, kind: 'alias', type };
  }

  /** Fields of an object schema, with allOf parts merged in order; null on an allOf cycle. */
  objectFields(loc: Located, owner: string): ObjectFields | null {
    const key = locKey(loc);
    if (this.objectFieldCache.has(key)) return this.objectFieldCache.get(key) ?? null;
    if (this.building.has(key)) {
      this.host.ctx.report(
        'SP0111',
        'This allOf includes itself (directly or through other schemas), so its fields can never be resolved.',
        loc,
        'Break the cycle: an allOf part must not include the schema that uses it.',
      );
      return null;
    }
    this.building.add(key);
    const s = loc.value as Record<string, unknown>;
    const byName = new Map<string, Field>();
    const required = new Set<string>(
      Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [],
    );
    let additional: TypeRef | null = null;
    let failed = false;
    if (Array.isArray(s.allOf)) {
      s.allOf.forEach((_, i) => {
        const part = this.host.ctx.deref(at(loc, 'allOf', i));
        if (!part || !isObject(part.value)) return;
        if (
          part.value.type !== undefined &&
          part.value.type !== 'object' &&
          !isObject(part.value.properties) &&
          !Array.isArray(part.value.allOf)
        ) {
          this.host.ctx.report(
            'SP0404',
            `allOf part ${i} is not an object (type "${String(part.value.type)}"), so it cannot be merged into an object; it is ignored.`,
            at(loc, 'allOf', i),
          );
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
      additional =
        s.additionalProperties === true
          ? { kind: 'unknown' }
          : this.host.typeOf(at(loc, 'additionalProperties'), `${owner}Value`);
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
    const target = isRef(raw) ? this.host.ctx.deref(loc) : loc;
    const t = isObject(target?.value) ? target.value : {};
    const flag = (k: string): boolean =>
      raw[k] === true || (t !== raw && t[k] === true && !isRef(raw));
    const type = this.host.typeOf(loc, `${owner}${pascalCase(wireName)}`);
    const description = typeof raw.description === 'string' ? raw.description : undefined;
    const field: Field = {
      wireName,
      type,
      required: false,
      nullable: type.nullable === true,
      readOnly: flag('readOnly'),
      writeOnly: flag('writeOnly'),
      deprecated: flag('deprecated'),
      sync: {
        exclude: readSyncFlag(this.host.ctx, loc, 'x-sync-exclude'),
        ownerOnly: readSyncFlag(this.host.ctx, loc, 'x-owner-only'),
      },
      source: sourceRef(loc),
    };
    if ('default' in raw) field.default = raw.default as JsonValue;
    if (description) field.description = description;
    return field;
  }

  private buildUnion(
    loc: Located,
    key: 'oneOf' | 'anyOf',
    owner: string,
  ): { variants: UnionVariant[]; discriminator: { property: string } | null } {
    const s = loc.value as Record<string, unknown>;
    const parts = (s[key] as unknown[])
      .map((_, i) => at(loc, key, i))
      .filter((p) => !isNullSchema(p.value));
    const disc =
      isObject(s.discriminator) && typeof s.discriminator.propertyName === 'string'
        ? s.discriminator
        : null;
    const mapping = disc && isObject(disc.mapping) ? (disc.mapping as Record<string, unknown>) : {};
    const variants: UnionVariant[] = parts.map((p, i) => ({
      type: this.host.typeOf(p, `${owner}Option${i + 1}`),
      tags: [],
    }));
    if (!disc) return { variants, discriminator: null };
    const property = disc.propertyName as string;
    for (const [tag, ref] of Object.entries(mapping)) {
      if (typeof ref !== 'string') continue;
      const target =
        ref.includes('#') || ref.includes('/')
          ? this.host.ctx.resolveRef(ref, at(loc, 'discriminator', 'mapping', tag))
          : this.host.ctx.resolveRef(
              `#/components/schemas/${ref}`,
              at(loc, 'discriminator', 'mapping', tag),
            );
      const name = target ? this.host.nameAt(locKey(target)) : undefined;
      const variant = variants.find((vr) => vr.type.kind === 'ref' && vr.type.name === name);
      if (!variant) {
        this.host.ctx.report(
          'SP0403',
          `Discriminator value "${tag}" maps to "${ref}", which is not one of the ${key} variants.`,
          at(loc, 'discriminator', 'mapping', tag),
        );
        continue;
      }
      variant.tags.push(tag);
    }
    // Implicit mapping: the component name, or the variant's const / single-enum value.
    for (const variant of variants) {
      if (variant.tags.length > 0 || variant.type.kind !== 'ref') continue;
      const d = this.host.decl(variant.type.name);
      const f = d?.kind === 'object' ? d.fields.find((x) => x.wireName === property) : undefined;
      const tagType = f?.type;
      if (tagType?.kind === 'literal') variant.tags.push(String(tagType.value));
      else if (tagType?.kind === 'ref') {
        const e = this.host.decl(tagType.name);
        if (e?.kind === 'enum' && e.members.length === 1)
          variant.tags.push(String(e.members[0]!.value));
      }
      if (variant.tags.length === 0) variant.tags.push(d?.componentName ?? variant.type.name);
    }
    return { variants, discriminator: { property } };
  }
}
