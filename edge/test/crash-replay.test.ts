import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceTopic, type GatewayConfig, type StockEvent } from '@pourcast/protocol';
import { startGateway, type Gateway, type GatewayOptions } from '../src/index.ts';
import { silentLogger } from '../src/log.ts';
import { startContractHub, type ContractHub } from './support/contract-hub.ts';
import {
  catalog,
  connectDevice,
  gatewayConfig,
  ginGrams,
  makeDevice,
  tempDir,
  until,
  type TestDevice,
} from './support/fixtures.ts';

let hub: ContractHub;
let dir: ReturnType<typeof tempDir>;
let scale: TestDevice;
let config: GatewayConfig;

beforeAll(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  config = gatewayConfig(dir.path, [scale], { url: hub.url, claimCode: hub.claimCode });
});
afterAll(async () => {
  await hub.close();
  dir.remove();
});

async function run<T>(
  options: GatewayOptions,
  body: (gateway: Gateway, events: StockEvent[]) => Promise<T>,
): Promise<T> {
  const gateway = await startGateway(config, { logger: silentLogger, forwardCoalesceMs: 10, ...options });
  const events: StockEvent[] = [];
  gateway.bus.on('stock-event', (event) => events.push(event));
  try {
    return await body(gateway, events);
  } finally {
    await gateway.close();
  }
}

/** The device's clock goes on across its restarts; its seq starts again at 0 each time. */
let deviceClock = 1_763_000_000_000;

async function publishWeights(gateway: Gateway, grams: number[]) {
  const client = await connectDevice(gateway.mqttPort, scale);
  let seq = 0;
  for (const g of grams) {
    const payload = { seq: seq++, at: (deviceClock += 100), grams: g, platform: 0 };
    await client.publishAsync(deviceTopic(scale.id, 'weight'), JSON.stringify(payload), { qos: 1 });
  }
  await client.endAsync();
}

const five = (g: number) => Array<number>(5).fill(g);

it('replays readings stored before a crash exactly once, and seq survives restarts and pruning', async () => {
  // Run 1 "crashes" between the inbox write and the pipeline: readings are acknowledged, never processed.
  await run({ processReadings: false }, async (gateway, events) => {
    await until(() => gateway.catalog.loaded);
    await publishWeights(gateway, [...five(ginGrams(500)), ...five(1), ...five(ginGrams(470))]);
    await gateway.settled();
    expect(events).toEqual([]);
  });

  // Run 2 replays the inbox from the cursor on start: the same two events a live run would have written.
  // Retention 0 prunes them as soon as the hub acknowledges them.
  // (The replay starts inside startGateway, before a test could listen on the bus: the hub's copy is checked.)
  const replayed = await run({ retentionMs: 0 }, async (gateway) => {
    await gateway.settled();
    await until(async () => (await gateway.health()).outbox.lastAckSeq === 2);
    await until(async () => (await gateway.health()).ledger.events === 0);
    const applied = [...hub.applied.values()];
    expect(applied.map((e) => [e.seq, e.kind, e.deltaMl, e.levelAfterMl])).toEqual([
      [1, 'count', 0, 500],
      [2, 'pour', -30, 470],
    ]);
    return applied;
  });

  // Run 3: nothing left to replay, no duplicate; the slot state came back from disk, so a further pour is
  // measured against 470 ml, and its seq continues after the pruned ones.
  await run({}, async (gateway, events) => {
    await gateway.settled();
    expect(events).toEqual([]);
    expect((await gateway.health()).ledger.lastSeq).toBe(2);
    await publishWeights(gateway, [...five(2), ...five(ginGrams(440))]);
    await gateway.settled();
    expect(events.map((e) => [e.seq, e.kind, e.deltaMl, e.levelAfterMl])).toEqual([[3, 'pour', -30, 440]]);
    await until(() => hub.applied.size === 3);
  });
  expect([...hub.applied.values()].map((e) => e.id)).toEqual([
    ...replayed.map((e) => e.id),
    expect.any(String),
  ]);
  // Every event crossed exactly once: no batch carried a seq twice.
  expect(hub.batches.flatMap((b) => b.events.map((e) => e.seq))).toEqual([1, 2, 3]);
  expect(hub.gaps).toEqual([]);
});
