/**
 * The hub misbehaving (500s, timeouts, partial acceptance, answers lost after the batch was applied) and
 * the gateway's clock jumping backwards and forwards: every event reaches the hub exactly once, in seq
 * order, and nothing is refused or duplicated.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { deviceTopic, type StockEvent } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../../src/index.ts';
import type { StockEventDraft } from '../../src/inventory/ledger.ts';
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
} from '../support/fixtures.ts';
import { startFaultyHub, type FaultyHub } from './faulty-hub.ts';

let hub: ContractHub;
let faulty: FaultyHub;
let dir: ReturnType<typeof tempDir>;
let gateway: Gateway;

beforeEach(async () => {
  hub = await startContractHub(catalog);
  faulty = await startFaultyHub(hub.url);
  dir = tempDir();
});
afterEach(async () => {
  vi.useRealTimers();
  await gateway?.close();
  await faulty.close();
  await hub.close();
  dir.remove();
});

const pour = (n: number): StockEventDraft => ({
  itemId: 'gin',
  kind: 'pour',
  deltaMl: -10,
  containersDelta: 0,
  levelAfterMl: 700 - 10 * n,
  source: 'display',
  observedAt: new Date(Date.now()).toISOString(),
  confidence: 1,
});

/** Every event the gateway wrote is at the hub once: the seqs 1..n, no gap, and the same event ids. */
function expectExactlyOnce(written: StockEvent[]) {
  expect([...hub.applied.keys()].sort((a, b) => a - b)).toEqual(written.map((e) => e.seq));
  expect(written.map((e) => e.seq)).toEqual(Array.from({ length: written.length }, (_, i) => i + 1));
  for (const event of written) expect(hub.applied.get(event.seq)?.id).toBe(event.id);
  expect(hub.gaps).toEqual([]);
}

async function start() {
  const scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  const config = gatewayConfig(dir.path, [scale], {
    url: faulty.url,
    claimCode: hub.claimCode,
    batchSize: 10,
  });
  gateway = await startGateway(config, {
    logger: silentLogger,
    forwardCoalesceMs: 60_000,
    random: () => 0.5,
  });
  await until(() => gateway.catalog.loaded);
  return scale;
}

it('survives 500s, partial acceptance and answers lost after the hub applied the batch', async () => {
  await start();
  const written = await gateway.recordEvents(Array.from({ length: 35 }, (_, i) => pour(i + 1)));
  faulty.faults.push('500', 'partial', 'applied-then-500', 'partial', 'applied-then-reset', '500', 'partial');
  // Each round sends until the hub fails; the next round starts from the last acknowledged seq.
  for (let round = 0; round < 12 && (await gateway.health()).outbox.pending > 0; round++)
    await gateway.forwardNow();
  expect((await gateway.health()).outbox).toMatchObject({ pending: 0, lastAckSeq: 35, lastError: null });
  expectExactlyOnce(written);
  // The lost answers made the gateway send applied events again; the hub took them as duplicates.
  const resent = faulty.received.filter((r) => r.fault.startsWith('applied-then'));
  expect(resent).toHaveLength(2);
  expect(hub.batches.flatMap((b) => b.events).length).toBeGreaterThan(35);
});

it('gives up on a hub that never answers after its request timeout, then catches up', async () => {
  await start();
  const written = await gateway.recordEvents(Array.from({ length: 12 }, (_, i) => pour(i + 1)));
  faulty.faults.push('hang');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const round = gateway.forwardNow();
  await faulty.hanging();
  await vi.advanceTimersByTimeAsync(10_001); // the gateway's 10 s request timeout
  await round;
  vi.useRealTimers();
  const health = await gateway.health();
  // The outbox's own state, not `hubReachable`: the gateway's other requests to this hub (device report,
  // pars) are answered, so the hub-wide status may rightly say reachable while this batch timed out.
  expect(health.outbox).toMatchObject({ pending: 12, lastAckSeq: 0 });
  expect(health.outbox.lastError).toMatch(/timed out/);
  while ((await gateway.health()).outbox.pending > 0) await gateway.forwardNow();
  expectExactlyOnce(written);
});

it('keeps seq and order right while the gateway clock jumps back 2 hours and forward 3 days', async () => {
  const scale = await start();
  vi.useFakeTimers({ toFake: ['Date'] });
  const start0 = Date.now();
  const client = await connectDevice(gateway.mqttPort, scale);
  let seq = 0;
  let deviceAt = start0;
  const publish = async (grams: number, count = 5) => {
    for (let i = 0; i < count; i++)
      await client.publishAsync(
        deviceTopic(scale.id, 'weight'),
        JSON.stringify({ seq: ++seq, at: (deviceAt += 100), grams, platform: 0 }),
        { qos: 1 },
      );
    await gateway.settled();
  };
  await publish(ginGrams(600));
  await publish(2);
  await publish(ginGrams(570));
  vi.setSystemTime(start0 - 2 * 3600_000); // NTP corrects a clock that ran ahead
  deviceAt -= 2 * 3600_000; // and the device's with it
  await publish(2);
  await publish(ginGrams(540));
  await gateway.recordEvents([pour(1.5)]);
  vi.setSystemTime(start0 + 3 * 86_400_000); // a dead RTC battery, fixed by NTP days later
  deviceAt += 3 * 86_400_000;
  await publish(2);
  await publish(ginGrams(510));
  await client.endAsync();
  const health = await gateway.health();
  expect(health.refusedByReason).toEqual({}); // no reading taken for a replay, none refused
  const written: StockEvent[] = [];
  for (let after = 0; ;) {
    const batch = (await import('../../src/inventory/ledger.ts')).listEvents(gateway.db, after, 100);
    const events = await batch;
    if (events.length === 0) break;
    written.push(...events);
    after = events.at(-1)!.seq;
  }
  expect(written.map((e) => [e.kind, e.levelAfterMl])).toEqual([
    ['count', 600],
    ['pour', 570],
    ['pour', 540],
    ['pour', 685],
    ['pour', 510],
  ]);
  // ULIDs stay increasing with the seq even though the clock went back.
  expect(written.map((e) => e.id)).toEqual([...written.map((e) => e.id)].sort());
  while ((await gateway.health()).outbox.pending > 0) await gateway.forwardNow();
  expectExactlyOnce(written);
});
