import type { CameraSmoothing } from '@pourcast/protocol';
import {
  agreesWithCandidate,
  classifyChange,
  isConfirmed,
  isUsableReading,
  levelRunIsLongEnough,
  median,
  runIsStale,
  type Candidate,
  type ChangeKind,
  type SlotReading,
  type SlotState,
} from './smoothing-rules.ts';

/** Readings kept per run for its median. */
export const RUN_WINDOW = 15;

export interface SmoothedChange {
  kind: ChangeKind;
  state: SlotState;
  /** Mean presence confidence of the confirming frames, 0-1. */
  confidence: number;
  at: number;
}

export type SmootherStep =
  | { outcome: 'skipped' }
  | { outcome: 'pending' }
  | { outcome: 'baseline'; state: SlotState }
  | { outcome: 'unchanged' }
  | { outcome: 'change'; change: SmoothedChange };

/**
 * One shelf slot's temporal smoothing (rules in smoothing-rules.ts). The first confirmed state is the
 * baseline and raises no change; after that every confirmed difference is classified.
 */
export class SlotSmoother {
  #accepted: SlotState | null = null;
  #levelBeforeRemoval: number | null = null;
  #candidate: Candidate | null = null;

  constructor(private readonly settings: CameraSmoothing) {}

  get state(): SlotState | null {
    return this.#accepted;
  }

  observe(reading: SlotReading): SmootherStep {
    if (!isUsableReading(reading, this.settings)) return { outcome: 'skipped' };
    const present = reading.presence >= 0.5;
    const fill = present ? reading.fillFraction : 0;
    const confidence = Math.abs(reading.presence - 0.5) * 2 * (1 - reading.uncertain);
    const c = this.#candidate;
    if (
      c &&
      !runIsStale(c, reading.at, this.settings) &&
      agreesWithCandidate(c, present, fill, this.settings)
    ) {
      c.fills.push(fill);
      c.confidences.push(confidence);
      c.lastAt = reading.at;
      // Keep a sliding window so a slot that stays the same for days holds a bounded history.
      if (c.fills.length > RUN_WINDOW) {
        c.fills.shift();
        c.confidences.shift();
      }
    } else {
      this.#candidate = {
        present,
        fills: [fill],
        confidences: [confidence],
        firstAt: reading.at,
        lastAt: reading.at,
      };
    }
    const run = this.#candidate!;
    if (!isConfirmed(run, reading.at, this.settings)) return { outcome: 'pending' };
    const confirmed: SlotState = { present: run.present, fillFraction: run.present ? median(run.fills) : 0 };
    // A confirmed run keeps going (its next frames re-confirm it); only a different run can change the slot.
    if (!this.#accepted) {
      this.#accepted = confirmed;
      return { outcome: 'baseline', state: confirmed };
    }
    const change = classifyChange(this.#accepted, confirmed, this.#levelBeforeRemoval, this.settings);
    if (!change) return { outcome: 'unchanged' };
    if (change.kind === 'level' && !levelRunIsLongEnough(run, this.settings, RUN_WINDOW))
      return { outcome: 'pending' };
    if (change.kind === 'removed') this.#levelBeforeRemoval = this.#accepted.fillFraction;
    this.#accepted = change.state;
    // Later frames of this run are measured against the new state, not re-reported.
    this.#candidate = { ...run, fills: [change.state.fillFraction], confidences: [...run.confidences] };
    const runConfidence = run.confidences.reduce((a, b) => a + b, 0) / run.confidences.length;
    return {
      outcome: 'change',
      change: { kind: change.kind, state: change.state, confidence: runConfidence, at: reading.at },
    };
  }
}
