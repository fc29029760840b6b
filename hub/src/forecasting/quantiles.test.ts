import { describe, expect, it } from 'vitest';
import { fitDispersion, logGamma, nbLogPmf, nbQuantiles, totalQuantiles } from './quantiles.ts';

describe('logGamma', () => {
  it('matches known values', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(1)).toBeCloseTo(0, 12);
  });
});

describe('nbLogPmf', () => {
  it('is the Poisson at φ = 0 and the geometric at φ = 1, μ = 1', () => {
    expect(nbLogPmf(2, 1, 0)).toBeCloseTo(Math.log(Math.exp(-1) / 2), 12);
    // r = 1, p = 1/2: P(k) = (1/2)^(k+1)
    expect(nbLogPmf(3, 1, 1)).toBeCloseTo(Math.log(1 / 16), 12);
  });
});

describe('nbQuantiles', () => {
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

describe('fitDispersion', () => {
  it('finds no overdispersion in equidispersed data and much in lumpy data', () => {
    const poissonish = Array.from({ length: 28 }, (_, i) => [2, 3, 4][i % 3]!);
    expect(
      fitDispersion(
        poissonish,
        poissonish.map(() => 3),
      ),
    ).toBe(0);
    const lumpy = Array.from({ length: 28 }, (_, i) => (i % 2 ? 10 : 0));
    expect(
      fitDispersion(
        lumpy,
        lumpy.map(() => 5),
      ),
    ).toBeGreaterThanOrEqual(0.7);
  });

  it('falls back with too few pairs', () => {
    expect(fitDispersion([1, 2], [1, 2], 0.4)).toBe(0.4);
  });
});

describe('totalQuantiles', () => {
  it('sums independent Poisson days into a Poisson total', () => {
    // Poisson(2): F(1) = 3e⁻² = 0.406006, F(2) = 5e⁻² = 0.676676 → P50 = 2; F(3) = 0.857123, F(4) = 0.947347 → P90 = 4
    const { mean, quantiles } = totalQuantiles([1, 1], 0, 0, [0.5, 0.9]);
    expect(mean).toBe(2);
    expect(quantiles).toEqual([2, 4]);
  });

  it('widens with correlated errors and stays below the sum of daily P90s', () => {
    const means = Array.from({ length: 14 }, () => 5);
    const dailyP90 = nbQuantiles(5, 0.2, [0.9])[0]!;
    const independent = totalQuantiles(means, 0.2, 0, [0.1, 0.9]).quantiles;
    const shared = totalQuantiles(means, 0.2, 0.5, [0.1, 0.9]).quantiles;
    expect(independent[1]!).toBeLessThan(14 * dailyP90);
    expect(shared[1]! - shared[0]!).toBeGreaterThan(independent[1]! - independent[0]!);
  });
});
