import { describe, expect, it } from 'vitest';
import { demoBarFile, demoBundles } from './demo-bar.ts';
import { nominalMeasure, planShift, type ShiftStep } from './scenario.ts';
import { buildShiftReport, type ShiftReport } from './shift-report.ts';

const bar = demoBarFile(demoBundles('mqtt://127.0.0.1:1883', (id) => `placeholder-secret-${id}`));
const START = Date.UTC(2026, 10, 20, 18, 0);
const report = (seed: number, extra: Partial<Parameters<typeof planShift>[1]> = {}) =>
  buildShiftReport(bar, planShift(bar, { seed, startAt: START, ...extra }));
const sizeOf = (itemId: string) => bar.scales.find((s) => s.item.id === itemId)!.item.containerMl;

/** Stock conservation: Δ total = Δ open (platform levels) + Δ sealed × size, per item. */
function conservation(r: ShiftReport) {
  const result: Record<string, { deltaMl: number; containers: number }> = {};
  for (const scale of bar.scales) {
    const key = `${scale.deviceId}/${scale.platform}`;
    const entry = (result[scale.item.id] ??= { deltaMl: 0, containers: 0 });
    entry.deltaMl += r.levelsMl.end[key]! - r.levelsMl.start[key]!;
  }
  for (const a of r.actions) {
    const entry = result[a.itemId]!;
    const sealed =
      a.type === 'replace-bottle'
        ? -1
        : a.type === 'scan'
          ? a.mode === 'receive'
            ? a.quantity
            : a.mode === 'waste'
              ? -a.quantity
              : 0
          : 0;
    entry.containers += sealed;
    entry.deltaMl += sealed * sizeOf(a.itemId);
  }
  return result;
}

describe('shift scenario', () => {
  it('is the same for a seed and differs between seeds', () => {
    expect(report(42)).toEqual(report(42));
    expect(report(42).actions).not.toEqual(report(43).actions);
  });

  it('plays a busy shift: pours of 1-3 measures, a delivery midway, one breakage, a dry bottle replaced', () => {
    const r = report(42);
    expect(r.counts.rounds).toBeGreaterThan(80);
    expect(r.counts.pours).toBeGreaterThanOrEqual(r.counts.lifts);
    expect(r.counts.freePours).toBeGreaterThan(0);
    expect(r.counts.bottlesReplaced).toBeGreaterThan(0);
    const scans = r.actions.filter((a) => a.type === 'scan');
    expect(scans.filter((s) => s.mode === 'receive').map((s) => [s.itemId, s.quantity])).toEqual([
      ['tanqueray-700', 6],
      ['aperol-700', 2],
    ]);
    const receivedAt = (scans.find((s) => s.mode === 'receive')!.at - START) / 60_000;
    expect(receivedAt).toBeGreaterThan(100);
    expect(receivedAt).toBeLessThan(140);
    expect(scans.filter((s) => s.mode === 'waste')).toEqual([
      expect.objectContaining({ quantity: 1, reason: 'breakage' }),
    ]);
    for (const pour of r.actions.filter((a) => a.type === 'pour')) {
      if (!pour.free) expect([25, 30, 45, 60]).toContain(pour.measureMl);
      else
        expect([25, 30, 45, 60].some((m) => pour.measureMl - m >= 1 && pour.measureMl - m <= 4)).toBe(true);
    }
    const times = r.actions.map((a) => a.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(r.endAt).toBeGreaterThanOrEqual(START + 240 * 60_000);
  });

  it('reports deltas that conserve stock: open ml on the platforms plus sealed containers × size', () => {
    for (const seed of [1, 2, 42, 1234]) {
      const r = report(seed);
      const expected = conservation(r);
      for (const [itemId, { deltaMl, containers }] of Object.entries(expected)) {
        expect(r.expectedDeltaMlByItem[itemId], `${itemId} seed ${seed}`).toBe(deltaMl);
        expect(r.expectedContainersDeltaByItem[itemId], `${itemId} seed ${seed}`).toBe(containers);
      }
      const poured = r.actions.reduce((sum, a) => sum + (a.type === 'pour' ? a.ml : 0), 0);
      expect(r.counts.pouredMl).toBe(poured);
    }
  });

  it('resolves a script exactly, in gateway terms', () => {
    const steps: ShiftStep[] = [
      { type: 'serve', atMin: 1, deviceId: 'rail-scale-1', platform: 0, measuresMl: [30, 30] },
      { type: 'serve', atMin: 2, deviceId: 'rail-scale-1', platform: 3, measuresMl: [60, 45] },
      { type: 'receive', atMin: 3, barcode: '5000297000016', quantity: 6 },
      { type: 'waste', atMin: 4, barcode: '5000297000016' },
      { type: 'serve', atMin: 5, deviceId: 'rail-scale-1', platform: 3, measuresMl: [25] },
    ];
    const r = report(7, { actions: steps, durationMin: 10 });
    expect(r.actions.map((a) => a.type)).toEqual([
      'lift',
      'pour',
      'pour',
      'put-back',
      'lift',
      'pour',
      'pour',
      'replace-bottle',
      'scan',
      'scan',
      'lift',
      'pour',
      'put-back',
    ]);
    // Aperol held 95 ml: 60 poured, then only 35 of the 45 before it ran dry.
    expect(
      r.actions
        .filter((a) => a.type === 'pour' && a.itemId === 'aperol-700')
        .map((a) => a.type === 'pour' && a.ml),
    ).toEqual([60, 35, 25]);
    expect(r.expectedDeltaMlByItem).toMatchObject({
      'tanqueray-700': -60 + 4_200 - 700,
      'aperol-700': -95 - 25,
    });
    expect(r.expectedContainersDeltaByItem).toMatchObject({
      'tanqueray-700': 5,
      'aperol-700': -1,
      'absolut-1000': 0,
    });
    expect(r.levelsMl.end).toMatchObject({ 'rail-scale-1/0': 552, 'rail-scale-1/3': 675 });
    expect(r.actions[0]!.at).toBe(START + 60_000);
  });

  it('refuses scripts the gateway could not see', () => {
    expect(() =>
      report(1, { actions: [{ type: 'replace', atMin: 1, deviceId: 'scale-whiskey-1' }] }),
    ).toThrow(/looks sealed/);
    expect(() =>
      report(1, { actions: [{ type: 'serve', atMin: 1, deviceId: 'scale-whiskey-1', measuresMl: [2] }] }),
    ).toThrow(/measure must be/);
    expect(() =>
      report(1, { actions: [{ type: 'serve', atMin: 1, deviceId: 'nope-1', measuresMl: [30] }] }),
    ).toThrow(/no bottle on nope-1\/0/);
  });

  it('plays a given number of rounds', () => {
    expect(report(5, { actions: 12, durationMin: 60 }).counts.lifts).toBe(12);
  });
});

describe('a shift with a POS', () => {
  const script: ShiftStep[] = [
    { type: 'serve', atMin: 1, deviceId: 'rail-scale-1', platform: 3, measuresMl: [60, 45] },
    { type: 'serve', atMin: 2, deviceId: 'rail-scale-1', platform: 3, measuresMl: [25] },
  ];
  const pours = (r: ShiftReport) =>
    r.actions.flatMap((a) => (a.type === 'pour' ? [[a.ml, a.soldMl ?? null] as const] : []));

  it('rings up only finished drinks; a dry bottle leaves the measure short unless finished from the new one', () => {
    // Aperol held 95 ml: 60 poured, then only 35 of the 45 before it ran dry.
    expect(pours(report(7, { actions: script, durationMin: 5 }))).toEqual([
      [60, 60],
      [35, null],
      [25, 25],
    ]);
    const finished = report(7, { actions: script, durationMin: 5, finishDryPours: true });
    expect(pours(finished)).toEqual([
      [60, 60],
      [35, null],
      [10, 45],
      [25, 25],
    ]);
    expect(finished.actions.map((a) => a.type).slice(0, 7)).toEqual([
      'lift',
      'pour',
      'pour',
      'replace-bottle',
      'lift',
      'pour',
      'put-back',
    ]);
    expect(finished.levelsMl.end['rail-scale-1/3']).toBe(700 - 10 - 25);
    const expected = conservation(finished);
    expect(finished.expectedDeltaMlByItem['aperol-700']).toBe(expected['aperol-700']!.deltaMl);
  });

  it("pours the heavy hand's slot over what is rung up, and only that slot", () => {
    const r = report(42, { overpour: { slots: ['rail-scale-1/0'], factor: 1.3 }, finishDryPours: true });
    let heavy = 0;
    for (const [index, a] of r.actions.entries()) {
      if (a.type !== 'pour' || a.soldMl === undefined) continue;
      // A pour finishing a measure from a new bottle is only the rest of it.
      const finishing = r.actions[index - 2]?.type === 'replace-bottle';
      if (`${a.deviceId}/${a.platform}` === 'rail-scale-1/0') {
        heavy++;
        if (!finishing) expect(a.ml).toBe(Math.round(a.soldMl * 1.3));
      } else if (!finishing) {
        expect(a.soldMl).toBe(nominalMeasure(a.measureMl));
        expect(a.ml - a.soldMl).toBeLessThanOrEqual(4);
      }
    }
    expect(heavy).toBeGreaterThan(5);
  });
});
