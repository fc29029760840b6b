import * as tf from '@tensorflow/tfjs';

/**
 * The built-in detector's fixed (weightless) layers. They are registered with TF.js serialisation, so a
 * saved model.json that names them loads wherever this module is imported (shelf-model.ts imports it).
 *
 * The liquid level is a row position, so the detector reads each slot crop row by row:
 *  - `PourcastRowFeatures` normalises the lighting of a crop (gray world, then one contrast scale) and
 *    describes every crop row in 8 column groups by: normalised colour (3), horizontal detail (1), the
 *    colour of the same column group low in the crop, where any bottle's body is (3), and the row's
 *    height in the crop (1). Rows are padded by ROW_CONTEXT on both ends for the row convolution.
 *  - `PourcastCropFeatures` gives the crop-level head a normalised 16 × 4 thumbnail and the crop's raw
 *    brightness (mean and spread per channel): lights off and arms are crop-level facts.
 *  - `PourcastSlotState` turns the row head's three boundary maps (liquid surface, shoulder, base) into
 *    the slot's fill fraction, next to the crop head's presence and unreadable outputs.
 */

export const ROW_GROUPS = 8;
export const ROW_CHANNELS = 8;
/** Rows of context on each side of a row (the row convolution's kernel is 2 × ROW_CONTEXT + 1 tall). */
export const ROW_CONTEXT = 4;
/** Share of the crop height (from the top) where the body-colour context band starts and ends. */
const BODY_BAND = [0.75, 0.94] as const;

/** Gray-world white balance and one contrast scale per crop: lighting and colour casts drop out. */
export function normaliseCrops(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const mean = tf.mean(x, [1, 2], true);
    const balanced = tf.sub(tf.div(x, tf.add(mean, 0.03)), 1);
    const spread = tf.add(tf.sqrt(tf.mean(tf.square(balanced), [1, 2, 3], true)), 0.05);
    return tf.div(balanced, spread) as tf.Tensor4D;
  });
}

/** [n, H, W, 3] crops → [n, H + 2·ROW_CONTEXT, ROW_GROUPS, ROW_CHANNELS] row features. */
export function rowFeatures(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = x.shape;
    const groupW = w / ROW_GROUPS;
    const norm = normaliseCrops(x);
    const colour = tf.avgPool(norm, [1, groupW], [1, groupW], 'valid') as tf.Tensor4D;
    const lum = tf.mean(norm, 3, true) as tf.Tensor4D;
    const diff = tf.abs(
      tf.sub(lum.slice([0, 0, 1, 0], [-1, -1, w - 1, -1]), lum.slice([0, 0, 0, 0], [-1, -1, w - 1, -1])),
    );
    const detail = tf.avgPool(
      tf.pad(diff, [
        [0, 0],
        [0, 0],
        [0, 1],
        [0, 0],
      ]) as tf.Tensor4D,
      [1, groupW],
      [1, groupW],
      'valid',
    ) as tf.Tensor4D;
    const b0 = Math.floor(h * BODY_BAND[0]);
    const b1 = Math.floor(h * BODY_BAND[1]);
    const body = tf.tile(tf.mean(colour.slice([0, b0, 0, 0], [-1, b1 - b0, -1, -1]), 1, true), [1, h, 1, 1]);
    const position = tf.tile(tf.reshape(tf.sub(tf.div(tf.range(0, h, 1, 'float32'), h), 0.5), [1, h, 1, 1]), [
      n,
      1,
      ROW_GROUPS,
      1,
    ]);
    const features = tf.concat([colour, detail, body, position], 3);
    return tf.pad(features, [
      [0, 0],
      [ROW_CONTEXT, ROW_CONTEXT],
      [0, 0],
      [0, 0],
    ]) as tf.Tensor4D;
  });
}

/** Size of one crop's row features and crop features. */
export const rowFeatureSize = (h: number) => (h + 2 * ROW_CONTEXT) * ROW_GROUPS * ROW_CHANNELS;
export const CROP_FEATURE_SIZE = 16 * 4 * 3 + 6;

/**
 * The same row features as `rowFeatures`, computed in one pass of plain loops over the crop floats: the
 * gateway's path (a dozen small tensor ops cost more than the arithmetic on wasm).
 */
export function rowFeaturesOf(data: Float32Array, n: number, h: number, w: number): Float32Array {
  const out = new Float32Array(n * rowFeatureSize(h));
  const norm = new Float32Array(h * w * 3);
  for (let i = 0; i < n; i++) {
    normaliseInto(data, i, h, w, norm);
    rowFeaturesInto(norm, h, w, out, i * rowFeatureSize(h));
  }
  return out;
}

/** The same crop features as `cropFeatures`, in plain loops. */
export function cropFeaturesOf(data: Float32Array, n: number, h: number, w: number): Float32Array {
  const out = new Float32Array(n * CROP_FEATURE_SIZE);
  const norm = new Float32Array(h * w * 3);
  for (let i = 0; i < n; i++) {
    normaliseInto(data, i, h, w, norm);
    cropFeaturesInto(data, i, norm, h, w, out, i * CROP_FEATURE_SIZE);
  }
  return out;
}

/** Buffers `slotFeaturesInto` writes to, kept between frames (no allocation per frame). */
export interface SlotFeatureBuffers {
  rows: Float32Array;
  crops: Float32Array;
  norm: Float32Array;
}

export function slotFeatureBuffers(n: number, h: number, w: number): SlotFeatureBuffers {
  return {
    rows: new Float32Array(n * rowFeatureSize(h)),
    crops: new Float32Array(n * CROP_FEATURE_SIZE),
    norm: new Float32Array(h * w * 3),
  };
}

/** `rowFeaturesOf` and `cropFeaturesOf` at once, normalising each crop once, into reused buffers. */
export function slotFeaturesInto(
  data: Float32Array,
  n: number,
  h: number,
  w: number,
  buffers: SlotFeatureBuffers,
): void {
  for (let i = 0; i < n; i++) {
    normaliseInto(data, i, h, w, buffers.norm);
    rowFeaturesInto(buffers.norm, h, w, buffers.rows, i * rowFeatureSize(h));
    cropFeaturesInto(data, i, buffers.norm, h, w, buffers.crops, i * CROP_FEATURE_SIZE);
  }
}

/** One normalised crop's row features, written at `base` of `out` (padding rows stay as they are: zero). */
function rowFeaturesInto(norm: Float32Array, h: number, w: number, out: Float32Array, base: number): void {
  const groupW = w / ROW_GROUPS;
  const lum = new Float32Array(w);
  const b0 = Math.floor(h * BODY_BAND[0]);
  const b1 = Math.floor(h * BODY_BAND[1]);
  const body = new Float64Array(ROW_GROUPS * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 3;
      lum[x] = (norm[p]! + norm[p + 1]! + norm[p + 2]!) / 3;
    }
    const row = base + (y + ROW_CONTEXT) * ROW_GROUPS * ROW_CHANNELS;
    for (let g = 0; g < ROW_GROUPS; g++) {
      let r = 0;
      let gr = 0;
      let b = 0;
      let detail = 0;
      for (let x = g * groupW; x < (g + 1) * groupW; x++) {
        const p = (y * w + x) * 3;
        r += norm[p]!;
        gr += norm[p + 1]!;
        b += norm[p + 2]!;
        if (x < w - 1) detail += Math.abs(lum[x + 1]! - lum[x]!);
      }
      const o = row + g * ROW_CHANNELS;
      out[o] = r / groupW;
      out[o + 1] = gr / groupW;
      out[o + 2] = b / groupW;
      out[o + 3] = detail / groupW;
      out[o + 7] = y / h - 0.5;
      if (y >= b0 && y < b1) {
        body[g * 3]! += out[o]! / (b1 - b0);
        body[g * 3 + 1]! += out[o + 1]! / (b1 - b0);
        body[g * 3 + 2]! += out[o + 2]! / (b1 - b0);
      }
    }
  }
  for (let y = 0; y < h; y++)
    for (let g = 0; g < ROW_GROUPS; g++) {
      const o = base + ((y + ROW_CONTEXT) * ROW_GROUPS + g) * ROW_CHANNELS;
      out[o + 4] = body[g * 3]!;
      out[o + 5] = body[g * 3 + 1]!;
      out[o + 6] = body[g * 3 + 2]!;
    }
}

/** `normaliseCrops` for crop i of a batch, into `norm` (h × w × 3). */
function normaliseInto(data: Float32Array, i: number, h: number, w: number, norm: Float32Array): void {
  const size = h * w * 3;
  const offset = i * size;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let k = offset; k < offset + size; k += 3) {
    m0 += data[k]!;
    m1 += data[k + 1]!;
    m2 += data[k + 2]!;
  }
  const s0 = 1 / (m0 / (h * w) + 0.03);
  const s1 = 1 / (m1 / (h * w) + 0.03);
  const s2 = 1 / (m2 / (h * w) + 0.03);
  let square = 0;
  for (let k = 0; k < size; k += 3) {
    const a = data[offset + k]! * s0 - 1;
    const b = data[offset + k + 1]! * s1 - 1;
    const c = data[offset + k + 2]! * s2 - 1;
    norm[k] = a;
    norm[k + 1] = b;
    norm[k + 2] = c;
    square += a * a + b * b + c * c;
  }
  const inv = 1 / (Math.sqrt(square / size) + 0.05);
  for (let k = 0; k < size; k++) norm[k]! *= inv;
}

/** Crop i's crop features (16 × 4 thumbnail of the normalised crop, raw mean and spread), at `o` of `out`. */
function cropFeaturesInto(
  data: Float32Array,
  i: number,
  norm: Float32Array,
  h: number,
  w: number,
  out: Float32Array,
  o: number,
): void {
  const ch = h / 16;
  const cw = w / 4;
  const cell = new Float64Array(16 * 4 * 3);
  for (let y = 0; y < h; y++) {
    const rowCell = ((y / ch) | 0) * 4;
    for (let x = 0; x < w; x++) {
      const c = (rowCell + ((x / cw) | 0)) * 3;
      const p = (y * w + x) * 3;
      cell[c]! += norm[p]!;
      cell[c + 1]! += norm[p + 1]!;
      cell[c + 2]! += norm[p + 2]!;
    }
  }
  for (let k = 0; k < cell.length; k++) out[o + k] = cell[k]! / (ch * cw);
  const offset = i * h * w * 3;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  for (let k = offset; k < offset + h * w * 3; k += 3) {
    const a = data[k]!;
    const b = data[k + 1]!;
    const c = data[k + 2]!;
    s0 += a;
    s1 += b;
    s2 += c;
    q0 += a * a;
    q1 += b * b;
    q2 += c * c;
  }
  const px = h * w;
  const sums = [s0, s1, s2];
  const squares = [q0, q1, q2];
  for (let c = 0; c < 3; c++) {
    const mean = sums[c]! / px;
    out[o + 192 + c] = mean;
    out[o + 195 + c] = Math.sqrt(Math.max(0, squares[c]! / px - mean * mean) + 1e-6);
  }
}

/** Row features → one patch per row ([n·H, (2·ROW_CONTEXT+1)·ROW_GROUPS·ROW_CHANNELS], dy-major): the
 * row convolution as a matrix product, which trains on wasm (it has no convolution gradients). */
export function rowPatches(features: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, padded] = features.shape;
    const h = padded - 2 * ROW_CONTEXT;
    const slices: tf.Tensor[] = [];
    for (let dy = 0; dy <= 2 * ROW_CONTEXT; dy++)
      slices.push(features.slice([0, dy, 0, 0], [-1, h, -1, -1]).reshape([n, h, ROW_GROUPS * ROW_CHANNELS]));
    return tf.concat(slices, 2).reshape([n * h, -1]) as tf.Tensor2D;
  });
}

/** Crop-level features: normalised 16 × 4 thumbnail (flattened) + raw mean and spread per channel. */
export function cropFeatures(x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h, w] = x.shape;
    const thumb = tf.avgPool(normaliseCrops(x), [h / 16, w / 4], [h / 16, w / 4], 'valid').reshape([n, -1]);
    const { mean, variance } = tf.moments(x, [1, 2]);
    return tf.concat(
      [thumb, mean.reshape([n, 3]), tf.sqrt(tf.add(variance, 1e-6)).reshape([n, 3])],
      1,
    ) as tf.Tensor2D;
  });
}

/** Boundaries the row head looks for, one logit map each: liquid surface, shoulder, inside of the base. */
export const BOUNDARIES = ['liquid', 'shoulder', 'base'] as const;

/**
 * Where the liquid surface may be, relative to the shoulder and the base: from `above` rows above the
 * shoulder (a full bottle's surface sits at the shoulder) to `below` rows under the base. A surface the row
 * head half-sees outside the body (a neck edge, a shelf board) is not the liquid.
 */
export interface LiquidRange {
  above: number;
  below: number;
}

/**
 * Boundary positions from the row logits: a softmax over the rows of each map, then the expected row
 * (sub-row precision), in crop-row units from the top. rows: [n, H, 1, 3] → [n, 3].
 * window 0: the expected row over all rows (the readout the training loss uses). window > 0: the mode
 * readout, the expected row within ± window rows of the likeliest row. With `liquid`, the surface is read
 * only between the shoulder and the base found first (`LiquidRange`).
 */
export function boundaryPositions(rows: tf.Tensor, window = 0, liquid?: LiquidRange): tf.Tensor2D {
  return tf.tidy(() => {
    const [n, h] = rows.shape as number[];
    const p = tf.softmax(tf.transpose(tf.reshape(rows, [n!, h!, 3]), [0, 2, 1]));
    const centres = tf.add(tf.range(0, h!, 1, 'float32'), 0.5);
    if (window <= 0) return tf.sum(tf.mul(p, centres), 2) as tf.Tensor2D;
    const positions = modeReadout(p, centres, window);
    if (!liquid) return positions;
    // The shoulder and the base (read as above) bound the rows the surface may be read from.
    const [, shoulder, base] = tf.split(positions, 3, 1);
    const index = tf.range(0, h!, 1, 'float32');
    const lo = tf.clipByValue(tf.sub(tf.floor(shoulder!), liquid.above), 0, h! - 1);
    const hi = tf.maximum(tf.add(tf.ceil(base!), liquid.below), lo);
    const allowed = tf.cast(tf.logicalAnd(tf.greaterEqual(index, lo), tf.lessEqual(index, hi)), 'float32');
    const surface = modeReadout(
      tf.mul(p.slice([0, 0, 0], [-1, 1, -1]), tf.expandDims(allowed, 1)),
      centres,
      window,
    );
    return tf.concat([surface, shoulder!, base!], 1) as tf.Tensor2D;
  });
}

/**
 * Mode readout of row distributions p [n, m, H]: the expected row within ± window rows of the likeliest row,
 * so a boundary the model half-sees in two places is put at the likelier one rather than between them.
 * Where every row's weight is zero, the likeliest row's centre.
 */
function modeReadout(p: tf.Tensor, centres: tf.Tensor, window: number): tf.Tensor2D {
  const peak = tf.add(tf.cast(tf.argMax(p, 2), 'float32'), 0.5);
  const near = tf.cast(tf.lessEqual(tf.abs(tf.sub(centres, tf.expandDims(peak, 2))), window), 'float32');
  const q = tf.mul(p, near);
  const tiny = 1e-12;
  return tf.div(
    tf.add(tf.sum(tf.mul(q, centres), 2), tf.mul(peak, tiny)),
    tf.add(tf.sum(q, 2), tiny),
  ) as tf.Tensor2D;
}

/** Fill fraction from boundary positions [n, 3]: (base − surface) / (base − shoulder), in [0, 1]. */
export function fillFromBoundaries(positions: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [liquid, shoulder, base] = tf.split(positions, 3, 1);
    const fill = tf.div(tf.sub(base!, liquid!), tf.maximum(tf.sub(base!, shoulder!), 1));
    return tf.clipByValue(fill, 0, 1).reshape([-1]) as tf.Tensor1D;
  });
}

type Shape = (number | null)[];

export class RowFeaturesLayer extends tf.layers.Layer {
  static className = 'PourcastRowFeatures';
  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0]!, (inputShape[1] as number) + 2 * ROW_CONTEXT, ROW_GROUPS, ROW_CHANNELS];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const [n, h, w] = x.shape;
    return tf.tensor4d(rowFeaturesOf(x.dataSync() as Float32Array, n, h, w), [
      n,
      h + 2 * ROW_CONTEXT,
      ROW_GROUPS,
      ROW_CHANNELS,
    ]);
  }
}

export class CropFeaturesLayer extends tf.layers.Layer {
  static className = 'PourcastCropFeatures';
  override computeOutputShape(inputShape: Shape): Shape {
    return [inputShape[0]!, CROP_FEATURE_SIZE];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const [n, h, w] = x.shape;
    return tf.tensor2d(cropFeaturesOf(x.dataSync() as Float32Array, n, h, w), [n, CROP_FEATURE_SIZE]);
  }
}

/** [crop head [n, 2] (presence, unreadable), row logits [n, H, 1, 3]] → [n, 3] presence, fill, unreadable. */
export class SlotStateLayer extends tf.layers.Layer {
  static className = 'PourcastSlotState';
  /** Rows around the likeliest row a boundary is read from (0: the softmax mean over all rows). */
  window: number;
  /** Where the surface may be read, around the shoulder and base (`LiquidRange`); null: anywhere. */
  liquid: LiquidRange | null;
  constructor(
    config: tf.serialization.ConfigDict & {
      name?: string;
      window?: number;
      liquidAbove?: number;
      liquidBelow?: number;
    },
  ) {
    super(config);
    this.window = Number(config.window ?? 0);
    this.liquid =
      config.liquidAbove === undefined || config.liquidBelow === undefined
        ? null
        : { above: Number(config.liquidAbove), below: Number(config.liquidBelow) };
  }
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      window: this.window,
      ...(this.liquid ? { liquidAbove: this.liquid.above, liquidBelow: this.liquid.below } : {}),
    };
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [(inputShape[0] as Shape)[0]!, 3];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [head, rows] = inputs as tf.Tensor[];
    return tf.tidy(() => {
      const [presence, unreadable] = tf.split(head!, 2, 1);
      return tf.concat(
        [
          presence!,
          fillFromBoundaries(boundaryPositions(rows!, this.window, this.liquid ?? undefined)).reshape([
            -1, 1,
          ]),
          unreadable!,
        ],
        1,
      );
    });
  }
}

tf.serialization.registerClass(RowFeaturesLayer);
tf.serialization.registerClass(CropFeaturesLayer);
tf.serialization.registerClass(SlotStateLayer);
