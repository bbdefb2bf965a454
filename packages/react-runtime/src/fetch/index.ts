/**
 * `@sync/react-runtime/fetch`: the fetch client every generated API function goes through, the same
 * for every spec (the generated `api/client.ts` only binds it to the spec's server URL). Base URL,
 * an async credential provider, an injectable `fetch`, `AbortSignal` support, OpenAPI parameter
 * serialisation (style/explode) and a typed {@link ApiError} for non-2xx answers.
 *
 * A subpath of its own, with no import of the sync runtime: a push-only app bundles this file and
 * nothing of PGlite or Electric.
 */

/** How the generated functions reach the API. */
export interface ApiConfig {
  /** Prefixed to every operation path (e.g. `https://api.example.com`). */
  baseUrl: string;
  /** Returns the current credential (bearer token, API key…); null/undefined sends none. */
  getAuthToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** The `fetch` to use (tests, SSR, instrumentation). Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** Per-call options of every generated function. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the configuration set with `configureApi` for this call. */
  config?: ApiConfig;
  headers?: Record<string, string>;
}

/** A non-2xx response: the status and the parsed body (JSON when the server sent JSON). */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;

  constructor(status: number, body: unknown, headers: Headers, message?: string) {
    super(message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** One parameter of a call, with its OpenAPI serialisation. */
export interface ParamSpec {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  value: unknown;
  style: string;
  explode: boolean;
}

export type AuthSpec =
  | { kind: 'bearer' }
  | { kind: 'basic' }
  | { kind: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string };

export interface BodySpec {
  kind: 'json' | 'form' | 'multipart' | 'text' | 'binary';
  value: unknown;
}

/** Everything a generated function knows about its operation. */
export interface RequestSpec {
  method: string;
  path: string;
  params: ParamSpec[];
  body?: BodySpec;
  response: 'json' | 'text' | 'blob' | 'none';
  auth: AuthSpec[];
}

/** One API's client: its configuration (merged by `configure`) and `request`. */
export interface ApiClient {
  /** Sets the configuration every call uses (merged into the current one); returns it. */
  configure(config: Partial<ApiConfig>): ApiConfig;
  /** The configuration in effect. */
  getConfig(): ApiConfig;
  /** Sends one request; resolves with the decoded body, rejects with {@link ApiError} on non-2xx. */
  request<T>(spec: RequestSpec, options?: RequestOptions): Promise<T>;
}

/**
 * A client starting from `defaults` (a generated `api/client.ts` passes the spec's server URL).
 * Each client keeps its own configuration, so two generated clients in one app do not share one.
 */
export function createApiClient(defaults: ApiConfig): ApiClient {
  let current: ApiConfig = defaults;
  return {
    configure(config) {
      current = { ...current, ...config };
      return current;
    },
    getConfig: () => current,
    request: (spec, options = {}) => send(options.config ?? current, spec, options),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Blob)
  );
}

function text(value: unknown): string {
  return typeof value === 'string'
    ? value
    : isRecord(value)
      ? JSON.stringify(value)
      : String(value);
}

/** Path (RFC 6570 simple/label/matrix) value of a parameter, already percent-encoded. */
function pathValue(p: ParamSpec): string {
  const enc = (v: unknown) => encodeURIComponent(text(v));
  const prefix = p.style === 'label' ? '.' : p.style === 'matrix' ? `;${p.name}=` : '';
  const sep = p.style === 'label' && p.explode ? '.' : ',';
  if (Array.isArray(p.value)) return prefix + p.value.map(enc).join(sep);
  if (isRecord(p.value)) {
    const pairs = Object.entries(p.value).map(([k, v]) =>
      p.explode ? `${enc(k)}=${enc(v)}` : `${enc(k)},${enc(v)}`,
    );
    return prefix + pairs.join(sep);
  }
  return prefix + enc(p.value);
}

/** Query pairs of one parameter (form, spaceDelimited, pipeDelimited, deepObject). */
function queryPairs(p: ParamSpec): [string, string][] {
  const v = p.value;
  if (Array.isArray(v)) {
    if (p.style === 'form' && p.explode) return v.map((x): [string, string] => [p.name, text(x)]);
    const sep = p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ',';
    return [[p.name, v.map(text).join(sep)]];
  }
  if (isRecord(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined && x !== null);
    if (p.style === 'deepObject')
      return entries.map(([k, x]): [string, string] => [`${p.name}[${k}]`, text(x)]);
    if (p.explode) return entries.map(([k, x]): [string, string] => [k, text(x)]);
    return [[p.name, entries.flatMap(([k, x]) => [k, text(x)]).join(',')]];
  }
  return [[p.name, text(v)]];
}

function buildUrl(baseUrl: string, spec: RequestSpec, extraQuery: [string, string][]): string {
  let path = spec.path;
  for (const p of spec.params) {
    if (p.in === 'path') path = path.split(`{${p.name}}`).join(pathValue(p));
  }
  const pairs = spec.params
    .filter((p) => p.in === 'query' && p.value !== undefined && p.value !== null)
    .flatMap(queryPairs)
    .concat(extraQuery);
  const query = pairs
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${baseUrl.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
}

function appendForm(form: FormData, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) value.forEach((v) => appendForm(form, key, v));
  else if (value instanceof Blob) form.append(key, value);
  else form.append(key, text(value));
}

function encodeBody(body: BodySpec, headers: Headers): BodyInit | undefined {
  if (body.value === undefined) return undefined;
  switch (body.kind) {
    case 'json':
      headers.set('content-type', 'application/json');
      return JSON.stringify(body.value);
    case 'form': {
      const entries = isRecord(body.value) ? Object.entries(body.value) : [];
      const pairs = entries
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]): [string, string] => [k, text(v)]);
      return new URLSearchParams(pairs);
    }
    case 'multipart': {
      const form = new FormData();
      if (isRecord(body.value))
        Object.entries(body.value).forEach(([k, v]) => appendForm(form, k, v));
      return form;
    }
    case 'text':
      headers.set('content-type', 'text/plain');
      return text(body.value);
    case 'binary':
      return body.value instanceof Blob ? body.value : text(body.value);
  }
}

/** Applies the first auth scheme (the token from `getAuthToken`); returns extra query pairs. */
async function applyAuth(
  config: ApiConfig,
  auth: AuthSpec[],
  headers: Headers,
): Promise<[string, string][]> {
  const scheme = auth[0];
  if (!scheme || !config.getAuthToken) return [];
  const token = await config.getAuthToken();
  if (token === null || token === undefined) return [];
  if (scheme.kind === 'bearer') headers.set('authorization', `Bearer ${token}`);
  else if (scheme.kind === 'basic') headers.set('authorization', `Basic ${token}`);
  else if (scheme.in === 'header') headers.set(scheme.name, token);
  else if (scheme.in === 'cookie')
    headers.append('cookie', `${scheme.name}=${encodeURIComponent(token)}`);
  else return [[scheme.name, token]];
  return [];
}

function paramHeaders(spec: RequestSpec, headers: Headers): void {
  for (const p of spec.params) {
    if (p.value === undefined || p.value === null) continue;
    const value = Array.isArray(p.value) ? p.value.map(text).join(',') : text(p.value);
    if (p.in === 'header') headers.set(p.name, value);
    if (p.in === 'cookie') headers.append('cookie', `${p.name}=${encodeURIComponent(value)}`);
  }
}

async function readBody(response: Response): Promise<unknown> {
  const raw = await response.text();
  if (!raw) return undefined;
  if (!/json/i.test(response.headers.get('content-type') ?? '')) return raw;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed;
  } catch {
    return raw;
  }
}

async function send<T>(config: ApiConfig, spec: RequestSpec, options: RequestOptions): Promise<T> {
  const headers = new Headers({
    accept: 'application/json',
    ...config.headers,
    ...options.headers,
  });
  paramHeaders(spec, headers);
  const authQuery = await applyAuth(config, spec.auth, headers);
  const body = spec.body ? encodeBody(spec.body, headers) : undefined;
  const doFetch = config.fetch ?? globalThis.fetch;
  const response = await doFetch(buildUrl(config.baseUrl, spec, authQuery), {
    method: spec.method,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.ok) {
    throw new ApiError(response.status, await readBody(response), response.headers);
  }
  return decode<T>(response, spec.response);
}

/** Decodes a 2xx body as the operation's response kind. */
async function decode<T>(response: Response, kind: RequestSpec['response']): Promise<T> {
  let value: unknown;
  if (kind === 'blob') value = await response.blob();
  else if (kind === 'none' || response.status === 204) value = undefined;
  else value = kind === 'text' ? await response.text() : await readBody(response);
  return value as T;
}
