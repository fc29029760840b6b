import * as tf from '@tensorflow/tfjs';
import {
  CropFeaturesLayer,
  ROW_CHANNELS,
  ROW_CONTEXT,
  ROW_GROUPS,
  RowFeaturesLayer,
  SlotStateLayer,
} from './row-layers.ts';

/** Input of the built-in shelf detector: one slot crop, 128 rows × 32 columns, RGB in [0, 1]. */
export const CROP_HEIGHT = 128;
export const CROP_WIDTH = 32;
/** Output columns: P(bottle present), fill fraction of the body, P(occluded or unreadable). */
export const OUTPUT_NAMES = ['presence', 'fill', 'uncertain'] as const;

export const ROW_KERNEL = 2 * ROW_CONTEXT + 1;
export const ROW_PATCH = ROW_KERNEL * ROW_GROUPS * ROW_CHANNELS;
export const ROW_HIDDEN = [24, 16] as const;
/** Row maps pooled to this many bands for the crop head. */
export const ROW_BANDS = 32;
export const CROP_FEATURES = 16 * 4 * 3 + 6 + ROW_BANDS * 3;

/**
 * The two trained parts of the built-in detector, as dense models (TF.js on wasm has no convolution
 * gradients, so the row convolution trains as a matrix product on row patches, `rowPatches`):
 *  - `rows`: one row patch (the row ± ROW_CONTEXT, 8 column groups × 8 features) → three logits: the
 *    liquid surface, the shoulder, the base is in this row (a softmax over the rows places each);
 *  - `crop`: crop features (`cropFeatures`) + the row maps pooled to ROW_BANDS bands → P(present),
 *    P(unreadable).
 */
export interface ShelfDetectorHeads {
  rows: tf.Sequential;
  crop: tf.Sequential;
}

export function buildShelfDetectorHeads(seed = 1): ShelfDetectorHeads {
  const rows = tf.sequential({ name: 'row_head' });
  rows.add(
    tf.layers.dense({
      inputShape: [ROW_PATCH],
      units: ROW_HIDDEN[0],
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed }),
    }),
  );
  rows.add(
    tf.layers.dense({
      units: ROW_HIDDEN[1],
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }),
    }),
  );
  rows.add(
    tf.layers.dense({
      units: 3,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
    }),
  );
  const crop = tf.sequential({ name: 'crop_head' });
  crop.add(
    tf.layers.dense({
      inputShape: [CROP_FEATURES],
      units: 48,
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: seed + 3 }),
    }),
  );
  crop.add(
    tf.layers.dense({
      units: 2,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }),
    }),
  );
  return { rows, crop };
}

/** Row logits [n, H, 1, 3] → [n, ROW_BANDS · 3] band averages, as the crop head sees them. */
export function poolRowMaps(rows: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const band = rows.shape[1] / ROW_BANDS;
    return tf.avgPool(rows, [band, 1], [band, 1], 'valid').reshape([rows.shape[0], -1]) as tf.Tensor2D;
  });
}

/**
 * The saved detector: pixels in, [presence, fill, unreadable] out. The trained row head becomes a
 * convolution (kernel ROW_KERNEL rows × all column groups, then two 1 × 1 convolutions) over the row
 * features, with the dense weights reshaped into convolution kernels; the crop head is copied as is.
 */
export function assembleShelfDetector(heads: ShelfDetectorHeads): tf.LayersModel {
  const input = tf.input({ shape: [CROP_HEIGHT, CROP_WIDTH, 3], name: 'crop' });
  const features = new RowFeaturesLayer({ name: 'row_features' }).apply(input) as tf.SymbolicTensor;
  const [d1, d2, d3] = heads.rows.layers as [tf.layers.Layer, tf.layers.Layer, tf.layers.Layer];
  const conv1 = tf.layers.conv2d({
    filters: ROW_HIDDEN[0],
    kernelSize: [ROW_KERNEL, ROW_GROUPS],
    padding: 'valid',
    activation: 'relu',
    name: 'row_conv1',
  });
  const conv2 = tf.layers.conv2d({
    filters: ROW_HIDDEN[1],
    kernelSize: 1,
    activation: 'relu',
    name: 'row_conv2',
  });
  const conv3 = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'row_logits' });
  const rowMaps = conv3.apply(conv2.apply(conv1.apply(features))) as tf.SymbolicTensor;
  const pooled = tf.layers
    .averagePooling2d({ poolSize: [CROP_HEIGHT / ROW_BANDS, 1], name: 'row_bands' })
    .apply(rowMaps) as tf.SymbolicTensor;
  const cropFeatures = new CropFeaturesLayer({ name: 'crop_features' }).apply(input) as tf.SymbolicTensor;
  const joined = tf.layers
    .concatenate({ name: 'crop_joined' })
    .apply([cropFeatures, tf.layers.flatten({ name: 'bands_flat' }).apply(pooled) as tf.SymbolicTensor]);
  const [c1, c2] = heads.crop.layers as [tf.layers.Layer, tf.layers.Layer];
  const crop1 = tf.layers.dense({ units: 48, activation: 'relu', name: 'crop_hidden' });
  const crop2 = tf.layers.dense({ units: 2, activation: 'sigmoid', name: 'crop_state' });
  const head = crop2.apply(crop1.apply(joined)) as tf.SymbolicTensor;
  const out = new SlotStateLayer({ name: 'slot_state' }).apply([head, rowMaps]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: 'shelf_detector' });

  const asKernel = (layer: tf.layers.Layer, shape: number[]) => {
    const [k, b] = layer.getWeights();
    return [k!.reshape(shape), b!.clone()];
  };
  conv1.setWeights(asKernel(d1, [ROW_KERNEL, ROW_GROUPS, ROW_CHANNELS, ROW_HIDDEN[0]]));
  conv2.setWeights(asKernel(d2, [1, 1, ROW_HIDDEN[0], ROW_HIDDEN[1]]));
  conv3.setWeights(asKernel(d3, [1, 1, ROW_HIDDEN[1], 3]));
  crop1.setWeights(c1.getWeights());
  crop2.setWeights(c2.getWeights());
  return model;
}

/**
 * Folds feature standardisation ((x - mean) / std) into a dense layer that was trained on standardised
 * features: W' = W / std (row-wise), b' = b - (mean / std) · W. The layer then takes raw features.
 */
export function foldStandardisation(layer: tf.layers.Layer, mean: Float32Array, std: Float32Array): void {
  const [kernel, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor1D];
  const folded = tf.tidy(() => {
    const invStd = tf.tensor2d(
      std.map((s) => 1 / s),
      [std.length, 1],
    );
    const k = tf.mul(kernel, invStd) as tf.Tensor2D;
    const shift = tf.matMul(tf.tensor2d(mean, [1, mean.length]), k).reshape([-1]);
    return [k, tf.sub(bias, shift)];
  });
  layer.setWeights(folded);
  tf.dispose(folded);
}
