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

/** Pseudo-sales shrinking an item's own event uplift towards 1 when nothing pooled is known. */
const OWN_PRIOR_SALES = 20;
/**
 * Pseudo-sales shrinking it towards the uplift pooled over the bar's items: a pooled prior is worth
 * more than "no effect", so an item needs more of its own sales to move away from it (M5 sample:
 * 20 → RMSSE 0.6973, 60 → 0.6961, 200 → 0.6957, 1000 → 0.6961).
 */
const POOLED_PRIOR_SALES = 100;

export interface EventFactorOptions {
  /** Pseudo-sales at the prior uplift that shrink an uplift learned from few or small examples. */
  priorSales?: number;
  /** Prior uplift per event (e.g. pooled over the bar's items); 1 when absent. */
  priorUplifts?: ReadonlyMap<string, number>;
}

/**
 * Multiplicative calendar factors for every day of history and horizon (index 0 = `firstDay`).
 * An event's uplift is Σ actual / Σ baseline over its past occurrences, where the baseline is the
 * mean of the same weekday one and two weeks either side (skipping other event days), shrunk
 * towards a prior u by κ pseudo-sales: (Σ actual + κ·u) / (Σ baseline + κ), so a slow seller needs
 * many examples before its uplift moves far from the prior. The prior is the uplift pooled over the
 * bar's items when `priorUplifts` gives one (see pooledEventUplifts), else 1; an event the item never
 * saw gets the prior itself. Several events on one day multiply.
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
  const prior = options.priorSales ?? (options.priorUplifts ? POOLED_PRIOR_SALES : OWN_PRIOR_SALES);
  const byDay = eventDays(firstDay, length, events);
  const sums = eventSums(y, byDay);
  const uplift = new Map<string, number>();
  for (const [key, sum] of sums) {
    const centre = options.priorUplifts?.get(key) ?? 1;
    uplift.set(key, (sum.actual + prior * centre) / (sum.baseline + prior));
  }
  for (const [index, keys] of byDay) {
    for (const key of keys) factors[index]! *= uplift.get(key) ?? options.priorUplifts?.get(key) ?? 1;
  }
  return factors;
}

/** Event names by day index (0 = firstDay) over [0, length). */
function eventDays(
  firstDay: number,
  length: number,
  events: readonly CalendarEvent[],
  dayOf: (date: string) => number = dayNumber,
): Map<number, string[]> {
  const byDay = new Map<number, string[]>();
  for (const event of events) {
    const index = dayOf(event.date) - firstDay;
    if (index < 0 || index >= length) continue;
    const key = event.name ?? `(${event.kind ?? 'event'})`;
    const list = byDay.get(index);
    if (list) list.push(key);
    else byDay.set(index, [key]);
  }
  return byDay;
}

export interface EventSum {
  actual: number;
  baseline: number;
  count: number;
}

/** Per event: Σ actual and Σ baseline (same weekday ±1, ±2 weeks, other event days skipped) over y's days. */
function eventSums(y: Float64Array, byDay: Map<number, string[]>): Map<string, EventSum> {
  const sums = new Map<string, EventSum>();
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
  return sums;
}

/**
 * Uplift per event pooled over several series (a bar's items, each with the events it saw):
 * Σ actual / Σ baseline summed across all of them, so the busy items weigh most. It is the prior
 * each item's own uplift is shrunk towards (eventFactors' `priorUplifts`).
 */
export function pooledEventUplifts(
  series: readonly {
    startDate: string;
    values: ArrayLike<number | null>;
    events: readonly CalendarEvent[];
  }[],
): Map<string, number> {
  const totals = new Map<string, EventSum>();
  // The items of a bar share one calendar: each date is parsed once.
  const days = new Map<string, number>();
  const dayOf = (date: string) => {
    let day = days.get(date);
    if (day === undefined) days.set(date, (day = dayNumber(date)));
    return day;
  };
  for (const s of series) {
    const y = new Float64Array(s.values.length);
    for (let t = 0; t < y.length; t++) {
      const v = s.values[t];
      y[t] = v === null || v === undefined || !(v >= 0) ? Number.NaN : v;
    }
    const sums = eventSums(y, eventDays(dayOf(s.startDate), y.length, s.events, dayOf));
    for (const [key, sum] of sums) {
      const total = totals.get(key) ?? { actual: 0, baseline: 0, count: 0 };
      total.actual += sum.actual;
      total.baseline += sum.baseline;
      total.count += sum.count;
      totals.set(key, total);
    }
  }
  const uplifts = new Map<string, number>();
  for (const [key, t] of totals) if (t.baseline > 0) uplifts.set(key, t.actual / t.baseline);
  return uplifts;
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
