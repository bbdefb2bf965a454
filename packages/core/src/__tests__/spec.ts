import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadSpec, type LoadResult } from '../load/load-spec.js';

/** Writes a spec (object → YAML, or raw text) plus extra files into a fresh temp folder. */
export function writeSpec(
  spec: object | string,
  extra: Record<string, string> = {},
  name = 'openapi.yaml',
): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sp-spec-'));
  const file = path.join(dir, name);
  writeFileSync(file, typeof spec === 'string' ? spec : stringify(spec));
  for (const [rel, text] of Object.entries(extra)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return { dir, file };
}

/** Loads a spec object. `validate: false` skips the (slow) full parser validation. */
export async function load(
  spec: object | string,
  opts: {
    validate?: boolean;
    extra?: Record<string, string>;
    name?: string;
    parserInWorker?: boolean;
  } = {},
): Promise<LoadResult> {
  const { dir, file } = writeSpec(spec, opts.extra, opts.name);
  return loadSpec(file, {
    cwd: dir,
    skipParserValidation: opts.validate === false,
    parserInWorker: opts.parserInWorker === true,
  });
}

export const ok = (description = 'ok') => ({ description });

/** A minimal valid 3.1 document around `paths` and `schemas`. */
export function doc(
  paths: Record<string, unknown>,
  schemas: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): object {
  return {
    openapi: '3.1.0',
    info: { title: 'T', version: '1' },
    paths,
    components: { schemas },
    ...extra,
  };
}

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A REST resource: `/<plural>` list+create and `/<plural>/{<param>}` get/patch/delete. */
export function resource(
  plural: string,
  schema: string,
  opts: {
    prefix?: string;
    param?: string;
    annotation?: Record<string, unknown>;
    itemAnnotation?: Record<string, unknown>;
    list?: unknown;
    trailingSlash?: boolean;
  } = {},
): Record<string, unknown> {
  const prefix = opts.prefix ?? '';
  const param = opts.param ?? 'id';
  const slash = opts.trailingSlash ? '/' : '';
  const p = { name: param, in: 'path', required: true, schema: { type: 'string' } };
  return {
    [`${prefix}/${plural}${slash}`]: {
      ...(opts.annotation ?? {}),
      get: {
        responses: {
          '200': {
            description: 'list',
            ...json(opts.list ?? { type: 'array', items: ref(schema) }),
          },
        },
      },
      post: {
        requestBody: json(ref(schema)),
        responses: { '201': { description: 'created', ...json(ref(schema)) } },
      },
    },
    [`${prefix}/${plural}/{${param}}`]: {
      ...(opts.itemAnnotation ?? {}),
      parameters: [p],
      get: { responses: { '200': { description: 'one', ...json(ref(schema)) } } },
      patch: {
        requestBody: json(ref(schema)),
        responses: { '200': { description: 'updated', ...json(ref(schema)) } },
      },
      delete: { responses: { '204': { description: 'deleted' } } },
    },
  };
}

export const item = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, ...extra },
});
export { json, ref };
