import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRealtimeClock } from './realtime-clock.ts';

const START = 1_800_000_000_000;

describe('real-time clock (on fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes physical time 1:1 and idle gaps `speed` times faster', async () => {
    const clock = createRealtimeClock({ startAt: START, speed: 60 });
    const physical = clock.sleep(2_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(clock.now()).toBe(START + 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await physical;
    expect(clock.now()).toBe(START + 2_000);

    let done = false;
    const idle = clock.sleep(600_000, { idle: true }).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(clock.now()).toBe(START + 2_000 + 300_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(5_000);
    await idle;
    expect(clock.now()).toBe(START + 602_000);
    // After the gap, time runs at the physical pace again.
    await vi.advanceTimersByTimeAsync(500);
    expect(clock.now()).toBe(START + 602_500);
  });

  it('keeps a periodic task on the wall clock through idle gaps', async () => {
    const clock = createRealtimeClock({ startAt: START, speed: 60 });
    const at: number[] = [];
    const stop = clock.every(100, () => {
      at.push(clock.now() - START);
    });
    const idle = clock.sleep(60_000, { idle: true });
    await vi.advanceTimersByTimeAsync(1_000);
    await idle;
    expect(at).toEqual([6_000, 12_000, 18_000, 24_000, 30_000, 36_000, 42_000, 48_000, 54_000, 60_000]);
    stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(at).toHaveLength(10);
  });

  it('rejects a sleep when the signal aborts', async () => {
    const clock = createRealtimeClock({ startAt: START });
    const controller = new AbortController();
    const sleeping = clock.sleep(10_000, { signal: controller.signal });
    const assertion = expect(sleeping).rejects.toThrow('closing time');
    await vi.advanceTimersByTimeAsync(300);
    controller.abort(new Error('closing time'));
    await assertion;
    expect(clock.now()).toBe(START + 300);
  });
});
