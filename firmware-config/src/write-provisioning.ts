import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProvisionResult } from './provision.ts';

export interface WrittenProvisioning {
  gatewayConfigPath: string;
  deviceBundlePaths: Record<string, string>;
}

/** Writes a file readable by its owner only (0600), also when it already existed with wider rights. */
export async function writePrivateFile(path: string, text: string | Uint8Array): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** `<dir>/gateway.json` and `<dir>/devices/<id>.json`, all 0600 in 0700 folders: bundles hold clear secrets. */
export async function writeProvisioning(dir: string, result: ProvisionResult): Promise<WrittenProvisioning> {
  const devicesDir = join(dir, 'devices');
  await mkdir(devicesDir, { recursive: true, mode: 0o700 });
  const gatewayConfigPath = join(dir, 'gateway.json');
  await writePrivateFile(gatewayConfigPath, `${JSON.stringify(result.gatewayConfig, null, 2)}\n`);
  const deviceBundlePaths: Record<string, string> = {};
  for (const bundle of result.deviceBundles) {
    const path = join(devicesDir, `${bundle.deviceId}.json`);
    await writePrivateFile(path, `${JSON.stringify(bundle, null, 2)}\n`);
    deviceBundlePaths[bundle.deviceId] = path;
  }
  return { gatewayConfigPath, deviceBundlePaths };
}
