/**
 * Load shedding for camera frames: at most `capacity` frames wait while one is being processed. When a
 * frame arrives and the queue is full, the oldest waiting frame is dropped, so the newest always wins and
 * memory stays flat (capacity + 1 frames) however fast a camera sends.
 */
export interface FrameQueueOptions<T> {
  capacity: number;
  process: (item: T) => Promise<void>;
  onDrop?: (item: T) => void;
}

export interface FrameQueue<T> {
  push(item: T): void;
  /** Frames waiting (not counting the one in progress). */
  readonly waiting: number;
  /** Most frames ever held at once, waiting plus in progress. */
  readonly peakHeld: number;
  readonly dropped: number;
  /** Resolves when nothing is waiting or in progress. */
  idle(): Promise<void>;
  /** Drops everything waiting, refuses new frames, waits for the frame in progress. */
  close(): Promise<void>;
}

export function createFrameQueue<T>(options: FrameQueueOptions<T>): FrameQueue<T> {
  if (!Number.isInteger(options.capacity) || options.capacity < 1)
    throw new RangeError('capacity must be at least 1');
  const waiting: T[] = [];
  let busy = false;
  let closed = false;
  let dropped = 0;
  let peakHeld = 0;
  let idleWaiters: Array<() => void> = [];

  const drop = (item: T): void => {
    dropped++;
    options.onDrop?.(item);
  };

  const settleIdle = (): void => {
    if (busy || waiting.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const pump = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    while (waiting.length > 0) {
      const item = waiting.shift()!;
      try {
        await options.process(item);
      } catch {
        // `process` reports its own failures; the queue only keeps going.
      }
    }
    busy = false;
    settleIdle();
  };

  return {
    push(item) {
      if (closed) return drop(item);
      if (waiting.length >= options.capacity) drop(waiting.shift()!);
      waiting.push(item);
      peakHeld = Math.max(peakHeld, waiting.length + (busy ? 1 : 0));
      void pump();
    },
    get waiting() {
      return waiting.length;
    },
    get peakHeld() {
      return peakHeld;
    },
    get dropped() {
      return dropped;
    },
    idle() {
      if (!busy && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      while (waiting.length > 0) drop(waiting.shift()!);
      await this.idle();
    },
  };
}
