/**
 * What the benchmarks that talk to `sync-patterns dev` share: the bearer token (the CRM fixture
 * declares bearer security, and the dev server answers 401 without a token by default, as the
 * backend the spec describes would), and checks that turn an error answer into one clear line
 * naming the request, the status and the body, instead of a TypeError further down.
 */

/** The token every benchmark sends (the dev server accepts any bearer token by default). */
export const BENCH_TOKEN = 'bench';
/** `Authorization` header with {@link BENCH_TOKEN}. */
export const AUTH: Readonly<Record<string, string>> = { authorization: `Bearer ${BENCH_TOKEN}` };
/** For `createSyncClient({ getAuthToken })`. */
export const getAuthToken = (): Promise<string> => Promise.resolve(BENCH_TOKEN);

/** An HTTP answer a benchmark did not expect: its message names the request, status and body. */
export class BenchHttpError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${what}: HTTP ${status}${body === '' ? ' (empty body)' : ` ${body.slice(0, 300)}`}`);
    this.name = 'BenchHttpError';
  }
}

/**
 * The body of `res` as text; throws {@link BenchHttpError} unless its status is 2xx (or in
 * `expected` when given).
 */
export async function okText(
  res: Response,
  what: string,
  expected?: readonly number[],
): Promise<string> {
  const text = await res.text();
  const ok = expected ? expected.includes(res.status) : res.ok;
  if (!ok) throw new BenchHttpError(what, res.status, text);
  return text;
}

/** The JSON body of a 2xx answer; throws {@link BenchHttpError} otherwise (or if it is not JSON). */
export async function okJson<T>(res: Response, what: string): Promise<T> {
  const text = await okText(res, what);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new BenchHttpError(`${what} (body is not JSON)`, res.status, text);
  }
}
