import { describe, expect, it } from 'vitest';
import { DriftWatch, type PlatformDrift } from './drift-watch.ts';

const empty = (grams: number, platform = 0) => ({ seq: 0, at: 0, grams, platform });

describe('DriftWatch', () => {
  it('stays quiet while the empty platform reads about 0 g, noise included', () => {
    const alerts: PlatformDrift[] = [];
    const watch = new DriftWatch({}, (_id, drift) => alerts.push(drift));
    for (let i = 0; i < 500; i++) watch.observe('scale-1', empty(i % 2 ? 3 : -3));
    expect(alerts).toEqual([]);
    expect(watch.drift('scale-1')).toEqual([
      { platform: 0, emptyG: expect.any(Number), drifted: false, since: null },
    ]);
  });

  it('raises one alert when the empty reading creeps past the tolerance, per platform', () => {
    const alerts: Array<[string, PlatformDrift]> = [];
    const watch = new DriftWatch({ toleranceG: 5, minReadings: 50 }, (id, drift) => alerts.push([id, drift]));
    for (let i = 0; i < 400; i++) watch.observe('scale-1', empty(i / 40, 1), 1_000 + i); // creeps to +10 g
    expect(alerts).toHaveLength(1);
    const [id, drift] = alerts[0]!;
    expect(id).toBe('scale-1');
    expect(drift).toMatchObject({ platform: 1, drifted: true });
    expect(drift.emptyG).toBeGreaterThanOrEqual(5); // the first average past 5 g, to 0.1 g
    expect(watch.drift('scale-1')[0]!.emptyG).toBeGreaterThan(8);
    expect(watch.drift('scale-1')[0]).toMatchObject({ platform: 1, drifted: true });
    expect(watch.drift('scale-2')).toEqual([]);
  });

  it('ignores readings with a bottle on the platform', () => {
    const watch = new DriftWatch({ minReadings: 10 });
    for (let i = 0; i < 100; i++) watch.observe('scale-1', empty(900));
    expect(watch.drift('scale-1')).toEqual([]);
  });

  it('needs enough empty readings before it judges, and a calibration starts it again', () => {
    const alerts: PlatformDrift[] = [];
    const watch = new DriftWatch({ minReadings: 50 }, (_id, drift) => alerts.push(drift));
    for (let i = 0; i < 49; i++) watch.observe('scale-1', empty(-20));
    expect(alerts).toEqual([]);
    watch.observe('scale-1', empty(-20));
    expect(alerts).toMatchObject([{ emptyG: -20, drifted: true }]);
    watch.reset('scale-1');
    expect(watch.drift('scale-1')).toEqual([]);
  });
});
