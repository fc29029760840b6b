import { totalQuantiles, type Spread } from '../forecasting/quantiles.ts';

/** What the ordering rules need from a forecast: demand over the next `days` days, in ml (or units). */
export interface DemandOutlook {
  /** Quantile of the total demand over the next `days` days at `level`. */
  quantile(days: number, level: number): number;
  /** Expected total demand over the next `days` days. */
  mean(days: number): number;
}

/** Daily means for `days` days: the forecast's, then its last week repeated (weekly seasonality). */
function meansOver(daily: readonly number[], days: number): number[] {
  const out: number[] = [];
  const week = daily.slice(-7);
  for (let t = 0; t < days; t++) out.push(t < daily.length ? daily[t]! : (week[(t - daily.length) % 7] ?? 0));
  return out;
}

/**
 * The outlook of a stored forecast: totals are the engine's own negative-binomial sums with the forecast's
 * spread and error correlation (`totalQuantiles`), never added daily quantiles.
 */
export function forecastOutlook(forecast: {
  days: readonly { mean: number }[];
  spread: Spread;
  correlation: number;
}): DemandOutlook {
  const daily = forecast.days.map((d) => d.mean);
  return {
    quantile(days, level) {
      if (days <= 0) return 0;
      return totalQuantiles(meansOver(daily, days), forecast.spread, forecast.correlation, [level])
        .quantiles[0]!;
    },
    mean: (days) => meansOver(daily, days).reduce((s, v) => s + v, 0),
  };
}
