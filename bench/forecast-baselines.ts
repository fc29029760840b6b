/**
 * The reference methods of /work/shared/data/forecast/README.md that the engine is measured against,
 * computed in the same run on the same forecasts. Seasonal naive and simple exponential smoothing are the
 * engine's own `seasonalNaive` and `ses`; the quantile reference is built here, as the README names it.
 */
import { MODELS, nbQuantiles, type ModelInput } from '../hub/src/forecasting/index.ts';
import { weekdayIndex } from '../hub/src/forecasting/models/weekday.ts';

export interface QuantileForecast {
  mean: number[];
  p10: number[];
  p50: number[];
  p90: number[];
}

/** Days the reference's level and spread are taken over. */
const RECENT_DAYS = 28;

/**
 * "Negative binomial around the 28-day mean × weekday index": each day's mean is the mean of the last 28
 * days times its weekday's index (the history's last year, unshrunk), and its spread a negative binomial
 * whose dispersion is fitted by moments to the last 28 days around those means (Poisson when they vary
 * less than that). Quantiles are whole counts, as the engine's.
 */
export function nbWeekdayReference({ y, dow0 }: ModelInput, horizon: number): QuantileForecast {
  const index = weekdayIndex(y, dow0, { shrinkSales: 0 });
  const from = Math.max(0, y.length - RECENT_DAYS);
  let sum = 0;
  let days = 0;
  for (let t = from; t < y.length; t++) if (!Number.isNaN(y[t]!)) ((sum += y[t]!), days++);
  const level = days ? sum / days : 0;
  // Moments of the recent days around their own weekday means: E(y − μ)² = μ + φμ².
  let excess = 0;
  let squares = 0;
  for (let t = from; t < y.length; t++) {
    if (Number.isNaN(y[t]!)) continue;
    const mu = level * index[(dow0 + t) % 7]!;
    excess += (y[t]! - mu) ** 2 - mu;
    squares += mu * mu;
  }
  const phi = squares > 0 ? Math.max(0, excess / squares) : 0;
  const out: QuantileForecast = { mean: [], p10: [], p50: [], p90: [] };
  for (let j = 0; j < horizon; j++) {
    const mu = level * index[(dow0 + y.length + j) % 7]!;
    const [p10, p50, p90] = nbQuantiles(mu, phi, [0.1, 0.5, 0.9]);
    out.mean.push(mu);
    out.p10.push(p10!);
    out.p50.push(p50!);
    out.p90.push(p90!);
  }
  return out;
}

/** TSB (Teunter-Syntetos-Babai) for intermittent demand, as the engine fits it, without weekday index. */
export function tsbReference(input: ModelInput, horizon: number): Float64Array {
  return MODELS.tsb!(input, horizon);
}
