/**
 * The render stage: view model + logic-free Handlebars template → file text, then Prettier.
 * Templates compile in strict mode (a missing view field throws instead of printing nothing) and
 * without HTML escaping: every value in a view model is already valid TypeScript text (names and
 * literals come from naming.ts). No helpers are registered.
 */
import Handlebars from 'handlebars';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { format } from 'prettier';
import type { TemplateName } from './translate/index.js';
import { templateSource } from './templates.js';

const PARTIALS = {
  writeMutation: 'write-mutation.partial.hbs',
  liveMutation: 'live-mutation.partial.hbs',
} as const;

const require = createRequire(import.meta.url);
const env = Handlebars.create();
const compiled = new Map<TemplateName, HandlebarsTemplateDelegate>();

function compile(source: string): HandlebarsTemplateDelegate {
  return env.compile(source, { strict: true, noEscape: true });
}

function template(name: TemplateName): HandlebarsTemplateDelegate {
  let t = compiled.get(name);
  if (!t) {
    for (const [partial, file] of Object.entries(PARTIALS))
      env.registerPartial(partial, compile(templateSource(file)));
    t = compile(templateSource(`${name}.ts.hbs`));
    compiled.set(name, t);
  }
  return t;
}

/** Prints one view model with its template. */
export function render(name: TemplateName, view: object): string {
  return template(name)(view);
}

/**
 * The repository's Prettier style, inlined so that no config file is read. `babel-ts` prints the
 * same bytes as the `typescript` parser on every golden and parses faster (generation time is
 * mostly Prettier).
 */
export const PRETTIER_OPTIONS = {
  parser: 'babel-ts',
  singleQuote: true,
  printWidth: 100,
  trailingComma: 'all',
} as const;

/**
 * Formats TypeScript source with Prettier (async, pure: the same text always gives the same bytes,
 * whichever thread formats it).
 *
 * Calls made in the same tick form a batch (a generator formats all its files at once). A batch of
 * at least {@link FormatterOptions.parallelFrom} files is shared between this thread and worker
 * threads (one fewer than the cores, at most 3), which run the same Prettier with the same options;
 * smaller batches, and any machine where a worker cannot start, format on this thread alone. The
 * workers exit when their batch is done.
 */
export function formatTypeScript(source: string): Promise<string> {
  return defaultFormatter(source);
}

export interface FormatterOptions {
  /** Smallest batch shared with worker threads (default 200 files: a worker costs ~0.2 s to start). */
  parallelFrom?: number;
  /** Worker threads for a large batch (default: cores − 1, at least 1, at most 3). */
  workers?: number;
}

/** What the last batch of a formatter did (for tests and benchmarks). */
export interface FormatStats {
  files: number;
  workers: number;
  /** Files formatted by worker threads. */
  byWorkers: number;
}

interface Job {
  source: string;
  resolve: (text: string) => void;
  reject: (err: Error) => void;
}

/** A formatter with its own batching; {@link formatTypeScript} uses one with the defaults. */
export function createFormatter(
  options: FormatterOptions = {},
): ((source: string) => Promise<string>) & { lastBatch: () => FormatStats | null } {
  const parallelFrom = options.parallelFrom ?? 200;
  let queue: Job[] = [];
  let last: FormatStats | null = null;
  const fn = (source: string): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      queue.push({ source, resolve, reject });
      if (queue.length === 1)
        queueMicrotask(() => {
          const batch = queue;
          queue = [];
          const workers = batch.length >= parallelFrom ? (options.workers ?? defaultWorkers()) : 0;
          last = { files: batch.length, workers, byWorkers: 0 };
          void formatBatch(batch, last);
        });
    });
  return Object.assign(fn, { lastBatch: () => last });
}

const defaultFormatter = createFormatter();

function defaultWorkers(): number {
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

/** Files a worker takes at a time (fewer messages; small enough to share the tail evenly). */
const CHUNK = 16;

async function formatBatch(batch: Job[], stats: FormatStats): Promise<void> {
  const workerCount = stats.workers;
  let next = 0;
  const take = (n: number): Job[] => batch.slice(next, (next = Math.min(batch.length, next + n)));
  const formatHere = async (job: Job): Promise<void> => {
    try {
      job.resolve(await format(job.source, PRETTIER_OPTIONS));
    } catch (err) {
      job.reject(err as Error);
    }
  };
  const workers = Array.from({ length: workerCount }, () =>
    runWorker(take, (n) => (stats.byWorkers += n)),
  );
  // This thread formats too, one file at a time, yielding to the event loop between files so
  // that the workers' replies are answered while it works.
  for (let job = take(1)[0]; job; job = take(1)[0]) {
    await formatHere(job);
    if (workerCount > 0) await new Promise((r) => setImmediate(r));
  }
  // Files a worker failed on (it could not start, or crashed) come back here.
  for (const failed of await Promise.all(workers)) for (const job of failed) await formatHere(job);
}

/** Source of the worker: the same Prettier module as this thread's, the same options. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// prettier's CommonJS entry runs its ES module (index.mjs), the one this thread imports
const { format } = require(workerData.prettier);
parentPort.on('message', async (sources) => {
  const out = [];
  try {
    for (const s of sources) out.push({ ok: await format(s, workerData.options) });
  } catch (err) {
    out.push({ error: String((err && err.message) || err) });
  }
  parentPort.postMessage(out);
});
parentPort.postMessage('ready');
`;

/**
 * One worker: takes chunks until the batch is empty, then exits. Resolves with the jobs it took
 * but could not format because the worker failed (to be formatted on this thread).
 */
function runWorker(take: (n: number) => Job[], done: (n: number) => void): Promise<Job[]> {
  return new Promise((resolve) => {
    let inFlight: Job[] = [];
    let finished = false;
    const finish = (leftover: Job[]) => {
      if (finished) return;
      finished = true;
      void worker.terminate();
      resolve(leftover);
    };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { prettier: require.resolve('prettier'), options: PRETTIER_OPTIONS },
    });
    const send = () => {
      inFlight = take(CHUNK);
      if (inFlight.length === 0) finish([]);
      else worker.postMessage(inFlight.map((j) => j.source));
    };
    worker.on('message', (msg: 'ready' | { ok?: string; error?: string }[]) => {
      if (msg !== 'ready') {
        msg.forEach((r, i) => {
          if (r.error !== undefined) inFlight[i]!.reject(new Error(r.error));
          else inFlight[i]!.resolve(r.ok!);
        });
        // a failed file stops its chunk: the rest of the chunk goes back to this thread
        const rest = inFlight.slice(msg.length);
        done(msg.length);
        if (rest.length) return finish(rest);
      }
      send();
    });
    worker.on('error', () => finish(inFlight));
    worker.on('exit', () => finish(inFlight));
  });
}
