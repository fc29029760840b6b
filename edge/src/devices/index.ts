import type { DeviceRegistry } from '../broker/device-registry.ts';
import type { RunningBroker } from '../broker/start-broker.ts';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import type { CatalogStore } from '../hub-client/catalog-store.ts';
import type { BackoffOptions } from '../hub-client/backoff.ts';
import type { Logger } from '../log.ts';
import { AdminToken } from './admin-token.ts';
import { CalibrationSessions } from './calibration.ts';
import { ConfigPusher } from './config-pusher.ts';
import { DeviceAdmin } from './device-admin.ts';
import { DeviceCommands } from './device-commands.ts';
import { DriftWatch, type DriftWatchOptions } from './drift-watch.ts';

export { AdminToken, ADMIN_TOKEN_FILE } from './admin-token.ts';
export { managedDeviceIds } from './tables.ts';
export { calibrateStep, type CalibrationStepResult } from './calibrate-scale.ts';
export type { ConfigPushState } from './config-pusher.ts';
export type { DeviceAdmin } from './device-admin.ts';
export type { DriftWatch, PlatformDrift } from './drift-watch.ts';

export interface DeviceAdministrationOptions {
  db: GatewayDb;
  dataDir: string;
  registry: DeviceRegistry;
  broker: Pick<RunningBroker, 'publishToDevice' | 'onResponse' | 'onWeight' | 'disconnect'>;
  bus: GatewayBus;
  catalog: CatalogStore;
  log: Logger;
  brokerUrl: string;
  /** How long a tare/calibrate may wait for the device's answer (default 15 s). */
  commandTimeoutMs?: number;
  configRetry?: BackoffOptions;
  drift?: DriftWatchOptions;
}

/** Everything the device administration routes need, started together and closed together. */
export interface DeviceAdministration {
  token: AdminToken;
  admin: DeviceAdmin;
  pusher: ConfigPusher;
  commands: DeviceCommands;
  sessions: CalibrationSessions;
  drift: DriftWatch;
  db: GatewayDb;
  close(): void;
}

export async function startDeviceAdministration(
  options: DeviceAdministrationOptions,
): Promise<DeviceAdministration> {
  const { db, log } = options;
  const token = new AdminToken(db);
  await token.ensure(options.dataDir, log);
  const pusher = new ConfigPusher({
    db,
    broker: options.broker,
    bus: options.bus,
    log,
    retry: options.configRetry,
    active: (deviceId) => options.registry.get(deviceId)?.revokedAt === null,
  });
  await pusher.start();
  // Devices provisioned before (the config file, or an older gateway) whose settings were never pushed get
  // them now; a config pushed since (a technician's, a bartender's) is newer and stays.
  for (const device of options.registry.all()) {
    if (device.revokedAt !== null || device.kind !== 'scanner' || device.scanMode === null) continue;
    try {
      await pusher.provision(device.id, { scanMode: device.scanMode });
    } catch (error) {
      log.warn('provisioned settings not pushed', { deviceId: device.id, error });
    }
  }
  const commands = new DeviceCommands(options.broker, options.commandTimeoutMs);
  const admin = new DeviceAdmin({
    db,
    registry: options.registry,
    broker: options.broker,
    catalog: options.catalog,
    pusher,
    log,
    brokerUrl: options.brokerUrl,
  });
  const drift = new DriftWatch(options.drift, (deviceId, found) =>
    log.warn('scale zero has drifted: recalibrate', {
      deviceId,
      platform: found.platform,
      emptyG: found.emptyG,
    }),
  );
  const offWeight = options.broker.onWeight((deviceId, reading) => drift.observe(deviceId, reading));
  return {
    token,
    admin,
    pusher,
    commands,
    sessions: new CalibrationSessions(),
    drift,
    db,
    close: () => {
      offWeight();
      pusher.close();
      commands.close();
    },
  };
}
