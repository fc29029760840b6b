/**
 * Exponential smoothers on a daily series where NaN marks a missing day (skipped, not zero).
 * Each smoother is fitted by a small grid search on its multi-step in-sample error, since the
 * forecasts it serves look 1-14 days ahead, not one.
 */
export interface Smoother {
  /** Feeds one day; NaN leaves the state as it is. */
  update(value: number): void;
  /** Forecast `steps` days after the last update (1 = tomorrow). */
  forecast(steps: number): number;
  /** True when the forecast is the same for every step (lets the fit score windows in O(1)). */
  flat?: boolean;
}

export type SmootherFactory<P> = (params: P, initial: number) => Smoother;

export interface FitOptions {
  /** Days at the end of the series whose forecasts are scored. Default 182. */
  evalDays?: number;
  /** Forecast steps scored from each day. Default 14. */
  steps?: number;
}

/** Mean of the first (up to) 14 observed values: the smoothers' starting level. */
export function initialLevel(z: Float64Array): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < z.length && n < 14; t++) if (!Number.isNaN(z[t]!)) ((sum += z[t]!), n++);
  return n ? sum / n : 0;
}

/** Runs every parameter set over `z`, scores its 1..steps-ahead squared errors, returns the best run. */
export function fitSmoother<P>(
  z: Float64Array,
  grid: readonly P[],
  factory: SmootherFactory<P>,
  options: FitOptions = {},
): { params: P; smoother: Smoother } {
  if (grid.length === 1) {
    // A fixed parameter set (e.g. reused from the full-history fit): just run it.
    const smoother = factory(grid[0]!, initialLevel(z));
    for (let t = 0; t < z.length; t++) smoother.update(z[t]!);
    return { params: grid[0]!, smoother };
  }
  const steps = options.steps ?? 14;
  const evalStart = Math.max(1, z.length - (options.evalDays ?? 182));
  const initial = initialLevel(z);
  // Prefix sums of count, z and z² over observed days: Σ_j (z_j − f)² = S2 − 2f·S1 + f²·N.
  const n = z.length;
  const c0 = new Float64Array(n + 1);
  const c1 = new Float64Array(n + 1);
  const c2 = new Float64Array(n + 1);
  for (let t = 0; t < n; t++) {
    const v = z[t]!;
    const seen = Number.isNaN(v) ? 0 : 1;
    c0[t + 1] = c0[t]! + seen;
    c1[t + 1] = c1[t]! + (seen ? v : 0);
    c2[t + 1] = c2[t]! + (seen ? v * v : 0);
  }
  let best: { params: P; smoother: Smoother; sse: number } | undefined;
  for (const params of grid) {
    const smoother = factory(params, initial);
    let sse = 0;
    for (let t = 0; t < n; t++) {
      if (t >= evalStart) {
        const end = Math.min(n, t + steps);
        if (smoother.flat) {
          const f = smoother.forecast(1);
          sse += c2[end]! - c2[t]! - 2 * f * (c1[end]! - c1[t]!) + f * f * (c0[end]! - c0[t]!);
        } else {
          for (let j = t; j < end; j++) {
            const v = z[j]!;
            if (!Number.isNaN(v)) sse += (v - smoother.forecast(j - t + 1)) ** 2;
          }
        }
      }
      smoother.update(z[t]!);
    }
    if (!best || sse < best.sse) best = { params, smoother, sse };
  }
  return best!;
}

export const SES_GRID = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5].map((alpha) => ({ alpha }));

/** Simple exponential smoothing: a flat forecast at the smoothed level. */
export function sesSmoother({ alpha }: { alpha: number }, initial: number): Smoother {
  let level = initial;
  return {
    update(value) {
      if (!Number.isNaN(value)) level += alpha * (value - level);
    },
    forecast: () => level,
    flat: true,
  };
}

export const DAMPED_GRID = [0.05, 0.1, 0.2].flatMap((alpha) =>
  [0.01, 0.05].map((beta) => ({ alpha, beta, phi: 0.9 })),
);

const dampCache = new Map<number, Float64Array>();
/** φ + φ² + … + φʰ for h = 0 … 400 (beyond that the sum has converged for φ < 1). */
function dampSums(phi: number): Float64Array {
  let sums = dampCache.get(phi);
  if (!sums) {
    sums = new Float64Array(401);
    for (let h = 1; h <= 400; h++) sums[h] = sums[h - 1]! + phi ** h;
    dampCache.set(phi, sums);
  }
  return sums;
}

/** Holt's linear method with a damped trend (Gardner & McKenzie): ŷ(h) = l + (φ + … + φʰ)·b. */
export function dampedSmoother(
  { alpha, beta, phi }: { alpha: number; beta: number; phi: number },
  initial: number,
): Smoother {
  let level = initial;
  let trend = 0;
  const damp = dampSums(phi);
  return {
    update(value) {
      if (Number.isNaN(value)) return;
      const previous = level;
      level = alpha * value + (1 - alpha) * (level + phi * trend);
      trend = beta * (level - previous) + (1 - beta) * phi * trend;
    },
    forecast: (steps) => Math.max(0, level + damp[Math.min(steps, damp.length - 1)]! * trend),
  };
}

export const TSB_GRID = [0.05, 0.1, 0.2].flatMap((alpha) =>
  [0.02, 0.05, 0.15].map((beta) => ({ alpha, beta })),
);

/**
 * Teunter-Syntetos-Babai: demand size z smoothed on demand days, demand probability p smoothed
 * every day, so an item that stops selling decays towards zero. Forecast p·z.
 */
export function tsbSmoother({ alpha, beta }: { alpha: number; beta: number }, initial: number): Smoother {
  let size = initial > 0 ? initial : 1;
  let probability = 0.5;
  return {
    update(value) {
      if (Number.isNaN(value)) return;
      const occurred = value > 0 ? 1 : 0;
      probability += beta * (occurred - probability);
      if (occurred) size += alpha * (value - size);
    },
    forecast: () => probability * size,
    flat: true,
  };
}

export const SBA_GRID = [0.05, 0.1, 0.2, 0.3].map((alpha) => ({ alpha }));

/** Croston's method with the Syntetos-Boylan bias correction: (1 − α/2)·size / interval. */
export function sbaSmoother({ alpha }: { alpha: number }, initial: number): Smoother {
  let size = initial > 0 ? initial : 1;
  let interval = 2;
  let sinceLast = 1;
  return {
    update(value) {
      if (Number.isNaN(value)) return;
      if (value > 0) {
        size += alpha * (value - size);
        interval += alpha * (sinceLast - interval);
        sinceLast = 1;
      } else sinceLast++;
    },
    forecast: () => ((1 - alpha / 2) * size) / Math.max(1, interval),
    flat: true,
  };
}
