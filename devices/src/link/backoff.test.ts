import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('doubles up to the cap and starts over after a reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('takes up to the jitter share off each delay', () => {
    const low = new Backoff({ initialMs: 1_000, jitter: 0.5, random: () => 0.9 });
    const high = new Backoff({ initialMs: 1_000, jitter: 0.5, random: () => 0 });
    expect(low.next()).toBe(550);
    expect(high.next()).toBe(1_000);
  });

  it('refuses nonsense', () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 10, maxMs: 5 })).toThrow(RangeError);
  });
});
