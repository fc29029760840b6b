import { describe, expect, it } from 'vitest';
import { getScaleDefinition } from '../definitions/registry.ts';
import { createPrng } from './prng.ts';
import { PlatformModel, bottleGrams, sealedBottle, type SimItem } from './scale-physics.ts';

const gin: SimItem = {
  id: 'gin-700',
  name: 'Gin 70cl',
  containerMl: 700,
  emptyWeightG: 520,
  densityGPerMl: 0.95,
  barcodes: ['5000000000017'],
};
const traits = getScaleDefinition('pourcast-scale-hx711').scale;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const levelFor = (grams: number) => Math.round((grams - gin.emptyWeightG) / gin.densityGPerMl);

describe('scale physics', () => {
  it('weighs a bottle as glass plus liquid', () => {
    expect(bottleGrams({ item: gin, levelMl: 0 })).toBe(520);
    expect(bottleGrams({ item: gin, levelMl: 700 })).toBeCloseTo(1185, 9);
    expect(bottleGrams({ item: gin, levelMl: 333 })).toBeCloseTo(520 + 316.35, 9);
  });

  it('reads the level back exactly through 0.2 g noise, in 0.1 g steps', () => {
    const platform = new PlatformModel(traits, createPrng(7));
    for (const levelMl of [0, 1, 25, 333, 699, 700]) {
      platform.place({ item: gin, levelMl });
      const readings = Array.from({ length: 5 }, () => platform.read());
      for (const g of readings) expect(Math.abs(Math.round(g * 10) - g * 10)).toBeLessThan(1e-9);
      expect(levelFor(median(readings))).toBe(levelMl);
    }
  });

  it('has noise of the configured σ', () => {
    const platform = new PlatformModel(traits, createPrng(3), 2);
    platform.place(sealedBottle(gin));
    const readings = Array.from({ length: 4000 }, () => platform.read() - 1185);
    const mean = readings.reduce((a, b) => a + b, 0) / readings.length;
    const sd = Math.sqrt(readings.reduce((a, b) => a + (b - mean) ** 2, 0) / readings.length);
    expect(Math.abs(mean)).toBeLessThan(0.15);
    expect(sd).toBeGreaterThan(1.85);
    expect(sd).toBeLessThan(2.15);
  });

  it('wobbles after a lift and a put-back, never settling on a wrong weight', () => {
    const platform = new PlatformModel(traits, createPrng(11));
    platform.place({ item: gin, levelMl: 500 });
    const before = Array.from({ length: 5 }, () => platform.read());
    platform.lift();
    expect(platform.transientLeft).toBe(2);
    const lifted = Array.from({ length: 10 }, () => platform.read());
    platform.pour(30);
    platform.putBack();
    expect(platform.transientLeft).toBe(4);
    const after = Array.from({ length: 10 }, () => platform.read());
    const stream = [...before, ...lifted, ...after];
    const plateaus = new Set<number>();
    for (let i = 5; i <= stream.length; i++) {
      const window = stream.slice(i - 5, i);
      const m = median(window);
      if (window.every((g) => Math.abs(g - m) <= 2)) plateaus.add(m < 50 ? -1 : levelFor(m));
    }
    expect([...plateaus]).toEqual([500, -1, 470]);
  });

  it('swaps an empty bottle for a sealed one, and tares', () => {
    const platform = new PlatformModel(traits, createPrng(5), 0);
    platform.place({ item: gin, levelMl: 12 });
    platform.lift();
    platform.pour(12);
    platform.replaceWithNewBottle();
    expect(platform.bottle?.levelMl).toBe(700);
    for (let i = 0; i < 4; i++) platform.read();
    expect(platform.read()).toBe(1185);
    platform.tare();
    expect(platform.read()).toBe(0);
  });

  it('refuses gestures that cannot happen', () => {
    const platform = new PlatformModel(traits, createPrng(1));
    expect(() => platform.lift()).toThrow(/no bottle/);
    platform.place({ item: gin, levelMl: 20 });
    expect(() => platform.pour(5)).toThrow(/lift the bottle/);
    platform.lift();
    expect(() => platform.pour(25)).toThrow(/cannot pour 25 ml from 20 ml/);
    expect(() => platform.pour(2.5)).toThrow(/positive integer/);
  });
});
