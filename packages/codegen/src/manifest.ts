/**
 * The output manifest (`<out>/.sync-patterns-manifest.json`) and the hashes it records: one
 * implementation, used by the CLI's writer and by the Nx adapter, so that both read and write the
 * same file and can take turns on one output folder.
 *
 * The manifest is deterministic: sorted keys, 2-space indent, trailing newline, no timestamps and
 * no absolute paths, so that committed generated code does not churn between machines.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

export const MANIFEST_FILE = '.sync-patterns-manifest.json';
export const MANIFEST_VERSION = 1;

export interface Manifest {
  /** Format of this file. */
  manifestVersion: typeof MANIFEST_VERSION;
  /** `<target>@<TargetGenerator.version>`, e.g. `react@1.0.0`. */
  generator: string;
  /** `<package name>@<package.json version>` of the generator package, or null when unknown. */
  generatorPackage: string | null;
  /**
   * The tool that wrote the manifest: the version of @sync/cli (`0.1.0`), or `nx @sync/codegen@<version>`
   * for `nx g @sync/<target>:client`. Part of the input hash, so the CLI's fast path is not taken
   * on a folder the other tool wrote last (its full path then checks every file).
   */
  cli: string;
  /** See {@link computeInputHash}. */
  inputHash: string;
  /** Every spec file read, relative to the manifest's folder (`/` separators) → sha256 of its bytes. */
  inputs: Record<string, string>;
  /** Every generated file, relative to the manifest's folder → sha256 of its bytes. */
  files: Record<string, string>;
}

/** Everything in the manifest except the file list, which the writer fills in. */
export type ManifestHeader = Omit<Manifest, 'files' | 'manifestVersion'>;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Sorts object keys recursively (by UTF-16 code unit, not locale), drops `undefined` members. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeysDeep(v);
    }
    return out;
  }
  return value;
}

/** JSON with sorted keys; `indent` 0 gives the compact form used inside hashes. */
export function canonicalJson(value: unknown, indent = 0): string {
  return JSON.stringify(sortKeysDeep(value), null, indent);
}

export function serializeManifest(manifest: Manifest): string {
  return `${canonicalJson(manifest, 2)}\n`;
}

export function buildManifest(header: ManifestHeader, files: Record<string, string>): Manifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    generator: header.generator,
    generatorPackage: header.generatorPackage,
    cli: header.cli,
    inputHash: header.inputHash,
    inputs: header.inputs,
    files,
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** Parses a manifest; null when it is not one (corrupt, merge conflict, other version). */
export function parseManifest(text: string): Manifest | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const m = raw as Record<string, unknown>;
  if (m.manifestVersion !== MANIFEST_VERSION) return null;
  if (
    typeof m.generator !== 'string' ||
    typeof m.cli !== 'string' ||
    typeof m.inputHash !== 'string'
  )
    return null;
  if (m.generatorPackage !== null && typeof m.generatorPackage !== 'string') return null;
  if (!isStringRecord(m.inputs) || !isStringRecord(m.files)) return null;
  return {
    manifestVersion: MANIFEST_VERSION,
    generator: m.generator,
    generatorPackage: m.generatorPackage,
    cli: m.cli,
    inputHash: m.inputHash,
    inputs: m.inputs,
    files: m.files,
  };
}

export interface ManifestRead {
  /** Null when there is no manifest or it could not be parsed. */
  manifest: Manifest | null;
  /** The raw bytes, or null when the file does not exist. */
  bytes: Buffer | null;
  /** Set when a file exists but is not a valid manifest. */
  problem?: string;
}

/** Interprets the bytes of a manifest file (null: there is none). */
export function manifestFromBytes(bytes: Buffer | null): ManifestRead {
  if (bytes === null) return { manifest: null, bytes: null };
  const manifest = parseManifest(bytes.toString('utf8'));
  return manifest
    ? { manifest, bytes }
    : {
        manifest: null,
        bytes,
        problem: `${MANIFEST_FILE} is not a valid sync-patterns manifest; treating every existing file as user-owned`,
      };
}

export async function readManifest(outDir: string): Promise<ManifestRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(outDir, MANIFEST_FILE));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { manifest: null, bytes: null };
    throw error;
  }
  return manifestFromBytes(bytes);
}

/** Whether two file lists (path → sha256) are the same. */
export function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

export interface InputHashParts {
  /** CLI version. */
  cli: string;
  /** `<target>@<generator version>`. */
  generator: string;
  /** `<package>@<version>` of the generator package, or null. */
  generatorPackage: string | null;
  /** The root spec, relative to the output folder. */
  spec: string;
  /** Spec files read, relative to the output folder → sha256 of their bytes. */
  inputs: Record<string, string>;
  /** Resolved generator options (without `out`). */
  options: Record<string, unknown>;
}

/**
 * sha256 over the canonical JSON of: every spec file's path and content hash (sorted), the root
 * spec, the resolved options, the generator and its package version, and the CLI version.
 */
export function computeInputHash(parts: InputHashParts): string {
  return sha256(
    canonicalJson({
      v: 1,
      cli: parts.cli,
      generator: parts.generator,
      generatorPackage: parts.generatorPackage,
      spec: parts.spec,
      inputs: Object.entries(parts.inputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      options: parts.options,
    }),
  );
}

/** A spec file could not be read while building the manifest header. */
export class InputReadError extends Error {
  override name = 'InputReadError';
  constructor(readonly file: string) {
    super(`cannot read spec file ${file}`);
  }
}

export interface HeaderInput {
  /** The output folder (real path when it exists). */
  outDir: string;
  /** The root spec (real path). */
  spec: string;
  /** Every spec file the loader read (real paths; the root spec may be among them). */
  inputFiles: Iterable<string>;
  /** `<target>@<generator version>`. */
  generator: string;
  /** `<package>@<version>` of the generator package, or null. */
  generatorPackage: string | null;
  /** Who writes the manifest (its `cli` field): the CLI's version, or {@link NX_WRITER}. */
  writer: string;
  /** The generator's options. */
  options: Record<string, unknown>;
  /** sha256 of a spec file, or null when it cannot be read. */
  hashFile: (abs: string) => string | null;
}

/**
 * The manifest header of one run, the same for the CLI and Nx: every spec file read, relative to
 * the output folder, with its hash, and the input hash over them. Throws {@link InputReadError}.
 */
export function manifestHeader(input: HeaderInput): ManifestHeader {
  const files = new Set([input.spec, ...input.inputFiles]);
  const inputs: Record<string, string> = {};
  for (const abs of [...files].sort()) {
    const hash = input.hashFile(abs);
    if (hash === null) throw new InputReadError(abs);
    inputs[relativePosix(input.outDir, abs)] = hash;
  }
  return {
    generator: input.generator,
    generatorPackage: input.generatorPackage,
    cli: input.writer,
    inputs,
    inputHash: computeInputHash({
      cli: input.writer,
      generator: input.generator,
      generatorPackage: input.generatorPackage,
      spec: relativePosix(input.outDir, input.spec),
      inputs,
      options: input.options,
    }),
  };
}

/** `path.relative` with `/` separators (the manifest's path style). */
export function relativePosix(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}
