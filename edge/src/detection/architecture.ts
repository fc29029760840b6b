import * as tf from '@tensorflow/tfjs';
import {
  CROP_FEATURE_SIZE,
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
/**
 * A boundary is read from the rows within ± READOUT_WINDOW of its likeliest row (`boundaryPositions`), not
 * from the mean over all rows: when the row head half-sees a faint surface in two places, the mean lands
 * between them (a gross error), the mode at one of them.
 */
export const READOUT_WINDOW = 3;
/**
 * The liquid surface is read from 2 rows above the shoulder (a full bottle) to 1 row under the base (an empty
 * one), not anywhere in the crop: a neck edge or a label line the row head half-takes for a faint surface
 * lies outside that range.
 */
export const LIQUID_RANGE = { above: 2, below: 1 } as const;
/** Row maps pooled to this many bands for the crop head. */
export const ROW_BANDS = 32;
export const CROP_FEATURES = CROP_FEATURE_SIZE + ROW_BANDS * 3;

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
  const cropFeatures = new CropFeaturesLayer({ name: 'crop_features' }).apply(input) as tf.SymbolicTensor;
  const layers: Record<HeadLayerName, tf.layers.Layer> = {
    row_conv1: tf.layers.conv2d({
      filters: ROW_HIDDEN[0],
      kernelSize: [ROW_KERNEL, ROW_GROUPS],
      padding: 'valid',
      activation: 'relu',
      name: 'row_conv1',
    }),
    row_conv2: tf.layers.conv2d({
      filters: ROW_HIDDEN[1],
      kernelSize: 1,
      activation: 'relu',
      name: 'row_conv2',
    }),
    row_logits: tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'row_logits' }),
    row_bands: tf.layers.averagePooling2d({ poolSize: [CROP_HEIGHT / ROW_BANDS, 1], name: 'row_bands' }),
    bands_flat: tf.layers.flatten({ name: 'bands_flat' }),
    crop_joined: tf.layers.concatenate({ name: 'crop_joined' }),
    crop_hidden: tf.layers.dense({ units: 48, activation: 'relu', name: 'crop_hidden' }),
    crop_state: tf.layers.dense({ units: 2, activation: 'sigmoid', name: 'crop_state' }),
    slot_state: new SlotStateLayer({
      name: 'slot_state',
      window: READOUT_WINDOW,
      liquidAbove: LIQUID_RANGE.above,
      liquidBelow: LIQUID_RANGE.below,
    }),
  };
  const out = wireShelfHeads(features, cropFeatures, (name) => layers[name]);
  const model = tf.model({ inputs: input, outputs: out, name: 'shelf_detector' });

  const [d1, d2, d3] = heads.rows.layers as [tf.layers.Layer, tf.layers.Layer, tf.layers.Layer];
  const asKernel = (layer: tf.layers.Layer, shape: number[]) => {
    const [k, b] = layer.getWeights();
    return [k!.reshape(shape), b!.clone()];
  };
  layers.row_conv1.setWeights(asKernel(d1, [ROW_KERNEL, ROW_GROUPS, ROW_CHANNELS, ROW_HIDDEN[0]]));
  layers.row_conv2.setWeights(asKernel(d2, [1, 1, ROW_HIDDEN[0], ROW_HIDDEN[1]]));
  layers.row_logits.setWeights(asKernel(d3, [1, 1, ROW_HIDDEN[1], 3]));
  const [c1, c2] = heads.crop.layers as [tf.layers.Layer, tf.layers.Layer];
  layers.crop_hidden.setWeights(c1.getWeights());
  layers.crop_state.setWeights(c2.getWeights());
  return model;
}

/**
 * Continues training from a saved built-in detector: its row convolutions, reshaped back into the row
 * head's dense weights (the inverse of what `assembleShelfDetector` does). Throws if the shapes differ.
 */
export function initRowHeadFrom(saved: tf.LayersModel, rows: tf.Sequential): void {
  const names = ['row_conv1', 'row_conv2', 'row_logits'] as const;
  rows.layers.forEach((dense, i) => {
    const [kernel, bias] = saved.getLayer(names[i]!).getWeights();
    const [target] = dense.getWeights();
    if (!kernel || !bias || kernel.size !== target!.size)
      throw new Error(`${names[i]} of the saved model does not fit the row head (${kernel?.shape})`);
    dense.setWeights([kernel.reshape(target!.shape as number[]), bias.clone()]);
  });
}

/** The trained layers of the saved detector, by name, after its two fixed feature layers. */
const HEAD_LAYERS = [
  'row_conv1',
  'row_conv2',
  'row_logits',
  'row_bands',
  'bands_flat',
  'crop_joined',
  'crop_hidden',
  'crop_state',
  'slot_state',
] as const;
type HeadLayerName = (typeof HEAD_LAYERS)[number];

/** Row features → row maps → pooled bands; with the crop features → presence/unreadable; → slot state. */
function wireShelfHeads(
  rowFeatures: tf.SymbolicTensor,
  cropFeatures: tf.SymbolicTensor,
  layer: (name: HeadLayerName) => tf.layers.Layer,
): tf.SymbolicTensor {
  const apply = (name: HeadLayerName, x: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    layer(name).apply(x) as tf.SymbolicTensor;
  const rowMaps = apply('row_logits', apply('row_conv2', apply('row_conv1', rowFeatures)));
  const bands = apply('bands_flat', apply('row_bands', rowMaps));
  const head = apply('crop_state', apply('crop_hidden', apply('crop_joined', [cropFeatures, bands])));
  return apply('slot_state', [head, rowMaps]);
}

/**
 * The gateway's fast path for the built-in detector: the saved model's own trained layers (shared, not
 * copied) rewired to take the row and crop features as inputs, so the features are computed in one pass
 * over reused buffers (`slotFeaturesInto`) instead of twice inside the model. Null for a model that is not
 * the built-in architecture (a bring-your-own model runs as saved).
 */
export function featureHeadsOf(model: tf.LayersModel): tf.LayersModel | null {
  const names = new Set(model.layers.map((l) => l.name));
  if (!['row_features', 'crop_features', ...HEAD_LAYERS].every((n) => names.has(n))) return null;
  const [, h, w] = model.inputs[0]!.shape as number[];
  if (h !== CROP_HEIGHT || w !== CROP_WIDTH) return null;
  const rowInput = tf.input({
    shape: [h + 2 * ROW_CONTEXT, ROW_GROUPS, ROW_CHANNELS],
    name: 'row_features_in',
  });
  const cropInput = tf.input({ shape: [CROP_FEATURE_SIZE], name: 'crop_features_in' });
  const out = wireShelfHeads(rowInput, cropInput, (name) => model.getLayer(name));
  return tf.model({ inputs: [rowInput, cropInput], outputs: out, name: 'shelf_detector_heads' });
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
