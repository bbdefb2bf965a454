/**
 * The view models handed to the templates: finished strings and precomputed booleans only, so
 * that templates can stay free of logic (they loop, branch on booleans and print).
 */

/** Common to every file: the do-not-edit banner and the imports. */
export interface FileHeader {
  imports: string[];
}

export interface StructField {
  /** `///` lines (with indentation and trailing newline) or ''. */
  doc: string;
  /** `@Indirect ` or ''. */
  attribute: string;
  name: string;
  type: string;
  /** `case name` or `case name = "wire"` */
  codingCase: string;
  /** `name: Type = nil` */
  param: string;
  decode: string;
  encode: string;
  /** A `guard` line that checks a const value after decoding, or ''. */
  check: string;
}

export interface StructModel extends FileHeader {
  doc: string;
  name: string;
  conformances: string;
  fields: StructField[];
  hasFields: boolean;
  /** Emit CodingKeys (some wire name differs from the property name, or custom coding). */
  codingKeys: boolean;
  /** Emit `init(from:)` / `encode(to:)` (decimals, required nullables, const checks). */
  customCoding: boolean;
  /** `public var id: T { pk }` for Identifiable entities whose key is not named `id`. */
  idAlias: { type: string; property: string } | null;
}

export interface EnumCase {
  doc: string;
  name: string;
  literal: string;
}

export interface EnumModel extends FileHeader {
  doc: string;
  name: string;
  rawType: string;
  cases: EnumCase[];
  hasCases: boolean;
}

export interface UnionCase {
  name: string;
  type: string;
}

export interface UnionModel extends FileHeader {
  doc: string;
  name: string;
  cases: UnionCase[];
  /** Discriminator property as a Swift literal, or null (then variants are tried in order). */
  discriminator: string | null;
  /**
   * With a discriminator: one `case` per set of tags. Where several variants share a tag
   * (`"message"` for both an input and an output message), they are tried in spec order and the
   * first that decodes wins; a tag never silently picks the first variant alone.
   */
  branches: UnionBranch[];
  /** Literal of the union's name for error messages. */
  nameLiteral: string;
}

export interface UnionBranch {
  /** Swift string literals, comma-separated: `"a", "b"`. */
  tags: string;
  /** The variants this tag selects, in spec order. */
  options: { name: string; type: string }[];
  /** Exactly one variant: decode it directly. */
  single: boolean;
}

export interface AliasModel extends FileHeader {
  doc: string;
  name: string;
  type: string;
}
