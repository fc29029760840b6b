import type { FORECAST_MODEL_NAMES } from '@pourcast/protocol';
import type { Spread } from './quantiles.ts';

/** A dated calendar input: a public holiday or a local event (a match night, a festival). */
export interface CalendarEvent {
  /** YYYY-MM-DD, the bar's local day. */
  date: string;
  /** Events with the same name share one estimated uplift; unnamed ones share one per kind. */
  name?: string;
  kind?: 'holiday' | 'event';
}

/** Daily demand of one item at one location. */
export interface DemandHistory {
  /** YYYY-MM-DD of `values[0]`. */
  startDate: string;
  /** Demand per day (units or ml) from `startDate`; `null` marks a missing day, never a zero sale. */
  values: readonly (number | null)[];
}

/** An optional daily regressor such as the forecast temperature; must cover the horizon to be used. */
export interface WeatherSeries {
  startDate: string;
  values: readonly (number | null)[];
}

export interface ForecastOptions {
  /** Days to forecast from the day after the last history value. Default 14. */
  horizon?: number;
  /** Holidays and local events, past (to learn uplifts) and future (to apply them). */
  events?: readonly CalendarEvent[];
  weather?: WeatherSeries;
  /** Uplift per event name pooled over the bar's items (see pooledEventUplifts), the prior of each item's own. */
  eventPriors?: ReadonlyMap<string, number>;
  /** Weekday shape (Monday..Sunday, mean 1) of the item's category, borrowed for new items. */
  categoryProfile?: readonly number[];
  /** History days the models are fitted on (event uplifts use all history). Default 730. */
  maxHistoryDays?: number;
  /** In-sample rolling backtest windows of 14 days used for model choice. Default 4. */
  backtestWindows?: number;
}

export type ModelName = (typeof FORECAST_MODEL_NAMES)[number];

export interface ForecastDay {
  date: string;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

/** Quantiles of the demand summed over the first `days` days of the forecast. */
export interface ForecastTotal {
  days: number;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

/** Accuracy of the chosen model on the in-sample rolling backtest (raw demand, last windows). */
export interface BacktestAccuracy {
  windows: number;
  rmsse: number;
  mase: number;
  wape: number;
  bias: number;
}

export interface SeriesForecast {
  /** First forecast day (the day after the last history value). */
  startDate: string;
  days: ForecastDay[];
  /** Totals over 7 and 14 days (or the horizon when shorter). */
  totals: ForecastTotal[];
  model: ModelName;
  /** Models averaged when `model` is `combination`. */
  components: ModelName[];
  backtest: BacktestAccuracy | null;
  /** Negative-binomial spread of each day: variance = mean + dispersion·mean^power (NB2 or NB1). */
  spread: Spread;
  /** Correlation of daily errors within a forecast (ρ of `totalQuantiles`), for totals over other spans. */
  correlation: number;
  coldStart: boolean;
}
