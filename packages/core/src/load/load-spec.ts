import path from 'node:path';
import type { Diagnostic, SyncIR } from '../ir/types.js';
import { buildIr } from '../normalize/build-ir.js';
import { LoadContext, isObject } from './context.js';
import { DocumentStore } from './documents.js';
import { parserVerdict, parserVerdictInWorker } from './parser-validation.js';

export interface LoadOptions {
  /** Folder that relative file names in diagnostics are relative to (default: process.cwd()). */
  cwd?: string;
  /**
   * Skip @readme/openapi-parser's full validation (the located structural checks and all of our own
   * semantic checks still run). For callers that validated the same bytes before.
   */
  skipParserValidation?: boolean;
  /**
   * Run @readme/openapi-parser in a worker thread, beside building the IR (the same verdicts and
   * messages; in this thread if the worker cannot run). See {@link loadSpecStaged}.
   */
  parserInWorker?: boolean;
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
  return (await loadSpecStaged(file, options)).result;
}

/** {@link loadSpecStaged}'s answer. */
export interface StagedLoad {
  /**
   * The IR, available before the parser's verdict when the parser runs in a worker
   * ({@link LoadOptions.parserInWorker}), else when `result` is settled; null when loading failed
   * before the verdict. Not known to be valid: nothing made from it may be written or shown
   * before `result` resolves with a non-null `ir` (which is then this same object).
   */
  draft: SyncIR | null;
  /** The outcome, exactly as {@link loadSpec} answers it. */
  result: Promise<LoadResult>;
}

/**
 * {@link loadSpec} in two steps, for callers that can start on the IR while
 * @readme/openapi-parser judges the document in a worker thread (the CLI generates the files
 * meanwhile, and writes them only once the verdict says the spec is valid). The outcome, IR and
 * diagnostics, is the same as {@link loadSpec}'s.
 */
export async function loadSpecStaged(file: string, options: LoadOptions = {}): Promise<StagedLoad> {
  const cwd = options.cwd ?? process.cwd();
  const absPath = path.resolve(cwd, file);
  const store = new DocumentStore(cwd);
  const root = store.load(absPath);
  const done = (ctx: LoadContext | null, ir: SyncIR | null): LoadResult => ({
    ir,
    diagnostics: ctx ? ctx.allDiagnostics() : [...store.diagnostics],
    files: store.files(),
  });
  const settled = (ctx: LoadContext | null, ir: SyncIR | null): StagedLoad => ({
    draft: ir,
    result: Promise.resolve(done(ctx, ir)),
  });
  if (!root) return settled(null, null);
  const ctx = new LoadContext(store, root);

  const version = versionGate(ctx);
  if (!version) return settled(ctx, null);

  // Before the parser or the normaliser follows a `$ref`: refs stay inside the spec folder, and
  // what the OpenAPI schema cannot see (Schema Object keywords, misplaced sync annotations).
  const { checkDocuments, checkEntityTables } = await import('../validate/document.js');
  if (checkDocuments(ctx, version) > 0) return settled(ctx, null);

  const valid = (ir: SyncIR): LoadResult => {
    checkEntityTables(ctx, ir);
    return done(ctx, ctx.hasErrors() ? null : ir);
  };
  const final = (result: LoadResult): StagedLoad => ({
    draft: result.ir,
    result: Promise.resolve(result),
  });
  if (options.skipParserValidation) return final(valid(buildIr(ctx, version)));

  // One file: validated in memory. Several (file `$ref`s): from the file, so the parser finds them.
  const inMemory = store.files().length === 1 ? root.value : undefined;
  const judged = async (problems: string[] | null, ir: SyncIR): Promise<LoadResult> => {
    if (!problems) return valid(ir);
    // The parser's messages point into a re-printed copy of the document. Locate the problem in
    // the user's file: our own passes (run by buildIr) find broken refs, duplicate operationIds and
    // undeclared path parameters; the structural pass finds schema violations. Only what neither
    // explains is reported with the parser's own words.
    if (!ctx.hasErrors()) {
      const { locateSchemaErrors } = await import('../validate/structure.js');
      if (locateSchemaErrors(ctx, version) === 0) {
        for (const message of problems) ctx.report('SP0108', message, { doc: root, pointer: '' });
      }
    }
    return done(ctx, null);
  };
  if (options.parserInWorker) {
    // The worker gets its copy of the document now, before anything here reads it.
    const verdict = parserVerdictInWorker(absPath, inMemory);
    const ir = buildIr(ctx, version);
    return {
      draft: ctx.hasErrors() ? null : ir,
      result: verdict.then((problems) => judged(problems, ir)),
    };
  }
  const problems = await parserVerdict(absPath, inMemory);
  return final(await judged(problems, buildIr(ctx, version)));
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
