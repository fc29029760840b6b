import type { CameraSmoothing } from '@pourcast/protocol';

/** One slot as the model read it in one frame. `at` is the gateway's clock (ms) when the frame arrived. */
export interface SlotReading {
  presence: number;
  fillFraction: number;
  uncertain: number;
  at: number;
}

/** A slot state the smoother has accepted. */
export interface SlotState {
  present: boolean;
  /** 0 when absent. */
  fillFraction: number;
}

/** Agreeing usable readings that may become the slot's next state. */
export interface Candidate {
  present: boolean;
  fills: number[];
  confidences: number[];
  firstAt: number;
  lastAt: number;
}

export type ChangeKind = 'removed' | 'returned' | 'level' | 'replaced';

/** How far presence must be from 0.5 to be read as a decision (P ≥ 0.8 or ≤ 0.2). */
export const DECISIVE_PRESENCE = 0.3;

/**
 * Rule 1 — skip what cannot be read: a frame where the slot is occluded or unreadable (the model's
 * uncertain output above `uncertainAbove`) or where presence is undecided says nothing about the slot. It
 * neither confirms nor breaks a run of agreeing frames.
 */
export function isUsableReading(reading: SlotReading, settings: CameraSmoothing): boolean {
  return (
    reading.uncertain <= settings.uncertainAbove && Math.abs(reading.presence - 0.5) >= DECISIVE_PRESENCE
  );
}

/**
 * Rule 2 — frames far apart are not a run: when usable frames are more than `maxGapMs` apart (camera
 * offline, lights off for a while), agreement starts over.
 */
export function runIsStale(candidate: Candidate, now: number, settings: CameraSmoothing): boolean {
  return now - candidate.lastAt > settings.maxGapMs;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Rule 3 — agreement: a reading continues a run when it sees the same presence and, for a bottle, a level
 * within `minLevelStep` of the run's median so far.
 */
export function agreesWithCandidate(
  candidate: Candidate,
  present: boolean,
  fill: number,
  settings: CameraSmoothing,
): boolean {
  if (candidate.present !== present) return false;
  return !present || Math.abs(fill - median(candidate.fills)) <= settings.minLevelStep;
}

/**
 * Rule 4 — confirmation: a run becomes the slot's state only after `confirmFrames` agreeing usable frames
 * spanning at least `minHoldMs`, so neither a glitch nor a burst of frames moves the ledger.
 */
export function isConfirmed(candidate: Candidate, now: number, settings: CameraSmoothing): boolean {
  return candidate.fills.length >= settings.confirmFrames && now - candidate.firstAt >= settings.minHoldMs;
}

/**
 * Rule 5 — levels only go down: liquid leaves a bottle, it does not come back. A confirmed level at least
 * `minLevelStep` below the accepted one is a `level` change; a higher one is a misreading and is ignored,
 * unless rule 6 says the bottle was replaced. Returns the level to accept, or null for no change.
 */
export function acceptLevel(previous: number, seen: number, settings: CameraSmoothing): number | null {
  return seen <= previous - settings.minLevelStep ? seen : null;
}

/**
 * Rule 6 — replacement: a bottle seen at `replacedAbove` or more where the accepted level was clearly lower
 * (by more than `minLevelStep`) is a new full bottle, whether it was swapped in view or while hidden.
 */
export function isReplacement(previous: number, seen: number, settings: CameraSmoothing): boolean {
  return seen >= settings.replacedAbove && previous < settings.replacedAbove - settings.minLevelStep;
}

/**
 * Rule 7 — a level step must beat the model's own error: a per-frame fill reading is off by `fillMae` on
 * average (measured on held-out frames when the model was trained, saved with it), so a drop smaller than
 * twice that is more likely noise than a pour. The step used is the larger of `minLevelStep` and 2 × fillMae.
 */
export function levelStepFor(settings: CameraSmoothing, fillMae: number | undefined): CameraSmoothing {
  const step = Math.max(settings.minLevelStep, 2 * (fillMae ?? 0));
  return step === settings.minLevelStep ? settings : { ...settings, minLevelStep: Math.min(0.5, step) };
}

/**
 * Rule 8 — a level drop in view needs twice the evidence: bottles are lifted to pour, so a level that
 * changes without the bottle leaving is rare and most often a misreading. A `level` change is accepted only
 * once its run holds 2 × `confirmFrames` agreeing frames (at most `maxRun`, the run window kept);
 * removals, returns and replacements keep 1 ×.
 */
export function levelRunIsLongEnough(candidate: Candidate, settings: CameraSmoothing, maxRun = 15): boolean {
  return candidate.fills.length >= Math.min(2 * settings.confirmFrames, maxRun);
}

/**
 * Rule 9 — a bottle that comes back was most likely poured from: its confirmed level is taken whenever it is
 * lower than the level it left with, however small the drop (rule 5's step guards a bottle that stayed in
 * view, where a drop is rarely real). A small pour is then recorded at the return, not later, all at once,
 * as a `level` change when the in-view drops add up to a step. A higher level is still a misreading.
 */
export function returnedLevel(previous: number, seen: number): number {
  return Math.min(previous, seen);
}

/**
 * Classifies a confirmed state against the accepted one (rules 5, 6 and 9 for levels). `levelBeforeRemoval`
 * is the level of the bottle when it left the slot, so a bottle that comes back is held to the same rules.
 * Returns null when nothing changed.
 */
export function classifyChange(
  accepted: SlotState,
  confirmed: SlotState,
  levelBeforeRemoval: number | null,
  settings: CameraSmoothing,
): { kind: ChangeKind; state: SlotState } | null {
  if (accepted.present && !confirmed.present)
    return { kind: 'removed', state: { present: false, fillFraction: 0 } };
  if (!accepted.present && !confirmed.present) return null;
  const previous = accepted.present ? accepted.fillFraction : levelBeforeRemoval;
  if (previous === null) return { kind: 'returned', state: confirmed };
  if (isReplacement(previous, confirmed.fillFraction, settings))
    return { kind: 'replaced', state: confirmed };
  if (!accepted.present)
    return {
      kind: 'returned',
      state: { present: true, fillFraction: returnedLevel(previous, confirmed.fillFraction) },
    };
  const lower = acceptLevel(previous, confirmed.fillFraction, settings);
  return lower === null ? null : { kind: 'level', state: { present: true, fillFraction: lower } };
}
