import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceBundle } from '@pourcast/protocol';
import { sceneForSlotMap, createShelfScene } from '../camera/shelf-scene.ts';
import { parseBarFile, type BarItem } from './bar-file.ts';
import { shelfStateFrom, startCameraFollower } from './camera-follower.ts';
import type { BottleState } from './running-bar.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const item = (id: string, barcode: string): BarItem => ({
  id,
  name: id,
  containerMl: 700,
  emptyWeightG: 450,
  densityGPerMl: 0.95,
  barcodes: [barcode],
});
const gin = item('gin', '5000291020706');
const rum = item('rum', '5010102240124');
const scene = createShelfScene({ cameraId: 'camera-01', itemIds: ['gin', 'rum', 'gin'], containerMl: 700 });
const bottle = (over: Partial<BottleState>): BottleState => ({
  deviceId: 'scale-01',
  platform: 0,
  itemId: 'gin',
  containerMl: 700,
  levelMl: 350,
  onPlatform: true,
  ...over,
});

describe('what the camera sees of the scales', () => {
  it('shows each slot its own bottle, standing while on its platform, as full as the scale says', () => {
    const state = shelfStateFrom(scene.slotMap, [
      bottle({ levelMl: 630 }),
      bottle({ deviceId: 'scale-02', itemId: 'rum', levelMl: 70, onPlatform: false }),
    ]);
    expect(state.slots).toEqual([
      { itemId: 'gin', present: true, fillFraction: 0.9 },
      { itemId: 'rum', present: false, fillFraction: 0.1 },
      // A second gin slot and only one gin bottle on the scales: the slot stands empty.
      { itemId: 'gin', present: false, fillFraction: 0 },
    ]);
  });

  it('rebuilds the scene of a slot map written earlier', () => {
    const rebuilt = sceneForSlotMap(scene.slotMap, 1);
    expect(rebuilt.slotMap).toBe(scene.slotMap);
    expect(rebuilt.boardTops).toEqual(scene.boardTops);
  });
});

async function startBroker() {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('startCameraFollower', () => {
  it("publishes the bar file camera's frames over MQTT as the bottles stand", async () => {
    const brokerUrl = await startBroker();
    const bundle = (id: string, kind: DeviceBundle['kind'], model: string) =>
      deviceBundle(id, kind, model, brokerUrl);
    const bar = parseBarFile({
      version: 1,
      devices: [
        bundle('scale-01', 'scale', 'pourcast-scale-hx711'),
        bundle('scale-02', 'scale', 'pourcast-scale-hx711'),
        bundle('camera-01', 'camera', 'pourcast-shelf-camera'),
      ],
      scales: [
        { deviceId: 'scale-01', item: gin, initialLevelMl: 600 },
        { deviceId: 'scale-02', item: rum, initialLevelMl: 300 },
      ],
      camera: { deviceId: 'camera-01', slotMap: scene.slotMap },
    });
    const watcher = await mqtt.connectAsync(brokerUrl, { clientId: 'watcher' });
    cleanups.push(() => watcher.endAsync());
    await watcher.subscribeAsync('pourcast/v1/camera-01/frame', { qos: 1 });
    const received = new Promise<Buffer>((resolve) =>
      watcher.on('message', (_t, payload) => resolve(payload)),
    );

    const bottles = [bottle({ levelMl: 600 }), bottle({ deviceId: 'scale-02', itemId: 'rum', levelMl: 300 })];
    // A long interval: the test takes its one frame itself.
    const follower = await startCameraFollower({
      bar,
      running: { bottles: () => bottles },
      intervalMs: 600_000,
    });
    cleanups.push(() => follower.close());
    await follower.capture();
    const jpeg = await received;
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 1280, height: 720 });
    expect(follower.framesSent).toBe(1);
  });

  it('refuses a bar file camera slot for an item no scale holds', () => {
    expect(() =>
      parseBarFile({
        version: 1,
        devices: [
          deviceBundle('scale-01', 'scale', 'pourcast-scale-hx711'),
          deviceBundle('camera-01', 'camera', 'pourcast-shelf-camera'),
        ],
        scales: [{ deviceId: 'scale-01', item: gin, initialLevelMl: 600 }],
        camera: { deviceId: 'camera-01', slotMap: scene.slotMap },
      }),
    ).toThrow(/camera\.slotMap\.slots\.1\.itemId: no bottle of rum on the scales/);
  });
});

function deviceBundle(
  deviceId: string,
  kind: DeviceBundle['kind'],
  model: string,
  brokerUrl = 'mqtt://127.0.0.1:1883',
): DeviceBundle {
  return { version: 1, deviceId, kind, model, secret: `secret-of-${deviceId}-0123456789`, brokerUrl };
}
