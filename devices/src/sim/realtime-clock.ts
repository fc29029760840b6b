import type { SimClock } from './clock.ts';

/**
 * Simulated time on the wall clock: physical time passes 1:1, idle gaps `speed` times faster.
 * now() = anchorSim + (wall − anchorWall) × rate, re-anchored at each sleep so no drift builds up.
 */
/** setTimeout as a promise that rejects with the signal's reason (global timers, so fake timers can drive it). */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createRealtimeClock(options: { startAt?: number; speed?: number } = {}): SimClock {
  const speed = options.speed ?? 1;
  if (!(speed >= 1)) throw new RangeError('speed must be >= 1');
  let anchorSim = options.startAt ?? Date.now();
  let anchorWall = performance.now();
  let rate = 1;
  const now = () => Math.round(anchorSim + (performance.now() - anchorWall) * rate);
  const anchor = (sim: number, newRate: number) => {
    anchorSim = sim;
    anchorWall = performance.now();
    rate = newRate;
  };
  return {
    speed,
    now,
    async sleep(ms, sleepOptions = {}) {
      const start = now();
      const target = start + Math.max(0, ms);
      const factor = sleepOptions.idle ? speed : 1;
      anchor(start, factor);
      try {
        const wallMs = Number.isFinite(factor) ? ms / factor : 0;
        if (wallMs > 0) await delay(wallMs, sleepOptions.signal);
        else sleepOptions.signal?.throwIfAborted();
      } catch (error) {
        anchor(now(), 1);
        throw error;
      }
      // A late timer overshoots a little: keep the later time so `at` never runs backwards.
      anchor(Math.max(target, now()), 1);
    },
    every(intervalMs, task) {
      if (!(intervalMs > 0)) throw new RangeError('interval must be positive');
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let due = performance.now() + intervalMs;
      const run = async () => {
        if (stopped) return;
        try {
          await task();
        } catch {
          // Tasks report their own errors (a lost reading is logged by the simulator); the beat goes on.
        } finally {
          // Keep to the grid: a slow tick delays the next one, never doubles it up.
          due = Math.max(due + intervalMs, performance.now());
          if (!stopped) timer = setTimeout(run, due - performance.now());
        }
      };
      timer = setTimeout(run, intervalMs);
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
  };
}
