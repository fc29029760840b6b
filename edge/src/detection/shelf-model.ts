import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileSystemModelHandler, isGraphModelDir } from './model-files.ts';
import { edgePackageFolder } from '../package-paths.ts';
import { featureHeadsOf } from './architecture.ts';
// Registers the built-in detector's weightless layers, so its model.json deserialises.
import {
  CROP_FEATURE_SIZE,
  ROW_CHANNELS,
  ROW_CONTEXT,
  ROW_GROUPS,
  slotFeatureBuffers,
  slotFeaturesInto,
  type SlotFeatureBuffers,
} from './row-layers.ts';

/** The committed built-in detector (edge/models/shelf-detector). */
export const DEFAULT_MODEL_DIR = edgePackageFolder(import.meta.url, 'models/shelf-detector', 'model.json');

/** One slot's reading from one frame. */
export interface SlotPrediction {
  /** P(a bottle stands in the slot). */
  presence: number;
  /** Liquid height as a share of the bottle body, 0-1. */
  fillFraction: number;
  /** P(the slot is hidden or unreadable in this frame). */
  uncertain: number;
}

export interface ShelfModel {
  readonly kind: 'layers' | 'graph';
  readonly dir: string;
  /** Crop size the model wants (from its input shape). */
  readonly inputHeight: number;
  readonly inputWidth: number;
  /** Mean fill error measured on held-out frames when the model was trained (model.json metadata), if known. */
  readonly fillMae?: number;
  /** Runs a batch of NHWC crops (floats in [0, 1]). */
  predict(crops: Float32Array, count: number): Promise<SlotPrediction[]>;
  dispose(): void;
}

/**
 * Loads a TF.js model directory from disk: a layers model or a graph model, whichever model.json holds.
 * Contract for a bring-your-own model: input [batch, H, W, 3] float RGB in [0, 1] (H and W are read from
 * the model), output either one [batch, 3] tensor or three [batch, 1] tensors: presence, fill, uncertain.
 */
export async function loadShelfModel(dir: string = DEFAULT_MODEL_DIR): Promise<ShelfModel> {
  const handler = fileSystemModelHandler(dir);
  const graph = await isGraphModelDir(dir);
  const model: tf.LayersModel | tf.GraphModel = graph
    ? await tf.loadGraphModel(handler)
    : await tf.loadLayersModel(handler);
  const shape = graph
    ? (model as tf.GraphModel).inputs[0]?.shape
    : (model as tf.LayersModel).inputs[0]?.shape;
  const inputHeight = shape?.[1];
  const inputWidth = shape?.[2];
  if (
    !shape ||
    shape.length !== 4 ||
    shape[3] !== 3 ||
    !(Number(inputHeight) > 0) ||
    !(Number(inputWidth) > 0)
  ) {
    model.dispose();
    throw new Error(
      `model in ${dir} must take [batch, height, width, 3] crops, has ${JSON.stringify(shape)}`,
    );
  }
  const fillMae = await readFillMae(dir);
  const h = Number(inputHeight);
  const w = Number(inputWidth);
  // The built-in detector computes its features once per crop into buffers kept between frames.
  const heads = graph ? null : featureHeadsOf(model as tf.LayersModel);
  let buffers: SlotFeatureBuffers | null = null;
  const run = (crops: Float32Array, count: number): tf.Tensor | tf.Tensor[] | tf.NamedTensorMap => {
    if (!heads)
      return tf.tidy(
        () =>
          model.predict(tf.tensor4d(crops, [count, h, w, 3])) as tf.Tensor | tf.Tensor[] | tf.NamedTensorMap,
      );
    if (buffers?.crops.length !== count * CROP_FEATURE_SIZE) buffers = slotFeatureBuffers(count, h, w);
    slotFeaturesInto(crops, count, h, w, buffers);
    const { rows, crops: cropFeatures } = buffers;
    return tf.tidy(
      () =>
        heads.predict([
          tf.tensor4d(rows, [count, h + 2 * ROW_CONTEXT, ROW_GROUPS, ROW_CHANNELS]),
          tf.tensor2d(cropFeatures, [count, CROP_FEATURE_SIZE]),
        ]) as tf.Tensor,
    );
  };
  return {
    ...(fillMae !== undefined ? { fillMae } : {}),
    kind: graph ? 'graph' : 'layers',
    dir,
    inputHeight: Number(inputHeight),
    inputWidth: Number(inputWidth),
    async predict(crops, count) {
      let output: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap | undefined;
      try {
        output = run(crops, count);
        const values = await readOutputs(output, count);
        return Array.from({ length: count }, (_, i) => ({
          presence: values[0][i]!,
          fillFraction: Math.min(1, Math.max(0, values[1][i]!)),
          uncertain: values[2][i]!,
        }));
      } finally {
        if (output) tf.dispose(output as tf.TensorContainer);
      }
    },
    dispose: () => model.dispose(),
  };
}

async function readOutputs(
  output: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap,
  count: number,
): Promise<[Float32Array, Float32Array, Float32Array]> {
  const tensors =
    output instanceof tf.Tensor ? [output] : Array.isArray(output) ? output : Object.values(output);
  if (tensors.length === 1 && tensors[0]!.size === count * 3) {
    const flat = (await tensors[0]!.data()) as Float32Array;
    const columns: [Float32Array, Float32Array, Float32Array] = [
      new Float32Array(count),
      new Float32Array(count),
      new Float32Array(count),
    ];
    for (let i = 0; i < count; i++) for (let c = 0; c < 3; c++) columns[c]![i] = flat[i * 3 + c]!;
    return columns;
  }
  if (tensors.length === 3 && tensors.every((t) => t.size === count)) {
    const [a, b, c] = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
    return [a!, b!, c!];
  }
  throw new Error(
    `model output must be [batch, 3] or three [batch, 1] tensors, got ${tensors.map((t) => JSON.stringify(t.shape)).join(', ')}`,
  );
}

/** `userDefinedMetadata.pourcast.fillMae` of a model.json (written by train-detector.ts), if valid. */
async function readFillMae(dir: string): Promise<number | undefined> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
    userDefinedMetadata?: { pourcast?: { fillMae?: unknown } };
  };
  const value = json.userDefinedMetadata?.pourcast?.fillMae;
  return typeof value === 'number' && value >= 0 && value < 1 ? value : undefined;
}
