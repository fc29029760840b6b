import { describe, expect, it } from 'vitest';
import { COUNT_MAX } from '../drivers/scale-hx711/hx711.ts';
import { ScaleCalibration } from '../drivers/scale-hx711/calibration.ts';
import { controlLoadCell, SimulatedLoadCell } from './load-cell.ts';

const mean = (cell: SimulatedLoadCell, n = 400) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += cell.count().count;
  return sum / n;
};

describe('SimulatedLoadCell', () => {
  it('counts zero + countsPerGram × (load + creep), with Gaussian noise of the given σ', () => {
    const cell = new SimulatedLoadCell({ zeroCounts: 10_000, countsPerGram: 400, noiseCounts: 40, seed: 3 });
    expect(mean(cell)).toBeGreaterThan(10_000 - 10);
    expect(mean(cell)).toBeLessThan(10_000 + 10);
    cell.loadG = 500;
    expect(Math.abs(mean(cell) - 210_000)).toBeLessThan(10);
    cell.creepG = 3;
    expect(Math.abs(mean(cell) - 211_200)).toBeLessThan(10);
    const counts = Array.from({ length: 400 }, () => cell.count().count);
    const average = counts.reduce((a, b) => a + b, 0) / counts.length;
    const sd = Math.sqrt(counts.reduce((a, b) => a + (b - average) ** 2, 0) / counts.length);
    expect(sd).toBeGreaterThan(30);
    expect(sd).toBeLessThan(50);
  });

  it('saturates at the 24-bit limit like the HX711', () => {
    const cell = new SimulatedLoadCell({ noiseCounts: 0 });
    cell.loadG = 100_000;
    expect(cell.count()).toEqual({ count: COUNT_MAX, gain: 'A128', saturated: true });
  });

  it('gives what a two-weight calibration needs: the offset and factor come back out of its counts', () => {
    const cell = new SimulatedLoadCell({ zeroCounts: -5_000, countsPerGram: -380, noiseCounts: 0 });
    const calibration = new ScaleCalibration();
    calibration.tare(cell.count().count);
    cell.loadG = 500;
    expect(calibration.calibrate(cell.count().count, 500)).toEqual({ offset: -5_000, factor: -380 });
    cell.loadG = 1234;
    expect(calibration.grams(cell.count().count)).toBeCloseTo(1234, 6);
  });
});

describe('controlLoadCell', () => {
  it('takes load and creep lines and refuses anything else', () => {
    const cell = new SimulatedLoadCell();
    expect(controlLoadCell(cell, 'load 636.5')).toBe('ok load 636.5');
    expect(cell.loadG).toBe(636.5);
    expect(controlLoadCell(cell, ' creep -2 ')).toBe('ok creep -2');
    expect(cell.creepG).toBe(-2);
    expect(controlLoadCell(cell, 'load -1')).toMatch(/^error: load: grams must be 0 or more/);
    expect(controlLoadCell(cell, 'load')).toMatch(/^error: not a control line/);
    expect(controlLoadCell(cell, 'weigh 5')).toMatch(/^error: not a control line/);
    expect(controlLoadCell(cell, 'load 5 g')).toMatch(/^error: not a control line/);
    expect(cell.loadG).toBe(636.5);
  });
});
