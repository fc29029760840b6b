/**
 * The demo bar's shelf camera end to end: the simulator films the scales' bottles → JPEG frames over MQTT →
 * the gateway's shelf detection (tfjs) → camera `count` events in the ledger → the hub (wrangler dev).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { deviceBundleSchema, deviceTopic, stockEventSchema, type StockEvent } from '@pourcast/protocol';
import { DEMO_CAMERA_ID } from '../scripts/lib/demo-bar.ts';
import { waitFor } from '../scripts/lib/processes.ts';
import { startSimulator } from '../scripts/lib/system.ts';
import {
  gatewayHealth,
  gatewaySummaries,
  hubStock,
  startTestStack,
  stockChange,
  waitForCatchUp,
  type TestStack,
} from './support.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const eventsPageSchema = z.object({ events: z.array(stockEventSchema), nextAfterSeq: z.number() });

/** Every event the gateway still holds (acknowledged ones stay for the display), oldest first. */
async function gatewayEvents(): Promise<StockEvent[]> {
  const events: StockEvent[] = [];
  for (let afterSeq = 0; ;) {
    const response = await fetch(`${stack.system.gatewayUrl}/api/v1/events?afterSeq=${afterSeq}&limit=1000`);
    const page = eventsPageSchema.parse(await response.json());
    events.push(...page.events);
    if (page.events.length < 1000) return events;
    afterSeq = page.nextAfterSeq;
  }
}

it('a camera over the scales sends count events that reach the hub and leave its stock to the scales', async () => {
  const before = await hubStock(stack.system);
  const startSeq = (await gatewayHealth(stack.system)).ledger.lastSeq;
  // Busy service (a bottle is lifted for every pour), in a loop until the camera has confirmed changes.
  const sim = startSimulator(
    stack.system.bar.barFilePath,
    ['--seed', '21', '--duration', '30', '--rounds-per-hour', '120', '--speed', '60', '--loop', '--quiet'],
    (line) => stack.logs.push(`[sim] ${line}`),
  );
  let cameraEvents: StockEvent[];
  try {
    cameraEvents = await waitFor(
      'camera count events in the gateway ledger',
      async () => {
        const found = (await gatewayEvents()).filter((e) => e.source === 'camera');
        return found.length >= 2 ? found : undefined;
      },
      75_000,
      1_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${stack.logs.slice(-40).join('\n')}`);
    });
  } finally {
    await sim.stop();
  }

  for (const event of cameraEvents) {
    expect(event).toMatchObject({ kind: 'count', source: 'camera', deviceId: DEMO_CAMERA_ID });
    expect(event.slot).toMatch(/^s0[1-8]$/);
    // Every demo bottle stands on a scale: the scale measures, the camera only observes.
    expect({ deltaMl: event.deltaMl, containersDelta: event.containersDelta }).toEqual({
      deltaMl: 0,
      containersDelta: 0,
    });
    expect(event.confidence).toBeGreaterThan(0);
  }

  const health = await waitForCatchUp(stack.system);
  const camera = health.cameras?.[DEMO_CAMERA_ID];
  expect(camera?.processed).toBeGreaterThan(0);
  expect(camera?.recorded).toBeGreaterThanOrEqual(cameraEvents.length);
  expect(camera?.unrecorded).toBe(0);
  const [gateway] = await gatewaySummaries(stack.system);
  expect(gateway!.ackSeq).toBeGreaterThanOrEqual(Math.max(...cameraEvents.map((e) => e.seq)));

  // The hub's stock moved by the scale events alone: the camera's add nothing.
  const all = await gatewayEvents();
  const scaleDelta: Record<string, number> = {};
  for (const event of all)
    if (event.seq > startSeq && event.source !== 'camera')
      scaleDelta[event.itemId] = (scaleDelta[event.itemId] ?? 0) + event.deltaMl;
  const changed = stockChange(before, await hubStock(stack.system));
  for (const itemId of new Set(cameraEvents.map((e) => e.itemId)))
    expect({ itemId, totalMl: changed[itemId]?.totalMl }).toEqual({
      itemId,
      totalMl: scaleDelta[itemId] ?? 0,
    });
}, 240_000);

it('refuses a frame that is not a JPEG and one over the size limit, each with a counted reason', async () => {
  const bundle = deviceBundleSchema.parse(
    JSON.parse(readFileSync(join(stack.dataDir, 'bar', 'devices', `${DEMO_CAMERA_ID}.json`), 'utf8')),
  );
  const client = await mqtt.connectAsync(bundle.brokerUrl, {
    clientId: bundle.deviceId,
    username: bundle.deviceId,
    password: bundle.secret,
    reconnectPeriod: 0,
  });
  try {
    const topic = deviceTopic(bundle.deviceId, 'frame');
    await client.publishAsync(topic, Buffer.from('GIF89a, not a JPEG'), { qos: 1 });
    const oversize = Buffer.alloc(2 * 1024 * 1024 + 1, 0);
    oversize[0] = 0xff;
    oversize[1] = 0xd8;
    await client.publishAsync(topic, oversize, { qos: 1 });
  } finally {
    await client.endAsync();
  }
  const health = await gatewayHealth(stack.system);
  expect(health.refusedByReason['publish:not-jpeg']).toBe(1);
  expect(health.refusedByReason['publish:oversize']).toBe(1);
  expect(health.broker.refused).toBeGreaterThanOrEqual(2);
}, 60_000);
