import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { CameraHealth, CameraSlotMap, ProvisionedDevice, StockEvent } from '@pourcast/protocol';
import type { DeviceRegistry } from '../broker/device-registry.ts';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { stockEvents } from '../db/schema.ts';
import type { DetectorBackend, ShelfDetection, SlotChange } from '../detection/index.ts';
import type { CatalogStore } from '../hub-client/catalog-store.ts';
import type { StockEventDraft } from '../inventory/ledger.ts';
import type { Logger } from '../log.ts';
import { readRestoreMark } from '../outbox/rebase.ts';
import { CameraLedger } from './camera-ledger.ts';

export interface ShelfCamerasOptions {
  /** The gateway config's devices; each camera with a `slotMap` gets a shelf detector. */
  devices: readonly ProvisionedDevice[];
  bus: GatewayBus;
  db: GatewayDb;
  registry: DeviceRegistry;
  catalog: CatalogStore;
  /** The gateway's ledger append (`recordEvents`). */
  record: (drafts: readonly StockEventDraft[]) => Promise<StockEvent[]>;
  log: Logger;
  /** The broker's frame limit, applied by detection too. */
  maxFrameBytes: number;
  /** Default: chosen at run time (tfjs-node, wasm, cpu). */
  backend?: DetectorBackend;
}

export interface ShelfCameras {
  /** Cameras with a detector. */
  readonly cameraIds: readonly string[];
  /** Detection stats per camera id (the gateway health's `cameras`). */
  stats(): Record<string, CameraHealth>;
  /** Resolves once every frame received so far is processed and its changes are in the ledger. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface RunningCamera {
  detection: ShelfDetection;
  ledger: CameraLedger;
  recorded: number;
  unrecorded: number;
  /** Changes are written in order, one after another, so each drop is measured from the one before. */
  writing: Promise<void>;
}

/**
 * Shelf cameras on the gateway: a ShelfDetection per camera with a slot map, fed the bus's accepted
 * frames of that camera; each confirmed slot change becomes a camera `count` event (camera-ledger.ts).
 * TensorFlow.js is imported only when a camera with a slot map exists.
 */
export async function startShelfCameras(options: ShelfCamerasOptions): Promise<ShelfCameras> {
  const configured = options.devices.filter(
    (device): device is ProvisionedDevice & { slotMap: CameraSlotMap } =>
      device.kind === 'camera' && device.slotMap !== undefined,
  );
  const cameras = new Map<string, RunningCamera>();
  const offs: Array<() => void> = [];
  // Restored from a backup: the ledger's camera levels are the backup's until the re-base brings back the hub's
  // events after it (outbox/rebase.ts), and a drop measured from them would count that usage again. Changes
  // wait, in order, until the forwarder announces `ledger-rebased`; then each camera re-reads its levels.
  const gate = { rebased: (await readRestoreMark(options.db)) === null, open: () => {} };
  const opened = gate.rebased ? Promise.resolve() : new Promise<void>((resolve) => (gate.open = resolve));
  const close = async () => {
    for (const off of offs.splice(0)) off();
    gate.open(); // the waiting changes are let through to be dropped (recordChange), not awaited for ever
    for (const camera of cameras.values()) {
      await camera.detection.idle();
      await camera.writing;
      await camera.detection.close();
    }
    cameras.clear();
  };

  if (configured.length > 0) {
    const { createShelfDetection } = await import('../detection/index.ts');
    try {
      for (const device of configured) {
        const detection = await createShelfDetection({
          // The device id is the camera: a slot map written for another id still reads this camera's frames.
          slotMap: { ...device.slotMap, cameraId: device.id },
          maxFrameBytes: options.maxFrameBytes,
          logger: options.log,
          ...(options.backend ? { backend: options.backend } : {}),
        });
        const camera: RunningCamera = {
          detection,
          ledger: new CameraLedger(await lastCameraLevels(options.db, device.id)),
          recorded: 0,
          unrecorded: 0,
          writing: Promise.resolve(),
        };
        if (!gate.rebased) {
          camera.writing = opened.then(async () => {
            if (gate.rebased) camera.ledger = new CameraLedger(await lastCameraLevels(options.db, device.id));
          });
        }
        cameras.set(device.id, camera);
        offs.push(
          detection.on('change', (change) => {
            camera.writing = camera.writing.then(() => recordChange(camera, change, options, gate));
          }),
        );
      }
    } catch (error) {
      await close();
      throw error;
    }
    if (!gate.rebased) {
      offs.push(
        options.bus.on('ledger-rebased', () => {
          gate.rebased = true;
          gate.open();
        }),
      );
    }
    offs.push(
      options.bus.on('frame', (frame) => {
        cameras
          .get(frame.deviceId)
          ?.detection.submitFrame(frame.deviceId, frame.jpeg, frame.meta, frame.receivedAt);
      }),
    );
    options.log.info('shelf cameras watching', { cameras: [...cameras.keys()] });
  }

  return {
    cameraIds: [...cameras.keys()],
    stats() {
      const stats: Record<string, CameraHealth> = {};
      for (const [id, camera] of cameras) {
        stats[id] = { ...camera.detection.stats(), recorded: camera.recorded, unrecorded: camera.unrecorded };
      }
      return stats;
    },
    async idle() {
      for (const camera of cameras.values()) {
        await camera.detection.idle();
        if (gate.rebased) await camera.writing; // changes waiting for the re-base are not idle work
      }
    },
    close,
  };
}

async function recordChange(
  camera: RunningCamera,
  change: SlotChange,
  options: ShelfCamerasOptions,
  gate: { rebased: boolean },
) {
  const slot = camera.detection.slotMap.slots.find((s) => s.id === change.slotId);
  const item = options.catalog.item(change.itemId);
  const log = options.log.child({ cameraId: change.cameraId, slot: change.slotId });
  if (!gate.rebased) {
    camera.unrecorded++;
    log.warn('camera change not recorded: the gateway stopped before its re-base after a restore', {
      kind: change.kind,
    });
    return;
  }
  // The hub refuses a batch naming an item it does not know, which would hold back every later event.
  const containerMl = slot?.containerMl ?? item?.containerMl;
  if (!item || containerMl === undefined) {
    camera.unrecorded++;
    log.warn('camera change not recorded: item not in the catalog', {
      itemId: change.itemId,
      kind: change.kind,
    });
    return;
  }
  const draft = camera.ledger.draftFor(change, {
    deviceId: change.cameraId,
    containerMl,
    weighed: isWeighed(options.registry, change.itemId),
  });
  try {
    await options.record([draft]);
    camera.recorded++;
    log.info('camera change recorded', { kind: change.kind, itemId: change.itemId, deltaMl: draft.deltaMl });
  } catch (error) {
    camera.unrecorded++;
    log.warn('camera change not recorded', { kind: change.kind, error: (error as Error).message });
  }
}

/** Whether a live scale platform of this gateway weighs the item (then the camera only observes it). */
export function isWeighed(registry: DeviceRegistry, itemId: string): boolean {
  return registry
    .all()
    .some((d) => d.kind === 'scale' && d.revokedAt === null && d.slots.some((s) => s.itemId === itemId));
}

/** The last level each slot of this camera reported to the ledger, so drops are measured across restarts. */
async function lastCameraLevels(db: GatewayDb, deviceId: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ slot: stockEvents.slot, levelAfterMl: stockEvents.levelAfterMl })
    .from(stockEvents)
    .where(
      and(
        eq(stockEvents.source, 'camera'),
        eq(stockEvents.deviceId, deviceId),
        isNotNull(stockEvents.levelAfterMl),
      ),
    )
    .orderBy(desc(stockEvents.seq));
  const levels = new Map<string, number>();
  for (const row of rows) {
    if (row.slot !== null && row.levelAfterMl !== null && !levels.has(row.slot))
      levels.set(row.slot, row.levelAfterMl);
  }
  return levels;
}
