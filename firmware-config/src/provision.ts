import {
  DEVICE_BUNDLE_VERSION,
  GATEWAY_CONFIG_VERSION,
  formatIssues,
  gatewayConfigSchema,
  generateSecret,
  hashSecret,
  isDeviceId,
  type DeviceBundle,
  type GatewayConfig,
  type GatewayConfigInput,
  type ScanMode,
} from '@pourcast/protocol';
import { getDeviceDefinition } from '@pourcast/devices';

export interface ProvisionDeviceRequest {
  /** The device id (lower-case letters, digits, dashes). */
  id: string;
  /** A model from the device definitions (devices/src/definitions). */
  model: string;
  /** Which item each scale platform weighs. */
  slots?: Array<{ platform?: number; itemId: string }>;
  /** Start-up mode of a scanner; default the model's. */
  scanMode?: ScanMode;
  area?: string;
}

export interface ProvisionBarOptions {
  /** The gateway section of the config (name, dataDir, mqtt, http, hub); protocol defaults fill the rest. */
  gateway?: GatewayConfigInput['gateway'];
  scale?: GatewayConfigInput['scale'];
  devices: ProvisionDeviceRequest[];
  /**
   * What devices connect to; default mqtt://<gateway.mqtt.host>:<gateway.mqtt.port>, mqtts:// when
   * gateway.mqtt.tls is set.
   */
  brokerUrl?: string;
}

export interface ProvisionResult {
  /** Secret hashes only: safe to keep on the gateway's disk. */
  gatewayConfig: GatewayConfig;
  /** One per device, with its secret in clear: each goes to its device only. */
  deviceBundles: DeviceBundle[];
}

export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';
  constructor(readonly details: string[]) {
    super(`provisioning refused:\n${details.join('\n')}`);
  }
}

/**
 * Creates device identities: a fresh 256-bit secret per device, its salted HMAC hash in the gateway config
 * and the clear secret in that device's bundle. Kinds come from the device definitions.
 */
export async function provisionBar(options: ProvisionBarOptions): Promise<ProvisionResult> {
  const errors: string[] = [];
  const seen = new Set<string>();
  options.devices.forEach((device, i) => {
    if (!isDeviceId(device.id)) errors.push(`devices.${i}.id: must be 3-64 of a-z, 0-9 and -`);
    if (seen.has(device.id)) errors.push(`devices.${i}.id: duplicate device ${device.id}`);
    seen.add(device.id);
    let definition;
    try {
      definition = getDeviceDefinition(device.model);
    } catch (error) {
      errors.push(`devices.${i}.model: ${(error as Error).message}`);
      return;
    }
    if (device.slots?.length && definition.kind !== 'scale')
      errors.push(`devices.${i}.slots: only scales have platforms`);
    const platforms = definition.scale?.platforms ?? 0;
    if (definition.kind === 'scale')
      device.slots?.forEach((slot, j) => {
        if ((slot.platform ?? 0) >= platforms)
          errors.push(`devices.${i}.slots.${j}.platform: ${device.model} has platforms 0-${platforms - 1}`);
      });
    if (device.scanMode && definition.kind !== 'scanner')
      errors.push(`devices.${i}.scanMode: only scanners have a scan mode`);
  });
  if (errors.length) throw new ProvisioningError(errors);

  const secrets = options.devices.map(() => generateSecret());
  const devices = await Promise.all(
    options.devices.map(async (device, i) => {
      const definition = getDeviceDefinition(device.model);
      return {
        id: device.id,
        kind: definition.kind,
        model: device.model,
        secretHash: await hashSecret(secrets[i]!),
        slots: (device.slots ?? []).map((slot) => ({ platform: slot.platform ?? 0, itemId: slot.itemId })),
        ...(definition.kind === 'scanner'
          ? { scanMode: device.scanMode ?? definition.scanner!.defaultMode }
          : {}),
        ...(device.area ? { area: device.area } : {}),
      };
    }),
  );
  const parsed = gatewayConfigSchema.safeParse({
    version: GATEWAY_CONFIG_VERSION,
    gateway: options.gateway ?? {},
    ...(options.scale ? { scale: options.scale } : {}),
    devices,
  });
  if (!parsed.success) throw new ProvisioningError(formatIssues(parsed.error));
  const gatewayConfig = parsed.data;
  const { host, port, tls } = gatewayConfig.gateway.mqtt;
  // A listener with TLS speaks only TLS: its devices must be told mqtts:// (docs/RELIABILITY.md, bar CA).
  const scheme = tls ? 'mqtts' : 'mqtt';
  const brokerUrl = options.brokerUrl ?? `${scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const deviceBundles: DeviceBundle[] = gatewayConfig.devices.map((device, i) => ({
    version: DEVICE_BUNDLE_VERSION,
    deviceId: device.id,
    kind: device.kind,
    model: device.model,
    secret: secrets[i]!,
    brokerUrl,
  }));
  return { gatewayConfig, deviceBundles };
}
