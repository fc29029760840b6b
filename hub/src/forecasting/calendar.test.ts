import { describe, expect, it } from 'vitest';
import {
  dateOf,
  dayNumber,
  eventFactors,
  pooledEventUplifts,
  weatherFactors,
  weekdayOf,
} from './calendar.ts';

describe('dates', () => {
  it('numbers days from 1970-01-01 with Monday = 0', () => {
    expect(dayNumber('1970-01-05')).toBe(4);
    expect(weekdayOf(4)).toBe(0); // 1970-01-05 was a Monday
    expect(weekdayOf(dayNumber('2024-03-31'))).toBe(6); // a Sunday, across a daylight-saving change
    expect(dateOf(dayNumber('2024-02-29'))).toBe('2024-02-29');
  });
});

describe('eventFactors', () => {
  it('estimates a shrunk uplift from past occurrences and applies it to future ones', () => {
    // 10 a day; an event on days 14, 28 and 42 sells 20; day 56 is a future occurrence.
    const y = new Float64Array(50).fill(10);
    for (const t of [14, 28, 42]) y[t] = 20;
    const events = [14, 28, 42, 56].map((t) => ({ date: dateOf(t), name: 'quiz night' }));
    const factors = eventFactors(y, 0, 60, events, { priorSales: 20 });
    // baselines: the same weekday ±7/±14 days that are not event days: 10 each → Σ 30
    // uplift = (Σ actual 60 + κ 20) / (Σ baseline 30 + κ 20) = 80 / 50 = 1.6
    expect(factors[56]).toBeCloseTo(1.6, 12);
    expect(factors[14]).toBeCloseTo(1.6, 12);
    expect(factors[15]).toBe(1);
  });

  it('leaves unseen events at 1', () => {
    const factors = eventFactors(new Float64Array(30).fill(5), 0, 40, [
      { date: dateOf(35), name: 'new fest' },
    ]);
    expect(factors[35]).toBe(1);
  });

  it("shrinks an item's own uplift towards the pooled prior, and gives the prior for an unseen event", () => {
    const y = new Float64Array(50).fill(10);
    for (const t of [14, 28, 42]) y[t] = 20;
    const events = [14, 28, 42, 56].map((t) => ({ date: dateOf(t), name: 'quiz night' }));
    const priorUplifts = new Map([
      ['quiz night', 3],
      ['closed', 0],
    ]);
    const factors = eventFactors(y, 0, 60, [...events, { date: dateOf(57), name: 'closed' }], {
      priorSales: 20,
      priorUplifts,
    });
    // (Σ actual 60 + κ 20 · prior 3) / (Σ baseline 30 + κ 20) = 120 / 50 = 2.4
    expect(factors[56]).toBeCloseTo(2.4, 12);
    expect(factors[57]).toBe(0);
    // without priorSales the pooled prior weighs 100 pseudo-sales: (60 + 300) / (30 + 100)
    expect(eventFactors(y, 0, 60, events, { priorUplifts })[56]).toBeCloseTo(360 / 130, 12);
  });
});

describe('pooledEventUplifts', () => {
  it('sums actual and baseline over all items, so the busy item weighs most', () => {
    // item a: 10 a day, 30 on the event day 14 (baseline days 0, 7, 21, 28: 10 each → baseline 10)
    // item b: 2 a day, 2 on the event day (baseline 2); its own uplift would be 1
    const a: (number | null)[] = Array.from({ length: 35 }, (_, t) => (t === 14 ? 30 : 10));
    const b: (number | null)[] = Array.from({ length: 35 }, () => 2);
    b[7] = null; // a missing day is skipped in the baseline, not read as zero
    const events = [{ date: dateOf(14), name: 'derby' }];
    const uplifts = pooledEventUplifts([
      { startDate: dateOf(0), values: a, events },
      { startDate: dateOf(0), values: b, events },
    ]);
    // (30 + 2) / (10 + 2) = 32 / 12
    expect(uplifts.get('derby')).toBeCloseTo(32 / 12, 12);
    expect(uplifts.size).toBe(1);
  });
});

describe('weatherFactors', () => {
  it('finds a positive effect of heat and ignores a regressor that does not cover the horizon', () => {
    const n = 200;
    // history oscillates around 20 °C; the horizon alternates a hot (28) and a cold (12) day
    const temperature = Array.from({ length: n + 7 }, (_, t) =>
      t < n ? 20 + 8 * Math.sin(t / 5) : t % 2 ? 12 : 28,
    );
    const y = new Float64Array(n);
    for (let t = 0; t < n; t++) y[t] = 10 * (1 + 0.03 * (temperature[t]! - 20));
    const factors = weatherFactors(y, 0, n + 7, { startDate: dateOf(0), values: temperature });
    const hot = n % 2 ? n + 1 : n;
    const cold = hot + 1;
    expect(factors[hot]!).toBeGreaterThan(1.1);
    expect(factors[cold]!).toBeLessThan(0.9);
    const short = weatherFactors(y, 0, n + 7, { startDate: dateOf(0), values: temperature.slice(0, n) });
    expect(short.every((f) => f === 1)).toBe(true);
  });
});
