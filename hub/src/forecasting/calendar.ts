import type { CalendarEvent, WeatherSeries } from './types.ts';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for a YYYY-MM-DD date (UTC, so no daylight-saving drift). */
export function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`date: expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS);
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Weekday of a day number, Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export interface EventFactorOptions {
  /** Pseudo-sales at factor 1 that shrink an uplift learned from few or small examples. */
  priorSales?: number;
}

/**
 * Multiplicative calendar factors for every day of history and horizon (index 0 = `firstDay`).
 * An event's uplift is Σ actual / Σ baseline over its past occurrences, where the baseline is the
 * mean of the same weekday one and two weeks either side (skipping other event days), shrunk
 * towards 1 by κ pseudo-sales: (Σ actual + κ) / (Σ baseline + κ), so a slow seller needs many
 * examples before its uplift moves far from 1. Events never seen in history get factor 1. Several events on one day multiply.
 */
export function eventFactors(
  y: Float64Array,
  firstDay: number,
  length: number,
  events: readonly CalendarEvent[],
  options: EventFactorOptions = {},
): Float64Array {
  const factors = new Float64Array(length).fill(1);
  if (events.length === 0) return factors;
  const prior = options.priorSales ?? 20;
  const byDay = new Map<number, string[]>();
  for (const event of events) {
    const index = dayNumber(event.date) - firstDay;
    if (index < 0 || index >= length) continue;
    const key = event.name ?? `(${event.kind ?? 'event'})`;
    const list = byDay.get(index);
    if (list) list.push(key);
    else byDay.set(index, [key]);
  }
  const sums = new Map<string, { actual: number; baseline: number; count: number }>();
  for (const [index, keys] of byDay) {
    if (index >= y.length) continue;
    const actual = y[index]!;
    if (Number.isNaN(actual)) continue;
    let total = 0;
    let count = 0;
    for (const offset of [-14, -7, 7, 14]) {
      const j = index + offset;
      if (j < 0 || j >= y.length || byDay.has(j) || Number.isNaN(y[j]!)) continue;
      total += y[j]!;
      count++;
    }
    if (count === 0) continue;
    for (const key of keys) {
      const sum = sums.get(key) ?? { actual: 0, baseline: 0, count: 0 };
      sum.actual += actual / keys.length;
      sum.baseline += total / count / keys.length;
      sum.count++;
      sums.set(key, sum);
    }
  }
  const uplift = new Map<string, number>();
  for (const [key, sum] of sums) {
    uplift.set(key, (sum.actual + prior) / (sum.baseline + prior));
  }
  for (const [index, keys] of byDay) {
    for (const key of keys) factors[index]! *= uplift.get(key) ?? 1;
  }
  return factors;
}

/**
 * A weather regressor as a multiplicative factor 1 + β·(w − w̄), β fitted by least squares of
 * the demand's ratio to its 28-day centred mean on the weather deviation, clamped to [0.5, 2].
 * Returns all ones when the regressor does not cover the whole range or history is too short.
 */
export function weatherFactors(
  y: Float64Array,
  firstDay: number,
  length: number,
  weather: WeatherSeries | undefined,
): Float64Array {
  const factors = new Float64Array(length).fill(1);
  if (!weather) return factors;
  const offset = firstDay - dayNumber(weather.startDate);
  const w = new Float64Array(length).fill(Number.NaN);
  for (let t = 0; t < length; t++) w[t] = weather.values[t + offset] ?? Number.NaN;
  for (let t = y.length; t < length; t++) if (Number.isNaN(w[t]!)) return factors;
  const points: [number, number][] = [];
  for (let t = 14; t < y.length - 14; t++) {
    if (Number.isNaN(y[t]!) || Number.isNaN(w[t]!)) continue;
    let sum = 0;
    let n = 0;
    for (let j = t - 14; j < t + 14; j++) if (!Number.isNaN(y[j]!)) ((sum += y[j]!), n++);
    if (sum > 0) points.push([w[t]!, (y[t]! * n) / sum]);
  }
  if (points.length < 28) return factors;
  const meanW = points.reduce((s, p) => s + p[0], 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, r] of points) ((sxy += (x - meanW) * (r - 1)), (sxx += (x - meanW) ** 2));
  const beta = sxx > 0 ? sxy / sxx : 0;
  for (let t = 0; t < length; t++) {
    if (!Number.isNaN(w[t]!)) factors[t] = Math.min(2, Math.max(0.5, 1 + beta * (w[t]! - meanW)));
  }
  return factors;
}
