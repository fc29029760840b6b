import { describe, expect, it } from 'vitest';
import { dayNumber, weekdayOf } from './calendar.ts';
import { forecastSeries, unavailableDays } from './engine.ts';
import type { CalendarEvent } from './types.ts';

/** Seeded Park-Miller generator and a Poisson sampler (Knuth), so the tests are reproducible. */
function poissonSampler(seed: number) {
  let state = seed;
  const uniform = () => (state = (state * 48271) % 2147483647) / 2147483647;
  return (mean: number) => {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = uniform(); p > limit; p *= uniform()) k++;
    return k;
  };
}

const START = '2024-01-01'; // a Monday
/** Weekend-heavy bar: Friday and Saturday sell twice a weekday. */
const SHAPE = [0.8, 0.8, 0.8, 0.9, 1.6, 1.6, 0.5];

function weeklySeries(days: number, level: number, seed = 7): number[] {
  const draw = poissonSampler(seed);
  return Array.from({ length: days }, (_, t) => draw(level * SHAPE[t % 7]!));
}

describe('forecastSeries', () => {
  const history = { startDate: START, values: weeklySeries(400, 20) };
  const forecast = forecastSeries(history);

  it('forecasts 14 days from the day after the last value, with ordered quantiles', () => {
    expect(forecast.days).toHaveLength(14);
    expect(forecast.startDate).toBe(forecast.days[0]!.date);
    expect(dayNumber(forecast.startDate)).toBe(dayNumber(START) + 400);
    for (const day of forecast.days) {
      expect(day.p10).toBeLessThanOrEqual(day.p50);
      expect(day.p50).toBeLessThanOrEqual(day.p90);
    }
    expect(forecast.coldStart).toBe(false);
    expect(forecast.backtest?.windows).toBe(4);
    expect(Number.isFinite(forecast.backtest!.rmsse)).toBe(true);
  });

  it('learns the weekday shape', () => {
    const friday = forecast.days.find((d) => weekdayOf(dayNumber(d.date)) === 4)!;
    const monday = forecast.days.find((d) => weekdayOf(dayNumber(d.date)) === 0)!;
    expect(friday.mean / monday.mean).toBeGreaterThan(1.6);
    expect(friday.mean / monday.mean).toBeLessThan(2.4);
    const weekMean = forecast.days.slice(0, 7).reduce((s, d) => s + d.mean, 0) / 7;
    expect(weekMean).toBeGreaterThan(17);
    expect(weekMean).toBeLessThan(23);
  });

  it('gives totals from the distribution, narrower than adding daily quantiles', () => {
    const [week, fortnight] = forecast.totals;
    expect(week!.days).toBe(7);
    expect(fortnight!.days).toBe(14);
    const sum = (k: 'mean' | 'p10' | 'p90', n: number) =>
      forecast.days.slice(0, n).reduce((s, d) => s + d[k], 0);
    expect(fortnight!.mean).toBeCloseTo(sum('mean', 14), 9);
    expect(fortnight!.p90).toBeLessThan(sum('p90', 14));
    expect(fortnight!.p10).toBeGreaterThan(sum('p10', 14));
    expect(fortnight!.p90).toBeGreaterThan(fortnight!.mean);
  });

  it('treats missing days as missing, not as zero sales', () => {
    const steady = Array.from({ length: 120 }, () => 6);
    const gappy = steady.map((v, t) => (t % 2 ? null : v));
    const zeros = steady.map((v, t) => (t % 2 ? 0 : v));
    const withGaps = forecastSeries({ startDate: START, values: gappy }, { models: ['ses'] });
    const withZeros = forecastSeries({ startDate: START, values: zeros }, { models: ['ses'] });
    expect(withGaps.days[0]!.mean).toBeCloseTo(6, 6);
    expect(withZeros.days[0]!.mean).toBeLessThan(4.5);
  });

  it('applies an uplift learned from past occurrences of a named event', () => {
    const values = weeklySeries(364, 10, 11);
    const events: CalendarEvent[] = [];
    // A match night every fourth Wednesday triples sales, including one in the horizon.
    for (let t = 2; t < 364 + 14; t += 28) {
      events.push({ date: new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10), name: 'match' });
      if (t < 364) values[t] = values[t]! * 3;
    }
    const plain = forecastSeries({ startDate: START, values });
    const withEvents = forecastSeries({ startDate: START, values }, { events });
    const matchDay = events.at(-1)!.date;
    const index = withEvents.days.findIndex((d) => d.date === matchDay);
    expect(index).toBeGreaterThanOrEqual(0);
    // κ-shrunk uplift ≈ (13·24 + 20)/(13·8 + 20) ≈ 2.7 against the same weekday a week later
    const uplift = withEvents.days[index]!.mean / withEvents.days[index + 7]!.mean;
    expect(uplift).toBeGreaterThan(2.2);
    expect(uplift).toBeLessThan(3.2);
    // without the calendar the tripled days only nudge the Wednesday level
    expect(plain.days[index]!.mean / plain.days[index + 7]!.mean).toBeCloseTo(1, 6);
  });

  it('takes a bar-wide event uplift for an event the item never saw, and its own for one it saw', () => {
    const values = weeklySeries(364, 10, 11);
    const day = (t: number) => new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10);
    // Closed on day 366 (the bar's other items sold nothing on past closures); a tasting on day 368,
    // whose past occurrences at this item (days 368 − 28·k) sold as usual.
    const tastings = Array.from({ length: 13 }, (_, k) => day(368 - 28 * (k + 1)));
    const events: CalendarEvent[] = [
      { date: day(366), name: 'closed' },
      ...[...tastings, day(368)].map((date) => ({ date, name: 'tasting' })),
    ];
    const eventPriors = new Map([
      ['closed', 0],
      ['tasting', 2],
    ]);
    const forecast = forecastSeries({ startDate: START, values }, { events, eventPriors });
    const mean = (t: number) => forecast.days[t - 364]!.mean;
    expect(mean(366)).toBe(0);
    // the item's own 13 tastings on Fridays (~16 a day, like the Fridays around them) pull the pooled
    // 2× most of the way down: (Σ actual + 100·2) / (Σ baseline + 100) ≈ (208 + 200) / (208 + 100) ≈ 1.32
    const ratio = mean(368) / mean(375);
    expect(ratio).toBeGreaterThan(1.15);
    expect(ratio).toBeLessThan(1.5);
  });

  it('fits the dispersion without a run of zeros too long for the item to have been on sale', () => {
    // Poisson(10) on weekdays' shape; days 370-383 sold nothing (out of stock), then sales resumed.
    const values = weeklySeries(400, 10, 5);
    const restocked = values.map((v, t) => (t >= 370 && t < 384 ? 0 : v));
    const forecast = forecastSeries({ startDate: START, values: restocked });
    const clean = forecastSeries({ startDate: START, values });
    // 14 zeros at a mean near 10 would need φ ≥ 0.5 to be likely; without them φ stays as without the run
    expect(forecast.spread).toEqual(clean.spread);
    expect(forecast.spread.dispersion).toBeLessThan(0.1);
  });

  it('spreads lumpy demand (guests ordering three at a time) as a multiple of the mean', () => {
    const draw = poissonSampler(11);
    const values = Array.from({ length: 400 }, (_, t) => 3 * draw(4 * SHAPE[t % 7]!));
    const lumpy = forecastSeries({ startDate: START, values });
    // Compound Poisson with lumps of 3: variance = 3 × mean, NB1 with dispersion 2.
    expect(lumpy.spread.power).toBe(1);
    expect(lumpy.spread.dispersion).toBeGreaterThanOrEqual(1);
    expect(lumpy.spread.dispersion).toBeLessThanOrEqual(3);
    // The model choice and its reported accuracy stay on the last 4 windows.
    expect(lumpy.backtest?.windows).toBe(4);
  });

  it('forecasts a slow mover with an intermittent-demand-sized mean', () => {
    const draw = poissonSampler(3);
    const values = Array.from({ length: 300 }, () => draw(0.3));
    const slow = forecastSeries({ startDate: START, values });
    const mean = slow.days.reduce((s, d) => s + d.mean, 0) / 14;
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.6);
    expect(slow.days.every((d) => d.p10 === 0)).toBe(true);
  });

  it('starts a new item from its first days and the category shape', () => {
    const values = [8, 8, 8, 9, 16, 16, 5, 8, 8, 8];
    const young = forecastSeries({ startDate: START, values }, { categoryProfile: SHAPE });
    expect(young.coldStart).toBe(true);
    expect(young.model).toBe('cold-start');
    // level = mean of value / shape: every day above is 10 × shape → 10
    const day = young.days[0]!; // 2024-01-11, a Thursday: 10 × 0.9
    expect(day.mean).toBeCloseTo(9, 6);
    expect(young.days[1]!.mean).toBeCloseTo(16, 6);
  });

  it('forecasts zero for an item that never sold', () => {
    const never = forecastSeries({ startDate: START, values: [0, 0, null, 0] });
    expect(never.days.every((d) => d.mean === 0 && d.p90 === 0)).toBe(true);
  });

  it('rejects a bad horizon or date', () => {
    expect(() => forecastSeries({ startDate: START, values: [1] }, { horizon: 0 })).toThrow(/horizon/);
    expect(() => forecastSeries({ startDate: '01/01/2024', values: [1] })).toThrow(/date/);
  });
});

describe('unavailableDays', () => {
  it('marks a run of zeros that Poisson sales at the mean would make with probability < 1e-4', () => {
    // 64 single sales in 80 days: 0.8 a day. Twelve zeros in a row: e^(−9.6) = 6.8e-5, unavailable; the
    // four zeros at the end are left: whether the item is back is for the forecast to say.
    const y = Float64Array.from([...Array(60).fill(1), ...Array(12).fill(0), 1, 1, 1, 1, 0, 0, 0, 0]);
    const marks = Array.from(unavailableDays(y));
    expect(marks.slice(60, 72)).toEqual(Array(12).fill(1));
    expect(marks.filter((m, t) => m === 1 && (t < 60 || t >= 72))).toEqual([]);
    // Bought four at a time, the same days are the same sales: lumps of 4, the same marks.
    expect(Array.from(unavailableDays(y.map((v) => 4 * v)))).toEqual(marks);
    // A missing day ends a run: 6 and 5 zeros, e^(−0.8·6) = 8e-3 at most, chance.
    y[66] = Number.NaN;
    expect(Array.from(unavailableDays(y)).every((m) => m === 0)).toBe(true);
  });

  it('reads the same in ml as in pours', () => {
    // A well gin: 5 to 15 pours a night, none on 1 night in 10; then ten nights without it (out of stock).
    // Counted in lumps of the 10th percentile of its nights (6 pours): 1.42 a night, e^(−14.2) for the ten.
    const pours = Float64Array.from({ length: 200 }, (_, t) => (t % 10 === 3 ? 0 : 5 + ((t * 7) % 11)));
    pours.fill(0, 100, 110);
    const inPours = Array.from(unavailableDays(pours));
    expect(inPours.slice(100, 110)).toEqual(Array(10).fill(1));
    expect(inPours.filter((m, t) => m === 1 && (t < 100 || t >= 110))).toEqual([]); // quiet nights: chance
    // In ml the mean is 30 times larger; read as units, every quiet night would look impossible.
    expect(Array.from(unavailableDays(pours.map((v) => 30 * v)))).toEqual(inPours);
  });
});
