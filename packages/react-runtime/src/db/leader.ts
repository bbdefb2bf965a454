/** The message the leader's worker (db/pglite-worker.ts) posts to its own tab. */
export const LEADER_MESSAGE = 'sync-patterns:leader';
