import { useEffect, useState } from 'preact/hooks';

/** How often the screens ask the hub again; ETags make an unchanged answer a 304 with no body. */
export const POLL_MS = 4000;

export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  reload: () => void;
}

/**
 * Loads `load()` now and every POLL_MS while the tab is visible; a new answer re-renders only when it
 * differs from the last one (the 304 path hands back the same JSON).
 */
export function usePoll<T>(load: () => Promise<T>, deps: readonly unknown[], every = POLL_MS): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; text?: string }>({});
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    let last: string | undefined;
    const run = async () => {
      if (globalThis.document?.visibilityState === 'hidden') return;
      try {
        const data = await load();
        const text = JSON.stringify(data);
        if (alive && text !== last) {
          last = text;
          setState({ data, text });
        }
      } catch (error) {
        if (alive) setState((old) => ({ ...old, error: error as Error }));
      }
    };
    void run();
    const timer = setInterval(run, every);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [...deps, tick]);
  return { data: state.data, error: state.error, reload: () => setTick((n) => n + 1) };
}
