import type { RenderConditions } from '../../devices/src/camera/index.ts';
import {
  CROP_HEIGHT,
  CROP_WIDTH,
  LIQUID_RANGE,
  READOUT_WINDOW,
  ROW_BANDS,
  ROW_HIDDEN,
  ROW_KERNEL,
} from '../src/detection/architecture.ts';
import type { SlotMetrics } from './detector-metrics.ts';

export interface ModelCardFacts {
  seed: number;
  frames: number;
  slots: number;
  trainSlots: number;
  validationSlots: number;
  rowEpochs: number;
  cropEpochs: number;
  bestRowEpoch: number;
  bestCropEpoch: number;
  params: number;
  bytes: number;
  backend: string;
  renderSeconds: number;
  rowSeconds: number;
  cropSeconds: number;
  totalSeconds: number;
  /** CPU time of the training process (user + system), and the machine's mean load average meanwhile. */
  cpuSeconds: number;
  loadAverage: number;
  validation: SlotMetrics;
  conditions: RenderConditions;
  rowBatch: number;
  rowLr: number;
  /** The row head's learning rate steps: share of the epochs each lasts until, and what the rate is divided by. */
  rowLrSteps: readonly { until: number; divide: number }[];
  /** Crops of nearly transparent liquids are seen this many times per row-head epoch. */
  hardRepeat: number;
  /** What the row head continued from (`--init`, described by `--init-note`), or null: from the seed. */
  init: string | null;
  cached: boolean;
}

const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)} %`;
const lr = (x: number) => x.toExponential(1).replace('.0e', 'e');

/** MODEL_CARD.md for the built-in shelf detector, written by train-detector.ts from the run's own facts. */
export function writeModelCard(f: ModelCardFacts): string {
  const v = f.validation;
  return `# Shelf detector (built-in)

Reads one shelf slot crop and says whether a bottle stands there, how full it is, and whether the slot is
hidden or unreadable in this frame. Written by \`npm run train:detector\`; do not edit by hand.

## Contract
- Input: \`[batch, ${CROP_HEIGHT}, ${CROP_WIDTH}, 3]\` float32 RGB in [0, 1]: the slot rectangle from the camera's slot
  map, box-averaged to ${CROP_HEIGHT} rows × ${CROP_WIDTH} columns (\`edge/src/detection/slot-crops.ts\`).
- Output: \`[batch, 3]\` sigmoid: P(bottle present), fill fraction (liquid height as a share of the bottle body,
  base to shoulder), P(occluded or unreadable).
- Format: TF.js layers model (\`model.json\` + \`weights.bin\`), ${f.params.toLocaleString('en')} parameters, ${(f.bytes / 1024).toFixed(0)} KiB.
  A bring-your-own model (slot map \`modelDir\`) must keep the same input and output meaning; its input size is
  read from the model.

## Architecture
The level is a row position, so the detector reads a crop row by row (\`edge/src/detection/row-layers.ts\`,
\`architecture.ts\`). TF.js on wasm has no convolution gradients, so the row convolution is trained as a matrix
product on row patches and saved as a convolution:
- fixed row features: per-crop lighting normalisation (gray world, one contrast scale), then for each of the
  ${CROP_HEIGHT} rows in 8 column groups: normalised colour, horizontal detail, the colour low in the crop where a body is,
  and the row's height;
- row head (a convolution ${ROW_KERNEL} rows × 8 groups → ${ROW_HIDDEN[0]} ReLU → 1 × 1 ${ROW_HIDDEN[1]} ReLU → 1 × 1 3): per row, logits for
  "the liquid surface / the shoulder / the base is here"; a softmax over the rows places each boundary with
  sub-row precision, read as the expected row within ± ${READOUT_WINDOW} rows of the likeliest row (the mode: a faint surface
  half-seen in two places is put at the likelier one, not between them; training's loss uses the mean over all
  rows); the surface is looked for only from ${LIQUID_RANGE.above} rows above the shoulder to ${LIQUID_RANGE.below} row under the base (a neck edge or a
  label line is not the liquid), and fill = (base − surface) / (base − shoulder);
- crop head: a normalised 16 × 4 thumbnail, raw brightness (mean, spread) and the row logits in ${ROW_BANDS} bands →
  dense 48 ReLU → P(present), P(unreadable); its feature standardisation is folded into the first dense layer.

## Data
Synthetic, rendered by the camera simulator (\`devices/src/camera\`), seed ${f.seed}: ${f.frames} frames of 1280 × 720,
each a new random shelf of 6-16 slots (80 % of slots hold a bottle; levels: 20 % full, 10 % near empty, the rest
uniform), five bottle shapes, six glass tints, ten liquids (clear spirits included), labels, lighting gradients,
colour casts, sensor noise, JPEG quality ${f.conditions.jpegQuality.join('-')}, camera shake up to ${f.conditions.shakePx} px,
arms in ${pct(f.conditions.occluderRate, 0)} of frames, lights dimmed in ${pct(f.conditions.dimRate, 0)} and off in ${pct(f.conditions.offRate, 0)}.
A slot is labelled unreadable when more than 5 % of it is covered or the lights are off.
${f.slots} slot crops: ${f.trainSlots} for training, ${f.validationSlots} held out (the last 10 % of frames).

## Training
1. Row head: ${f.init ? `continued from ${f.init}; ` : 'from the seed; '}Adam, batch ${f.rowBatch} crops × ${CROP_HEIGHT} rows, ${f.rowEpochs} epochs on readable slots with a bottle;
   learning rate ${f.rowLrSteps
     .map((s, i) =>
       i === f.rowLrSteps.length - 1
         ? `${lr(f.rowLr / s.divide)} to the end`
         : `${lr(f.rowLr / s.divide)} to ${Math.round(s.until * 100)} %${i === 0 ? ' of the epochs' : ''}`,
     )
     .join(', ')}${
     f.hardRepeat > 1
       ? `; crops of nearly transparent liquids
   (clear spirits, the hardest to read) ${f.hardRepeat} times per epoch`
       : ''
   }; loss = cross-entropy of each boundary's row softmax against a
   Gaussian (σ 1 row) around the renderer's true row + 10 × |fill error|. Best held-out epoch ${f.bestRowEpoch} (0 = the
   starting weights), ${f.rowSeconds.toFixed(0)} s.
2. Crop head: Adam, batch 128, ${f.cropEpochs} epochs; presence cross-entropy (unreadable slots weighted 0.2) + unreadable
   cross-entropy. Best held-out epoch ${f.bestCropEpoch}, ${f.cropSeconds.toFixed(0)} s.

Backend ${f.backend}; ${f.cached ? 'data set read from the render cache' : `rendering ${f.renderSeconds.toFixed(0)} s`}, ${f.totalSeconds.toFixed(0)} s in all
(${f.cpuSeconds.toFixed(0)} s of CPU) on a shared 2-core machine with a mean load average of ${f.loadAverage.toFixed(1)}.

## Held-out metrics (same conditions as training, the saved model end to end)
| metric | value |
| --- | --- |
| presence accuracy, readings the smoothing uses | ${pct(v.presenceAccuracy)} (${v.used} slots; abstained on ${pct(v.abstentionRate)}) |
| presence accuracy, readable slots | ${pct(v.presenceAccuracyReadable)} (${v.readable} slots) |
| presence accuracy, all slots | ${pct(v.presenceAccuracyAll)} (${v.slots} slots) |
| fill MAE, share of the bottle | ${pct(v.fillMaeFraction)} (${(v.fillMaeFraction * 750).toFixed(1)} ml of 750 ml) |
| fill error, 95th percentile | ${pct(v.fillP95Fraction)} |
| unreadable slots flagged (recall / precision) | ${pct(v.uncertainRecall, 1)} / ${pct(v.uncertainPrecision, 1)} |

Harder held-out conditions, false change events through the smoothing and latency per backend:
\`npm run eval:detector\`.

## Limits
Trained on synthetic frames only. Real glass, reflections and backlit shelves will differ: collect labelled
frames from the bar's own cameras before trusting levels in ml, or bring your own model through \`modelDir\`.
`;
}
