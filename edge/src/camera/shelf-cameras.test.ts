import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceTopic, withFrameMetadataComment, type StockEvent } from '@pourcast/protocol';
import {
  createRng,
  createShelfScene,
  NORMAL_CONDITIONS,
  renderShelfFrame,
  type ShelfSlotState,
} from '../../../devices/src/camera/index.ts';
import { startContractHub, type ContractHub } from '../../test/support/contract-hub.ts';
import {
  catalog,
  connectDevice,
  gatewayConfig,
  makeDevice,
  tempDir,
  until,
  type TestDevice,
} from '../../test/support/fixtures.ts';
import { startGateway, type Gateway } from '../index.ts';
import { silentLogger } from '../log.ts';

// Six slots: gin in s01 (no scale weighs it), tonic in the others (a scale weighs tonic).
const itemIds = ['gin', 'tonic', 'tonic', 'tonic', 'tonic', 'tonic'];
const scene = createShelfScene({ cameraId: 'camera-1', itemIds, seed: 3 });
const calm = { ...NORMAL_CONDITIONS, occluderRate: 0, dimRate: 0, offRate: 0, shakePx: 1 };
// Two agreeing frames confirm a state (four for a level drop, rule 8); no minimum hold, so the test
// needs no clock: frames are stamped with the gateway's receive time.
const slotMap = {
  ...scene.slotMap,
  smoothing: { ...scene.slotMap.smoothing, confirmFrames: 2, minHoldMs: 0 },
};

let hub: ContractHub;
let gateway: Gateway;
let dir: ReturnType<typeof tempDir>;
let camera: TestDevice;
let client: MqttClient;
let config: ReturnType<typeof gatewayConfig>;
const rng = createRng(8);
const events: StockEvent[] = [];
let frameSeq = 0;

async function show(slots: ShelfSlotState[], frames: number) {
  for (let i = 0; i < frames; i++) {
    const frame = await renderShelfFrame(scene, { slots }, rng, calm);
    const meta = { seq: frameSeq++, at: Date.now(), width: frame.width, height: frame.height };
    const payload = Buffer.from(withFrameMetadataComment(frame.jpeg, meta));
    await client.publishAsync(deviceTopic(camera.id, 'frame'), payload, { qos: 1 });
    await gateway.settled();
  }
}

const shelf = (gin: Omit<ShelfSlotState, 'itemId'>, tonic = 0.9): ShelfSlotState[] =>
  itemIds.map((itemId, i) =>
    i === 0 ? { itemId, ...gin } : { itemId, present: true, fillFraction: i === 1 ? tonic : 0.9 },
  );

beforeAll(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  camera = await makeDevice('camera-1', 'camera');
  camera.provisioned = { ...camera.provisioned, slotMap };
  const scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'tonic' }]);
  config = gatewayConfig(dir.path, [camera, scale], { url: hub.url, claimCode: hub.claimCode });
  config.gateway.mqtt.maxFrameBytes = 2 * 1024 * 1024;
  gateway = await startGateway(config, { logger: silentLogger, forwardCoalesceMs: 10 });
  gateway.bus.on('stock-event', (event) => events.push(event));
  await until(() => gateway.catalog.loaded);
  client = await connectDevice(gateway.mqttPort, camera);
}, 60_000);

afterAll(async () => {
  await client?.endAsync();
  await gateway?.close();
  await hub?.close();
  dir?.remove();
});

describe('shelf camera frames through the broker into the ledger', () => {
  it('records confirmed slot changes as camera count events', async () => {
    await show(shelf({ present: true, fillFraction: 0.8 }), 3);
    expect(events).toEqual([]); // the first confirmed state is the baseline, not a change

    await show(shelf({ present: false, fillFraction: 0 }), 3);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      gatewayId: 'gw-1',
      itemId: 'gin',
      kind: 'count',
      source: 'camera',
      deviceId: 'camera-1',
      slot: 's01',
      deltaMl: 0,
      containersDelta: 0,
      levelAfterMl: null,
    });

    await show(shelf({ present: true, fillFraction: 0.5 }), 3);
    expect(events).toHaveLength(2);
    const returned = events[1]!;
    expect(returned).toMatchObject({ itemId: 'gin', slot: 's01', deltaMl: 0, source: 'camera' });
    // Gin is 700 ml in the catalog; the model reads a level within a few % of the bottle.
    expect(Math.abs(returned.levelAfterMl! - 350)).toBeLessThan(70);

    // Gin drops in view; so does a tonic, which a scale weighs: the camera only observes that one.
    await show(shelf({ present: true, fillFraction: 0.2 }, 0.3), 6);
    const later = events.slice(2);
    const gin = later.find((e) => e.itemId === 'gin');
    const tonic = later.find((e) => e.itemId === 'tonic');
    expect(gin).toMatchObject({ slot: 's01', source: 'camera', containersDelta: 0 });
    expect(gin!.deltaMl).toBe(gin!.levelAfterMl! - returned.levelAfterMl!);
    expect(Math.abs(gin!.deltaMl + 210)).toBeLessThan(90);
    expect(tonic).toMatchObject({ slot: 's02', source: 'camera', deltaMl: 0, containersDelta: 0 });
    expect(Math.abs(tonic!.levelAfterMl! - 60)).toBeLessThan(40);
    for (const event of events) expect(event.confidence).toBeGreaterThan(0.5);
  }, 120_000);

  it('forwards the camera events to the hub', async () => {
    await gateway.forwardNow();
    await until(() => events.every((e) => hub.applied.has(e.seq)));
    for (const event of events) expect(hub.applied.get(event.seq)).toEqual(event);
  });

  it('reports detection per camera in the health, and counts refused frames by reason', async () => {
    await client.publishAsync(deviceTopic(camera.id, 'frame'), Buffer.from('not a jpeg'), { qos: 1 });
    const health = await gateway.health();
    expect(health.refusedByReason).toMatchObject({ 'publish:not-jpeg': 1 });
    expect(health.cameras?.['camera-1']).toMatchObject({
      backend: expect.any(String),
      framesIn: frameSeq,
      processed: frameSeq,
      recorded: events.length,
      unrecorded: 0,
    });
  });

  it('measures the first drop after a restart from the last camera level in the ledger', async () => {
    const lastGin = events.filter((e) => e.itemId === 'gin').at(-1)!;
    await client.endAsync();
    await gateway.close();
    gateway = await startGateway(config, { logger: silentLogger, forwardCoalesceMs: 10 });
    gateway.bus.on('stock-event', (event) => events.push(event));
    client = await connectDevice(gateway.mqttPort, camera);
    const seen = events.length;
    await show(shelf({ present: true, fillFraction: 0.2 }, 0.3), 3);
    expect(events).toHaveLength(seen); // a new baseline after the restart, no change
    await show(shelf({ present: true, fillFraction: 0.07 }, 0.3), 6);
    const gin = events.slice(seen).find((e) => e.itemId === 'gin');
    expect(gin).toMatchObject({ slot: 's01', source: 'camera' });
    expect(gin!.deltaMl).toBeLessThan(0);
    expect(gin!.deltaMl).toBe(gin!.levelAfterMl! - lastGin.levelAfterMl!);
  }, 120_000);
});
