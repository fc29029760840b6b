import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceTopic, gatewayHealthSchema, type StockEvent } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../src/index.ts';
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
let gateway: Gateway;
let dir: ReturnType<typeof tempDir>;
let scale: TestDevice;
let scanner: TestDevice;
let scaleClient: MqttClient;
let scannerClient: MqttClient;
const events: StockEvent[] = [];
let seq = 0;

const api = async <T>(path: string): Promise<T> =>
  (await (await fetch(`http://127.0.0.1:${gateway.httpPort}${path}`)).json()) as T;

async function weigh(grams: number, times = 5) {
  for (let i = 0; i < times; i++) {
    const payload = { seq: seq++, at: 1_763_000_000_000 + seq * 100, grams, platform: 0 };
    await scaleClient.publishAsync(deviceTopic(scale.id, 'weight'), JSON.stringify(payload), { qos: 1 });
  }
  await gateway.settled();
}

async function scan(barcode: string, mode: string, quantity = 1) {
  const payload = { seq: seq++, at: 1_763_000_000_000 + seq * 100, barcode, mode, quantity };
  await scannerClient.publishAsync(deviceTopic(scanner.id, 'scan'), JSON.stringify(payload), { qos: 1 });
  await gateway.settled();
}

beforeAll(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  scanner = await makeDevice('scanner-1', 'scanner');
  gateway = await startGateway(
    gatewayConfig(dir.path, [scale, scanner], { url: hub.url, claimCode: hub.claimCode }),
    {
      logger: silentLogger,
      forwardCoalesceMs: 10,
    },
  );
  gateway.bus.on('stock-event', (event) => events.push(event));
  await until(() => gateway.catalog.loaded);
  scaleClient = await connectDevice(gateway.mqttPort, scale);
  scannerClient = await connectDevice(gateway.mqttPort, scanner);
});

afterAll(async () => {
  await scaleClient?.endAsync();
  await scannerClient?.endAsync();
  await gateway?.close();
  await hub?.close();
  dir.remove();
});

describe('scale readings through the broker into the ledger', () => {
  it('claims the gateway and stamps events with its identity', async () => {
    await weigh(ginGrams(500));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      gatewayId: 'gw-1',
      locationId: 'loc-1',
      seq: 1,
      itemId: 'gin',
      kind: 'count',
      deltaMl: 0,
      containersDelta: 0,
      levelAfterMl: 500,
      source: 'scale',
      deviceId: 'scale-1',
      slot: 'platform-0',
      confidence: 0.99,
    });
    expect(events[0]!.observedAt).toMatch(/^2025-11-13T/);
  });

  it('writes a pour when the bottle comes back lighter, and shows the level', async () => {
    await weigh(0.5);
    await weigh(ginGrams(470));
    expect(events.slice(1).map((e) => [e.kind, e.deltaMl, e.levelAfterMl])).toEqual([['pour', -30, 470]]);
    const levels = await api<{ slots: Array<{ itemId: string; levelMl: number; phase: string }> }>(
      '/api/v1/levels',
    );
    expect(levels.slots).toEqual([
      expect.objectContaining({ itemId: 'gin', itemName: 'London Dry Gin', levelMl: 470, phase: 'bottle' }),
    ]);
  });

  it('forwards the events to the hub in seq order and records the ack', async () => {
    await until(() => hub.applied.size === 2);
    expect([...hub.applied.keys()]).toEqual([1, 2]);
    const health = gatewayHealthSchema.parse(await api('/api/v1/health'));
    await until(async () => (await gateway.health()).outbox.lastAckSeq === 2);
    expect(health).toMatchObject({ gatewayId: 'gw-1', ledger: { lastSeq: 2 }, broker: { clients: 2 } });
    expect(health.ledger.dbBytes).toBeGreaterThan(0);
  });
});

describe('scanner', () => {
  it('turns receive, waste and count scans into events', async () => {
    await scan('5000291020706', 'receive', 6);
    await scan('5000291020706', 'waste');
    await scan('5010102240124', 'count');
    expect(
      events.slice(2).map((e) => [e.itemId, e.kind, e.deltaMl, e.containersDelta, e.levelAfterMl, e.source]),
    ).toEqual([
      ['gin', 'receive', 4200, 6, null, 'scanner'],
      ['gin', 'waste', -700, -1, null, 'scanner'],
      ['tonic', 'count', 0, 0, null, 'scanner'],
    ]);
  });

  it('keeps unknown barcodes for review with a count instead of dropping them', async () => {
    await scan('9999999999994', 'receive');
    await scan('9999999999994', 'count');
    const body = await api<{ barcodes: Array<{ barcode: string; count: number; lastMode: string }> }>(
      '/api/v1/unknown-barcodes',
    );
    expect(body.barcodes).toEqual([
      expect.objectContaining({ barcode: '9999999999994', count: 2, lastMode: 'count' }),
    ]);
    expect(events).toHaveLength(5);
  });

  it('stores a QoS 1 replay of a scan once, but takes a restarted device counting from 0 again', async () => {
    const before = events.length;
    const replayed = {
      seq: seq++,
      at: 1_763_000_000_000 + seq * 100,
      barcode: '5000291020706',
      mode: 'receive',
      quantity: 1,
    };
    for (let i = 0; i < 2; i++) {
      await scannerClient.publishAsync(deviceTopic(scanner.id, 'scan'), JSON.stringify(replayed), { qos: 1 });
      await gateway.settled();
    }
    expect(events.length - before).toBe(1);
    const health = gatewayHealthSchema.parse(await api('/api/v1/health'));
    expect(health.refusedByReason['publish:duplicate']).toBe(1);
    // A device that restarted: its seq starts again at 0, its clock has moved on.
    const restarted = { ...replayed, seq: 0, at: replayed.at + 60_000 };
    await scannerClient.publishAsync(deviceTopic(scanner.id, 'scan'), JSON.stringify(restarted), { qos: 1 });
    await gateway.settled();
    expect(events.length - before).toBe(2);
  });

  it('pages the ledger and answers a bad query with the error envelope', async () => {
    const page = await api<{ events: StockEvent[]; nextAfterSeq: number }>(
      '/api/v1/events?afterSeq=2&limit=2',
    );
    expect(page.events.map((e) => e.seq)).toEqual([3, 4]);
    expect(page.nextAfterSeq).toBe(4);
    const bad = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/events?limit=0`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'invalid_query', details: [expect.stringMatching(/^limit: /)] },
    });
  });
});
