import {
  AccuracyTotals,
  dateOf,
  forecastSeries,
  pooledEventUplifts,
  seasonalNaive,
  ses,
  weekdayOf,
  type AccuracySummary,
  type EngineOptions,
  type ModelName,
} from '../hub/src/forecasting/index.ts';
import { nbWeekdayReference, tsbReference } from './forecast-baselines.ts';
import type { DiagnosticTotals } from './forecast-diagnose.ts';
import type { BenchSeries } from './forecast-series.ts';

export const HORIZON = 14;
export const ORIGINS = 13;
export const ORIGIN_SPACING = 28;

export interface BenchResult {
  series: number;
  origins: string[];
  engine: AccuracySummary;
  seasonalNaive: AccuracySummary;
  ses: AccuracySummary;
  tsb: AccuracySummary;
  /** The README's quantile reference: negative binomial around the 28-day mean × weekday index. */
  nbWeekday: AccuracySummary;
  /** Engine forecasts per second of time spent inside forecastSeries (one thread). */
  seriesPerSecond: number;
  engineSeconds: number;
  /**
   * Engine forecasts per second of CPU time (user + system) the process spent inside forecastSeries:
   * unlike the wall-clock figure it does not drop when other processes share the cores.
   */
  seriesPerCpuSecond: number;
  engineCpuSeconds: number;
  models: Partial<Record<ModelName, number>>;
}

/**
 * The protocol of /work/shared/data/forecast/README.md: 13 origins 28 days apart, the last one
 * HORIZON days before the file's last date; each forecast sees only the days before its origin.
 */
export function originDays(series: readonly BenchSeries[]): number[] {
  const lastDay = Math.max(...series.map((s) => s.firstDay + s.values.length - 1));
  const last = lastDay - HORIZON + 1;
  return Array.from({ length: ORIGINS }, (_, k) => last - (ORIGINS - 1 - k) * ORIGIN_SPACING);
}

function toHistory(values: Float64Array): (number | null)[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : v));
}

/** Baseline input: the raw history from the first sale over the same window the engine fits. */
function baselineInput(train: Float64Array, firstDay: number) {
  let first = train.findIndex((v) => v > 0);
  if (first < 0) first = train.length;
  const from = Math.max(first, train.length - 730);
  return { y: train.slice(from), dow0: weekdayOf(firstDay + from) };
}

export function runBench(
  series: readonly BenchSeries[],
  onProgress?: (done: number) => void,
  /** Extra engine options (candidate models, windows) for experiments; the CLI passes none. */
  engineOptions: EngineOptions = {},
  /** Collects what the figures can reach (--diagnose); outside the timed engine call. */
  diagnostics?: DiagnosticTotals,
): BenchResult {
  const origins = originDays(series);
  const totals = {
    engine: new AccuracyTotals(),
    naive: new AccuracyTotals(),
    ses: new AccuracyTotals(),
    tsb: new AccuracyTotals(),
    nbWeekday: new AccuracyTotals(),
  };
  const models: Partial<Record<ModelName, number>> = {};
  let engineMs = 0;
  let engineCpuUs = 0;
  let forecasts = 0;
  const profiles = origins.map((origin) => groupProfiles(series, origin));
  // The bar's pooled event uplifts, one pass per origin over every series: engine work, so timed with it.
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const priors = origins.map((origin) => groupEventUplifts(series, origin));
  engineMs += performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  engineCpuUs += cpu.user + cpu.system;
  series.forEach((s, i) => {
    for (const [o, origin] of origins.entries()) {
      const cut = origin - s.firstDay;
      if (cut < 1 || cut + HORIZON > s.values.length) continue;
      const train = s.values.subarray(0, cut);
      const actual = toHistory(s.values.subarray(cut, cut + HORIZON));
      const history = { startDate: dateOf(s.firstDay), values: toHistory(train) };
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const profile = profiles[o]!.get(s.group);
      const eventPriors = priors[o]!.get(s.group);
      const forecast = forecastSeries(history, {
        ...engineOptions,
        horizon: HORIZON,
        events: s.events,
        ...(profile ? { categoryProfile: profile } : {}),
        ...(eventPriors?.size ? { eventPriors } : {}),
      });
      engineMs += performance.now() - started;
      const cpu = process.cpuUsage(cpuStarted);
      engineCpuUs += cpu.user + cpu.system;
      forecasts++;
      models[forecast.model] = (models[forecast.model] ?? 0) + 1;
      const pick = (k: 'mean' | 'p10' | 'p50' | 'p90') => forecast.days.map((d) => d[k]);
      totals.engine.add(train, actual, {
        mean: pick('mean'),
        p10: pick('p10'),
        p50: pick('p50'),
        p90: pick('p90'),
      });
      diagnostics?.add(train, actual, forecast);
      const input = baselineInput(train, s.firstDay);
      totals.naive.add(train, actual, { mean: seasonalNaive(input, HORIZON) });
      totals.ses.add(train, actual, { mean: ses(input, HORIZON) });
      totals.tsb.add(train, actual, { mean: tsbReference(input, HORIZON) });
      totals.nbWeekday.add(train, actual, nbWeekdayReference(input, HORIZON));
    }
    onProgress?.(i + 1);
  });
  return {
    series: series.length,
    origins: origins.map(dateOf),
    engine: totals.engine.summary(),
    seasonalNaive: totals.naive.summary(),
    ses: totals.ses.summary(),
    tsb: totals.tsb.summary(),
    nbWeekday: totals.nbWeekday.summary(),
    seriesPerSecond: forecasts / (engineMs / 1000),
    engineSeconds: engineMs / 1000,
    seriesPerCpuSecond: forecasts / (engineCpuUs / 1e6),
    engineCpuSeconds: engineCpuUs / 1e6,
    models,
  };
}

/**
 * Event uplifts pooled over each --group's series (all series when there are no groups, as the hub
 * pools a bar's items) from the days before `origin`, the prior of each series' own uplifts.
 */
export function groupEventUplifts(
  series: readonly BenchSeries[],
  origin: number,
): Map<string, Map<string, number>> {
  const groups = new Map<
    string,
    { startDate: string; values: (number | null)[]; events: BenchSeries['events'] }[]
  >();
  for (const s of series) {
    if (s.events.length === 0 || origin - s.firstDay < 1) continue;
    const list = groups.get(s.group) ?? [];
    list.push({
      startDate: dateOf(s.firstDay),
      values: toHistory(s.values.subarray(0, origin - s.firstDay)),
      events: s.events,
    });
    groups.set(s.group, list);
  }
  return new Map([...groups].map(([group, list]) => [group, pooledEventUplifts(list)]));
}

/** Weeks the pooled weekday shapes are measured over, as the hub's category profiles (demand/category-profile.ts). */
const PROFILE_WEEKS = 12;

/**
 * The weekday shape (Monday..Sunday, mean 1) of each --group's pooled demand over the PROFILE_WEEKS before
 * `origin`, the way the hub gives the engine its category's shape at the bar. No groups, no shapes.
 */
export function groupProfiles(series: readonly BenchSeries[], origin: number): Map<string, number[]> {
  const sums = new Map<string, number[]>();
  for (const s of series) {
    if (!s.group) continue;
    const week = sums.get(s.group) ?? [0, 0, 0, 0, 0, 0, 0];
    for (let day = origin - PROFILE_WEEKS * 7; day < origin; day++) {
      const v = s.values[day - s.firstDay];
      if (v !== undefined && !Number.isNaN(v) && v > 0) week[weekdayOf(day)]! += v;
    }
    sums.set(s.group, week);
  }
  const profiles = new Map<string, number[]>();
  for (const [group, week] of sums) {
    const mean = week.reduce((a, b) => a + b, 0) / 7;
    if (mean > 0)
      profiles.set(
        group,
        week.map((v) => v / mean),
      );
  }
  return profiles;
}
