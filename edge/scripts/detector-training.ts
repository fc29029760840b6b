/**
 * The two training stages of the built-in shelf detector (train-detector.ts drives them):
 *  1. the row head learns, per crop row, P(liquid here) and P(bottle body here) from row patches, with a
 *     second loss on the fill fraction they imply (Σ liquid / Σ body), the figure the gateway reports;
 *  2. the crop head learns presence and unreadable from crop features and the row maps.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../devices/src/camera/index.ts';
import { CROP_HEIGHT, ROW_PATCH, poolRowMaps } from '../src/detection/architecture.ts';
import {
  boundaryPositions,
  fillFromBoundaries,
  rowPatches,
  ROW_CHANNELS,
  ROW_CONTEXT,
  ROW_GROUPS,
} from '../src/detection/row-layers.ts';
import type { SlotRows } from './detector-dataset.ts';

export const ROW_FEATURE_SIZE = (CROP_HEIGHT + 2 * ROW_CONTEXT) * ROW_GROUPS * ROW_CHANNELS;

/** Every crop of the data set: its row features, crop features and truth. */
export interface CropSet {
  count: number;
  rowFeatures: Float32Array;
  present: Uint8Array;
  uncertain: Uint8Array;
  fill: Float32Array;
  rows: (SlotRows | null)[];
}

/** Spread (rows) of the soft target around each true boundary. */
const TARGET_SIGMA = 1;

/** Soft per-row targets [n, 3, H]: where the liquid surface, the shoulder and the base are. */
export function boundaryTargets(rows: readonly (SlotRows | null)[]): Float32Array {
  const out = new Float32Array(rows.length * 3 * CROP_HEIGHT);
  rows.forEach((s, i) => {
    if (!s) return;
    [s.liquidTop, s.bodyTop, s.bodyBottom].forEach((position, m) => {
      const at = Math.min(CROP_HEIGHT, Math.max(0, position));
      let total = 0;
      const base = (i * 3 + m) * CROP_HEIGHT;
      for (let r = 0; r < CROP_HEIGHT; r++) {
        const w = Math.exp(-((r + 0.5 - at) ** 2) / (2 * TARGET_SIGMA ** 2));
        out[base + r] = w;
        total += w;
      }
      for (let r = 0; r < CROP_HEIGHT; r++) out[base + r]! /= total;
    });
  });
  return out;
}

function gatherRows(set: CropSet, idx: readonly number[]): tf.Tensor4D {
  const buf = new Float32Array(idx.length * ROW_FEATURE_SIZE);
  idx.forEach((i, k) =>
    buf.set(set.rowFeatures.subarray(i * ROW_FEATURE_SIZE, (i + 1) * ROW_FEATURE_SIZE), k * ROW_FEATURE_SIZE),
  );
  return tf.tensor4d(buf, [idx.length, CROP_HEIGHT + 2 * ROW_CONTEXT, ROW_GROUPS, ROW_CHANNELS]);
}

/** Row logits [n, H, 1, 3] of the given crops, in batches. */
export function predictRowMaps(head: tf.Sequential, set: CropSet, idx: readonly number[]): Float32Array {
  const out = new Float32Array(idx.length * CROP_HEIGHT * 3);
  for (let b = 0; b < idx.length; b += 64) {
    const part = idx.slice(b, b + 64);
    const maps = tf.tidy(() => {
      const x = gatherRows(set, part);
      return head.apply(rowPatches(x)) as tf.Tensor;
    });
    out.set(maps.dataSync(), b * CROP_HEIGHT * 3);
    maps.dispose();
  }
  return out;
}

/**
 * Fill MAE of the row head on readable crops with a bottle, read with the softmax mean over all rows: the
 * readout its loss trains (the saved model reads the mode, READOUT_WINDOW; the card reports that end to end).
 */
export function rowFillMae(head: tf.Sequential, set: CropSet, idx: readonly number[]): number {
  const use = idx.filter((i) => set.present[i] && !set.uncertain[i]);
  const maps = predictRowMaps(head, set, use);
  const fills = tf.tidy(() =>
    fillFromBoundaries(boundaryPositions(tf.tensor4d(maps, [use.length, CROP_HEIGHT, 1, 3]))).dataSync(),
  );
  return use.reduce((sum, i, k) => sum + Math.abs(fills[k]! - set.fill[i]!), 0) / Math.max(1, use.length);
}

/** Steps of the row head's learning rate: the full rate, then a third, a tenth and a thirtieth of it. */
export const ROW_LR_STEPS = [
  { until: 0.5, divide: 1 },
  { until: 0.75, divide: 3 },
  { until: 0.9, divide: 10 },
  { until: 1, divide: 30 },
] as const;

/** Learning rate of row-head epoch `epoch` (1-based) of `epochs`. */
export function rowLrAt(epoch: number, epochs: number, lr: number): number {
  const step = ROW_LR_STEPS.find((s) => epoch <= epochs * s.until + 1e-9) ?? ROW_LR_STEPS.at(-1)!;
  return lr / step.divide;
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * One epoch of the row head on readable crops with a bottle. Loss: cross-entropy of each boundary's row
 * softmax against its soft target + fillWeight × |fill error| (the figure the gateway reports).
 */
export function trainRowEpoch(
  head: tf.Sequential,
  optimizer: tf.Optimizer,
  set: CropSet,
  trainIdx: readonly number[],
  rng: Rng,
  batch = 24,
  fillWeight = 10,
): number {
  const order = shuffle(
    trainIdx.filter((i) => set.present[i] && !set.uncertain[i]),
    rng,
  );
  let lossSum = 0;
  let batches = 0;
  for (let b = 0; b < order.length; b += batch) {
    const part = order.slice(b, b + batch);
    const n = part.length;
    const patches = tf.tidy(() => rowPatches(gatherRows(set, part)));
    const targets = tf.tensor3d(boundaryTargets(part.map((i) => set.rows[i]!)), [n, 3, CROP_HEIGHT]);
    const fill = tf.tensor1d(part.map((i) => set.fill[i]!));
    const loss = optimizer.minimize(() => {
      const logits = head.apply(patches, { training: true }) as tf.Tensor2D;
      const perRow = tf.transpose(logits.reshape([n, CROP_HEIGHT, 3]), [0, 2, 1]);
      const ce = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(perRow)), 2));
      const positions = boundaryPositions(logits.reshape([n, CROP_HEIGHT, 1, 3]));
      const fillError = tf.mean(tf.abs(tf.sub(fillFromBoundaries(positions), fill)));
      return tf.add(tf.mean(ce), tf.mul(fillError, fillWeight)) as tf.Scalar;
    }, true)!;
    lossSum += loss.dataSync()[0]!;
    batches++;
    tf.dispose([patches, targets, fill, loss]);
  }
  return lossSum / Math.max(1, batches);
}

/** Crop-head features of the given crops: crop features + pooled row maps. */
export function cropHeadInputs(
  cropFeatures: Float32Array,
  cropDim: number,
  rowMaps: Float32Array,
  count: number,
): Float32Array {
  const pooled = tf.tidy(() => poolRowMaps(tf.tensor4d(rowMaps, [count, CROP_HEIGHT, 1, 3])).dataSync());
  const bands = pooled.length / count;
  const out = new Float32Array(count * (cropDim + bands));
  for (let i = 0; i < count; i++) {
    out.set(cropFeatures.subarray(i * cropDim, (i + 1) * cropDim), i * (cropDim + bands));
    out.set(pooled.subarray(i * bands, (i + 1) * bands), i * (cropDim + bands) + cropDim);
  }
  return out;
}

export { ROW_PATCH };
