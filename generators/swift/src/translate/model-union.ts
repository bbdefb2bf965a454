/**
 * An IR union (oneOf/anyOf) → an `indirect enum` with one associated-value case per variant and
 * `unknown(JSONValue)`. With a discriminator the tag selects the variant (an unknown tag gives
 * `.unknown`); without one the variants are tried in spec order and the first that decodes wins.
 */
import type { TypeRef, UnionDecl } from '@sync/core';
import { docText, enumCaseName, stringLiteral, uniqueCaseNames } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import type { UnionBranch, UnionModel } from '../view-models.js';

/** A readable base name for a variant's case: the declaration's name, else the type's shape. */
function variantWord(t: TypeRef): string {
  switch (t.kind) {
    case 'ref':
      return t.name;
    case 'scalar':
      return t.scalar;
    case 'array':
      return `${variantWord(t.items)} array`;
    case 'map':
      return `${variantWord(t.values)} map`;
    case 'literal':
      return `literal ${String(t.value)}`;
    case 'unknown':
      return 'value';
  }
}

/**
 * Tags grouped by the variants they select, in order of first appearance. Variants that share a
 * tag are tried most demanding first (more required properties), so a lenient variant (OpenAI's
 * `InputMessage`: two required keys, enums that accept unknown values) cannot swallow a stricter
 * one (`OutputMessage`: five); equal ones keep spec order.
 */
function branchesOf(variants: { tags: string[]; name: string; type: string; required: number }[]): UnionBranch[] {
  const byTag = new Map<string, number[]>();
  variants.forEach((v, i) => v.tags.forEach((t) => byTag.set(t, [...(byTag.get(t) ?? []), i])));
  const groups = new Map<string, { tags: string[]; indices: number[] }>();
  for (const [tag, indices] of byTag) {
    const key = indices.join(',');
    const g = groups.get(key) ?? { tags: [], indices };
    g.tags.push(tag);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    tags: g.tags.map((t) => stringLiteral(t)),
    options: [...g.indices]
      .sort((a, b) => variants[b]!.required - variants[a]!.required || a - b)
      .map((i) => ({ name: variants[i]!.name, type: variants[i]!.type })),
    single: g.indices.length === 1,
  }));
}

/** Required properties of an object variant (0 for anything else). */
function requiredCount(ctx: TranslateContext, t: TypeRef): number {
  const d = t.kind === 'ref' ? ctx.schemas.get(t.name) : undefined;
  return d?.kind === 'object' ? d.fields.filter((f) => f.required).length : 0;
}

export function translateUnion(ctx: TranslateContext, decl: UnionDecl): UnionModel {
  const names = uniqueCaseNames(decl.variants.map((v) => variantWord(v.type)), (w) => enumCaseName(w));
  const name = ctx.names.types.get(decl.name)!;
  const variants = decl.variants.map((v, i) => ({
    name: names[i]!,
    // `Optional<T>(from:)` would need another spelling; a null variant is folded into `unknown`.
    type: swiftType({ ...v.type, nullable: undefined } as TypeRef, ctx.names, true),
    // A variant without a tag in a discriminated union answers to its declaration name.
    tags: v.tags.length > 0 ? v.tags : [variantWord(v.type)],
    required: requiredCount(ctx, v.type),
  }));
  return {
    branches: decl.discriminator ? branchesOf(variants) : [],
    ...ctx.header(['Foundation', 'SyncPatternsClient']),
    doc: docText(decl.description ?? ''),
    name,
    nameLiteral: stringLiteral(name),
    discriminator: decl.discriminator ? stringLiteral(decl.discriminator.property) : null,
    cases: variants.map((v) => ({ name: v.name, type: v.type })),
  };
}
