/**
 * The sync status every screen reads, whatever provides it.
 *
 * - Live mode (the `@sync/react-runtime` landed): `<LiveModeSync useStatus={useSyncStatus}>`
 *   forwards the runtime's own status (outbox size, shape stream state, last refusal).
 * - Push mode (until then): `<PushModeSync>` derives the same shape from the browser's online
 *   state and TanStack Query's in-flight mutations.
 *
 * Screens only call `useSync()`, so switching is done in `main.tsx` alone.
 */
import { useMutationState, type Mutation } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import type { FailedWrites, SyncStatus } from '@sync/react-runtime';
import { describeError, errorStatus } from '../errors';

/** What `useSyncStatus()` of `@sync/react-runtime` returns; the push fallback fills the same shape. */
export type { SyncStatus };

/** `live`: local database + outbox behind the hooks; `push`: plain request/response hooks. */
export type SyncMode = 'live' | 'push';

export interface SyncInfo {
  mode: SyncMode;
  status: SyncStatus;
  /** Live mode: the writes the server refused, with retry/discard (push mode has none). */
  failed: FailedWrites | null;
}

const SyncContext = createContext<SyncInfo | null>(null);

export function useSync(): SyncInfo {
  const info = useContext(SyncContext);
  if (info === null) throw new Error('useSync() needs <LiveModeSync> or <PushModeSync> above it');
  return info;
}

/** Publishes the mode on <html data-sync-mode> (the end-to-end tests read it). */
function useModeMarker(mode: SyncMode): void {
  useEffect(() => {
    document.documentElement.dataset.syncMode = mode;
  }, [mode]);
}

function subscribeOnline(notify: () => void): () => void {
  window.addEventListener('online', notify);
  window.addEventListener('offline', notify);
  return () => {
    window.removeEventListener('online', notify);
    window.removeEventListener('offline', notify);
  };
}

export function useBrowserOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
}

const pendingFilter = { filters: { status: 'pending' as const }, select: () => true };
const errorFilter = {
  filters: { status: 'error' as const },
  select: (m: Mutation<unknown, Error, unknown, unknown>) => ({
    error: m.state.error,
    at: m.state.submittedAt,
  }),
};

export function PushModeSync({ children }: { children: ReactNode }) {
  useModeMarker('push');
  const online = useBrowserOnline();
  const pendingWrites = useMutationState(pendingFilter).length;
  const failures = useMutationState(errorFilter);
  const last = failures.reduce<(typeof failures)[number] | undefined>(
    (latest, f) => (latest === undefined || f.at >= latest.at ? f : latest),
    undefined,
  );
  const status: SyncStatus = {
    online,
    pendingWrites,
    pendingByEntity: {},
    lastError:
      last?.error == null ? null : { message: describeError(last.error), ...statusOf(last.error) },
    synced: online && pendingWrites === 0,
    failedWrites: [],
  };
  return (
    <SyncContext.Provider value={{ mode: 'push', status, failed: null }}>
      {children}
    </SyncContext.Provider>
  );
}

function statusOf(error: unknown): { status?: number } {
  const status = errorStatus(error);
  return status === undefined ? {} : { status };
}

export function LiveModeSync({
  useStatus,
  useFailed,
  children,
}: {
  /** `useSyncStatus` of `@sync/react-runtime`. */
  useStatus: () => SyncStatus;
  /** `useFailedWrites` of `@sync/react-runtime`. */
  useFailed: () => FailedWrites;
  children: ReactNode;
}) {
  useModeMarker('live');
  const runtime = useStatus();
  const failed = useFailed();
  // The runtime learns it is offline from a failed request; the browser knows at once.
  const browserOnline = useBrowserOnline();
  const status = browserOnline ? runtime : { ...runtime, online: false, synced: false };
  return (
    <SyncContext.Provider value={{ mode: 'live', status, failed }}>{children}</SyncContext.Provider>
  );
}
