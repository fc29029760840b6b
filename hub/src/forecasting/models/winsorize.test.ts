import { describe, expect, it } from 'vitest';
import { MODELS } from './index.ts';
import { winsorize } from './winsorize.ts';

describe('winsorize', () => {
  it('caps the days above the 90th percentile and scales back by the year of actual over capped', () => {
    // 29 days of 2 and a party night of 32: the cap is the 3rd largest of 30 (2), 30 over it; 90 / 60 = 1.5.
    const z = Float64Array.from({ length: 30 }, (_, t) => (t === 20 ? 32 : 2));
    const { z: capped, ratio } = winsorize(z);
    expect(Array.from(capped)).toEqual(Array.from({ length: 30 }, () => 2));
    expect(ratio).toBe(1.5);
    expect(z[20]).toBe(32); // the input is left as it was
  });

  it('takes the cap over the last year of observed days, keeping missing days missing', () => {
    // An old spike outside the year is not in the cap's days; missing days are skipped, not zeros.
    const z = Float64Array.from({ length: 400 }, (_, t) =>
      t === 5 ? 500 : t % 10 === 0 ? NaN : (t % 20) + 1,
    );
    const year = Array.from(z.subarray(36)).filter((v) => !Number.isNaN(v));
    const sorted = [...year].sort((a, b) => a - b);
    const cap = sorted[Math.floor(0.9 * year.length)]!;
    const { z: capped, ratio } = winsorize(z);
    expect(Math.max(...Array.from(capped).filter((v) => !Number.isNaN(v)))).toBe(cap);
    expect(Array.from(capped).filter((v) => Number.isNaN(v))).toHaveLength(40);
    const total = year.reduce((a, b) => a + b, 0);
    expect(ratio).toBeCloseTo(total / year.reduce((a, v) => a + Math.min(v, cap), 0), 12);
  });

  it('finds the same cap as a full sort, whatever the order of the days', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let run = 0; run < 50; run++) {
      const z = Float64Array.from({ length: 60 + run * 7 }, () => Math.floor(random() ** 3 * 40));
      const year = Array.from(z.subarray(Math.max(0, z.length - 364))).sort((a, b) => a - b);
      const cap = year[Math.floor(0.9 * year.length)]!;
      const { z: capped } = winsorize(z);
      if (cap > 0 && year.some((v) => v > cap)) expect(Math.max(...capped)).toBe(cap);
      else expect(capped).toBe(z);
    }
  });

  it('leaves short histories and those with nothing above the cap alone', () => {
    const short = Float64Array.from({ length: 27 }, (_, t) => t);
    expect(winsorize(short)).toEqual({ z: short, ratio: 1 });
    const flat = new Float64Array(60).fill(3);
    expect(winsorize(flat)).toEqual({ z: flat, ratio: 1 });
    const zeros = Float64Array.from({ length: 60 }, (_, t) => (t % 20 === 0 ? 5 : 0));
    expect(winsorize(zeros)).toEqual({ z: zeros, ratio: 1 }); // the cap is 0: intermittent days stay as they are
  });
});

describe('a weekday model on a history with a one-off spike', () => {
  it('forecasts the level of the year, not a jump after the spike', () => {
    // A flat 10 a day for a year, and 200 on the last Saturday: spread over the year the spike adds 190 / 364.
    const y = Float64Array.from({ length: 364 }, (_, t) => (t === 362 ? 200 : 10));
    const forecast = MODELS['weekday-ses']!({ y, dow0: 0 }, 7);
    const mean = forecast.reduce((a, b) => a + b, 0) / 7;
    expect(mean).toBeGreaterThan(10);
    expect(mean).toBeLessThan(10 + (2 * 190) / 364);
  });
});
