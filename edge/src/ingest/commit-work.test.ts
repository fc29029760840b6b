import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDb, type OpenedDb } from '../db/open-db.ts';
import { pipelineCursor, readings, scaleSlots } from '../db/schema.ts';
import { commitWork } from './commit-work.ts';
import { PipelineWork, slotKey } from './pipeline-work.ts';

const identity = { gatewayId: 'gw-1', locationId: 'loc-1' };
let dir: string;
let opened: OpenedDb;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pourcast-commit-work-'));
  opened = await openDb(dir, { synchronous: 'OFF' });
});
afterEach(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

async function storeReadings(count: number, deviceOf: (i: number) => string): Promise<number[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    deviceId: deviceOf(i),
    channel: 'weight' as const,
    payload: '{}',
    receivedAt: i,
  }));
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await opened.db
      .insert(readings)
      .values(rows.slice(i, i + 500))
      .returning({ id: readings.id });
    ids.push(...inserted.map((row) => row.id));
  }
  return ids.sort((a, b) => a - b);
}

/** A pass that saw one reading per device and left each slot at `grams`. */
function passOver(ids: number[], deviceOf: (i: number) => string, grams: (i: number) => number) {
  const work = new PipelineWork();
  ids.forEach((id, i) => {
    const deviceId = deviceOf(i);
    work.slotUpdates.set(slotKey(deviceId, 0), {
      deviceId,
      platform: 0,
      state: { phase: 'bottle', levelMl: 500 + i, itemId: 'gin', window: [grams(i), grams(i)] },
      observedAt: new Date(1_763_000_000_000 + i).toISOString(),
    });
    work.markProcessed(deviceId, id);
  });
  return work;
}

it('writes every slot, cursor and inbox deletion of a pass, and a later pass updates them in place', async () => {
  // 1,500 scales: the multi-row upserts split at 1,000 rows a statement.
  const deviceOf = (i: number) => `scale-${i}`;
  const first = await storeReadings(1500, deviceOf);
  await commitWork(
    opened.db,
    identity,
    passOver(first, deviceOf, () => 900),
    1000,
  );

  const second = await storeReadings(1500, deviceOf);
  // The second pass moves only the even scales; the odd ones keep the first pass's state.
  const even = second.filter((_, i) => i % 2 === 0);
  await commitWork(
    opened.db,
    identity,
    passOver(
      even,
      (i) => deviceOf(i * 2),
      () => 700,
    ),
    2000,
  );

  const slots = await opened.db.select().from(scaleSlots).orderBy(asc(scaleSlots.deviceId));
  expect(slots).toHaveLength(1500);
  const byDevice = new Map(slots.map((row) => [row.deviceId, row]));
  expect(byDevice.get('scale-0')).toMatchObject({ window: [700, 700], levelMl: 500, updatedAt: 2000 });
  expect(byDevice.get('scale-1')).toMatchObject({ window: [900, 900], levelMl: 501, updatedAt: 1000 });
  expect(byDevice.get('scale-1498')).toMatchObject({ window: [700, 700], levelMl: 500 + 749 });

  const cursors = new Map(
    (await opened.db.select().from(pipelineCursor)).map((row) => [row.deviceId, row.lastReadingId]),
  );
  expect(cursors.size).toBe(1500);
  expect(cursors.get('scale-0')).toBe(second[0]);
  expect(cursors.get('scale-1')).toBe(first[1]);

  // The inbox holds exactly the odd scales' second readings: everything processed is gone.
  const left = (await opened.db.select({ id: readings.id }).from(readings)).map((row) => row.id);
  expect(left.sort((a, b) => a - b)).toEqual(second.filter((_, i) => i % 2 === 1));
});
