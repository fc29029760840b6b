/**
 * `npm run train:detector [-- --frames 900 --epochs 30 --seed 20261122 --out edge/models/shelf-detector]`
 *
 * Renders a labelled synthetic data set with the camera simulator (fixed seed), computes the detector's
 * frozen features once, trains its dense head on the wasm backend, keeps the epoch with the best held-out
 * score, and writes the model (model.json + weights.bin) and MODEL_CARD.md.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../devices/src/camera/index.ts';
import {
  buildShelfDetectorNet,
  CROP_HEIGHT,
  CROP_WIDTH,
  foldStandardisation,
} from '../src/detection/architecture.ts';
import { selectBackend } from '../src/detection/backend.ts';
import { fileSystemModelHandler } from '../src/detection/model-files.ts';
import { DEFAULT_MODEL_DIR } from '../src/detection/shelf-model.ts';
import { forEachLabelledFrame, TRAINING_CONDITIONS } from './detector-dataset.ts';
import { slotMetrics, type SlotMetrics } from './detector-metrics.ts';
import { writeModelCard } from './detector-model-card.ts';

const { values: args } = parseArgs({
  options: {
    frames: { type: 'string', default: '900' },
    epochs: { type: 'string', default: '30' },
    seed: { type: 'string', default: '20261122' },
    out: { type: 'string', default: DEFAULT_MODEL_DIR },
  },
});
const frames = Number(args.frames);
const epochs = Number(args.epochs);
const seed = Number(args.seed);
const outDir = resolve(args.out!);
const started = performance.now();
const say = (msg: string) =>
  process.stdout.write(`[train ${((performance.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);

const backend = await selectBackend('wasm');
say(`backend ${backend}; rendering ${frames} frames (seed ${seed})`);
const net = buildShelfDetectorNet(seed);
const featureDim = net.features.outputs[0]!.shape[1] as number;
const capacity = frames * 16;
const features = new Float32Array(capacity * featureDim);
const present: number[] = [];
const fill: number[] = [];
const uncertain: number[] = [];
const frameOf: number[] = [];
const { renderMs } = await forEachLabelledFrame(
  { frames, seed, conditions: TRAINING_CONDITIONS, cropHeight: CROP_HEIGHT, cropWidth: CROP_WIDTH },
  (frame) => {
    const out = tf.tidy(
      () =>
        net.features.predict(
          tf.tensor4d(frame.crops, [frame.count, CROP_HEIGHT, CROP_WIDTH, 3]),
        ) as tf.Tensor,
    );
    features.set(out.dataSync(), present.length * featureDim);
    out.dispose();
    for (const label of frame.labels) {
      present.push(label.present ? 1 : 0);
      fill.push(label.fillFraction);
      uncertain.push(label.uncertain ? 1 : 0);
      frameOf.push(frame.index);
    }
    if ((frame.index + 1) % 100 === 0)
      say(`rendered ${frame.index + 1}/${frames} frames, ${present.length} slots`);
  },
);
const count = present.length;
say(
  `data set: ${count} slot crops from ${frames} frames (render ${(renderMs / frames).toFixed(0)} ms/frame)`,
);

// Hold out the last 10 % of frames (whole frames, so no scene is in both sets).
const validationFrom = Math.floor(frames * 0.9);
const trainIdx: number[] = [];
const valIdx: number[] = [];
for (let i = 0; i < count; i++) (frameOf[i]! < validationFrom ? trainIdx : valIdx).push(i);

// Standardise each feature on the training rows (folded into the first dense layer before saving).
const mean = new Float32Array(featureDim);
const std = new Float32Array(featureDim);
for (const i of trainIdx)
  for (let d = 0; d < featureDim; d++) mean[d]! += features[i * featureDim + d]! / trainIdx.length;
for (const i of trainIdx)
  for (let d = 0; d < featureDim; d++)
    std[d]! += (features[i * featureDim + d]! - mean[d]!) ** 2 / trainIdx.length;
for (let d = 0; d < featureDim; d++) std[d] = Math.sqrt(std[d]!) + 1e-3;
for (let i = 0; i < count; i++)
  for (let d = 0; d < featureDim; d++)
    features[i * featureDim + d] = (features[i * featureDim + d]! - mean[d]!) / std[d]!;
const X = tf.tensor2d(features.subarray(0, count * featureDim), [count, featureDim]);
const Y = tf.tensor2d(
  Array.from({ length: count }, (_, i) => [present[i]!, fill[i]!, uncertain[i]!]),
  [count, 3],
);

/** Presence and uncertain: cross-entropy. Fill: a smooth L1 on readable slots with a bottle only. */
function lossOf(pred: tf.Tensor2D, truth: tf.Tensor2D): tf.Scalar {
  const eps = 1e-6;
  const [p, f, u] = tf.split(pred, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const [tp, tf_, tu] = tf.split(truth, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const bce = (q: tf.Tensor, t: tf.Tensor) =>
    tf.neg(
      tf.add(tf.mul(t, tf.log(tf.add(q, eps))), tf.mul(tf.sub(1, t), tf.log(tf.add(tf.sub(1, q), eps)))),
    );
  // An unreadable slot's presence still teaches, but less (often nobody could tell).
  const presenceWeight = tf.sub(1, tf.mul(tu, 0.7));
  const presenceLoss = tf.div(tf.sum(tf.mul(bce(p, tp), presenceWeight)), tf.sum(presenceWeight));
  const fillMask = tf.mul(tp, tf.sub(1, tu));
  const fillError = tf.sqrt(tf.add(tf.square(tf.sub(f, tf_)), 1e-4));
  const fillLoss = tf.div(tf.sum(tf.mul(fillError, fillMask)), tf.add(tf.sum(fillMask), 1));
  const uncertainLoss = tf.mean(bce(u, tu));
  return tf.addN([presenceLoss, tf.mul(fillLoss, 6), tf.mul(uncertainLoss, 0.5)]) as tf.Scalar;
}

function evaluate(indices: number[]): SlotMetrics {
  const idx = tf.tensor1d(indices, 'int32');
  const pred = tf.tidy(() => net.head.predict(tf.gather(X, idx)) as tf.Tensor2D);
  const values = pred.arraySync();
  tf.dispose([idx, pred]);
  return slotMetrics(
    indices.map((i) => ({
      present: present[i] === 1,
      fillFraction: fill[i]!,
      uncertain: uncertain[i] === 1,
    })),
    values.map(([presence, fillFraction, u]) => ({
      presence: presence!,
      fillFraction: fillFraction!,
      uncertain: u!,
    })),
  );
}

const rng = createRng(seed + 7);
const optimizers = new Map<number, tf.Optimizer>();
const batchSize = 128;
let best: { score: number; epoch: number; weights: tf.Tensor[]; metrics: SlotMetrics } | null = null;
const trainStarted = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  const lr = epoch <= epochs * 0.6 ? 2e-3 : epoch <= epochs * 0.85 ? 5e-4 : 1.5e-4;
  const optimizer = optimizers.get(lr) ?? optimizers.set(lr, tf.train.adam(lr)).get(lr)!;
  const order = [...trainIdx];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let lossSum = 0;
  let batches = 0;
  for (let b = 0; b < order.length; b += batchSize) {
    const idx = tf.tensor1d(order.slice(b, b + batchSize), 'int32');
    const xb = tf.gather(X, idx);
    const yb = tf.gather(Y, idx) as tf.Tensor2D;
    const loss = optimizer.minimize(
      () => lossOf(net.head.apply(xb, { training: true }) as tf.Tensor2D, yb),
      true,
    );
    lossSum += loss!.dataSync()[0]!;
    batches++;
    tf.dispose([idx, xb, yb, loss!]);
  }
  const m = evaluate(valIdx);
  const score = m.fillMaeFraction + (1 - m.presenceAccuracy) * 2 + (1 - m.uncertainRecall) * 0.05;
  say(
    `epoch ${epoch}/${epochs} lr ${lr} loss ${(lossSum / batches).toFixed(4)} | val presence ${(m.presenceAccuracy * 100).toFixed(2)}% fill MAE ${(m.fillMaeFraction * 100).toFixed(2)}% uncertain recall ${(m.uncertainRecall * 100).toFixed(1)}%`,
  );
  if (!best || score < best.score) {
    best?.weights.forEach((w) => w.dispose());
    best = { score, epoch, weights: net.head.getWeights().map((w) => w.clone()), metrics: m };
  }
}
const trainSeconds = (performance.now() - trainStarted) / 1000;
net.head.setWeights(best!.weights);
foldStandardisation(net.head.getLayer('hidden1'), mean, std);
say(`best epoch ${best!.epoch}; saving to ${outDir}`);
await net.model.save(fileSystemModelHandler(outDir));
const bytes = (await stat(join(outDir, 'weights.bin'))).size + (await stat(join(outDir, 'model.json'))).size;
await writeFile(
  join(outDir, 'MODEL_CARD.md'),
  writeModelCard({
    seed,
    frames,
    slots: count,
    trainSlots: trainIdx.length,
    validationSlots: valIdx.length,
    epochs,
    bestEpoch: best!.epoch,
    featureDim,
    params: net.model.countParams(),
    bytes,
    backend,
    renderSeconds: renderMs / 1000,
    trainSeconds,
    totalSeconds: (performance.now() - started) / 1000,
    validation: best!.metrics,
    conditions: TRAINING_CONDITIONS,
  }),
);
say(
  `done: ${(bytes / 1024).toFixed(0)} KiB model, total ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
