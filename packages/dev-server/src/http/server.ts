/**
 * The node:http server: CORS preflight, the shape feed (`GET /v1/shape`), the dev-only control
 * endpoint (`POST /__dev/rotate-shapes[?table=x]`), and the REST API for everything else. One
 * structured log line per request (`method= path= status= ms=`) unless quiet.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { JsonValue } from '@sync/core';
import type { Api } from '../rest/api.js';
import type { ShapeFeed } from '../shape/feed.js';
import { exceedsDepth, own, put, record } from '../util/json.js';
import { FORM_MARK } from '../rest/form.js';
import { corsHeaders, sendError, sendJson, sendText } from './respond.js';

const MAX_BODY = 1 << 20;

export interface HttpDeps {
  api: Pick<Api, 'handle'>;
  feed: ShapeFeed;
  rotate: (table?: string) => Promise<string[]>;
  /** The tables the shape feed serves (for the rotate endpoint's 404). */
  tables: readonly string[];
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Deepest JSON nesting a request body may use (deeper bodies overflow parsers and jsonb). */
export const MAX_BODY_DEPTH = 100;

/** `application/json`, or any `+json` media type (`application/merge-patch+json`…). */
function isJsonMediaType(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}

function isFormMediaType(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded';
}

/**
 * A form body (multipart or urlencoded, as specs declare file uploads) as an object of strings:
 * an uploaded file becomes its file name (the dev server stores no file contents). Values are
 * coerced to the body schema's types before validation (see rest/form.ts).
 */
async function readForm(bytes: Buffer, contentType: string): Promise<JsonValue> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch (error) {
    throw new BodyError(
      400,
      `request body is not a valid form: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const out = record<JsonValue>();
  form.forEach((v, k) => {
    const text = typeof v === 'string' ? v : v.name;
    const prev = own(out, k);
    put(out, k, prev === undefined ? text : Array.isArray(prev) ? [...prev, text] : [prev, text]);
  });
  put(out, FORM_MARK, true);
  return out;
}

async function readBody(req: IncomingMessage): Promise<JsonValue | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new BodyError(413, `request body is larger than ${MAX_BODY} bytes`);
    chunks.push(b);
  }
  if (size === 0) return undefined;
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && isFormMediaType(contentType))
    return readForm(Buffer.concat(chunks), contentType);
  // Without a Content-Type the body is read as JSON (curl -d, quick scripts); a declared
  // non-JSON type is refused rather than guessed at.
  if (contentType !== undefined && !isJsonMediaType(contentType))
    throw new BodyError(
      415,
      `Content-Type ${JSON.stringify(contentType)} is not supported; send application/json`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BodyError(400, 'request body is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new BodyError(
      400,
      `request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (exceedsDepth(value, MAX_BODY_DEPTH))
    throw new BodyError(400, `request body nests deeper than ${MAX_BODY_DEPTH} levels`);
  return value;
}

/**
 * `POST` + `X-HTTP-Method-Override: PATCH|PUT|DELETE` is served as that method: the JDK's
 * HttpURLConnection cannot send PATCH, so JVM clients (the Kotlin runtime's default transport off
 * Android) fall back to it. Only POST is overridden, and only to a write method.
 */
function effectiveMethod(method: string, override: string | string[] | undefined): string {
  const wanted = (Array.isArray(override) ? override[0] : override)?.trim().toUpperCase();
  return method === 'POST' && (wanted === 'PATCH' || wanted === 'PUT' || wanted === 'DELETE')
    ? wanted
    : method;
}

async function route(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') return sendText(res, 204, null, corsHeaders(req));
  if (url.pathname === '/v1/shape') {
    if (method !== 'GET' && method !== 'HEAD')
      return sendError(res, 405, 'method_not_allowed', 'the shape feed answers GET');
    return deps.feed.handle(req, res, url);
  }
  if (url.pathname === '/__dev/rotate-shapes' && method === 'POST') {
    const table = url.searchParams.get('table') ?? undefined;
    if (table !== undefined && !deps.tables.includes(table))
      return sendJson(
        res,
        404,
        {
          error: 'not_found',
          message: `no table ${JSON.stringify(table)} (tables: ${deps.tables.join(', ') || 'none'})`,
        },
        corsHeaders(req),
      );
    const rotated = await deps.rotate(table);
    return sendJson(res, 200, { rotated }, corsHeaders(req));
  }
  let body: JsonValue | undefined;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyError)
      return sendJson(
        res,
        error.status,
        { error: 'bad_request', message: error.message },
        corsHeaders(req),
      );
    throw error;
  }
  const reply = await deps.api.handle({
    method: effectiveMethod(method, req.headers['x-http-method-override']),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
  });
  sendJson(res, reply.status, reply.body, { ...corsHeaders(req), ...(reply.headers ?? {}) });
}

/**
 * The server listens before the database is ready (so a taken port fails in milliseconds, not
 * after a PGlite cold start); requests that arrive early wait for `deps`.
 */
export function createHttpServer(
  ready: Promise<HttpDeps>,
  log: ((line: string) => void) | null,
): Server {
  return createServer((req, res) => {
    const started = performance.now();
    ready.then(
      (deps) => serve(deps, req, res, started),
      () => sendJson(res, 503, { error: 'unavailable', message: 'the dev server failed to start' }),
    );
  });
  function serve(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, started: number): void {
    if (log !== null) {
      res.on('finish', () => {
        const ms = (performance.now() - started).toFixed(1);
        log(
          `method=${req.method ?? '?'} path=${(req.url ?? '/').split('?')[0] ?? '/'} status=${res.statusCode} ms=${ms}`,
        );
      });
    }
    route(deps, req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log?.(
        `error=${JSON.stringify(message)} method=${req.method ?? '?'} url=${JSON.stringify(req.url ?? '')}`,
      );
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message }, corsHeaders(req));
      else res.destroy();
    });
  }
}
