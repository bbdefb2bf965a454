import path from 'node:path';
import type { Diagnostic, SyncIR } from '../ir/types.js';
import { buildIr } from '../normalize/build-ir.js';
import { LoadContext, isObject } from './context.js';
import { DocumentStore } from './documents.js';

export interface LoadOptions {
  /** Folder that relative file names in diagnostics are relative to (default: process.cwd()). */
  cwd?: string;
  /**
   * Skip @readme/openapi-parser's full validation (the located structural checks and all of our own
   * semantic checks still run). For callers that validated the same bytes before.
   */
  skipParserValidation?: boolean;
}

export interface LoadResult {
  /** Null when any diagnostic is an error. */
  ir: SyncIR | null;
  /** Errors and warnings, sorted by file, line, column. */
  diagnostics: Diagnostic[];
  /** Absolute paths of every file read (the root spec and every file it `$ref`s), sorted. */
  files: string[];
}

/**
 * Loads, validates and normalises an annotated OpenAPI document. Never throws for a bad spec: every
 * problem is a located {@link Diagnostic}.
 *
 * Stages: read + parse (line:col kept) → version gate → validation by @readme/openapi-parser (errors
 * re-located in the user's file) → normalisation into the IR (sync vocabulary, types, entities).
 */
export async function loadSpec(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const absPath = path.resolve(cwd, file);
  const store = new DocumentStore(cwd);
  const root = store.load(absPath);
  const done = (ctx: LoadContext | null, ir: SyncIR | null): LoadResult => ({
    ir,
    diagnostics: ctx ? ctx.allDiagnostics() : [...store.diagnostics],
    files: store.files(),
  });
  if (!root) return done(null, null);
  const ctx = new LoadContext(store, root);

  const version = versionGate(ctx);
  if (!version) return done(ctx, null);

  // Before the parser or the normaliser follows a `$ref`: refs stay inside the spec folder, and
  // what the OpenAPI schema cannot see (Schema Object keywords, misplaced sync annotations).
  const { checkDocuments, checkEntityTables } = await import('../validate/document.js');
  if (checkDocuments(ctx, version) > 0) return done(ctx, null);

  if (!options.skipParserValidation) {
    // One file: validated in memory. Several (file `$ref`s): from the file, so the parser finds them.
    const problems = await parserValidation(
      absPath,
      store.files().length === 1 ? root.value : undefined,
    );
    if (problems) {
      // The parser's messages point into a re-printed copy of the document. Locate the problem in
      // the user's file: our own passes find broken refs, duplicate operationIds and undeclared
      // path parameters; the structural pass finds schema violations. Only what neither explains
      // is reported with the parser's own words.
      buildIr(ctx, version);
      if (!ctx.hasErrors()) {
        const { locateSchemaErrors } = await import('../validate/structure.js');
        if (locateSchemaErrors(ctx, version) === 0) {
          for (const message of problems) ctx.report('SP0108', message, { doc: root, pointer: '' });
        }
      }
      return done(ctx, null);
    }
  }
  const ir = buildIr(ctx, version);
  checkEntityTables(ctx, ir);
  return done(ctx, ctx.hasErrors() ? null : ir);
}

/** Refuses what is not OpenAPI 3.0/3.1, with a message saying what to do. */
function versionGate(ctx: LoadContext): '3.0' | '3.1' | null {
  const v = ctx.root.value;
  const rootLoc = { doc: ctx.root, pointer: '' };
  if (!isObject(v)) {
    ctx.report(
      'SP0104',
      'This file is not an OpenAPI document: its top level is not a mapping.',
      rootLoc,
    );
    return null;
  }
  if ('swagger' in v) {
    ctx.report(
      'SP0105',
      `Swagger ${String(v.swagger)} documents are not supported; sync-patterns reads OpenAPI 3.0 and 3.1.`,
      { doc: ctx.root, pointer: '/swagger' },
      'Convert it first, e.g. `npx swagger2openapi spec.yaml -o openapi.yaml` (or FastAPI ≥ 0.100, which emits 3.1).',
    );
    return null;
  }
  if (typeof v.openapi !== 'string') {
    ctx.report(
      'SP0104',
      'This file is not an OpenAPI document: the top-level "openapi" version field is missing.',
      rootLoc,
      'Add `openapi: 3.1.0` at the top.',
    );
    return null;
  }
  if (/^3\.0\.\d+$/.test(v.openapi)) return '3.0';
  if (/^3\.1\.\d+$/.test(v.openapi)) return '3.1';
  ctx.report(
    'SP0106',
    `OpenAPI ${v.openapi} is not supported; sync-patterns reads OpenAPI 3.0.x and 3.1.x.`,
    { doc: ctx.root, pointer: '/openapi' },
    /^3\.2/.test(v.openapi)
      ? 'Write `openapi: 3.1.0` if the document uses no 3.2 features.'
      : undefined,
  );
  return null;
}

/**
 * Runs @readme/openapi-parser once, on the document already in memory (not a second read and
 * parse of the file); returns the first lines of its error messages, or null when valid.
 *
 * The parser dereferences what it is given in place, so it gets a copy. Given an object, it cannot
 * follow `$ref`s to other files (they would resolve against the working folder), so a document
 * it does not find valid is validated again from its file, and that verdict and its messages are
 * the ones reported: exactly what validating the file gives, for valid and invalid documents alike
 * (both parse with js-yaml's core schema, as our loader does, so they see the same values).
 */
async function parserValidation(absPath: string, value: unknown): Promise<string[] | null> {
  const { validate } = await import('@readme/openapi-parser');
  const options = { validate: { errors: { colorize: false } } };
  if (value !== undefined)
    try {
      const inMemory = await validate(
        structuredClone(value) as Parameters<typeof validate>[0],
        options,
      );
      if (inMemory.valid) return null;
    } catch {
      // judged below, from the file
    }
  try {
    const result = await validate(absPath, options);
    if (result.valid) return null;
    return result.errors.map((e) => e.message.split('\n')[0]!.trim());
  } catch (err) {
    return [(err as Error).message.split('\n')[0]!];
  }
}
