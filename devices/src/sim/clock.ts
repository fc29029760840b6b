/**
 * Simulated time. Readings carry the simulated clock as their device-side `at`, so a played shift has the
 * timestamps of a real one. Acceleration (`speed`) shortens only the idle gaps between actions: lifting,
 * pouring and putting back happen at physical pace, so the scales' reading stream keeps its rate
 * (10 Hz on the wall clock for an HX711) and the gateway sees the same transients and settling as in a bar.
 * See shift.ts for the full choice.
 */
export interface SleepOptions {
  /** An idle gap (no one at the bar): passes `speed` times faster on the wall clock. */
  idle?: boolean;
  signal?: AbortSignal;
}

export interface SimClock {
  /** Simulated epoch milliseconds. */
  now(): number;
  /** Lets `ms` of simulated time pass. Rejects with the signal's reason when aborted. */
  sleep(ms: number, options?: SleepOptions): Promise<void>;
  /**
   * Runs `task` once per `intervalMs` of physical (wall) time, never overlapping itself, until the
   * returned function is called. During idle gaps the task still runs once per wall interval.
   */
  every(intervalMs: number, task: () => Promise<void> | void): () => void;
  readonly speed: number;
}

interface Ticker {
  intervalMs: number;
  /** Due time on the virtual wall clock. */
  nextDue: number;
  task: () => Promise<void> | void;
  stopped: boolean;
}

/**
 * A discrete-event clock: no wall time passes at all. It keeps a virtual wall clock beside simulated time,
 * advancing it by ms / speed in idle gaps and ms otherwise, and `sleep` runs the periodic tasks that fall
 * due on that wall clock, in order, awaiting each. So a shift plays as fast as the broker takes readings,
 * and the readings' `at` values are the ones a real-time run would give.
 */
export function createVirtualClock(options: { startAt: number; speed?: number }): SimClock {
  let now = options.startAt;
  let wall = 0;
  const speed = options.speed ?? 1;
  if (!(speed >= 1) || !Number.isFinite(speed)) throw new RangeError('speed must be a finite number >= 1');
  const tickers: Ticker[] = [];
  return {
    speed,
    now: () => now,
    async sleep(ms, sleepOptions = {}) {
      const factor = sleepOptions.idle ? speed : 1;
      const simStart = now;
      const wallStart = wall;
      const wallTarget = wall + Math.max(0, ms) / factor;
      for (;;) {
        sleepOptions.signal?.throwIfAborted();
        let due: Ticker | undefined;
        for (const ticker of tickers)
          if (!ticker.stopped && (!due || ticker.nextDue < due.nextDue)) due = ticker;
        if (!due || due.nextDue > wallTarget) break;
        wall = due.nextDue;
        now = Math.max(now, simStart + Math.round((wall - wallStart) * factor));
        due.nextDue += due.intervalMs;
        await due.task();
      }
      wall = wallTarget;
      now = simStart + Math.max(0, ms);
    },
    every(intervalMs, task) {
      if (!(intervalMs > 0)) throw new RangeError('interval must be positive');
      const ticker: Ticker = { intervalMs, nextDue: wall + intervalMs, task, stopped: false };
      tickers.push(ticker);
      return () => {
        ticker.stopped = true;
        tickers.splice(tickers.indexOf(ticker), 1);
      };
    },
  };
}
