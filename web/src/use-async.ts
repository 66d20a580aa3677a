import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** State of a load: the data, the error, and a reload function. */
export interface AsyncState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => Promise<void>;
  readonly setData: (d: T) => void;
}

/**
 * Runs `load` when `deps` change; keeps the last data while reloading.
 * Only the latest run may set the state: an earlier, slower answer (the
 * unfiltered list that arrives after the filtered one) is dropped, not
 * shown over the newer one. `onLoaded` runs with the data of the latest
 * run only (to reset a list's further pages and cursor).
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[], onLoaded?: (value: T) => void): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const run = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    try {
      const value = await load();
      if (mine !== latest.current) return;
      onLoaded?.(value);
      setData(value);
      setError(undefined);
    } catch (e) {
      if (mine !== latest.current) return;
      setError(e);
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void run();
  }, [run]);
  return { data, error, loading, reload: run, setData };
}
