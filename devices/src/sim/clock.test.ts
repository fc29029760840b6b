import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './clock.ts';

describe('virtual clock', () => {
  it('runs periodic tasks inside sleeps, one per interval of physical time and one per interval × speed when idle', async () => {
    const clock = createVirtualClock({ startAt: 1_000_000, speed: 60 });
    const ticks: number[] = [];
    const stop = clock.every(100, () => {
      ticks.push(clock.now() - 1_000_000);
    });
    await clock.sleep(350);
    expect(ticks).toEqual([100, 200, 300]);
    await clock.sleep(60_000, { idle: true });
    // One tick per 100 ms of wall time: the pending one 50 wall ms (3 s simulated) in, then every 6 s.
    expect(ticks.slice(3, 6)).toEqual([3_350, 9_350, 15_350]);
    expect(ticks).toHaveLength(13);
    expect(clock.now()).toBe(1_060_350);
    stop();
    await clock.sleep(1_000);
    expect(ticks).toHaveLength(13);
  });

  it('stops at an aborted signal', async () => {
    const clock = createVirtualClock({ startAt: 1_000_000 });
    const controller = new AbortController();
    clock.every(100, () => {
      if (clock.now() >= 1_000_500) controller.abort(new Error('closing time'));
    });
    await expect(clock.sleep(10_000, { signal: controller.signal })).rejects.toThrow('closing time');
    expect(clock.now()).toBe(1_000_500);
  });
});
