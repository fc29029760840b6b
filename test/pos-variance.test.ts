/**
 * The demo's POS end to end: the simulated bar plays a shift at high speed while its POS (Tabit's cloud being
 * the only simulated part) sends each round's check to the hub's signed Tabit webhook, rung up at the station
 * of the scale poured from. Well-2's bartender pours one bottle 30 % over what the POS rings up; the hub
 * must flag that item at that station and nothing else, and the variance rule must record an alert for it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { alertListSchema, stationVarianceReportSchema, varianceReportSchema } from '@pourcast/protocol';
import { loadBarFile, loadPosFile, planShift, type ShiftAction } from '@pourcast/devices';
import { reportDemoVariance, writeDemoPosFile, type DemoPosFile } from '../scripts/lib/demo-pos.ts';
import { startSimulator } from '../scripts/lib/system.ts';
import {
  managerClient,
  readShiftReports,
  startTestStack,
  waitForCatchUp,
  type TestStack,
} from './support.ts';

let stack: TestStack;
let pos: DemoPosFile;

beforeAll(async () => {
  stack = await startTestStack();
  pos = await writeDemoPosFile({
    hubUrl: stack.system.hub.url,
    seed: stack.system.seed,
    barFilePath: stack.system.bar.barFilePath,
    dataDir: stack.dataDir,
  });
});
afterAll(async () => {
  await stack?.close();
});

/** Ml poured over what was rung up on the heavy hand's slot (a drink finished from a new bottle counts whole). */
function overpouredMl(actions: readonly ShiftAction[]): number {
  let over = 0;
  for (const action of actions) {
    if (action.type !== 'pour' || `${action.deviceId}/${action.platform}` !== pos.overpouredSlot) continue;
    over += action.ml - (action.soldMl ?? 0);
  }
  return over;
}

/** Plans are pure and seeded: the first seed whose short shift overpours at least `ml`. */
async function seedWithOverpour(ml: number): Promise<number> {
  const bar = await loadBarFile(stack.system.bar.barFilePath);
  const file = await loadPosFile(pos.path);
  for (let seed = 1; seed < 200; seed++) {
    const plan = planShift(bar, {
      seed,
      startAt: 0,
      durationMin: 20,
      roundsPerHour: 40,
      finishDryPours: true,
      overpour: file.overpour!,
    });
    if (overpouredMl(plan.actions) >= ml) return seed;
  }
  throw new Error(`no seed overpours ${ml} ml`);
}

it('flags the overpouring station and item, nothing else, and records a variance alert', async () => {
  const reportFile = join(stack.dataDir, 'shift.jsonl');
  // The shift lies in the past (the alert rule looks at the 24 hours before now), played 300× fast.
  const start = new Date(Date.now() - 2 * 3_600_000).toISOString();
  // A short shift (about 13 rounds); the seed is the first whose plan has the heavy hand pour 80 ml over.
  const seed = await seedWithOverpour(80);
  const args = [
    ...['--seed', String(seed), '--duration', '20', '--rounds-per-hour', '40'],
    ...['--speed', '300', '--quiet'],
  ];
  const sim = startSimulator(
    stack.system.bar.barFilePath,
    [...args, '--start', start, '--pos', pos.path, '--report', reportFile],
    (line) => stack.logs.push(`[sim] ${line}`),
  );
  expect(await sim.exited, stack.logs.slice(-40).join('\n')).toBe(0);
  const [report] = readShiftReports(reportFile);
  const sentLine = stack.logs.find((line) => line.includes('pos: '));
  expect(sentLine, stack.logs.slice(-40).join('\n')).toMatch(/pos: \d+ checks .* 0 refused/);
  // The heavy hand poured over what was rung up, on the overpoured slot only.
  expect(overpouredMl(report!.actions)).toBeGreaterThanOrEqual(80);
  await waitForCatchUp(stack.system);

  const manager = await managerClient(stack.system);
  const { locationId } = stack.system.seed;
  const period = `from=${encodeURIComponent(new Date(report!.startAt - 60_000).toISOString())}&to=${encodeURIComponent(new Date(report!.endAt + 60_000).toISOString())}`;
  const stations = await manager.request(
    'GET',
    `/locations/${locationId}/variance/stations?${period}`,
    stationVarianceReportSchema,
  );
  const summary = stations.stations.flatMap((s) =>
    s.lines.map((l) => `${s.name} ${l.itemName}: sold ${l.soldMl}, measured ${l.measuredMl} ±${l.bandMl}`),
  );
  expect(
    stations.ranked.map((l) => [l.stationName, l.itemId]),
    summary.join('\n'),
  ).toEqual([[pos.overpouredStation, pos.overpouredItemId]]);
  expect(stations.ranked[0]!.varianceMl).toBeGreaterThan(0);
  // Every other station line has sales and is within its band or the tolerance.
  expect(stations.stations.flatMap((s) => s.lines).filter((l) => l.soldMl > 0).length).toBeGreaterThan(3);

  const bar = await manager.request(
    'GET',
    `/locations/${locationId}/variance?${period}`,
    varianceReportSchema,
  );
  expect(bar.ranked.map((l) => l.itemId)).toEqual([pos.overpouredItemId]);

  await manager.request('POST', '/alerts/run', z.unknown(), {});
  const alerts = await manager.request('GET', '/alerts?status=open', alertListSchema);
  const variance = alerts.alerts.filter((a) => a.rule === 'variance');
  const itemName = bar.ranked[0]!.itemName;
  expect(variance.map((a) => a.title)).toEqual([expect.stringContaining(itemName)]);

  // What `npm start` prints after each shift.
  const printed = await reportDemoVariance(stack.system.hub.url, stack.system.seed);
  expect(printed[0]).toContain(`flagged    ${pos.overpouredStation} ${itemName}`);
  expect(printed.filter((line) => line.includes('flagged'))).toHaveLength(1);
});
