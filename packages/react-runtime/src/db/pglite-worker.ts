/**
 * The dedicated worker every browser tab starts (`openSharedDb` in db/open.ts); what it does is
 * in db/worker-main.ts.
 */
import { openPglite, runDbWorker, type WorkerScope } from './worker-main.js';

void runDbWorker({
  scope: globalThis as unknown as WorkerScope,
  locks: navigator.locks,
  open: openPglite,
});
