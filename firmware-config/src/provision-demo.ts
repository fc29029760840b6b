import { access, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEMO_DEVICES, demoBarFile, demoItemIdsByBarcode, demoSlots } from '@pourcast/devices';
import { provisionBar, type ProvisionResult } from './provision.ts';
import { writePrivateFile, writeProvisioning, type WrittenProvisioning } from './write-provisioning.ts';

export interface ProvisionDemoOptions {
  /** Folder for gateway.json and devices/<id>.json. */
  outDir: string;
  /** Where the simulator's bar file goes. */
  barFile: string;
  mqttHost?: string;
  mqttPort?: number;
  /** Re-provision (new secrets) even when outDir already holds a gateway.json. */
  force?: boolean;
  /** The hub's items (`id`, `barcodes`): slots and the bar file then name the hub's ids, matched by barcode. */
  hubItems?: ReadonlyArray<{ id: string; barcodes: readonly string[] }>;
}

export type ProvisionDemoOutcome =
  | { status: 'kept'; gatewayConfigPath: string }
  | { status: 'written'; written: WrittenProvisioning; barFile: string; result: ProvisionResult };

/** The demo bar: a four-platform rail scale, a single bottle scale and a scanner, wired as devices/src/sim/demo-bar.ts. */
export async function provisionDemo(options: ProvisionDemoOptions): Promise<ProvisionDemoOutcome> {
  const gatewayConfigPath = join(options.outDir, 'gateway.json');
  const exists = await access(gatewayConfigPath).then(
    () => true,
    () => false,
  );
  // New secrets would lock out devices that already hold the old ones; only on request.
  if (exists && !options.force) return { status: 'kept', gatewayConfigPath };
  const itemIds = options.hubItems ? demoItemIdsByBarcode(options.hubItems) : {};
  const slots = demoSlots({ itemIds });
  const result = await provisionBar({
    gateway: {
      name: 'demo-gateway',
      mqtt: { host: options.mqttHost ?? '127.0.0.1', port: options.mqttPort ?? 1883 },
    },
    devices: DEMO_DEVICES.map(({ id, model }) => ({
      id,
      model,
      area: 'back bar',
      slots: slots.filter((s) => s.deviceId === id).map(({ platform, itemId }) => ({ platform, itemId })),
    })),
  });
  const written = await writeProvisioning(options.outDir, result);
  await mkdir(dirname(options.barFile), { recursive: true, mode: 0o700 });
  await writePrivateFile(
    options.barFile,
    `${JSON.stringify(demoBarFile(result.deviceBundles, { itemIds }), null, 2)}\n`,
  );
  return { status: 'written', written, barFile: options.barFile, result };
}
