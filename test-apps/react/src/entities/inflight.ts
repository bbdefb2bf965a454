import { useCallback, useRef, useState } from 'react';
import type { InFlight } from './model';

/** Tracks the writes a screen has started and not yet seen settle (any number at once). */
export function useInflight<D>(): {
  ops: readonly InFlight<D>[];
  track: (op: Omit<InFlight<D>, 'id'>, run: () => Promise<unknown>) => Promise<void>;
} {
  const [ops, setOps] = useState<readonly InFlight<D>[]>([]);
  const seq = useRef(0);
  const track = useCallback(
    async (op: Omit<InFlight<D>, 'id'>, run: () => Promise<unknown>): Promise<void> => {
      const id = ++seq.current;
      setOps((current) => [...current, { ...op, id }]);
      try {
        await run();
      } finally {
        setOps((current) => current.filter((o) => o.id !== id));
      }
    },
    [],
  );
  return { ops, track };
}
