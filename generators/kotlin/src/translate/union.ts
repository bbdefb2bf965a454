/**
 * oneOf / anyOf → `sealed interface` whose variants are `@JvmInline value class` wrappers around
 * the spec's own types, with a content-based serializer (runtime `JsonUnionSerializer`):
 * - with a discriminator (OpenAPI `discriminator`, or every variant an object with a distinct
 *   required `const` string on one property), the tag picks the variant;
 * - otherwise variants are tried in spec order (first decodable wins; for `oneOf` the spec says
 *   exactly one matches, which is not checked).
 * Why not `@JsonClassDiscriminator` + `@SerialName` on the variant classes: the variants are shared
 * component schemas that declare the tag property themselves and may appear in several unions or
 * on their own; kotlinx.serialization rejects a class property named like the discriminator and
 * needs each class in exactly one hierarchy. Wrappers keep every schema's wire shape unchanged.
 */
import type { ObjectDecl, SyncIR, TypeRef, UnionDecl } from '@sync/core';
import { Imports } from '../imports.js';
import { kt, nestedTypeNames, RUNTIME_PACKAGE, type NameTable } from '../naming.js';
import { kotlinType, typeWord } from '../type-map.js';
import { header, kdoc, withLast, type FileHeader } from './common.js';

export interface UnionVariantVM {
  name: string;
  type: string;
  /** Tag string literals selecting this variant (discriminated unions only). */
  tags: string[];
  last: boolean;
}

export interface UnionVM extends FileHeader {
  doc: string;
  name: string;
  serialName: string;
  discriminated: boolean;
  /** The discriminator property as a string literal ('' when not discriminated). */
  property: string;
  serializerDoc: string;
  variants: UnionVariantVM[];
}

/** The discriminator property and each variant's tags, from the IR or from const tags. */
function discriminatorOf(decl: UnionDecl, ir: SyncIR): { property: string; tags: string[][] } | null {
  if (decl.discriminator && decl.variants.every((v) => v.tags.length > 0)) {
    return { property: decl.discriminator.property, tags: decl.variants.map((v) => v.tags) };
  }
  const objects = decl.variants.map((v) => (v.type.kind === 'ref' ? ir.schemas.find((s) => s.name === (v.type as { name: string }).name) : undefined));
  if (!objects.every((o): o is ObjectDecl => o?.kind === 'object')) return null;
  const constTag = (o: ObjectDecl, prop: string): string | null => {
    const f = o.fields.find((x) => x.wireName === prop && x.required);
    return f && f.type.kind === 'literal' && typeof f.type.value === 'string' ? f.type.value : null;
  };
  for (const field of objects[0]?.fields ?? []) {
    const tags = objects.map((o) => constTag(o, field.wireName));
    if (tags.every((t): t is string => t !== null) && new Set(tags).size === tags.length) {
      return { property: field.wireName, tags: tags.map((t) => [t]) };
    }
  }
  return null;
}

export function translateUnion(decl: UnionDecl, ir: SyncIR, names: NameTable): UnionVM {
  const imports = new Imports(names.packages.model);
  for (const fq of ['kotlinx.serialization.Serializable', 'kotlinx.serialization.json.Json', 'kotlinx.serialization.json.JsonElement']) imports.add(fq);
  for (const fq of ['kotlinx.serialization.json.decodeFromJsonElement', 'kotlinx.serialization.json.encodeToJsonElement']) imports.add(fq);
  imports.add(`${RUNTIME_PACKAGE}.serial.JsonUnionSerializer`);
  const disc = discriminatorOf(decl, ir);
  const referenced = decl.variants.map((v) => typeWord(v.type, names));
  const variantNames = nestedTypeNames(
    referenced.map((w) => `${w} value`),
    ['Serializer', ...referenced],
  );
  const types = decl.variants.map((v): string => kotlinType(v.type as TypeRef, { names, imports }));
  const name = names.types.get(decl.name)!;
  return {
    ...header(names.packages.model, imports),
    doc: kdoc([decl.description, decl.deprecated ? 'Deprecated.' : null]),
    name,
    serialName: kt.stringLiteral(name),
    discriminated: disc !== null,
    property: disc ? kt.stringLiteral(disc.property) : '',
    serializerDoc: kdoc([disc ? `Picks the variant by the \`${disc.property}\` tag.` : 'Picks the first variant that decodes, in spec order.'], '    '),
    variants: withLast(
      decl.variants.map((_, i) => ({
        name: variantNames[i]!,
        type: types[i]!,
        tags: (disc?.tags[i] ?? []).map((t) => kt.stringLiteral(t)),
      })),
    ),
  };
}
