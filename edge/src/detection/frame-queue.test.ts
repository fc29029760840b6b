import { describe, expect, it } from 'vitest';
import { createFrameQueue } from './frame-queue.ts';

describe('createFrameQueue (load shedding)', () => {
  it('holds at most capacity + 1 frames however fast they come, and the newest always wins', async () => {
    const processed: number[] = [];
    const droppedItems: number[] = [];
    let release: () => void = () => {};
    const queue = createFrameQueue<{ n: number; bytes: Buffer }>({
      capacity: 2,
      process: async (frame) => {
        processed.push(frame.n);
        await new Promise<void>((resolve) => (release = resolve));
      },
      onDrop: (frame) => droppedItems.push(frame.n),
    });
    // A camera gone mad: 10,000 frames of 100 kB while the first is still being processed.
    for (let n = 0; n < 10_000; n++) queue.push({ n, bytes: Buffer.alloc(100_000) });
    expect(queue.waiting).toBe(2);
    expect(queue.peakHeld).toBeLessThanOrEqual(3);
    expect(queue.dropped).toBe(10_000 - 3);
    const idle = queue.idle();
    for (let i = 0; i < 3; i++) {
      release();
      await Promise.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await idle;
    expect(processed).toEqual([0, 9_998, 9_999]);
    expect(droppedItems[0]).toBe(1);
    expect(droppedItems.at(-1)).toBe(9_997);
  });

  it('keeps going after a frame fails, and drops everything waiting on close', async () => {
    const seen: number[] = [];
    const queue = createFrameQueue<number>({
      capacity: 1,
      process: async (n) => {
        seen.push(n);
        if (n === 0) throw new Error('boom');
      },
    });
    queue.push(0);
    queue.push(1);
    await queue.idle();
    expect(seen).toEqual([0, 1]);
    await queue.close();
    queue.push(2);
    expect(queue.dropped).toBe(1);
    expect(seen).toEqual([0, 1]);
  });

  it('refuses a capacity below one', () => {
    expect(() => createFrameQueue({ capacity: 0, process: async () => {} })).toThrow(RangeError);
  });
});
