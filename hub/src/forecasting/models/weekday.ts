/** Day-of-week profiles estimated from the recent weeks of a series (Monday = 0). */

export interface WeekdayOptions {
  /** Trailing days used. Default 364 (52 weeks). */
  windowDays?: number;
  /** Pseudo-sales pulling each weekday towards the prior, so slow sellers keep a calm shape. */
  shrinkSales?: number;
  /** Prior shape, e.g. the category's; flat when absent. */
  prior?: readonly number[];
}

const FLAT = [1, 1, 1, 1, 1, 1, 1];

function weekdaySums(y: Float64Array, dow0: number, windowDays: number) {
  const sums = new Float64Array(7);
  const counts = new Float64Array(7);
  for (let t = Math.max(0, y.length - windowDays); t < y.length; t++) {
    const v = y[t]!;
    if (Number.isNaN(v)) continue;
    const d = (dow0 + t) % 7;
    sums[d]! += v;
    counts[d]!++;
  }
  let total = 0;
  let days = 0;
  for (let d = 0; d < 7; d++) ((total += sums[d]!), (days += counts[d]!));
  return { sums, counts, mean: days ? total / days : 0 };
}

/**
 * Multiplicative weekday index (mean 1): index_d = (S_d + κ·prior_d) / (N_d·m + κ), where S_d is
 * the weekday's sales, N_d its observed days and m the overall daily mean, then renormalised.
 */
export function weekdayIndex(y: Float64Array, dow0: number, options: WeekdayOptions = {}): Float64Array {
  const prior = options.prior ?? FLAT;
  const kappa = options.shrinkSales ?? 20;
  const { sums, counts, mean } = weekdaySums(y, dow0, options.windowDays ?? 364);
  const index = new Float64Array(7);
  let total = 0;
  for (let d = 0; d < 7; d++) {
    const weight = counts[d]! * mean + kappa; // 0 for a weekday never seen, unshrunk
    index[d] = mean > 0 && weight > 0 ? (sums[d]! + kappa * prior[d]!) / weight : prior[d]!;
    total += index[d]!;
  }
  for (let d = 0; d < 7; d++) index[d] = (index[d]! * 7) / total;
  return index;
}

/** Additive weekday offsets (mean 0), shrunk towards 0 the same way as the index. */
export function weekdayOffsets(y: Float64Array, dow0: number, options: WeekdayOptions = {}): Float64Array {
  const kappa = options.shrinkSales ?? 20;
  const { sums, counts, mean } = weekdaySums(y, dow0, options.windowDays ?? 364);
  const offsets = new Float64Array(7);
  let total = 0;
  for (let d = 0; d < 7; d++) {
    const weight = counts[d]! * mean > 0 ? (counts[d]! * mean) / (counts[d]! * mean + kappa) : 0;
    offsets[d] = counts[d]! ? (sums[d]! / counts[d]! - mean) * weight : 0;
    total += offsets[d]!;
  }
  for (let d = 0; d < 7; d++) offsets[d]! -= total / 7;
  return offsets;
}

/** y_t / index_{weekday(t)}, keeping NaN for missing days. */
export function deseasonalize(y: Float64Array, dow0: number, index: Float64Array): Float64Array {
  const z = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) z[t] = y[t]! / index[(dow0 + t) % 7]!;
  return z;
}
