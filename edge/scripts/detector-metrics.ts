/** Per-slot accuracy figures shared by train-detector.ts and eval-detector.ts. */
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
  /** Presence right on slots a person could read (not occluded, lights on). */
  presenceAccuracy: number;
  /** Presence right on every slot, occluded ones included. */
  presenceAccuracyAll: number;
  /** Mean |fill error| on readable slots with a bottle, as a share of the bottle. */
  fillMaeFraction: number;
  /** 95th percentile of |fill error| on the same slots. */
  fillP95Fraction: number;
  /** Share of unreadable slots the model flagged as uncertain, and of flags that were right. */
  uncertainRecall: number;
  uncertainPrecision: number;
}

export function slotMetrics(
  truth: readonly SlotTruth[],
  guesses: readonly SlotGuess[],
  uncertainAbove = 0.5,
): SlotMetrics {
  let readable = 0;
  let presenceRight = 0;
  let presenceRightAll = 0;
  const fillErrors: number[] = [];
  let uncertainTrue = 0;
  let uncertainFlagged = 0;
  let uncertainBoth = 0;
  truth.forEach((t, i) => {
    const g = guesses[i]!;
    const right = g.presence >= 0.5 === t.present;
    if (right) presenceRightAll++;
    const flagged = g.uncertain > uncertainAbove;
    if (flagged) uncertainFlagged++;
    if (t.uncertain) {
      uncertainTrue++;
      if (flagged) uncertainBoth++;
      return;
    }
    readable++;
    if (right) presenceRight++;
    if (t.present) fillErrors.push(Math.abs(g.fillFraction - t.fillFraction));
  });
  fillErrors.sort((a, b) => a - b);
  return {
    slots: truth.length,
    readable,
    presenceAccuracy: readable ? presenceRight / readable : 0,
    presenceAccuracyAll: truth.length ? presenceRightAll / truth.length : 0,
    fillMaeFraction: fillErrors.length ? fillErrors.reduce((a, b) => a + b, 0) / fillErrors.length : 0,
    fillP95Fraction: fillErrors.length ? fillErrors[Math.floor(fillErrors.length * 0.95)]! : 0,
    uncertainRecall: uncertainTrue ? uncertainBoth / uncertainTrue : 1,
    uncertainPrecision: uncertainFlagged ? uncertainBoth / uncertainFlagged : 1,
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : 0;
}
