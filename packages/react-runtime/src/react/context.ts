/**
 * `<SyncProvider client queryClient?>` and the context the runtime hooks read. It does not
 * install a QueryClientProvider (that would shadow the app's own); live mutations pass their
 * QueryClient to `useMutation` explicitly instead — the one given, or a private one.
 */
import { QueryClient } from '@tanstack/react-query';
import { createContext, createElement, useContext, useState, type ReactNode } from 'react';
import type { SyncClient } from '../client/create.js';

interface SyncContextValue {
  client: SyncClient;
  queryClient: QueryClient;
}

const SyncContext = createContext<SyncContextValue | null>(null);

export function SyncProvider(props: {
  client: SyncClient;
  queryClient?: QueryClient;
  children: ReactNode;
}): React.JSX.Element {
  const [own] = useState(() => new QueryClient());
  const value = { client: props.client, queryClient: props.queryClient ?? own };
  return createElement(SyncContext.Provider, { value }, props.children);
}

/** The provider's value; throws a helpful error outside `<SyncProvider>`. */
export function useSyncContext(): SyncContextValue {
  const v = useContext(SyncContext);
  if (v === null) throw new Error('live hooks need <SyncProvider client={createClient(…)}>');
  return v;
}

export function useSyncClient(): SyncClient {
  return useSyncContext().client;
}
