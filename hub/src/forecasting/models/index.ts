import type { ModelName } from '../types.ts';
import {
  DAMPED_GRID,
  SBA_GRID,
  SES_GRID,
  TSB_GRID,
  dampedSmoother,
  fitSmoother,
  sbaSmoother,
  sesSmoother,
  tsbSmoother,
  type Smoother,
} from './smoother.ts';
import { deseasonalize, weekdayIndex, weekdayOffsets } from './weekday.ts';
import { winsorize } from './winsorize.ts';

/** What every model sees: demand with calendar effects divided out (NaN = missing). */
export interface ModelInput {
  y: Float64Array;
  /** Weekday of y[0], Monday = 0. */
  dow0: number;
  /** Category weekday shape used as the prior of the weekday index. */
  profile?: readonly number[];
}

/**
 * Parameters a model chose on the full history, keyed by model; the in-sample backtest passes
 * them back so each window reruns the smoother instead of searching its grid again.
 */
export type ParamMemory = Map<string, unknown>;

/** Returns the mean forecast for days y.length … y.length + h − 1. */
export type Model = (input: ModelInput, h: number, memory?: ParamMemory) => Float64Array;

function fit<P>(
  key: string,
  z: Float64Array,
  grid: readonly P[],
  factory: (p: P, l: number) => Smoother,
  memory?: ParamMemory,
): Smoother {
  const known = memory?.get(key) as P | undefined;
  const result = fitSmoother(z, known === undefined ? grid : [known], factory);
  memory?.set(key, result.params);
  return result.smoother;
}

function path(smoother: Smoother, h: number, scale: (t: number) => number): Float64Array {
  const out = new Float64Array(h);
  for (let j = 0; j < h; j++) out[j] = Math.max(0, scale(j) * smoother.forecast(j + 1));
  return out;
}

/** Seasonal naive: the last observed value on the same weekday. */
export const seasonalNaive: Model = ({ y }, h) => {
  const out = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    let t = y.length + (j % 7) - 7;
    while (t >= 0 && Number.isNaN(y[t]!)) t -= 7;
    out[j] = t >= 0 ? y[t]! : 0;
  }
  return out;
};

export const ses: Model = ({ y }, h, memory) =>
  path(fit('ses', y, SES_GRID, sesSmoother, memory), h, () => 1);

/** Weekday index × a smoother of the deseasonalized days, winsorized (winsorize.ts). */
function multiplicative<P>(key: string, grid: readonly P[], factory: (p: P, l: number) => Smoother): Model {
  return ({ y, dow0, profile }, h, memory) => {
    const index = weekdayIndex(y, dow0, profile ? { prior: profile } : {});
    const { z, ratio } = winsorize(deseasonalize(y, dow0, index));
    const smoother = fit(key, z, grid, factory, memory);
    return path(smoother, h, (j) => ratio * index[(dow0 + y.length + j) % 7]!);
  };
}

export const weekdaySes = multiplicative('weekday-ses', SES_GRID, sesSmoother);
export const weekdayDamped = multiplicative('weekday-damped', DAMPED_GRID, dampedSmoother);
export const weekdayTsb = multiplicative('weekday-tsb', TSB_GRID, tsbSmoother);

export const weekdayAdditive: Model = ({ y, dow0 }, h, memory) => {
  const offsets = weekdayOffsets(y, dow0);
  const z = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) z[t] = y[t]! - offsets[(dow0 + t) % 7]!;
  const { z: capped, ratio } = winsorize(z);
  const smoother = fit('weekday-additive', capped, SES_GRID, sesSmoother, memory);
  const out = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    out[j] = Math.max(0, ratio * smoother.forecast(j + 1) + offsets[(dow0 + y.length + j) % 7]!);
  }
  return out;
};

export const tsb: Model = ({ y }, h, memory) =>
  path(fit('tsb', y, TSB_GRID, tsbSmoother, memory), h, () => 1);
export const sba: Model = ({ y }, h, memory) =>
  path(fit('sba', y, SBA_GRID, sbaSmoother, memory), h, () => 1);

export const MODELS: Partial<Record<ModelName, Model>> = {
  'seasonal-naive': seasonalNaive,
  ses,
  'weekday-ses': weekdaySes,
  'weekday-additive': weekdayAdditive,
  'weekday-damped': weekdayDamped,
  tsb,
  'weekday-tsb': weekdayTsb,
  sba,
};
