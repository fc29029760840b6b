import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cameraSmoothingSchema } from '@pourcast/protocol';
import {
  acceptLevel,
  agreesWithCandidate,
  classifyChange,
  isConfirmed,
  isReplacement,
  isUsableReading,
  levelRunIsLongEnough,
  levelStepFor,
  runIsStale,
  type Candidate,
} from './smoothing-rules.ts';

const settings = cameraSmoothingSchema.parse({}); // 3 frames over ≥ 3 s, gap 30 s, step 0.05, replaced ≥ 0.9

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_800_000_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

const reading = (presence: number, fill: number, uncertain = 0) => ({
  presence,
  fillFraction: fill,
  uncertain,
  at: Date.now(),
});
const runOf = (present: boolean, fills: number[]): Candidate => ({
  present,
  fills,
  confidences: fills.map(() => 1),
  firstAt: Date.now(),
  lastAt: Date.now(),
});

describe('rule 1: isUsableReading skips occluded and undecided frames', () => {
  it('uses a clear reading and skips an occluded or undecided one', () => {
    expect(isUsableReading(reading(0.97, 0.5), settings)).toBe(true);
    expect(isUsableReading(reading(0.03, 0), settings)).toBe(true);
    expect(isUsableReading(reading(0.97, 0.5, 0.8), settings)).toBe(false);
    expect(isUsableReading(reading(0.6, 0.5), settings)).toBe(false);
  });
});

describe('rule 2: runIsStale starts over after a long gap', () => {
  it('keeps a run within maxGapMs and drops it after', () => {
    const run = runOf(true, [0.5]);
    vi.advanceTimersByTime(settings.maxGapMs);
    expect(runIsStale(run, Date.now(), settings)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(runIsStale(run, Date.now(), settings)).toBe(true);
  });
});

describe('rule 3: agreesWithCandidate', () => {
  it('agrees on the same presence and a level within one step of the run median', () => {
    const run = runOf(true, [0.5, 0.52, 0.49]);
    expect(agreesWithCandidate(run, true, 0.54, settings)).toBe(true);
    expect(agreesWithCandidate(run, true, 0.4, settings)).toBe(false);
    expect(agreesWithCandidate(run, false, 0, settings)).toBe(false);
    expect(agreesWithCandidate(runOf(false, [0]), false, 0, settings)).toBe(true);
  });
});

describe('rule 4: isConfirmed needs N frames spanning minHoldMs', () => {
  it('is not confirmed by a burst, only by frames held long enough', () => {
    const run = runOf(false, [0, 0, 0]);
    expect(isConfirmed(run, Date.now(), settings)).toBe(false);
    vi.advanceTimersByTime(settings.minHoldMs - 1);
    expect(isConfirmed(run, Date.now(), settings)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(isConfirmed(run, Date.now(), settings)).toBe(true);
    expect(isConfirmed(runOf(false, [0, 0]), Date.now() + 60_000, settings)).toBe(false);
  });
});

describe('rule 5: acceptLevel only goes down', () => {
  it('accepts a drop of at least one step and ignores rises and small wobbles', () => {
    expect(acceptLevel(0.6, 0.54, settings)).toBeCloseTo(0.54);
    expect(acceptLevel(0.6, 0.57, settings)).toBeNull();
    expect(acceptLevel(0.6, 0.75, settings)).toBeNull();
  });
});

describe('rule 6: isReplacement', () => {
  it('takes a clearly lower bottle seen full as a new one', () => {
    expect(isReplacement(0.2, 0.98, settings)).toBe(true);
    expect(isReplacement(0.88, 0.98, settings)).toBe(false);
    expect(isReplacement(0.2, 0.8, settings)).toBe(false);
  });
});

describe('classifyChange', () => {
  it('tells removed, returned, level and replaced apart', () => {
    const at = (present: boolean, fillFraction: number) => ({ present, fillFraction });
    expect(classifyChange(at(true, 0.6), at(false, 0), null, settings)?.kind).toBe('removed');
    expect(classifyChange(at(false, 0), at(true, 0.5), 0.6, settings)).toEqual({
      kind: 'returned',
      state: at(true, 0.5),
    });
    // Back higher than it left but not full: a misreading; the level stays where it was.
    expect(classifyChange(at(false, 0), at(true, 0.7), 0.6, settings)).toEqual({
      kind: 'returned',
      state: at(true, 0.6),
    });
    // Rule 9: back a little lower than it left (less than the level step): the small pour is taken at once.
    expect(classifyChange(at(false, 0), at(true, 0.57), 0.6, settings)).toEqual({
      kind: 'returned',
      state: at(true, 0.57),
    });
    // The same small drop on a bottle that stayed in view is noise (rule 5).
    expect(classifyChange(at(true, 0.6), at(true, 0.57), null, settings)).toBeNull();
    expect(classifyChange(at(false, 0), at(true, 0.99), 0.1, settings)?.kind).toBe('replaced');
    expect(classifyChange(at(true, 0.6), at(true, 0.5), null, settings)?.kind).toBe('level');
    expect(classifyChange(at(true, 0.1), at(true, 0.98), null, settings)?.kind).toBe('replaced');
    expect(classifyChange(at(true, 0.6), at(true, 0.62), null, settings)).toBeNull();
    expect(classifyChange(at(false, 0), at(false, 0), 0.6, settings)).toBeNull();
  });
});

describe("rule 7: levelStepFor sizes the level step by the model's measured error", () => {
  it('keeps the configured step for an accurate model and widens it for a noisy one', () => {
    expect(levelStepFor(settings, 0.02)).toBe(settings);
    expect(levelStepFor(settings, undefined)).toBe(settings);
    expect(levelStepFor(settings, 0.04).minLevelStep).toBeCloseTo(0.08);
    expect(levelStepFor(settings, 0.4).minLevelStep).toBe(0.5);
    // A drop of 6 % is a level change for the accurate model, noise for the noisy one.
    expect(acceptLevel(0.7, 0.64, levelStepFor(settings, 0.02))).toBeCloseTo(0.64);
    expect(acceptLevel(0.7, 0.64, levelStepFor(settings, 0.04))).toBeNull();
  });
});

describe('rule 8: levelRunIsLongEnough wants twice the frames for a level drop in view', () => {
  it('needs 2 × confirmFrames agreeing frames, capped by the run window', () => {
    expect(levelRunIsLongEnough(runOf(true, [0.6, 0.6, 0.6]), settings)).toBe(false);
    expect(levelRunIsLongEnough(runOf(true, Array(6).fill(0.6)), settings)).toBe(true);
    const slow = { ...settings, confirmFrames: 10 };
    expect(levelRunIsLongEnough(runOf(true, Array(15).fill(0.6)), slow, 15)).toBe(true);
    expect(levelRunIsLongEnough(runOf(true, Array(14).fill(0.6)), slow, 15)).toBe(false);
  });
});
