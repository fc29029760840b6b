import type { CameraSlotMap, FrameMetadata } from '@pourcast/protocol';
import { createCameraSimulator, type CameraSimulator } from '../camera/camera-simulator.ts';
import { connectFramePublisher, type FramePublisher } from '../camera/frame-publisher.ts';
import type { RenderConditions, ShelfState } from '../camera/render-shelf.ts';
import { sceneForSlotMap } from '../camera/shelf-scene.ts';
import { getDeviceDefinition } from '../definitions/registry.ts';
import { silentDeviceLog, type DeviceLog } from '../link/device-log.ts';
import type { BarFile } from './bar-file.ts';
import type { BottleState } from './running-bar.ts';

/** Where the follower reads the bottles: a RunningBar (or anything with its `bottles()`). */
export interface BottleSource {
  bottles(): BottleState[];
}

export interface CameraFollowerOptions {
  bar: BarFile;
  running: BottleSource;
  /** Default the camera model's frame interval (2 s for the Pourcast shelf camera). */
  intervalMs?: number;
  seed?: number;
  conditions?: RenderConditions;
  log?: DeviceLog;
  backoff?: Parameters<typeof connectFramePublisher>[0]['backoff'];
  connectTimeoutMs?: number;
}

export interface CameraFollower {
  readonly deviceId: string;
  readonly framesSent: number;
  /** Renders and publishes one frame now. */
  capture(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What each slot of the camera shows, from the bottles on the scales: a slot shows the bottle of its item
 * (the n-th slot of an item the n-th such bottle), standing while it is on its platform, gone while a
 * bartender holds it, and as full as the scale's bottle is (the simulated liquid height is its share).
 */
export function shelfStateFrom(slotMap: CameraSlotMap, bottles: readonly BottleState[]): ShelfState {
  const taken = new Set<BottleState>();
  return {
    slots: slotMap.slots.map((slot) => {
      const bottle = bottles.find((b) => b.itemId === slot.itemId && !taken.has(b));
      if (!bottle) return { itemId: slot.itemId, present: false, fillFraction: 0 };
      taken.add(bottle);
      const fillFraction = bottle.containerMl > 0 ? bottle.levelMl / bottle.containerMl : 0;
      return {
        itemId: slot.itemId,
        present: bottle.onPlatform,
        fillFraction: Math.min(1, Math.max(0, fillFraction)),
      };
    }),
  };
}

/**
 * The bar file's shelf camera, following the simulated shift: every interval it renders the shelf as the
 * scales' bottles stand now and publishes the JPEG over MQTT, so the camera sees a pour's level drop and a
 * bottle lifted off its platform. Real time, whatever the shift's speed: a camera shoots by the wall clock.
 */
export async function startCameraFollower(options: CameraFollowerOptions): Promise<CameraFollower> {
  const camera = options.bar.camera;
  if (!camera) throw new Error('the bar file names no camera');
  const bundle = options.bar.devices.find((d) => d.deviceId === camera.deviceId);
  if (!bundle) throw new Error(`no device bundle for camera ${camera.deviceId}`);
  const definition = getDeviceDefinition(bundle.model);
  const log = options.log ?? silentDeviceLog;
  const publisher: FramePublisher = await connectFramePublisher({
    bundle,
    definition,
    firmware: 'pourcast-sim',
    log: (level, message) => log(level, `${bundle.deviceId}: ${message}`),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
  });
  const simulator: CameraSimulator = createCameraSimulator({
    scene: sceneForSlotMap(camera.slotMap, options.seed ?? 1),
    getState: () => shelfStateFrom(camera.slotMap, options.running.bottles()),
    send: (jpeg: Buffer, meta: FrameMetadata) => publisher.publishFrame(jpeg, meta),
    intervalMs: options.intervalMs ?? definition.camera?.frameIntervalMs ?? 2_000,
    ...(options.conditions ? { conditions: options.conditions } : {}),
    seed: options.seed ?? 1,
    onError: (error) => log('warn', `${bundle.deviceId}: frame not sent: ${(error as Error).message}`),
  });
  simulator.start();
  return {
    deviceId: camera.deviceId,
    get framesSent() {
      return simulator.framesSent;
    },
    capture: async () => {
      await simulator.capture();
    },
    async close() {
      await simulator.stop();
      await publisher.close();
    },
  };
}
