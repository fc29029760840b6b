/**
 * Per-slot accuracy figures shared by train-detector.ts and eval-detector.ts. Three populations, each
 * printed with its size, so no figure hides what it leaves out:
 *  - used: readings the gateway's smoothing acts on (`isUsableReading`: not flagged unreadable, presence
 *    decisive). This is what can reach the ledger, so it carries the headline presence figure, with the
 *    abstention rate (readings the detector declined) beside it: abstaining more would raise it.
 *  - readable: slots a person could read (ground truth: not occluded, lights on), whatever the model said.
 *  - all: every slot, a presence decision at 0.5 even for a slot hidden behind an arm.
 */
import { cameraSmoothingSchema } from '@pourcast/protocol';
import { isUsableReading } from '../src/detection/smoothing-rules.ts';

/** The smoothing a slot map gets when it sets none. */
const DEFAULT_SMOOTHING = cameraSmoothingSchema.parse({});

export interface SlotTruth {
  present: boolean;
  fillFraction: number;
  uncertain: boolean;
}
export interface SlotGuess {
  presence: number;
  fillFraction: number;
  uncertain: number;
}

export interface SlotMetrics {
  slots: number;
  readable: number;
  /** Readings the smoothing uses (not flagged unreadable, presence ≥ 0.8 or ≤ 0.2). */
  used: number;
  /** Presence right on the used readings (occluded slots the model failed to flag count too). */
  presenceAccuracy: number;
  /** Share of all slots, and of readable slots, whose reading the smoothing would skip. */
  abstentionRate: number;
  abstentionRateReadable: number;
  /** Presence right on slots a person could read (not occluded, lights on), at 0.5. */
  presenceAccuracyReadable: number;
  /** Presence right on every slot, occluded ones included, at 0.5. */
  presenceAccuracyAll: number;
  /** Mean |fill error| on readable slots with a bottle, as a share of the bottle. */
  fillMaeFraction: number;
  /** 95th percentile of |fill error| on the same slots. */
  fillP95Fraction: number;
  /** Mean |fill error| on used readings of slots with a bottle (what the smoothing averages). */
  fillMaeUsedFraction: number;
  /** Share of unreadable slots the model flagged as uncertain, and of flags that were right. */
  uncertainRecall: number;
  uncertainPrecision: number;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function slotMetrics(
  truth: readonly SlotTruth[],
  guesses: readonly SlotGuess[],
  settings = DEFAULT_SMOOTHING,
): SlotMetrics {
  let readable = 0;
  let used = 0;
  let usedRight = 0;
  let readableSkipped = 0;
  let presenceRight = 0;
  let presenceRightAll = 0;
  const fillErrors: number[] = [];
  const usedFillErrors: number[] = [];
  let uncertainTrue = 0;
  let uncertainFlagged = 0;
  let uncertainBoth = 0;
  truth.forEach((t, i) => {
    const g = guesses[i]!;
    const right = g.presence >= 0.5 === t.present;
    if (right) presenceRightAll++;
    const usable = isUsableReading(g, settings);
    if (usable) {
      used++;
      if (right) usedRight++;
      if (t.present) usedFillErrors.push(Math.abs(g.fillFraction - t.fillFraction));
    }
    const flagged = g.uncertain > settings.uncertainAbove;
    if (flagged) uncertainFlagged++;
    if (t.uncertain) {
      uncertainTrue++;
      if (flagged) uncertainBoth++;
      return;
    }
    readable++;
    if (!usable) readableSkipped++;
    if (right) presenceRight++;
    if (t.present) fillErrors.push(Math.abs(g.fillFraction - t.fillFraction));
  });
  fillErrors.sort((a, b) => a - b);
  return {
    slots: truth.length,
    readable,
    used,
    presenceAccuracy: used ? usedRight / used : 0,
    abstentionRate: truth.length ? 1 - used / truth.length : 0,
    abstentionRateReadable: readable ? readableSkipped / readable : 0,
    presenceAccuracyReadable: readable ? presenceRight / readable : 0,
    presenceAccuracyAll: truth.length ? presenceRightAll / truth.length : 0,
    fillMaeFraction: mean(fillErrors),
    fillP95Fraction: fillErrors.length ? fillErrors[Math.floor(fillErrors.length * 0.95)]! : 0,
    fillMaeUsedFraction: mean(usedFillErrors),
    uncertainRecall: uncertainTrue ? uncertainBoth / uncertainTrue : 1,
    uncertainPrecision: uncertainFlagged ? uncertainBoth / uncertainFlagged : 1,
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : 0;
}
