/**
 * Entry point: configures the generated client and wires the live sync runtime.
 *
 * LIVE MODE: `createClient` (generated) opens the local PGlite database in IndexedDB, follows the
 * Electric shapes of the live entities and drains the outbox; `<ReadyGate>` waits until its
 * database is open, `<SyncProvider>` hands it to the generated hooks, `<LiveModeSync>` forwards
 * `useSyncStatus()` to the badge and `useFailedWrites()` to the refused-writes panel.
 *
 * PUSH MODE (no runtime, e.g. to compare): replace the marked block with
 *
 *   import { PushModeSync } from './sync/status';
 *   const tree = (
 *     <PushModeSync>
 *       <App />
 *     </PushModeSync>
 *   );
 *
 * and generate a client without live entities (every hook then calls the API).
 */
import { SyncProvider, useFailedWrites, useSyncStatus } from '@sync/react-runtime';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ReadyGate } from './components/ReadyGate';
import { apiBaseUrl, authToken, dataDir, electricUrl } from './config';
import { configureApi, createClient } from './generated';
import { LiveModeSync } from './sync/status';
import './styles.css';

configureApi({ baseUrl: apiBaseUrl, getAuthToken: () => authToken });
const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 2_000, retry: 1 }, mutations: { retry: false } },
});

// ---- sync mode (see above) ----
const client = createClient({
  apiBaseUrl,
  electricUrl,
  dataDir,
  getAuthToken: () => Promise.resolve(authToken),
});
const tree = (
  <ReadyGate ready={client.ready}>
    <SyncProvider client={client} queryClient={queryClient}>
      <LiveModeSync useStatus={useSyncStatus} useFailed={useFailedWrites}>
        <App />
      </LiveModeSync>
    </SyncProvider>
  </ReadyGate>
);
// -------------------------------

const root = document.getElementById('root');
if (root === null) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>{tree}</QueryClientProvider>
  </StrictMode>,
);
