import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cameraSmoothingSchema } from '@pourcast/protocol';
import { SlotSmoother, type SmootherStep } from './slot-smoother.ts';

const settings = cameraSmoothingSchema.parse({ confirmFrames: 3, minHoldMs: 3_000 });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_800_000_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

/** Feeds one frame every 2 s (the camera's default rate). */
function feed(smoother: SlotSmoother, presence: number, fill: number, uncertain = 0): SmootherStep {
  vi.advanceTimersByTime(2_000);
  return smoother.observe({ presence, fillFraction: fill, uncertain, at: Date.now() });
}
const changes = (steps: SmootherStep[]) =>
  steps.flatMap((s) => (s.outcome === 'change' ? [s.change.kind] : []));

describe('SlotSmoother', () => {
  it('takes the first confirmed state as the baseline without a change', () => {
    const smoother = new SlotSmoother(settings);
    const steps = [feed(smoother, 0.95, 0.7), feed(smoother, 0.95, 0.71), feed(smoother, 0.95, 0.69)];
    expect(steps.map((s) => s.outcome)).toEqual(['pending', 'pending', 'baseline']);
    expect(smoother.state).toEqual({ present: true, fillFraction: 0.7 });
  });

  it('reports a removal only after it is consistent, skipping occluded frames in between', () => {
    const smoother = new SlotSmoother(settings);
    for (let i = 0; i < 3; i++) feed(smoother, 0.95, 0.7);
    const steps = [
      feed(smoother, 0.05, 0),
      feed(smoother, 0.9, 0.7, 0.9), // an arm in front: skipped, does not break the run
      feed(smoother, 0.05, 0),
      feed(smoother, 0.05, 0),
    ];
    expect(steps.map((s) => s.outcome)).toEqual(['pending', 'skipped', 'pending', 'change']);
    expect(changes(steps)).toEqual(['removed']);
  });

  it('ignores a one-frame glitch', () => {
    const smoother = new SlotSmoother(settings);
    for (let i = 0; i < 3; i++) feed(smoother, 0.95, 0.7);
    const steps = [feed(smoother, 0.05, 0), ...Array.from({ length: 5 }, () => feed(smoother, 0.95, 0.7))];
    expect(changes(steps)).toEqual([]);
  });

  it('reports a level drop, never a rise, and a replacement by a full bottle', () => {
    const smoother = new SlotSmoother(settings);
    for (let i = 0; i < 3; i++) feed(smoother, 0.95, 0.7);
    const drop = Array.from({ length: 7 }, () => feed(smoother, 0.95, 0.6));
    expect(changes(drop)).toEqual(['level']);
    // Rule 8: the level drop needed 2 × confirmFrames agreeing frames, not 3.
    expect(drop.findIndex((s) => s.outcome === 'change')).toBe(5);
    const rise = Array.from({ length: 4 }, () => feed(smoother, 0.95, 0.68));
    expect(changes(rise)).toEqual([]);
    expect(smoother.state?.fillFraction).toBeCloseTo(0.6);
    const gone = Array.from({ length: 4 }, () => feed(smoother, 0.05, 0));
    const back = Array.from({ length: 4 }, () => feed(smoother, 0.95, 0.99));
    expect([...changes(gone), ...changes(back)]).toEqual(['removed', 'replaced']);
  });

  it('starts a run over when usable frames are too far apart', () => {
    const smoother = new SlotSmoother(settings);
    feed(smoother, 0.95, 0.7);
    feed(smoother, 0.95, 0.7);
    vi.advanceTimersByTime(settings.maxGapMs + 1);
    expect(feed(smoother, 0.95, 0.7).outcome).toBe('pending');
  });
});
