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
/** PGlite data dir of the live runtime: one IndexedDB database per browser profile. */
export const dataDir: string = env.VITE_DATA_DIR ?? 'idb://acme-crm';
