/**
 * Where the app finds its backend. Baked in at build time from the environment
 * (`VITE_API_BASE_URL`, `VITE_ELECTRIC_URL`), with the `sync-patterns dev` defaults.
 */
const env = import.meta.env;

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export const apiBaseUrl: string = trimSlash(env.VITE_API_BASE_URL ?? 'http://localhost:4100');
export const electricUrl: string = env.VITE_ELECTRIC_URL ?? `${apiBaseUrl}/v1/shape`;
/**
 * The bearer token the app sends to the API and the shape feed (`VITE_AUTH_TOKEN`). The CRM spec
 * declares bearer security, so `sync-patterns dev` answers 401 without one; without `--auth` the
 * token's text is the caller's principal id. A real app gets it from its sign-in flow.
 */
export const authToken: string = env.VITE_AUTH_TOKEN ?? 'crm-dev-user';
/** PGlite data dir of the live runtime: one IndexedDB database per browser profile. */
export const dataDir: string = env.VITE_DATA_DIR ?? 'idb://acme-crm';
