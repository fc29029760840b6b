/**
 * The hub unreachable for a weekend while 30 scales keep weighing at 10 Hz, on an accelerated clock: one
 * pour cycle per scale every 2 simulated hours (every 20 minutes with POURCAST_SOAK=1), readings 100 ms apart on
 * the device clocks. The gateway keeps serving its API, the inbox drains (disk grows with events only),
 * /health reports the outbox growth per hour and free disk; after recovery the hub holds every event
 * exactly once. Prints the catch-up rate.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceTopic, gatewayHealthSchema } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../../src/index.ts';
import { listEvents } from '../../src/inventory/ledger.ts';
import { silentLogger } from '../../src/log.ts';
import { startContractHub, type ContractHub } from '../support/contract-hub.ts';
import {
  catalog,
  connectDevice,
  gatewayConfig,
  ginGrams,
  makeDevice,
  tempDir,
  until,
  type TestDevice,
} from '../support/fixtures.ts';

const SCALES = 30;
const WEEKEND_H = 48;
const CYCLE_MIN = process.env.POURCAST_SOAK ? 20 : 120;
/** Above the 3 ml noise floor, small enough that no bottle runs dry: one event per cycle per scale. */
const POUR_ML = process.env.POURCAST_SOAK ? 4 : 10;

let hub: ContractHub;
let dir: ReturnType<typeof tempDir>;
let gateway: Gateway;
let scales: TestDevice[];

beforeAll(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  scales = await Promise.all(
    Array.from({ length: SCALES }, (_, i) =>
      makeDevice(`scale-${String(i + 1).padStart(2, '0')}`, 'scale', [{ platform: 0, itemId: 'gin' }]),
    ),
  );
  gateway = await startGateway(gatewayConfig(dir.path, scales, { url: hub.url, claimCode: hub.claimCode }), {
    logger: silentLogger,
    retentionMs: 3600_000,
  });
  await until(() => gateway.catalog.loaded);
});
afterAll(async () => {
  vi.useRealTimers();
  await gateway.close();
  await hub.close();
  dir.remove();
});

it('rides out a weekend without the hub and catches up exactly once', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const t0 = Date.now();
  const clients: MqttClient[] = await Promise.all(
    scales.map((scale) => connectDevice(gateway.mqttPort, scale)),
  );
  const state = scales.map(() => ({ seq: 0, at: t0, levelMl: 700 }));
  const publish = (i: number, grams: number) => {
    const s = state[i]!;
    const reading = { seq: ++s.seq, at: (s.at += 100), grams, platform: 0 };
    return clients[i]!.publishAsync(deviceTopic(scales[i]!.id, 'weight'), JSON.stringify(reading), {
      qos: 1,
    });
  };
  const five = async (i: number, grams: number) => {
    for (let n = 0; n < 5; n++) await publish(i, grams);
  };
  // Friday 18:00: every bottle weighed once while the hub is still there.
  await Promise.all(scales.map((_, i) => five(i, ginGrams(700))));
  await gateway.settled();
  await until(async () => (await gateway.health()).outbox.pending === 0, 30_000);
  const before = await gateway.health();

  hub.mode = 'error-500'; // the bar's internet is down until Sunday night
  const cycles = (WEEKEND_H * 60) / CYCLE_MIN;
  const healthLog: Array<{ hour: number; pending: number; growth: number | null; free: number | null }> = [];
  for (let cycle = 1; cycle <= cycles; cycle++) {
    vi.setSystemTime(t0 + cycle * CYCLE_MIN * 60_000);
    await Promise.all(
      scales.map(async (_, i) => {
        const s = state[i]!;
        if (s.levelMl < 100)
          s.levelMl = 700; // a fresh bottle
        else s.levelMl -= POUR_ML;
        s.at = Date.now();
        await five(i, 2); // lifted
        await five(i, ginGrams(s.levelMl)); // put back
      }),
    );
    if ((cycle * CYCLE_MIN) % 480 === 0) {
      await gateway.settled();
      // The display's API keeps answering, over HTTP as the staff screen asks it.
      const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/health`);
      const health = gatewayHealthSchema.parse(await response.json());
      expect(health.status).toBe('degraded');
      expect(health.outbox.hubReachable).toBe(false);
      healthLog.push({
        hour: (cycle * CYCLE_MIN) / 60,
        pending: health.outbox.pending,
        growth: health.storage?.outboxGrowthPerHour ?? null,
        free: health.storage?.freeBytes ?? null,
      });
    }
  }
  await gateway.settled();
  await Promise.all(clients.map((client) => client.endAsync()));
  const offline = await gateway.health();
  const expectedEvents = SCALES + SCALES * cycles;
  expect(offline.ledger.lastSeq).toBe(expectedEvents);
  expect(offline.outbox.pending).toBe(expectedEvents - SCALES);
  // Growth per hour as /health reported it: one pour per scale per cycle.
  const perHour = (SCALES * 60) / CYCLE_MIN;
  // (The forwarder also samples once a real minute, mid-cycle on this accelerated clock: within a quarter.)
  expect(Math.abs(healthLog.at(-1)!.growth! - perHour)).toBeLessThanOrEqual(perHour / 4);
  expect(offline.storage?.freeBytes).toBeGreaterThan(0);
  // Disk bounded: the readings inbox is empty, the database holds events only.
  const inbox = Number((await gateway.db.$client.execute('SELECT count(*) AS n FROM readings')).rows[0]!.n);
  expect(inbox).toBe(0);
  const bytesPerEvent = (offline.ledger.dbBytes - before.ledger.dbBytes) / (expectedEvents - SCALES);
  // What grows is the ledger (under 1 KB an event) and the write-ahead log up to its auto-checkpoint size
  // (1000 pages of 4 KiB), never the readings.
  expect(offline.ledger.dbBytes - before.ledger.dbBytes).toBeLessThan(
    1000 * 4096 + 1024 * (expectedEvents - SCALES),
  );

  vi.useRealTimers();
  hub.mode = 'ok'; // Sunday night: back
  const catchUpStart = performance.now();
  while ((await gateway.health()).outbox.pending > 0) await gateway.forwardNow();
  const seconds = (performance.now() - catchUpStart) / 1000;
  const written = await listEvents(gateway.db, 0, expectedEvents + 10);
  expect([...hub.applied.keys()].sort((a, b) => a - b)).toEqual(written.map((e) => e.seq));
  expect(hub.applied.size).toBe(expectedEvents);
  for (const event of written) expect(hub.applied.get(event.seq)?.id).toBe(event.id);
  expect(hub.gaps).toEqual([]);
  console.log(
    `weekend: ${SCALES} scales, ${WEEKEND_H} h at one pour per ${CYCLE_MIN} min, ${expectedEvents - SCALES} events held offline, ` +
      `${Math.round(bytesPerEvent)} B/event on disk, growth ${perHour}/h reported; catch-up ${Math.round((expectedEvents - SCALES) / seconds)} events/s ` +
      `(${seconds.toFixed(1)} s); health samples ${JSON.stringify(healthLog.map((h) => [h.hour, h.pending, h.growth]))}`,
  );
}, 600_000);
