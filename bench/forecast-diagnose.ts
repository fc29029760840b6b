import { dayPhi, nbLogPmf, rmsse, type SeriesForecast } from '../hub/src/forecasting/index.ts';

/**
 * What the accuracy figures can and cannot reach, measured alongside them (`--diagnose`):
 * - `modelBelowP10` / `modelAboveP90`: the shares of days strictly below P10 and strictly above P90
 *   that the engine's own predictive distribution (negative binomial: each day's mean, the series'
 *   spread) expects, P(Y < P10) and P(Y > P90). For whole-count quantiles of a calibrated
 *   distribution these stay under 10%, far under when P10 sits on a zero that is likely.
 * - `pitDeciles`: the randomized PIT histogram (Czado, Gneiting & Held 2009, taken in expectation
 *   rather than drawn): each actual y spreads its weight uniformly over [F(y − 1), F(y)]. Flat at
 *   10% per decile when the distribution is calibrated, however discrete the counts are.
 * - `levelCeilingRmsse`: RMSSE when the engine's daily shape is kept but its 14-day level is replaced
 *   by the actual one, an upper bound on what better level estimation alone could give.
 */
export interface Diagnostics {
  modelBelowP10: number;
  modelAboveP90: number;
  pitDeciles: number[];
  levelCeilingRmsse: number;
}

/** P(Y ≤ k) for k = 0 … max under NB(mean, φ), by the pmf's ratio recursion. */
function nbCdf(mean: number, phi: number, max: number): Float64Array {
  const cdf = new Float64Array(max + 1);
  if (!(mean > 0)) return cdf.fill(1);
  let sum = 0;
  for (let k = 0; k <= max; k++) {
    sum += Math.exp(nbLogPmf(k, mean, phi));
    cdf[k] = Math.min(1, sum);
  }
  return cdf;
}

export class DiagnosticTotals {
  #days = 0;
  #below = 0;
  #above = 0;
  #pit = new Float64Array(10);
  #ceiling = { sum: 0, n: 0 };

  add(train: ArrayLike<number | null>, actual: readonly (number | null)[], forecast: SeriesForecast): void {
    const { spread } = forecast;
    let actualSum = 0;
    let meanSum = 0;
    let observed = 0;
    forecast.days.forEach((day, j) => {
      const y = actual[j];
      if (y === null || y === undefined || Number.isNaN(y)) return;
      const cdf = nbCdf(day.mean, dayPhi(day.mean, spread), Math.max(y, day.p10, day.p90));
      const at = (k: number) => (k < 0 ? 0 : cdf[k]!);
      this.#below += at(Math.ceil(day.p10) - 1);
      this.#above += 1 - at(Math.floor(day.p90));
      const lo = at(y - 1);
      const hi = at(y);
      for (let d = 0; d < 10; d++) {
        const overlap = Math.min(hi, (d + 1) / 10) - Math.max(lo, d / 10);
        if (hi > lo && overlap > 0) this.#pit[d]! += overlap / (hi - lo);
        else if (hi <= lo && lo >= d / 10 && lo < (d + 1) / 10) this.#pit[d]!++;
      }
      this.#days++;
      observed++;
      actualSum += y;
      meanSum += day.mean;
    });
    const level = meanSum > 0 ? actualSum / meanSum : 0;
    const rescaled = forecast.days.map((d) =>
      meanSum > 0 ? d.mean * level : actualSum / Math.max(observed, 1),
    );
    const r = rmsse(train, actual, rescaled);
    if (Number.isFinite(r)) ((this.#ceiling.sum += r), this.#ceiling.n++);
  }

  summary(): Diagnostics {
    return {
      modelBelowP10: this.#below / this.#days,
      modelAboveP90: this.#above / this.#days,
      pitDeciles: Array.from(this.#pit, (v) => v / this.#days),
      levelCeilingRmsse: this.#ceiling.sum / this.#ceiling.n,
    };
  }
}
