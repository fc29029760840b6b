import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import {
  boundaryPositions,
  cropFeatures,
  cropFeaturesOf,
  fillFromBoundaries,
  rowFeatures,
  rowFeaturesOf,
} from './row-layers.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('row layers', () => {
  it('computes the same features in plain loops as the tensor definition (training uses the latter)', () => {
    const x = tf.randomUniform([3, 128, 32, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const data = x.dataSync() as Float32Array;
    expect(maxDiff(rowFeatures(x).dataSync(), rowFeaturesOf(data, 3, 128, 32))).toBeLessThan(1e-4);
    expect(maxDiff(cropFeatures(x).dataSync(), cropFeaturesOf(data, 3, 128, 32))).toBeLessThan(1e-4);
    x.dispose();
  });

  it('places each boundary at its row and reads the fill between base and shoulder', () => {
    // Sharp logit peaks: liquid surface at row 80, shoulder at row 40, base at row 120.
    const logits = new Float32Array(128 * 3).fill(-20);
    logits[80 * 3] = 20;
    logits[40 * 3 + 1] = 20;
    logits[120 * 3 + 2] = 20;
    const positions = boundaryPositions(tf.tensor4d(logits, [1, 128, 1, 3]));
    const [liquid, shoulder, base] = positions.dataSync();
    expect([liquid, shoulder, base]).toEqual([80.5, 40.5, 120.5]);
    expect(fillFromBoundaries(positions).dataSync()[0]).toBeCloseTo(0.5, 5);
  });

  it('reads a boundary seen in two places at the likelier one with the mode readout, between them with the mean', () => {
    // The surface map puts 70 % on row 30 and 30 % on row 100 (a faint clear spirit: meniscus vs base).
    const logits = new Float32Array(128 * 3).fill(-30);
    logits[30 * 3] = Math.log(0.7);
    logits[100 * 3] = Math.log(0.3);
    logits[20 * 3 + 1] = 20;
    logits[110 * 3 + 2] = 20;
    const rows = tf.tensor4d(logits, [1, 128, 1, 3]);
    const mean = boundaryPositions(rows).dataSync();
    const mode = boundaryPositions(rows, 3).dataSync();
    expect(mean[0]).toBeCloseTo(0.7 * 30.5 + 0.3 * 100.5, 3);
    expect(mode[0]).toBeCloseTo(30.5, 3);
    expect([mode[1], mode[2]]).toEqual([20.5, 110.5]);
  });

  it('reads the liquid surface only between the shoulder and the base when given a liquid range', () => {
    // The surface map's likeliest row (60 %) is 10 rows above the shoulder (a neck edge); the second (40 %) is
    // inside the body. Shoulder at row 40, base at row 120.
    const logits = new Float32Array(128 * 3).fill(-30);
    logits[30 * 3] = Math.log(0.6);
    logits[90 * 3] = Math.log(0.4);
    logits[40 * 3 + 1] = 20;
    logits[120 * 3 + 2] = 20;
    const rows = tf.tensor4d(logits, [1, 128, 1, 3]);
    expect(boundaryPositions(rows, 3).dataSync()[0]).toBeCloseTo(30.5, 3);
    const ranged = boundaryPositions(rows, 3, { above: 2, below: 1 }).dataSync();
    expect(Array.from(ranged)).toEqual([90.5, 40.5, 120.5]);
    // A full bottle: the surface 2 rows above the shoulder is still inside the range, 3 rows above is not.
    const full = new Float32Array(128 * 3).fill(-30);
    full[38 * 3] = Math.log(0.5);
    full[37 * 3] = Math.log(0.49);
    full[40 * 3 + 1] = 20;
    full[120 * 3 + 2] = 20;
    const fullAt = boundaryPositions(tf.tensor4d(full, [1, 128, 1, 3]), 0.5, {
      above: 2,
      below: 1,
    }).dataSync();
    expect(fullAt[0]).toBeCloseTo(38.5, 3);
    const outside = new Float32Array(full);
    outside[38 * 3] = -30;
    // Nothing left in range but near-zero weights: the likeliest row in range still gives a finite answer.
    const outsideAt = boundaryPositions(tf.tensor4d(outside, [1, 128, 1, 3]), 3, {
      above: 2,
      below: 1,
    }).dataSync();
    expect(Number.isFinite(outsideAt[0])).toBe(true);
    expect(outsideAt[0]).toBeGreaterThanOrEqual(38);
    expect(outsideAt[0]).toBeLessThanOrEqual(122);
  });
});
