/**
 * @readme/openapi-parser's verdict on a spec, in this thread or in a worker thread.
 *
 * The parser is the judge of validity, and judging is a large part of loading (it dereferences the
 * whole document and checks the result against the OpenAPI JSON Schema: about a quarter of a
 * `generate` on big specs, Prettier aside). In a worker it runs beside what does not depend on its
 * verdict (building the IR, and in the CLI generating files that are only written once the
 * verdict is in). Both ways run the same function, {@link judge}, so verdicts and messages are
 * the same.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

type Validate = (typeof import('@readme/openapi-parser'))['validate'];

/** The first lines of the parser's error messages, or null when the document is valid. */
export type ParserVerdict = string[] | null;

/**
 * Runs the parser once, on the document already in memory (not a second read and parse of the
 * file); returns the first lines of its error messages, or null when valid.
 *
 * The parser dereferences what it is given in place, so it gets a copy. Given an object, it cannot
 * follow `$ref`s to other files (they would resolve against the working folder), so a document
 * it does not find valid is validated again from its file, and that verdict and its messages are
 * the ones reported: exactly what validating the file gives, for valid and invalid documents alike
 * (both parse with js-yaml's core schema, as our loader does, so they see the same values).
 *
 * Self-contained on purpose (no imports, no outer variables): the worker runs its source text.
 */
export async function judge(
  validate: Validate,
  absPath: string,
  value: unknown,
  copied: boolean,
): Promise<string[] | null> {
  const options = { validate: { errors: { colorize: false } } };
  if (value !== undefined)
    try {
      const inMemory = await validate(
        (copied ? value : structuredClone(value)) as Parameters<Validate>[0],
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

/** In this thread. `value`: the one-file document in memory (copied before the parser sees it). */
export async function parserVerdict(absPath: string, value: unknown): Promise<ParserVerdict> {
  const { validate } = await import('@readme/openapi-parser');
  return judge(validate, absPath, value, false);
}

/** Where the worker imports the parser from: the copy this module would import. */
function parserUrl(): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  try {
    if (resolve) return resolve('@readme/openapi-parser');
  } catch {
    // resolved below
  }
  return pathToFileURL(createRequire(import.meta.url).resolve('@readme/openapi-parser')).href;
}

/** The worker's whole program: import the parser, judge, post the verdict. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const judge = ${judge.toString()};
import(workerData.parserUrl)
  .then((parser) => judge(parser.validate, workerData.absPath, workerData.value, true))
  .then(
    (verdict) => parentPort.postMessage({ verdict }),
    (error) => parentPort.postMessage({ failed: String((error && error.stack) || error) }),
  );
`;

/**
 * The verdict from a worker thread, which gets a structured copy of `value` (so the parser
 * dereferences its own copy). Anything that keeps the worker from answering (it cannot start,
 * cannot import the parser, runs out of memory) falls back to {@link parserVerdict} in this
 * thread: a worker only changes where the same function runs.
 */
export function parserVerdictInWorker(absPath: string, value: unknown): Promise<ParserVerdict> {
  const inThread = () => parserVerdict(absPath, value);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { parserUrl: parserUrl(), absPath, value },
      stdout: true,
      stderr: true,
    });
  } catch {
    return inThread();
  }
  // The caller awaits the verdict; the worker alone must not keep the process alive.
  worker.unref();
  return new Promise<ParserVerdict>((resolve) => {
    let settled = false;
    // `fallback` is only called when the worker did not answer (an exit after the answer is normal).
    const settle = (answer: () => Promise<ParserVerdict> | ParserVerdict) => {
      if (settled) return;
      settled = true;
      resolve(answer());
    };
    worker.once('message', (m: { verdict?: ParserVerdict; failed?: string }) =>
      settle(() => ('verdict' in m ? (m.verdict ?? null) : inThread())),
    );
    worker.once('error', () => settle(inThread));
    worker.once('exit', () => settle(inThread));
  });
}
