import { describe, expect, it } from 'vitest';
import { CalibrationError, countsToGrams, ScaleCalibration } from './calibration.ts';

describe('countsToGrams', () => {
  it('subtracts the offset and divides by counts per gram', () => {
    expect(countsToGrams(84_500, { offset: 8_500, factor: 76 })).toBe(1000);
    expect(countsToGrams(8_500, { offset: 8_500, factor: 76 })).toBe(0);
  });
});

describe('ScaleCalibration', () => {
  it('reads nothing until tared and calibrated', () => {
    const calibration = new ScaleCalibration();
    expect(calibration.grams(1234)).toBeUndefined();
    calibration.tare(-12_000);
    expect(calibration.grams(1234)).toBeUndefined();
  });

  it('tare then a known weight gives the factor; a later tare keeps the factor', () => {
    const calibration = new ScaleCalibration();
    calibration.tare(-12_000);
    // A 750 ml bottle weighing 1200 g reads 1200 × 420 counts above the empty platform.
    expect(calibration.calibrate(-12_000 + 504_000, 1200)).toEqual({ offset: -12_000, factor: 420 });
    expect(calibration.grams(-12_000 + 42_000)).toBe(100);
    calibration.tare(-11_580); // drift: re-zero
    expect(calibration.grams(-11_580 + 42_000)).toBe(100);
    expect(calibration.current()).toEqual({ offset: -11_580, factor: 420 });
  });

  it('accepts a reversed load cell (negative factor)', () => {
    const calibration = new ScaleCalibration();
    calibration.tare(0);
    expect(calibration.calibrate(-50_000, 500).factor).toBe(-100);
    expect(calibration.grams(-10_000)).toBe(100);
  });

  it('refuses to calibrate without a tare or without a weight on the platform', () => {
    expect(() => new ScaleCalibration().calibrate(5000, 100)).toThrow(/tare the empty platform/);
    const calibration = new ScaleCalibration();
    calibration.tare(1000);
    expect(() => calibration.calibrate(1050, 500)).toThrow(CalibrationError);
  });

  it('applies a calibration pushed in the config, and refuses a zero factor', () => {
    const calibration = new ScaleCalibration({ offset: 100, factor: 2 });
    expect(calibration.grams(300)).toBe(100);
    expect(() => calibration.apply({ offset: 0, factor: 0 })).toThrow(/factor/);
  });
});
