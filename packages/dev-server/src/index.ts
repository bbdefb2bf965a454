/**
 * `@sync/dev-server`: a stateful development backend built from the sync-patterns IR — the REST
 * API of every entity operation plus an Electric-compatible shape feed for live entities.
 */
export { startDevServer, PortInUseError, type DevServer, type DevServerOptions } from './start.js';
export { devCommand, DEV_HELP, type DevIO } from './cli.js';
export type { SeedData } from './seed.js';
export type { Database, Queryable } from './db/database.js';
export { dumpEmptyPglite } from './db/pglite.js';
