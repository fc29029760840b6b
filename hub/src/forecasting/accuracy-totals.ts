import { mase, rmsse, scaledPinball, tailShares, type Series } from './metrics.ts';

export interface AccuracySummary {
  /** Forecasts (series × origins) averaged; those with a zero or undefined scale are left out. */
  forecasts: number;
  rmsse: number;
  mase: number;
  /** Pooled over all forecast days. */
  wape: number;
  bias: number;
  /** Null when no quantiles were given. */
  spl: number | null;
  belowP10: number | null;
  aboveP90: number | null;
}

export interface ScoredForecast {
  mean: ArrayLike<number>;
  p10?: ArrayLike<number>;
  p50?: ArrayLike<number>;
  p90?: ArrayLike<number>;
}

/** Accumulates per-forecast scores (means of RMSSE, MASE, SPL) and pooled sums (WAPE, bias, tails). */
export class AccuracyTotals {
  #n = { rmsse: 0, mase: 0, spl: 0, days: 0, quantileDays: 0 };
  #sum = { rmsse: 0, mase: 0, spl: 0, absError: 0, error: 0, actual: 0, below: 0, above: 0 };

  add(train: Series, actual: Series, forecast: ScoredForecast): void {
    const r = rmsse(train, actual, forecast.mean);
    if (Number.isFinite(r)) ((this.#sum.rmsse += r), this.#n.rmsse++);
    const m = mase(train, actual, forecast.mean);
    if (Number.isFinite(m)) ((this.#sum.mase += m), this.#n.mase++);
    const days = sumObserved(actual, () => 1);
    if (days === 0) return;
    this.#sum.actual += sumOf(actual);
    this.#sum.absError += absError(actual, forecast.mean);
    this.#sum.error += signedError(actual, forecast.mean);
    this.#n.days += days;
    const { p10, p50, p90 } = forecast;
    if (!p10 || !p50 || !p90) return;
    const s = scaledPinball(train, actual, [
      { level: 0.1, values: p10 },
      { level: 0.5, values: p50 },
      { level: 0.9, values: p90 },
    ]);
    if (Number.isFinite(s)) ((this.#sum.spl += s), this.#n.spl++);
    const tails = tailShares(actual, p10, p90);
    this.#sum.below += tails.belowP10 * days;
    this.#sum.above += tails.aboveP90 * days;
    this.#n.quantileDays += days;
  }

  summary(): AccuracySummary {
    const q = this.#n.quantileDays;
    return {
      forecasts: this.#n.rmsse,
      rmsse: this.#sum.rmsse / this.#n.rmsse,
      mase: this.#sum.mase / this.#n.mase,
      wape: this.#sum.absError / this.#sum.actual,
      bias: this.#sum.error / this.#sum.actual,
      spl: this.#n.spl ? this.#sum.spl / this.#n.spl : null,
      belowP10: q ? this.#sum.below / q : null,
      aboveP90: q ? this.#sum.above / q : null,
    };
  }
}

/** Σ g(y_t, t) over the observed (non-missing) actual days. */
function sumObserved(actual: Series, g: (y: number, t: number) => number): number {
  let s = 0;
  for (let t = 0; t < actual.length; t++) {
    const y = actual[t];
    if (y !== null && y !== undefined && !Number.isNaN(y)) s += g(y, t);
  }
  return s;
}
const sumOf = (actual: Series) => sumObserved(actual, (y) => y);
const absError = (actual: Series, f: ArrayLike<number>) => sumObserved(actual, (y, t) => Math.abs(y - f[t]!));
const signedError = (actual: Series, f: ArrayLike<number>) => sumObserved(actual, (y, t) => f[t]! - y);
