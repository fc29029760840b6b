import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { weightReadingSchema, scanSchema } from '@pourcast/protocol';
import { getDeviceDefinition } from '../src/definitions/registry.ts';
import { createVirtualClock } from '../src/sim/clock.ts';
import { DEMO_DEVICES, demoBarFile } from '../src/sim/demo-bar.ts';
import { RunningBar } from '../src/sim/running-bar.ts';
import { playShift } from '../src/sim/shift.ts';
import type { ShiftAction } from '../src/sim/shift-action.ts';
import { startTestBroker, type TestBroker } from './support/aedes-broker.ts';

const START = Date.UTC(2026, 10, 20, 18, 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

describe('playShift over a real broker', () => {
  let broker: TestBroker;
  beforeEach(async () => {
    broker = await startTestBroker();
  });
  afterEach(async () => {
    await broker.close();
  });

  const openBar = () =>
    demoBarFile(DEMO_DEVICES.map((d) => broker.device(d.id, getDeviceDefinition(d.model).kind, d.model)));
  const published = (channel: string) =>
    broker.published
      .filter((p) => p.packet.topic.endsWith(`/${channel}`))
      .map((p) => ({
        deviceId: p.packet.topic.split('/')[2]!,
        payload: JSON.parse(p.packet.payload.toString()),
      }));

  it('streams readings whose settled weights follow the shift, gesture by gesture', async () => {
    const bar = openBar();
    const seen: ShiftAction[] = [];
    const report = await playShift(bar, {
      seed: 9,
      durationMin: 30,
      clock: createVirtualClock({ startAt: START, speed: 60 }),
      onAction: (action) => seen.push(action),
    });
    expect(seen).toEqual(report.actions);
    expect(report.counts.lifts).toBeGreaterThan(5);

    const weights = published('weight');
    for (const w of weights) expect(weightReadingSchema.safeParse(w.payload).success).toBe(true);
    for (const scale of bar.scales) {
      const stream = weights
        .filter((w) => w.deviceId === scale.deviceId && w.payload.platform === scale.platform)
        .map((w) => w.payload as { seq: number; at: number; grams: number });
      // Device-side seq and at only ever grow.
      for (let i = 1; i < stream.length; i++) {
        expect(stream[i]!.seq).toBeGreaterThan(stream[i - 1]!.seq);
        expect(stream[i]!.at).toBeGreaterThanOrEqual(stream[i - 1]!.at);
      }
      // Plateaus a stability window (5 readings within ±2 g of their median) finds, as levels; −1 = lifted.
      const plateaus: number[] = [];
      for (let i = 5; i <= stream.length; i++) {
        const window = stream.slice(i - 5, i).map((r) => r.grams);
        const m = median(window);
        if (!window.every((g) => Math.abs(g - m) <= 2)) continue;
        const level = m < 50 ? -1 : Math.round((m - scale.item.emptyWeightG) / scale.item.densityGPerMl);
        if (plateaus.at(-1) !== level) plateaus.push(level);
      }
      const expected = [report.levelsMl.start[`${scale.deviceId}/${scale.platform}`]!];
      for (const a of report.actions) {
        if (a.type === 'scan' || a.deviceId !== scale.deviceId || a.platform !== scale.platform) continue;
        const next =
          a.type === 'lift'
            ? -1
            : a.type === 'put-back' || a.type === 'replace-bottle'
              ? a.levelMl
              : undefined;
        if (next !== undefined && expected.at(-1) !== next) expected.push(next);
      }
      expect(plateaus, `${scale.deviceId}/${scale.platform}`).toEqual(expected);
    }

    const scans = published('scan').map((s) => scanSchema.parse(s.payload));
    const scanActions = report.actions.filter((a) => a.type === 'scan');
    expect(scans.map((s) => [s.barcode, s.mode, s.quantity, s.at])).toEqual(
      scanActions.map((a) => [a.barcode, a.mode, a.quantity, a.at]),
    );
    expect(scans.map((s) => s.mode)).toEqual(expect.arrayContaining(['receive', 'waste']));

    // Every device left a clean, retained offline status.
    const statuses = published('status').filter((s) => s.payload.state === 'offline');
    expect(new Set(statuses.map((s) => s.deviceId))).toEqual(new Set(DEMO_DEVICES.map((d) => d.id)));
  });

  it('keeps a bar running between shifts: levels carry over and other sims can read the bottles', async () => {
    const bar = openBar();
    const clock = createVirtualClock({ startAt: START, speed: 60 });
    const running = await RunningBar.open(bar, { clock, seed: 1 });
    try {
      const held: boolean[] = [];
      const first = await playShift(bar, {
        seed: 1,
        durationMin: 20,
        running,
        onAction: (action) => {
          if (action.type === 'lift' || action.type === 'put-back' || action.type === 'replace-bottle') {
            const bottle = running
              .bottles()
              .find((b) => b.deviceId === action.deviceId && b.platform === action.platform)!;
            held.push(bottle.onPlatform);
          }
        },
      });
      expect(held.length).toBeGreaterThan(0);
      expect(held.every((onPlatform, i) => onPlatform === (i % 2 === 1))).toBe(true);
      const second = await playShift(bar, { seed: 2, durationMin: 20, running });
      expect(second.levelsMl.start).toEqual(first.levelsMl.end);
      expect(second.startAt).toBeGreaterThanOrEqual(first.endAt);
      expect(
        Object.fromEntries(running.bottles().map((b) => [`${b.deviceId}/${b.platform}`, b.levelMl])),
      ).toEqual(second.levelsMl.end);
    } finally {
      await running.close();
    }
  });

  it('publishes the very same readings for the same seed', async () => {
    const run = async () => {
      broker.published.length = 0;
      await playShift(openBar(), {
        seed: 3,
        durationMin: 10,
        clock: createVirtualClock({ startAt: START, speed: 60 }),
      });
      return published('weight');
    };
    const first = await run();
    const second = await run();
    expect(first.length).toBeGreaterThan(500);
    expect(second).toEqual(first);
  });

  it('stops at the signal and still says offline', async () => {
    const controller = new AbortController();
    const play = playShift(openBar(), {
      seed: 4,
      durationMin: 60,
      clock: createVirtualClock({ startAt: START, speed: 60 }),
      signal: controller.signal,
      onAction: (action) => {
        if (action.type === 'put-back') controller.abort(new Error('SIGINT'));
      },
    });
    await expect(play).rejects.toThrow('SIGINT');
    const offline = published('status').filter((s) => s.payload.state === 'offline');
    expect(offline).toHaveLength(DEMO_DEVICES.length);
  });
});
