import { PGlite } from '@electric-sql/pglite';

/**
 * Postgres's start parameters for every client database (PGlite's defaults plus ours).
 * `shared_buffers`: PGlite starts with Postgres's 128 MB, which it allocates and clears at every
 * start. 64 MB took the client's start-up from a start image from ~440 to ~250 ms (Node, 2 cores;
 * 16 and 32 MB measured the same) and the page's memory down by 64 MB, with no measured cost to
 * storing 100,000 synced rows (`npm run bench initial-sync`, which uses these parameters for its
 * raw baseline too).
 */
export const START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=64MB',
];
