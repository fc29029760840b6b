import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { claimCodeResponseSchema, loginResponseSchema, type Item } from '@pourcast/protocol';
import { provisionBar, writePrivateFile, writeProvisioning } from '@pourcast/firmware-config';
import { createShelfScene, parseBarFile, type BarFileInput } from '@pourcast/devices';
import type { DemoSeed } from '@pourcast/hub/demo';
import { HubApiClient } from './hub-api-client.ts';

export const DEMO_SCALE_COUNT = 8;
/** The shelf camera over the scales' bottles (its events are observations: the scales weigh them). */
export const DEMO_CAMERA_ID = 'camera-01';
/** How full each demo bottle stands at the start, as a share of its container (one nearly out). */
const START_SHARES = [0.87, 0.45, 0.3, 0.14, 1, 0.74, 0.52, 0.91];

export interface DemoBarOptions {
  hubUrl: string;
  seed: DemoSeed;
  /** Everything the bar keeps goes under here: bar/ (provisioning), gateway/ (its database). */
  dataDir: string;
  mqttPort: number;
  httpPort: number;
}

export interface DemoBar {
  gatewayConfigPath: string;
  barFilePath: string;
  /** False when an earlier run had provisioned the bar already (same devices, same secrets). */
  provisionedNow: boolean;
}

/** A one-time code for claiming a gateway to the demo bar, asked for as the demo's technician. */
export async function issueClaimCode(hubUrl: string, seed: DemoSeed): Promise<string> {
  const hub = new HubApiClient(hubUrl);
  const login = await hub.request('POST', '/auth/login', loginResponseSchema, seed.credentials.technician);
  const claim = await hub
    .withToken(login.token)
    .request('POST', `/locations/${seed.locationId}/claim-codes`, claimCodeResponseSchema, {});
  return claim.code;
}

/** The bottles the scales weigh: spirits and liqueurs the hub knows the empty weight of. */
export function pickScaleItems(items: readonly Item[], count = DEMO_SCALE_COUNT): Item[] {
  const candidates = items.filter(
    (item) =>
      (item.category === 'spirit' || item.category === 'liqueur') &&
      item.emptyWeightG !== null &&
      item.containerMl <= 1000 &&
      item.barcodes.length > 0,
  );
  if (candidates.length < count)
    throw new Error(`the demo catalog has ${candidates.length} weighable bottles, ${count} needed`);
  return candidates.slice(0, count);
}

/**
 * Provisions the demo bar against a seeded hub: a claim code from the technician, eight single-bottle scales,
 * a scanner and a shelf camera over the scales' bottles (its slot map in gateway.json and the bar file), all
 * with fresh secrets (hashes in gateway.json, clear secrets in each device's bundle), and the simulator's bar
 * file built from the hub's own items.
 */
export async function prepareDemoBar(options: DemoBarOptions): Promise<DemoBar> {
  const barDir = join(options.dataDir, 'bar');
  const gatewayConfigPath = join(barDir, 'gateway.json');
  const barFilePath = join(barDir, 'sim.json');
  if (existsSync(gatewayConfigPath) && existsSync(barFilePath)) {
    return { gatewayConfigPath, barFilePath, provisionedNow: false };
  }
  const claimCode = await issueClaimCode(options.hubUrl, options.seed);

  const scaleItems = pickScaleItems(options.seed.items);
  const scaleId = (index: number) => `scale-${String(index + 1).padStart(2, '0')}`;
  const result = await provisionBar({
    gateway: {
      name: 'copper-still-gateway',
      dataDir: join(options.dataDir, 'gateway'),
      mqtt: { host: '127.0.0.1', port: options.mqttPort },
      http: { host: '127.0.0.1', port: options.httpPort },
      hub: { url: options.hubUrl, claimCode },
    },
    devices: [
      ...scaleItems.map((item, index) => ({
        id: scaleId(index),
        model: 'pourcast-scale-hx711',
        area: 'back bar',
        slots: [{ platform: 0, itemId: item.id }],
      })),
      { id: 'scanner-01', model: 'generic-hid-scanner', area: 'storeroom', scanMode: 'receive' as const },
      { id: DEMO_CAMERA_ID, model: 'pourcast-shelf-camera', area: 'back bar' },
    ],
  });
  // The camera faces the shelf of the eight scale bottles: a slot per bottle, each with its size.
  const { slotMap: layout } = createShelfScene({
    cameraId: DEMO_CAMERA_ID,
    itemIds: scaleItems.map((item) => item.id),
    seed: 7,
  });
  const slotMap = {
    ...layout,
    slots: layout.slots.map((slot, index) => ({ ...slot, containerMl: scaleItems[index]!.containerMl })),
  };
  result.gatewayConfig.devices = result.gatewayConfig.devices.map((device) =>
    device.id === DEMO_CAMERA_ID ? { ...device, slotMap } : device,
  );
  await writeProvisioning(barDir, result);

  const bar: BarFileInput = {
    version: 1,
    devices: result.deviceBundles,
    scales: scaleItems.map((item, index) => ({
      deviceId: scaleId(index),
      platform: 0,
      item: {
        id: item.id,
        name: item.name,
        containerMl: item.containerMl,
        emptyWeightG: item.emptyWeightG!,
        densityGPerMl: item.densityGPerMl,
        barcodes: item.barcodes,
      },
      initialLevelMl: Math.round(item.containerMl * START_SHARES[index % START_SHARES.length]!),
    })),
    scanner: { deviceId: 'scanner-01' },
    camera: { deviceId: DEMO_CAMERA_ID, slotMap },
    deliveries: scaleItems
      .slice(0, 2)
      .map((item) => ({ barcode: item.barcodes[0]!, itemId: item.id, quantity: 6 })),
  };
  // Validate before writing: the simulator will refuse a bad file anyway, better to fail here.
  const parsed = parseBarFile(bar, barFilePath);
  await writePrivateFile(barFilePath, `${JSON.stringify(parsed, null, 2)}\n`);
  return { gatewayConfigPath, barFilePath, provisionedNow: true };
}
