import { describe, expect, it } from 'vitest';
import {
  dayPhi,
  dayVariance,
  fitSpread,
  logGamma,
  nbCdf,
  nbLogPmf,
  nbQuantiles,
  totalQuantiles,
} from './quantiles.ts';
import { regularizedBeta, regularizedGammaQ } from './special-functions.ts';

const nb2 = (dispersion: number) => ({ dispersion, power: 2 as const });
const nb1 = (dispersion: number) => ({ dispersion, power: 1 as const });

describe('logGamma', () => {
  it('matches known values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(1)).toBeCloseTo(0, 12);
  });
});

describe('regularized incomplete beta and gamma', () => {
  it('match hand-computed values', () => {
    // I_½(2, 3) = Σ_{j=2..4} C(4, j)/16 = 11/16; I_x(1, 1) = x; I_x(a, 1) = x^a
    expect(regularizedBeta(0.5, 2, 3)).toBeCloseTo(11 / 16, 13);
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 13);
    expect(regularizedBeta(0.9, 7, 1)).toBeCloseTo(0.9 ** 7, 13);
    // Q(1, x) = e^−x; Q(3, 2) = e^−2 (1 + 2 + 2²/2) = 5e^−2
    expect(regularizedGammaQ(1, 0.7)).toBeCloseTo(Math.exp(-0.7), 13);
    expect(regularizedGammaQ(3, 2)).toBeCloseTo(5 * Math.exp(-2), 13);
    expect(regularizedGammaQ(3, 9)).toBeCloseTo(Math.exp(-9) * (1 + 9 + 40.5), 13);
  });

  it('give the negative binomial’s and the Poisson’s distribution function', () => {
    const summed = (k: number, mean: number, phi: number) => {
      let sum = 0;
      for (let j = 0; j <= k; j++) sum += Math.exp(nbLogPmf(j, mean, phi));
      return sum;
    };
    for (const [k, mean, phi] of [
      [250, 300, 0.1],
      [2, 1, 1],
      [480, 500, 0],
      [40, 12, 0.5],
    ] as const)
      expect(nbCdf(k, mean, phi)).toBeCloseTo(summed(k, mean, phi), 11);
  });
});

describe('nbLogPmf', () => {
  it('is the Poisson at φ = 0 and the geometric at φ = 1, μ = 1', () => {
    expect(nbLogPmf(2, 1, 0)).toBeCloseTo(Math.log(Math.exp(-1) / 2), 12);
    // r = 1, p = 1/2: P(k) = (1/2)^(k+1)
    expect(nbLogPmf(3, 1, 1)).toBeCloseTo(Math.log(1 / 16), 12);
    // past the small counts summed as logs, Γ takes over: P(20) = 2^−21
    expect(nbLogPmf(20, 1, 1)).toBeCloseTo(-21 * Math.LN2, 10);
    expect(nbLogPmf(2.5, 1, 1)).toBeLessThan(nbLogPmf(2, 1, 1));
  });
});

describe('nbQuantiles', () => {
  it('finds large quantiles (ml) by search, the same counts the walk from zero gives', () => {
    const walked = (mean: number, phi: number, levels: number[]) => {
      const out: number[] = [];
      let cdf = 0;
      for (let k = 0; out.length < levels.length; k++) {
        cdf += Math.exp(nbLogPmf(k, mean, phi));
        while (out.length < levels.length && cdf >= levels[out.length]!) out.push(k);
      }
      return out;
    };
    const levels = [0.05, 0.1, 0.5, 0.9, 0.95];
    // A keg line's 20 L a day (NB2), a busy wine's 6 L (Poisson), a spirit's 7 L with NB1's lumps of 45 ml.
    for (const [mean, phi] of [
      [20_000, 0.05],
      [6_000, 0],
      [7_000, 45 / 7_000],
    ] as const)
      expect(nbQuantiles(mean, phi, levels)).toEqual(walked(mean, phi, levels));
  });

  it('Poisson(1)', () => {
    // F(0) = e⁻¹ = 0.367879, F(1) = 0.735759, F(2) = 0.919699 → P10 = 0, P50 = 1, P90 = 2
    expect(nbQuantiles(1, 0, [0.1, 0.5, 0.9])).toEqual([0, 1, 2]);
  });

  it('geometric (μ = 1, φ = 1)', () => {
    // P(k) = 2^−(k+1): F(0) = 0.5 ≥ 0.5 → P50 = 0; F(2) = 0.875 < 0.9 ≤ F(3) = 0.9375 → P90 = 3
    expect(nbQuantiles(1, 1, [0.1, 0.5, 0.9])).toEqual([0, 0, 3]);
  });

  it('is zero for a zero mean and handles large means without underflow', () => {
    expect(nbQuantiles(0, 0.5, [0.1, 0.9])).toEqual([0, 0]);
    const [p10, p50, p90] = nbQuantiles(2000, 0, [0.1, 0.5, 0.9]);
    // normal approximation: 2000 ± 1.2816·√2000 = 2000 ± 57.3
    expect(p50).toBeCloseTo(2000, -1);
    expect(p10).toBeGreaterThan(1935);
    expect(p90).toBeLessThan(2065);
  });
});

describe('dayPhi and dayVariance', () => {
  it('keep NB2 unitless and make NB1 a fixed multiple of the mean', () => {
    expect(dayPhi(4, nb2(0.5))).toBe(0.5);
    expect(dayVariance(4, nb2(0.5))).toBe(12); // 4 + 0.5·16
    expect(dayVariance(1, nb2(0.5))).toBe(1.5);
    expect(dayPhi(4, nb1(2))).toBe(0.5);
    expect(dayVariance(4, nb1(2))).toBe(12); // 4·(1 + 2)
    expect(dayVariance(1, nb1(2))).toBe(3);
  });
});

describe('fitSpread', () => {
  // 56 backtest pairs: days forecast at 1 and at 10, with the spread of the actuals given per block.
  const pairs = (low: number[], high: number[]) => {
    const actual: number[] = [];
    const mean: number[] = [];
    for (let week = 0; week < 7; week++) {
      actual.push(...low, ...high);
      mean.push(...low.map(() => 1), ...high.map(() => 10));
    }
    return { actual, mean };
  };

  it('finds no overdispersion in equidispersed data and much in lumpy data', () => {
    const poissonish = Array.from({ length: 28 }, (_, i) => [2, 3, 4][i % 3]!);
    expect(
      fitSpread(
        poissonish,
        poissonish.map(() => 3),
        nb2(0.5),
      ).dispersion,
    ).toBe(0);
    const lumpy = Array.from({ length: 28 }, (_, i) => (i % 2 ? 10 : 0));
    const spread = fitSpread(
      lumpy,
      lumpy.map(() => 5),
      nb2(0.5),
    );
    expect(dayVariance(5, spread)).toBeGreaterThan(15);
  });

  it('chooses NB1 when the variance grows with the mean', () => {
    // variance 2 at mean 1 ({0, 0, 3, 1}) and 22 at mean 10 ({4, 10, 16, 10}): about 2.1 × the mean
    const { actual, mean } = pairs([0, 0, 3, 1], [4, 10, 16, 10]);
    expect(fitSpread(actual, mean, nb2(0.5)).power).toBe(1);
  });

  it('chooses NB2 when it grows with the square of the mean', () => {
    // variance 1.5 at mean 1 ({0, 0, 1, 3}) and 50 at mean 10 ({2, 4, 16, 18}): 1 + 0.5·1 and 10 + 0.4·100
    const { actual, mean } = pairs([0, 0, 1, 3], [2, 4, 16, 18]);
    expect(fitSpread(actual, mean, nb1(1))).toMatchObject({ power: 2 });
  });

  it('falls back with too few pairs', () => {
    expect(fitSpread([1, 2], [1, 2], nb2(0.4))).toEqual(nb2(0.4));
  });
});

describe('totalQuantiles', () => {
  it('sums independent Poisson days into a Poisson total', () => {
    // Poisson(2): F(1) = 3e⁻² = 0.406006, F(2) = 5e⁻² = 0.676676 → P50 = 2; F(3) = 0.857123, F(4) = 0.947347 → P90 = 4
    const { mean, quantiles } = totalQuantiles([1, 1], nb2(0), 0, [0.5, 0.9]);
    expect(mean).toBe(2);
    expect(quantiles).toEqual([2, 4]);
  });

  it('widens with correlated errors and stays below the sum of daily P90s', () => {
    const means = Array.from({ length: 14 }, () => 5);
    const dailyP90 = nbQuantiles(5, 0.2, [0.9])[0]!;
    const independent = totalQuantiles(means, nb2(0.2), 0, [0.1, 0.9]).quantiles;
    const shared = totalQuantiles(means, nb2(0.2), 0.5, [0.1, 0.9]).quantiles;
    expect(independent[1]!).toBeLessThan(14 * dailyP90);
    expect(shared[1]! - shared[0]!).toBeGreaterThan(independent[1]! - independent[0]!);
  });

  it('sums independent NB1 days exactly: the convolution of the daily distributions', () => {
    // NB1 days with one dispersion share p = 1/(1 + δ), so their sum is NB1 too; checked against the
    // convolution of the two daily probability mass functions.
    const days = [2, 3];
    const spread = nb1(1);
    const pmf = (mean: number) =>
      Array.from({ length: 80 }, (_, k) => Math.exp(nbLogPmf(k, mean, dayPhi(mean, spread))));
    const [a, b] = days.map(pmf) as [number[], number[]];
    const total = Array.from({ length: 80 }, (_, k) =>
      a.slice(0, k + 1).reduce((s, p, i) => s + p * b[k - i]!, 0),
    );
    const quantile = (level: number) => {
      let cdf = 0;
      return total.findIndex((p) => (cdf += p) >= level);
    };
    const { mean, quantiles } = totalQuantiles(days, spread, 0, [0.1, 0.5, 0.9]);
    expect(mean).toBe(5);
    expect(quantiles).toEqual([quantile(0.1), quantile(0.5), quantile(0.9)]);
  });
});
