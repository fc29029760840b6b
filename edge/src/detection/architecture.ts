import * as tf from '@tensorflow/tfjs';

/** Input of the built-in shelf detector: one slot crop, 128 rows × 32 columns, RGB in [0, 1]. */
export const CROP_HEIGHT = 128;
export const CROP_WIDTH = 32;
/** Output columns: P(bottle present), fill fraction of the body, P(occluded or unreadable). */
export const OUTPUT_NAMES = ['presence', 'fill', 'uncertain'] as const;

export interface ShelfDetectorNet {
  /** The whole model, pixels in, [presence, fill, uncertain] out: what is saved and loaded. */
  model: tf.LayersModel;
  /** The frozen front (fixed pooling and a frozen random convolution): pixels in, features out. */
  features: tf.LayersModel;
  /** The trained head: features in, outputs out (shares its layers with `model`). */
  head: tf.LayersModel;
}

/**
 * The built-in detector. TF.js on wasm has no convolution gradients, so only dense layers train:
 *  - fixed features per crop row (the liquid level is a row position): the mean colour of the whole row,
 *    of its centre (where the label is) and of both edges (glass beside the label), and the row energy of
 *    8 frozen random 3×3 filters after ReLU (texture, edges, the meniscus);
 *  - a coarse 16 × 4 colour thumbnail for presence and for arms and hands in front of the bottle;
 *  - a trained head: two dense layers and three sigmoid outputs. Training standardises the features and
 *    then folds the standardisation into the first dense layer (`foldStandardisation`), so the saved model
 *    takes raw crops. (A LayerNormalization layer trained ten times slower on wasm.)
 */
export function buildShelfDetectorNet(seed = 1): ShelfDetectorNet {
  const input = tf.input({ shape: [CROP_HEIGHT, CROP_WIDTH, 3], name: 'crop' });
  const rowMean = (cropLeft: number, cropRight: number, name: string): tf.SymbolicTensor => {
    const cropped = tf.layers
      .cropping2D({
        cropping: [
          [0, 0],
          [cropLeft, cropRight],
        ],
        name: `${name}_crop`,
      })
      .apply(input) as tf.SymbolicTensor;
    return tf.layers
      .averagePooling2d({ poolSize: [1, CROP_WIDTH - cropLeft - cropRight], name: `${name}_rows` })
      .apply(cropped) as tf.SymbolicTensor;
  };
  const whole = tf.layers
    .averagePooling2d({ poolSize: [1, CROP_WIDTH], name: 'whole_rows' })
    .apply(input) as tf.SymbolicTensor;
  const centre = rowMean(11, 11, 'centre');
  const left = rowMean(4, 20, 'left');
  const right = rowMean(20, 4, 'right');
  const texture = tf.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      trainable: false,
      kernelInitializer: tf.initializers.heNormal({ seed }),
      biasInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed + 1 }),
      name: 'frozen_texture',
    })
    .apply(input) as tf.SymbolicTensor;
  const textureRows = tf.layers
    .averagePooling2d({ poolSize: [1, CROP_WIDTH], name: 'texture_rows' })
    .apply(texture) as tf.SymbolicTensor;
  const rows = tf.layers
    .concatenate({ axis: -1, name: 'row_features' })
    .apply([whole, centre, left, right, textureRows]) as tf.SymbolicTensor;
  const thumb = tf.layers
    .averagePooling2d({ poolSize: [8, 8], name: 'thumbnail' })
    .apply(input) as tf.SymbolicTensor;
  const flatRows = tf.layers.flatten({ name: 'rows_flat' }).apply(rows) as tf.SymbolicTensor;
  const flatThumb = tf.layers.flatten({ name: 'thumb_flat' }).apply(thumb) as tf.SymbolicTensor;
  const featureOut = tf.layers
    .concatenate({ name: 'features' })
    .apply([flatRows, flatThumb]) as tf.SymbolicTensor;
  const features = tf.model({ inputs: input, outputs: featureOut, name: 'shelf_features' });

  const hidden1 = tf.layers.dense({
    units: 96,
    activation: 'relu',
    name: 'hidden1',
    kernelInitializer: tf.initializers.heNormal({ seed: seed + 2 }),
  });
  const hidden2 = tf.layers.dense({
    units: 48,
    activation: 'relu',
    name: 'hidden2',
    kernelInitializer: tf.initializers.heNormal({ seed: seed + 3 }),
  });
  const out = tf.layers.dense({
    units: 3,
    activation: 'sigmoid',
    name: 'slot_state',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }),
  });
  const applyHead = (x: tf.SymbolicTensor): tf.SymbolicTensor =>
    out.apply(hidden2.apply(hidden1.apply(x))) as tf.SymbolicTensor;

  const featureDim = featureOut.shape[1] as number;
  const headInput = tf.input({ shape: [featureDim], name: 'features_in' });
  const head = tf.model({ inputs: headInput, outputs: applyHead(headInput), name: 'shelf_head' });
  const model = tf.model({ inputs: input, outputs: applyHead(featureOut), name: 'shelf_detector' });
  return { model, features, head };
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
