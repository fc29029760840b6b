/**
 * Forecast accuracy measures. Training series may hold NaN/null for missing days: differences that
 * touch a missing day are skipped, and so are missing actuals. Scales start at the first non-zero
 * training value, as in the M5 competition guidelines (an item is not on sale before its first sale).
 */
export type Series = ArrayLike<number | null>;

function at(series: Series, t: number): number {
  const v = series[t];
  return v === null || v === undefined ? Number.NaN : v;
}

function firstSale(train: Series): number {
  for (let t = 0; t < train.length; t++) if (at(train, t) > 0) return t;
  return train.length;
}

/** Mean of |y_t − y_{t−lag}|^power over the training days from the first sale. */
export function naiveScale(train: Series, lag: number, power: 1 | 2): number {
  let sum = 0;
  let n = 0;
  for (let t = firstSale(train) + lag; t < train.length; t++) {
    const d = at(train, t) - at(train, t - lag);
    if (Number.isNaN(d)) continue;
    sum += power === 2 ? d * d : Math.abs(d);
    n++;
  }
  return n ? sum / n : Number.NaN;
}

function meanOver(actual: Series, f: (y: number, t: number) => number): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < actual.length; t++) {
    const y = at(actual, t);
    if (!Number.isNaN(y)) ((sum += f(y, t)), n++);
  }
  return n ? sum / n : Number.NaN;
}

/** M5 RMSSE: sqrt(mean squared error / mean squared one-step naive difference in training). */
export function rmsse(train: Series, actual: Series, forecast: ArrayLike<number>): number {
  return Math.sqrt(meanOver(actual, (y, t) => (y - forecast[t]!) ** 2) / naiveScale(train, 1, 2));
}

/** MASE against the seasonal naive (lag 7 by default) in training. */
export function mase(train: Series, actual: Series, forecast: ArrayLike<number>, season = 7): number {
  return meanOver(actual, (y, t) => Math.abs(y - forecast[t]!)) / naiveScale(train, season, 1);
}

/** Mean pinball (quantile) loss at level τ: τ·(y − q) if y ≥ q, else (1 − τ)·(q − y). */
export function pinball(actual: Series, quantile: ArrayLike<number>, level: number): number {
  return meanOver(actual, (y, t) => {
    const q = quantile[t]!;
    return y >= q ? level * (y - q) : (1 - level) * (q - y);
  });
}

export interface QuantileForecast {
  level: number;
  values: ArrayLike<number>;
}

/** M5 scaled pinball loss: each level's mean pinball over the mean |one-step difference|, averaged. */
export function scaledPinball(train: Series, actual: Series, quantiles: readonly QuantileForecast[]): number {
  const scale = naiveScale(train, 1, 1);
  let sum = 0;
  for (const q of quantiles) sum += pinball(actual, q.values, q.level) / scale;
  return sum / quantiles.length;
}

/** Σ|y − ŷ| / Σ y. */
export function wape(actual: Series, forecast: ArrayLike<number>): number {
  let error = 0;
  let total = 0;
  for (let t = 0; t < actual.length; t++) {
    const y = at(actual, t);
    if (!Number.isNaN(y)) ((error += Math.abs(y - forecast[t]!)), (total += y));
  }
  return error / total;
}

/** Σ(ŷ − y) / Σ y: positive when the forecast is too high. */
export function bias(actual: Series, forecast: ArrayLike<number>): number {
  let error = 0;
  let total = 0;
  for (let t = 0; t < actual.length; t++) {
    const y = at(actual, t);
    if (!Number.isNaN(y)) ((error += forecast[t]! - y), (total += y));
  }
  return error / total;
}

/** Shares of actual days strictly below P10 and strictly above P90. */
export function tailShares(
  actual: Series,
  p10: ArrayLike<number>,
  p90: ArrayLike<number>,
): { belowP10: number; aboveP90: number } {
  let below = 0;
  let above = 0;
  let n = 0;
  for (let t = 0; t < actual.length; t++) {
    const y = at(actual, t);
    if (Number.isNaN(y)) continue;
    n++;
    if (y < p10[t]!) below++;
    if (y > p90[t]!) above++;
  }
  return { belowP10: below / n, aboveP90: above / n };
}
