/**
 * `eval-detector --record`: writes the evaluation's figures next to the model they measure, so nobody copies
 * them by hand: `userDefinedMetadata.pourcast.evaluation` in model.json (machine-readable, beside `fillMae`,
 * the training hold-out's figure the smoothing reads) and the "Evaluation" section of MODEL_CARD.md.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RecordedEvaluation {
  date: string;
  seed: number;
  frames: number;
  slots: number;
  used: number;
  presenceAccuracy: number;
  abstentionRate: number;
  /** Share of readable slots whose reading the smoothing skips (absent in records before it was kept). */
  abstentionRateReadable?: number;
  presenceAccuracyReadable: number;
  presenceAccuracyAll: number;
  fillMaeFraction: number;
  /** Fill MAE on the readings the smoothing uses (slots with a bottle), and on clear spirits and dimmed frames
   * among the readable slots (absent in older records). */
  fillMaeUsedFraction?: number;
  fillMaeClear?: number;
  fillMaeDimmed?: number;
  fillP95Fraction: number;
  falseEventsPerCameraHour: number;
  shiftMinutes: number;
  backend: string;
  p50Ms: number | null;
  p95Ms: number | null;
  /** CPU time per frame, 95th percentile (absent in older records). */
  cpuP95Ms?: number | null;
  /** 1-minute load average of the machine while latency was measured, and its core count. */
  loadAverage: number;
  cores: number;
}

const BEGIN = '<!-- evaluation: written by npm run eval:detector -- --record -->';
const END = '<!-- /evaluation -->';
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

export function evaluationSection(e: RecordedEvaluation): string {
  const ms = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} ms`);
  return `${BEGIN}
## Evaluation (held out: seed ${e.seed}, harder conditions than training)
Measured ${e.date.slice(0, 10)} by \`npm run eval:detector\` on ${e.frames} frames (${e.slots} slots).
| metric | value | target |
| --- | --- | --- |
| presence accuracy, readings the smoothing uses | ${pct(e.presenceAccuracy)} (${e.used} slots; abstained on ${pct(e.abstentionRate)}) | ≥ 99.5 % |
| presence accuracy, readable slots / all slots | ${pct(e.presenceAccuracyReadable)} / ${pct(e.presenceAccuracyAll)} | |
| fill MAE, readable slots with a bottle | ${pct(e.fillMaeFraction)} = ${(e.fillMaeFraction * 750).toFixed(1)} ml of 750 ml | ≤ 3 % |
${
  e.fillMaeUsedFraction === undefined
    ? ''
    : `| fill MAE, readings the smoothing uses (slots with a bottle${e.abstentionRateReadable === undefined ? '' : `; abstains on ${pct(e.abstentionRateReadable)} of readable slots`}) | ${pct(e.fillMaeUsedFraction)} = ${(e.fillMaeUsedFraction * 750).toFixed(1)} ml of 750 ml | |
`
}${
    e.fillMaeClear === undefined || e.fillMaeDimmed === undefined
      ? ''
      : `| fill MAE, readable clear spirits / readable slots in dimmed frames | ${pct(e.fillMaeClear)} / ${pct(e.fillMaeDimmed)} | |
`
  }| fill error, 95th percentile | ${pct(e.fillP95Fraction)} | |
| false change events per camera-hour (${e.shiftMinutes} min shift, arms on) | ${e.falseEventsPerCameraHour.toFixed(2)} | ≤ 1 |
| latency per 1280 × 720 frame, 12 slots, ${e.backend}, one core: p50 / p95 | ${ms(e.p50Ms)} / ${ms(e.p95Ms)} (load average ${e.loadAverage.toFixed(1)} on ${e.cores} cores${e.cpuP95Ms == null ? '' : `; CPU per frame p95 ${ms(e.cpuP95Ms)}`}) | p95 ≤ 60 ms |

The hub's variance takes a camera reading's error from the bar setting \`cameraErrorMl\`: set it from the fill
MAE above (in ml of the bar's bottle size).
${END}`;
}

export async function recordEvaluation(modelDir: string, e: RecordedEvaluation): Promise<void> {
  const jsonPath = join(modelDir, 'model.json');
  const model = JSON.parse(await readFile(jsonPath, 'utf8')) as {
    userDefinedMetadata?: { pourcast?: Record<string, unknown> };
  };
  const meta = (model.userDefinedMetadata ??= {});
  meta.pourcast = { ...meta.pourcast, evaluation: e };
  await writeFile(jsonPath, JSON.stringify(model));
  const cardPath = join(modelDir, 'MODEL_CARD.md');
  const card = await readFile(cardPath, 'utf8').catch(() => '');
  const section = evaluationSection(e);
  const begin = card.indexOf(BEGIN);
  const end = card.indexOf(END);
  const next =
    begin >= 0 && end > begin
      ? card.slice(0, begin) + section + card.slice(end + END.length)
      : card.replace(/\n## Limits\n/, `\n${section}\n\n## Limits\n`);
  await writeFile(cardPath, next.includes(section) ? next : `${card.trimEnd()}\n\n${section}\n`);
}
