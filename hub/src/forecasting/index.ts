export * from './types.ts';
export { forecastSeries, unavailableDays, COLD_START_DAYS, type EngineOptions } from './engine.ts';
export * from './metrics.ts';
export { AccuracyTotals, type AccuracySummary, type ScoredForecast } from './accuracy-totals.ts';
export { dayNumber, dateOf, weekdayOf, eventFactors, pooledEventUplifts } from './calendar.ts';
export { dayPhi, fitSpread, nbLogPmf, nbQuantiles, totalQuantiles, type Spread } from './quantiles.ts';
export { MODELS, seasonalNaive, ses, type Model, type ModelInput } from './models/index.ts';
