import {
  DEVICE_BUNDLE_VERSION,
  generateSecret,
  hashSecret,
  type DeviceBundle,
  type DeviceConfigPush,
  type ProvisionedDevice,
} from '@pourcast/protocol';
import type { z } from 'zod';
import type { addDeviceRequestSchema } from '@pourcast/protocol';
import type { DeviceRegistry, RegisteredDevice } from '../broker/device-registry.ts';
import type { RunningBroker } from '../broker/start-broker.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { AppError } from '../display/app-error.ts';
import type { CatalogStore } from '../hub-client/catalog-store.ts';
import type { Logger } from '../log.ts';
import type { ConfigPusher, ConfigPushState } from './config-pusher.ts';
import { markManaged } from './tables.ts';

export type AddDevice = z.infer<typeof addDeviceRequestSchema>;

export interface DeviceAdminOptions {
  db: GatewayDb;
  registry: DeviceRegistry;
  broker: Pick<RunningBroker, 'disconnect'>;
  catalog: Pick<CatalogStore, 'loaded' | 'item'>;
  pusher: ConfigPusher;
  log: Logger;
  /** The broker address devices are given in their bundle. */
  brokerUrl: string;
}

/** Adding, replacing and revoking devices and mapping their platforms: what a technician does over HTTP. */
export class DeviceAdmin {
  constructor(private readonly options: DeviceAdminOptions) {}

  device(id: string): RegisteredDevice {
    const device = this.options.registry.get(id);
    if (!device) throw new AppError(404, 'no_such_device', `no device ${id}`);
    return device;
  }

  /** Creates the device's id and secret, stores the secret's hash and returns the bundle (the only copy). */
  async add(request: AddDevice): Promise<DeviceBundle> {
    const id =
      request.id ??
      `${request.kind}-${generateSecret(6)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '0')}`;
    if (request.slots.length > 0) this.#checkSlots(request.kind, request.slots);
    const secret = generateSecret();
    const device: ProvisionedDevice = {
      id,
      kind: request.kind,
      model: request.model,
      secretHash: await hashSecret(secret),
      slots: request.slots,
      ...(request.scanMode ? { scanMode: request.scanMode } : {}),
      ...(request.area ? { area: request.area } : {}),
    };
    if (!(await this.options.registry.add(device)))
      throw new AppError(409, 'device_exists', `a device ${id} exists already (replace it instead)`);
    await markManaged(this.options.db, id);
    this.options.log.info('device added', { deviceId: id, kind: request.kind, model: request.model });
    // Its provisioned settings are its first config, waiting retained for the device's first connection.
    if (device.kind === 'scanner' && device.scanMode)
      await this.options.pusher.provision(id, { scanMode: device.scanMode });
    return this.#bundle(device.id, device.kind, device.model, secret);
  }

  /** The secret stops working now and the device's open session is ended. */
  async revoke(id: string): Promise<{ id: string; disconnected: boolean }> {
    this.device(id);
    await this.options.registry.revoke(id);
    await markManaged(this.options.db, id);
    this.options.pusher.stopRetrying(id);
    const disconnected = this.options.broker.disconnect(id);
    this.options.log.info('device revoked', { deviceId: id, disconnected });
    return { id, disconnected };
  }

  /** A replacement unit: a new secret under the same id, so its history and mapping carry on. */
  async replace(id: string): Promise<DeviceBundle> {
    const device = this.device(id);
    const secret = generateSecret();
    await this.options.registry.replaceSecret(id, await hashSecret(secret));
    await markManaged(this.options.db, id);
    // The old unit, if still connected, holds a secret that no longer exists.
    this.options.broker.disconnect(id);
    this.options.log.info('device replaced', { deviceId: id });
    return this.#bundle(id, device.kind, device.model, secret);
  }

  async mapSlots(id: string, slots: Array<{ platform: number; itemId: string }>): Promise<RegisteredDevice> {
    const device = this.device(id);
    this.#checkSlots(device.kind, slots);
    await this.options.registry.setSlots(id, slots);
    await markManaged(this.options.db, id);
    return this.device(id);
  }

  async pushConfig(id: string, push: DeviceConfigPush): Promise<ConfigPushState> {
    const device = this.device(id);
    if (device.revokedAt !== null) throw new AppError(409, 'device_revoked', `${id} is revoked`);
    return this.options.pusher.push(id, push);
  }

  #checkSlots(kind: string, slots: Array<{ platform: number; itemId: string }>): void {
    if (kind !== 'scale') throw new AppError(422, 'not_a_scale', 'only scales have platforms to map');
    if (!this.options.catalog.loaded)
      throw new AppError(409, 'no_catalog', 'the gateway has no catalog from the hub yet: claim it first');
    const unknown = slots.flatMap((slot, index) =>
      this.options.catalog.item(slot.itemId)
        ? []
        : [`slots.${index}.itemId: no item ${slot.itemId} in the catalog`],
    );
    if (unknown.length > 0) throw new AppError(422, 'unknown_item', 'unknown items', unknown);
  }

  #bundle(deviceId: string, kind: DeviceBundle['kind'], model: string, secret: string): DeviceBundle {
    return {
      version: DEVICE_BUNDLE_VERSION,
      deviceId,
      kind,
      model,
      secret,
      brokerUrl: this.options.brokerUrl,
    };
  }
}
