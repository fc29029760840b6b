import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';

describe('backoff with full jitter', () => {
  it('doubles the ceiling from 1 s up to the 5 min cap', () => {
    const backoff = new Backoff({ random: () => 0.999999 });
    const delays = Array.from({ length: 12 }, () => backoff.next());
    expect(delays.slice(0, 4)).toEqual([999, 1999, 3999, 7999]);
    expect(delays.at(-1)).toBe(299_999);
  });

  it('draws each delay uniformly below the ceiling, and reset starts over', () => {
    const backoff = new Backoff({ random: () => 0.5 });
    backoff.next();
    backoff.next();
    expect(backoff.next()).toBe(2000);
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });
});
