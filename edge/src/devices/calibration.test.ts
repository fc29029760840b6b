import { describe, expect, it } from 'vitest';
import { AppError } from '../display/app-error.ts';
import { linearityErrorPercent, rawCount, spanFactor } from './calibration.ts';

describe('raw counts from a scale answer', () => {
  it('takes `raw` as it is', () => {
    expect(rawCount({ raw: -81_234 })).toBe(-81_234);
    expect(rawCount({ raw: 5000, calibration: { offset: 1, factor: 2 } }, 100)).toBe(5000);
  });

  it("recovers the count from the HX711 driver's calibration answers", () => {
    // tare → { calibration: { offset } } (or the previous factor too): the count is the offset.
    expect(rawCount({ calibration: { offset: 84_000 } })).toBe(84_000);
    expect(rawCount({ calibration: { offset: 84_000, factor: 300 } })).toBe(84_000);
    // calibrate(knownGrams) → { calibration: { offset, factor = (count − offset) / knownGrams } }.
    expect(rawCount({ calibration: { offset: 84_000, factor: 420 } }, 500)).toBe(84_000 + 210_000);
  });

  it('refuses an answer without a reading, naming the path', () => {
    expect(() => rawCount({ tareG: [0] })).toThrow(AppError);
    const error = (() => {
      try {
        rawCount({ raw: 'lots' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toContain('raw: Invalid input: expected number, received string');
  });
});

describe('offset, factor and linearity', () => {
  it('computes the factor from the span, negative for reversed signal wires', () => {
    expect(spanFactor(10_000, 10_000 + 420 * 500, 500)).toBe(420);
    expect(spanFactor(10_000, 10_000 - 420 * 500, 500)).toBe(-420);
  });

  it('refuses a span under 100 counts', () => {
    expect(() => spanFactor(10_000, 10_099, 500)).toThrow(/moved only 99 counts/);
  });

  it('measures the second weight against the line through tare and span', () => {
    expect(linearityErrorPercent(10_000, 420, 10_000 + 420 * 1000, 1000)).toBe(0);
    expect(linearityErrorPercent(10_000, 420, 10_000 + 420 * 1010, 1000)).toBeCloseTo(1, 10);
    expect(linearityErrorPercent(10_000, -420, 10_000 - 420 * 990, 1000)).toBeCloseTo(1, 10);
  });
});
