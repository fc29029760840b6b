import { describe, expect, it } from 'vitest';
import { bias, mase, naiveScale, pinball, rmsse, scaledPinball, tailShares, wape } from './metrics.ts';
import { AccuracyTotals } from './accuracy-totals.ts';

// Training series used below: the scales start at the first sale (index 1), so they see [2, 4, 2, 0, 1].
const train = [0, 2, 4, 2, 0, 1];

describe('scales', () => {
  it('squares one-step differences from the first sale', () => {
    // differences 2, −2, −2, 1 → squares 4, 4, 4, 1 → mean 13/4
    expect(naiveScale(train, 1, 2)).toBeCloseTo(3.25, 12);
    // |differences| 2, 2, 2, 1 → mean 7/4
    expect(naiveScale(train, 1, 1)).toBeCloseTo(1.75, 12);
  });

  it('skips differences that touch a missing day', () => {
    // pairs (2,4) → 2, (4,null) and (null,4) skipped → only 2² = 4
    expect(naiveScale([null, 2, 4, null, 4], 1, 2)).toBe(4);
  });
});

describe('point accuracy', () => {
  it('RMSSE', () => {
    // errors 1 and 2 → MSE 5/2; scale 13/4 → sqrt(2.5 / 3.25) = sqrt(10/13)
    expect(rmsse(train, [2, 3], [1, 1])).toBeCloseTo(Math.sqrt(10 / 13), 12);
    expect(rmsse(train, [2, 3], [2, 3])).toBe(0);
  });

  it('RMSSE ignores missing actual days', () => {
    // only the second day counts: error 2 → MSE 4; 4 / 3.25
    expect(rmsse(train, [null, 3], [1, 1])).toBeCloseTo(Math.sqrt(4 / 3.25), 12);
  });

  it('MASE against a seasonal naive', () => {
    // lag-2 differences of [2, 4, 2, 0, 1]: 0, −4, −1 → mean |·| 5/3; MAE (1 + 2)/2 = 1.5 → 0.9
    expect(mase(train, [2, 3], [1, 1], 2)).toBeCloseTo(0.9, 12);
    // lag 7: [1..7] vs [2,2,3,4,5,6,9] → |1,0,0,0,0,0,2| mean 3/7; MAE 1 → 7/3
    const weekly = [1, 2, 3, 4, 5, 6, 7, 2, 2, 3, 4, 5, 6, 9];
    expect(mase(weekly, [3], [2])).toBeCloseTo(7 / 3, 12);
  });

  it('WAPE and bias pool over days', () => {
    // |e| = 1, 1, 0 over Σy = 10; signed errors cancel
    expect(wape([2, 3, 5], [1, 4, 5])).toBeCloseTo(0.2, 12);
    expect(bias([2, 3, 5], [1, 4, 5])).toBe(0);
    // every day one too high: +3 / 10
    expect(bias([2, 3, 5], [3, 4, 6])).toBeCloseTo(0.3, 12);
  });
});

describe('quantile accuracy', () => {
  it('pinball loss', () => {
    // τ = 0.9: y=2 ≥ q=1 → 0.9·1; y=3 < q=4 → 0.1·1 → mean 0.5
    expect(pinball([2, 3], [1, 4], 0.9)).toBeCloseTo(0.5, 12);
    // τ = 0.1 mirrors it: 0.1·1 and 0.9·1 → mean 0.5
    expect(pinball([2, 3], [1, 4], 0.1)).toBeCloseTo(0.5, 12);
    expect(pinball([2, 3], [4, 4], 0.9)).toBeCloseTo(0.15, 12); // (0.1·2 + 0.1·1)/2
  });

  it('M5 scaled pinball averaged over P10/P50/P90', () => {
    // P10 [1,1]: 0.1·1, 0.1·2 → 0.15; P50 [2,2]: 0, 0.5·1 → 0.25; P90 [3,4]: 0.1·1, 0.1·1 → 0.1
    // scale 7/4 → (0.15 + 0.25 + 0.1) / 1.75 / 3 = 2/21
    const spl = scaledPinball(
      train,
      [2, 3],
      [
        { level: 0.1, values: [1, 1] },
        { level: 0.5, values: [2, 2] },
        { level: 0.9, values: [3, 4] },
      ],
    );
    expect(spl).toBeCloseTo(2 / 21, 12);
  });

  it('tail shares count strictly outside the band', () => {
    // 0 < 1 below, 7 > 6 above; 1 and 6 on the bounds count for neither
    expect(tailShares([0, 1, 6, 7], [1, 1, 1, 1], [6, 6, 6, 6])).toEqual({ belowP10: 0.25, aboveP90: 0.25 });
  });
});

describe('AccuracyTotals', () => {
  it('averages per-forecast scores and pools WAPE', () => {
    const totals = new AccuracyTotals();
    totals.add(train, [2, 3], { mean: [1, 1], p10: [1, 1], p50: [2, 2], p90: [3, 4] });
    totals.add(train, [2, 3], { mean: [2, 3], p10: [0, 0], p50: [2, 3], p90: [2, 2] });
    const s = totals.summary();
    expect(s.forecasts).toBe(2);
    expect(s.rmsse).toBeCloseTo(Math.sqrt(10 / 13) / 2, 12);
    // |e| 1 + 2 + 0 + 0 over Σy 10
    expect(s.wape).toBeCloseTo(0.3, 12);
    expect(s.bias).toBeCloseTo(-0.3, 12);
    // above P90: none in the first, y=3 > 2 in the second → 1 of 4 days
    expect(s.aboveP90).toBeCloseTo(0.25, 12);
    expect(s.belowP10).toBe(0);
  });

  it('leaves out a series whose training scale is zero', () => {
    const totals = new AccuracyTotals();
    totals.add([0, 0, 0], [1, 1], { mean: [1, 1] });
    expect(totals.summary().forecasts).toBe(0);
  });
});
