/**
 * `npm run train:detector [-- --frames 900 --row-epochs 14 --crop-epochs 30 --seed 20261122 --out edge/models/shelf-detector]`
 *   `[--hard-repeat 2] [--row-lr 3e-3] [--row-batch 24] [--init <model dir> --init-note <what it is>] [--cache-dir <dir>]`
 * With its defaults, from the seed, it writes the committed model (the card records its time, CPU and load).
 *
 * Renders a labelled synthetic data set with the camera simulator (fixed seed; per-row truth of where each
 * bottle's body and liquid are), computes the detector's fixed features once, trains the row head and then
 * the crop head on the wasm backend (each keeps its best held-out epoch), assembles the saved model, checks
 * it end to end on the held-out crops and writes model.json + weights.bin and MODEL_CARD.md.
 */
import { stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../devices/src/camera/index.ts';
import {
  assembleShelfDetector,
  buildShelfDetectorHeads,
  CROP_FEATURES,
  CROP_HEIGHT,
  CROP_WIDTH,
  foldStandardisation,
  initRowHeadFrom,
} from '../src/detection/architecture.ts';
import { selectBackend } from '../src/detection/backend.ts';
import { fileSystemModelHandler } from '../src/detection/model-files.ts';
import { cropFeatures, rowFeatures } from '../src/detection/row-layers.ts';
import { DEFAULT_MODEL_DIR } from '../src/detection/shelf-model.ts';
import { forEachLabelledFrame, TRAINING_CONDITIONS, type SlotRows } from './detector-dataset.ts';
import { slotMetrics } from './detector-metrics.ts';
import { writeModelCard } from './detector-model-card.ts';
import {
  cropHeadInputs,
  predictRowMaps,
  ROW_FEATURE_SIZE,
  rowFillMae,
  ROW_LR_STEPS,
  rowLrAt,
  trainRowEpoch,
  type CropSet,
} from './detector-training.ts';

const { values: args } = parseArgs({
  options: {
    frames: { type: 'string', default: '900' },
    'row-epochs': { type: 'string', default: '14' },
    'crop-epochs': { type: 'string', default: '30' },
    seed: { type: 'string', default: '20261122' },
    out: { type: 'string', default: DEFAULT_MODEL_DIR },
    'row-batch': { type: 'string', default: '24' },
    'hard-repeat': { type: 'string', default: '2' },
    'cache-dir': { type: 'string', default: join(tmpdir(), 'pourcast-detector-data') },
    'row-lr': { type: 'string', default: '3e-3' },
    init: { type: 'string' },
    'init-note': { type: 'string' },
  },
});
const frames = Number(args.frames);
const rowEpochs = Number(args['row-epochs']);
const cropEpochs = Number(args['crop-epochs']);
const seed = Number(args.seed);
const rowBatch = Number(args['row-batch']);
/** Crops of nearly transparent liquids (clear spirits) are the hardest to read: the row head sees them this
 * many times per epoch. */
const hardRepeat = Number(args['hard-repeat']);
/** Row head learning rate for the first half of the epochs, then stepped down (`rowLrAt`). */
const rowLr = Number(args['row-lr']);
/** A saved built-in detector whose row head training continues from (default: from the seed). */
const initDir = args.init ? resolve(args.init) : undefined;
const outDir = resolve(args.out!);
const started = performance.now();
const cpuAtStart = process.cpuUsage();
/** The machine's 1-minute load average, sampled at every progress line: a shared machine slows training. */
const loads: number[] = [loadavg()[0]!];
function say(msg: string): void {
  loads.push(loadavg()[0]!);
  process.stdout.write(`[train ${((performance.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);
}

const backend = await selectBackend('wasm');
say(`backend ${backend}; rendering ${frames} frames (seed ${seed})`);
const capacity = frames * 16;
const CROP_DIM = 16 * 4 * 3 + 6;
const CROP_SIZE = CROP_HEIGHT * CROP_WIDTH * 3;
const validationFrom = Math.floor(frames * 0.9);
const set: CropSet = {
  count: 0,
  rowFeatures: new Float32Array(capacity * ROW_FEATURE_SIZE),
  present: new Uint8Array(capacity),
  uncertain: new Uint8Array(capacity),
  fill: new Float32Array(capacity),
  rows: [],
};
const crops = new Float32Array(capacity * CROP_DIM);
const validationCrops: Float32Array[] = [];
const frameOf: number[] = [];
const hard = new Uint8Array(capacity);
const { renderMs, cached } = await forEachLabelledFrame(
  {
    frames,
    seed,
    conditions: TRAINING_CONDITIONS,
    cropHeight: CROP_HEIGHT,
    cropWidth: CROP_WIDTH,
    ...(args['cache-dir'] ? { cacheDir: args['cache-dir'] } : {}),
  },
  (frame) => {
    const [rows, crop] = tf.tidy(() => {
      const x = tf.tensor4d(frame.crops, [frame.count, CROP_HEIGHT, CROP_WIDTH, 3]);
      return [rowFeatures(x), cropFeatures(x)];
    });
    set.rowFeatures.set(rows.dataSync(), set.count * ROW_FEATURE_SIZE);
    crops.set(crop.dataSync(), set.count * CROP_DIM);
    tf.dispose([rows, crop]);
    if (frame.index >= validationFrom) validationCrops.push(frame.crops);
    frame.labels.forEach((label, i) => {
      set.present[set.count] = label.present ? 1 : 0;
      set.uncertain[set.count] = label.uncertain ? 1 : 0;
      set.fill[set.count] = label.fillFraction;
      hard[set.count] = (frame.state.slots[i]!.bottleStyle?.liquidOpacity ?? 1) < 0.5 ? 1 : 0;
      set.rows.push(frame.rows[i] as SlotRows | null);
      frameOf.push(frame.index);
      set.count++;
    });
    if ((frame.index + 1) % 100 === 0)
      say(`rendered ${frame.index + 1}/${frames} frames, ${set.count} slots`);
  },
);
const count = set.count;
say(
  `data set: ${count} slot crops from ${frames} frames (${cached ? 'read from the cache' : `render ${(renderMs / frames).toFixed(0)} ms/frame`})`,
);

// Hold out the last 10 % of frames (whole frames, so no scene is in both sets).
const trainIdx: number[] = [];
const valIdx: number[] = [];
for (let i = 0; i < count; i++) (frameOf[i]! < validationFrom ? trainIdx : valIdx).push(i);
const rowTrainIdx = trainIdx.flatMap((i) => Array.from({ length: hard[i] ? hardRepeat : 1 }, () => i));

const heads = buildShelfDetectorHeads(seed);
if (initDir) {
  const saved = await tf.loadLayersModel(fileSystemModelHandler(initDir));
  initRowHeadFrom(saved, heads.rows);
  saved.dispose();
  say(`row head continues from ${initDir}`);
}
const rng = createRng(seed + 7);

// Stage 1: the row head.
const rowStarted = performance.now();
const initialMae = rowFillMae(heads.rows, set, valIdx);
// Epoch 0 (the starting weights) competes too, so continued training never ends worse than it began.
let bestRows = { mae: initialMae, epoch: 0, weights: heads.rows.getWeights().map((w) => w.clone()) };
say(`rows epoch 0 | val fill MAE ${(initialMae * 100).toFixed(2)} %`);
for (let epoch = 1; epoch <= rowEpochs; epoch++) {
  const lr = rowLrAt(epoch, rowEpochs, rowLr);
  const optimizer = tf.train.adam(lr);
  const loss = trainRowEpoch(heads.rows, optimizer, set, rowTrainIdx, rng, rowBatch);
  optimizer.dispose();
  const mae = rowFillMae(heads.rows, set, valIdx);
  say(
    `rows epoch ${epoch}/${rowEpochs} lr ${lr} loss ${loss.toFixed(4)} | val fill MAE ${(mae * 100).toFixed(2)} %`,
  );
  if (mae < bestRows.mae) {
    bestRows.weights.forEach((w) => w.dispose());
    bestRows = { mae, epoch, weights: heads.rows.getWeights().map((w) => w.clone()) };
  }
}
heads.rows.setWeights(bestRows.weights);
const rowSeconds = (performance.now() - rowStarted) / 1000;

// Stage 2: the crop head, on crop features + the best row head's maps.
const cropStarted = performance.now();
const all = Array.from({ length: count }, (_, i) => i);
const inputs = cropHeadInputs(crops, CROP_DIM, predictRowMaps(heads.rows, set, all), count);
say(`crop head inputs ready (${CROP_FEATURES} features)`);
const mean = new Float32Array(CROP_FEATURES);
const std = new Float32Array(CROP_FEATURES);
for (const i of trainIdx)
  for (let d = 0; d < CROP_FEATURES; d++) mean[d]! += inputs[i * CROP_FEATURES + d]! / trainIdx.length;
for (const i of trainIdx)
  for (let d = 0; d < CROP_FEATURES; d++)
    std[d]! += (inputs[i * CROP_FEATURES + d]! - mean[d]!) ** 2 / trainIdx.length;
for (let d = 0; d < CROP_FEATURES; d++) std[d] = Math.sqrt(std[d]!) + 1e-3;
for (let i = 0; i < count; i++)
  for (let d = 0; d < CROP_FEATURES; d++)
    inputs[i * CROP_FEATURES + d] = (inputs[i * CROP_FEATURES + d]! - mean[d]!) / std[d]!;
const X = tf.tensor2d(inputs, [count, CROP_FEATURES]);
const Y = tf.tensor2d(
  all.flatMap((i) => [set.present[i]!, set.uncertain[i]!]),
  [count, 2],
);
const bce = (q: tf.Tensor, t: tf.Tensor) =>
  tf.neg(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q)))));
function cropLoss(pred: tf.Tensor2D, truth: tf.Tensor2D): tf.Scalar {
  const q = tf.clipByValue(pred, 1e-6, 1 - 1e-6);
  const [p, u] = tf.split(q, 2, 1);
  const [tp, tu] = tf.split(truth, 2, 1);
  // An unreadable slot's presence still teaches, but less (often nobody could tell).
  const w = tf.sub(1, tf.mul(tu!, 0.8));
  const presence = tf.div(tf.sum(tf.mul(bce(p!, tp!), w)), tf.sum(w));
  return tf.add(presence, tf.mean(bce(u!, tu!))) as tf.Scalar;
}
function cropScore(indices: number[]): { score: number; presence: number; recall: number } {
  const pred = tf.tidy(() => heads.crop.apply(tf.gather(X, tf.tensor1d(indices, 'int32'))) as tf.Tensor);
  const v = pred.dataSync();
  pred.dispose();
  let readable = 0,
    right = 0,
    unread = 0,
    flagged = 0,
    falseFlags = 0;
  indices.forEach((i, k) => {
    if (set.uncertain[i]) {
      unread++;
      if (v[k * 2 + 1]! > 0.5) flagged++;
      return;
    }
    readable++;
    if (v[k * 2]! >= 0.5 === (set.present[i] === 1)) right++;
    if (v[k * 2 + 1]! > 0.5) falseFlags++;
  });
  const presence = right / readable;
  const recall = flagged / Math.max(1, unread);
  return { score: (1 - presence) * 4 + (1 - recall) * 0.3 + (falseFlags / readable) * 0.3, presence, recall };
}
let bestCrop = { score: Infinity, epoch: 0, weights: [] as tf.Tensor[] };
for (let epoch = 1; epoch <= cropEpochs; epoch++) {
  const lr = epoch <= cropEpochs * 0.6 ? 2e-3 : epoch <= cropEpochs * 0.85 ? 5e-4 : 1.5e-4;
  const optimizer = tf.train.adam(lr);
  const order = [...trainIdx];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let b = 0; b < order.length; b += 128) {
    const idx = tf.tensor1d(order.slice(b, b + 128), 'int32');
    const xb = tf.gather(X, idx);
    const yb = tf.gather(Y, idx) as tf.Tensor2D;
    const loss = optimizer.minimize(
      () => cropLoss(heads.crop.apply(xb, { training: true }) as tf.Tensor2D, yb),
      true,
    );
    tf.dispose([idx, xb, yb, loss!]);
  }
  optimizer.dispose();
  const s = cropScore(valIdx);
  if (epoch % 5 === 0 || epoch === cropEpochs)
    say(
      `crop epoch ${epoch}/${cropEpochs} | val presence ${(s.presence * 100).toFixed(2)} % unreadable recall ${(s.recall * 100).toFixed(1)} %`,
    );
  if (s.score < bestCrop.score) {
    bestCrop.weights.forEach((w) => w.dispose());
    bestCrop = { score: s.score, epoch, weights: heads.crop.getWeights().map((w) => w.clone()) };
  }
}
heads.crop.setWeights(bestCrop.weights);
foldStandardisation(heads.crop.layers[0]!, mean, std);
const cropSeconds = (performance.now() - cropStarted) / 1000;

// The saved model, checked end to end (pixels in) on the held-out crops.
const model = assembleShelfDetector(heads);
const valCrops = new Float32Array(valIdx.length * CROP_SIZE);
let at = 0;
for (const c of validationCrops) valCrops.set(c, (at += c.length) - c.length);
const out = tf.tidy(
  () => model.predict(tf.tensor4d(valCrops, [valIdx.length, CROP_HEIGHT, CROP_WIDTH, 3])) as tf.Tensor,
);
const values = out.dataSync();
out.dispose();
const validation = slotMetrics(
  valIdx.map((i) => ({
    present: set.present[i] === 1,
    fillFraction: set.fill[i]!,
    uncertain: set.uncertain[i] === 1,
  })),
  valIdx.map((_, k) => ({
    presence: values[k * 3]!,
    fillFraction: values[k * 3 + 1]!,
    uncertain: values[k * 3 + 2]!,
  })),
);
say(
  `held out, end to end: presence ${(validation.presenceAccuracy * 100).toFixed(2)} % fill MAE ${(validation.fillMaeFraction * 100).toFixed(2)} % (p95 ${(validation.fillP95Fraction * 100).toFixed(1)} %)`,
);
say(`best epochs: rows ${bestRows.epoch}, crop ${bestCrop.epoch}; saving to ${outDir}`);
// The smoothing reads this to size the smallest level step it believes (rule 7, smoothing-rules.ts).
model.setUserDefinedMetadata({ pourcast: { fillMae: Number(validation.fillMaeFraction.toFixed(4)) } });
await model.save(fileSystemModelHandler(outDir));
const bytes = (await stat(join(outDir, 'weights.bin'))).size + (await stat(join(outDir, 'model.json'))).size;
await writeFile(
  join(outDir, 'MODEL_CARD.md'),
  writeModelCard({
    seed,
    frames,
    slots: count,
    trainSlots: trainIdx.length,
    validationSlots: valIdx.length,
    rowEpochs,
    cropEpochs,
    bestRowEpoch: bestRows.epoch,
    bestCropEpoch: bestCrop.epoch,
    params: model.countParams(),
    bytes,
    backend,
    renderSeconds: renderMs / 1000,
    rowSeconds,
    cropSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(cpuAtStart)),
    loadAverage: loads.reduce((a, b) => a + b, 0) / loads.length,
    validation,
    conditions: TRAINING_CONDITIONS,
    rowBatch,
    rowLr,
    rowLrSteps: ROW_LR_STEPS,
    hardRepeat,
    init: initDir ? (args['init-note'] ?? initDir) : null,
    cached,
  }),
);
say(
  `done: ${(bytes / 1024).toFixed(0)} KiB model, total ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
