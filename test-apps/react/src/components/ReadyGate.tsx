import { useEffect, useState, type ReactNode } from 'react';
import { describeError } from '../errors';
import { Spinner } from './Spinner';

/** Renders `children` once the sync client has opened its local database. */
export function ReadyGate({ ready, children }: { ready: Promise<void>; children: ReactNode }) {
  const [state, setState] = useState<'opening' | 'ready' | { error: string }>('opening');
  useEffect(() => {
    let alive = true;
    ready.then(
      () => alive && setState('ready'),
      (e: unknown) => alive && setState({ error: describeError(e) }),
    );
    return () => {
      alive = false;
    };
  }, [ready]);
  if (state === 'ready') return children;
  return (
    <div className="splash" role={state === 'opening' ? 'status' : 'alert'}>
      {state === 'opening' ? (
        <>
          <Spinner label="Opening" /> Opening the local database…
        </>
      ) : (
        <>The local database could not be opened: {state.error}</>
      )}
    </div>
  );
}
