import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assembleShelfDetector,
  buildShelfDetectorHeads,
  featureHeadsOf,
  LIQUID_RANGE,
  READOUT_WINDOW,
} from './architecture.ts';
import { selectBackend } from './backend.ts';
import { fileSystemModelHandler } from './model-files.ts';
import {
  CROP_FEATURE_SIZE,
  cropFeaturesOf,
  rowFeaturesOf,
  ROW_CHANNELS,
  ROW_CONTEXT,
  ROW_GROUPS,
  slotFeatureBuffers,
  slotFeaturesInto,
  SlotStateLayer,
} from './row-layers.ts';
import { DEFAULT_MODEL_DIR, loadShelfModel } from './shelf-model.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

function randomCrops(n: number, seed: number): Float32Array {
  const x = tf.randomUniform([n, 128, 32, 3], 0, 1, 'float32', seed);
  const data = x.dataSync() as Float32Array;
  x.dispose();
  return data;
}

describe("the built-in detector's fast path", () => {
  it('computes row and crop features in one pass, reusing its buffers, exactly as the two layers do', () => {
    const buffers = slotFeatureBuffers(4, 128, 32);
    for (const seed of [1, 2]) {
      const crops = randomCrops(4, seed);
      slotFeaturesInto(crops, 4, 128, 32, buffers);
      expect(buffers.rows).toEqual(rowFeaturesOf(crops, 4, 128, 32));
      expect(buffers.crops).toEqual(cropFeaturesOf(crops, 4, 128, 32));
    }
  });

  it("gives the saved model's own outputs from features (same trained layers, rewired)", () => {
    const model = assembleShelfDetector(buildShelfDetectorHeads(3));
    const heads = featureHeadsOf(model)!;
    expect(heads).not.toBeNull();
    const crops = randomCrops(5, 9);
    const buffers = slotFeatureBuffers(5, 128, 32);
    slotFeaturesInto(crops, 5, 128, 32, buffers);
    const [whole, fast] = tf.tidy(() => [
      (model.predict(tf.tensor4d(crops, [5, 128, 32, 3])) as tf.Tensor).dataSync(),
      (
        heads.predict([
          tf.tensor4d(buffers.rows, [5, 128 + 2 * ROW_CONTEXT, ROW_GROUPS, ROW_CHANNELS]),
          tf.tensor2d(buffers.crops, [5, CROP_FEATURE_SIZE]),
        ]) as tf.Tensor
      ).dataSync(),
    ]);
    expect(Array.from(fast!)).toEqual(Array.from(whole!));
    model.dispose();
  });

  it('saves and loads its readout window and liquid range with the model (an older model.json without them reads the mean, anywhere)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pourcast-readout-'));
    try {
      const model = assembleShelfDetector(buildShelfDetectorHeads(5));
      await model.save(fileSystemModelHandler(dir));
      model.dispose();
      const loaded = await tf.loadLayersModel(fileSystemModelHandler(dir));
      const state = loaded.getLayer('slot_state') as SlotStateLayer;
      expect(state.window).toBe(READOUT_WINDOW);
      expect(state.liquid).toEqual(LIQUID_RANGE);
      loaded.dispose();
      expect(new SlotStateLayer({ name: 'old' }).window).toBe(0);
      expect(new SlotStateLayer({ name: 'old' }).liquid).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is not taken for a model of another architecture', () => {
    const input = tf.input({ shape: [128, 32, 3] });
    const out = tf.layers
      .dense({ units: 3 })
      .apply(tf.layers.flatten().apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const other = tf.model({ inputs: input, outputs: out });
    expect(featureHeadsOf(other)).toBeNull();
    other.dispose();
  });

  it('makes the committed model predict what its saved graph predicts, frame after frame', async () => {
    const shelf = await loadShelfModel(DEFAULT_MODEL_DIR);
    const saved = await tf.loadLayersModel(fileSystemModelHandler(DEFAULT_MODEL_DIR));
    const crops = randomCrops(6, 4);
    const first = await shelf.predict(crops, 6);
    const whole = tf.tidy(() => (saved.predict(tf.tensor4d(crops, [6, 128, 32, 3])) as tf.Tensor).dataSync());
    first.forEach((p, i) => {
      expect(p.presence).toBe(whole[i * 3]);
      expect(p.fillFraction).toBe(Math.min(1, Math.max(0, whole[i * 3 + 1]!)));
      expect(p.uncertain).toBe(whole[i * 3 + 2]);
    });
    expect(await shelf.predict(crops, 6)).toEqual(first);
    const tensorsBefore = tf.memory().numTensors;
    await shelf.predict(randomCrops(3, 5), 3);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    saved.dispose();
    shelf.dispose();
  });
});
