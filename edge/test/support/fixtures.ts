import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  gatewayConfigSchema,
  generateSecret,
  hashSecret,
  type DeviceKind,
  type GatewayCatalog,
  type GatewayConfig,
  type GatewayConfigInput,
  type ProvisionedDevice,
} from '@pourcast/protocol';

export const catalog: GatewayCatalog = {
  locationId: 'loc-1',
  items: [
    {
      id: 'gin',
      name: 'London Dry Gin',
      category: 'spirit',
      containerMl: 700,
      barcodes: ['5000291020706'],
      emptyWeightG: 450,
      densityGPerMl: 0.95,
    },
    {
      id: 'tonic',
      name: 'Tonic Water',
      category: 'mixer',
      containerMl: 200,
      barcodes: ['5010102240124'],
      emptyWeightG: 180,
      densityGPerMl: 1.0,
    },
  ],
};

/** Grams on the scale for `ml` of gin in its bottle. */
export const ginGrams = (ml: number) => 450 + ml * 0.95;

export interface TestDevice {
  id: string;
  secret: string;
  provisioned: ProvisionedDevice;
}

export async function makeDevice(
  id: string,
  kind: DeviceKind,
  slots: Array<{ platform: number; itemId: string }> = [],
): Promise<TestDevice> {
  const secret = generateSecret();
  return {
    id,
    secret,
    provisioned: { id, kind, model: `test-${kind}`, secretHash: await hashSecret(secret), slots },
  };
}

export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'pourcast-edge-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function gatewayConfig(
  dataDir: string,
  devices: TestDevice[],
  hub?: Partial<GatewayConfigInput['gateway']['hub']>,
): GatewayConfig {
  return gatewayConfigSchema.parse({
    version: 1,
    gateway: {
      name: 'test bar',
      dataDir,
      mqtt: { port: 0, maxPayloadBytes: 1024, maxFrameBytes: 64 * 1024 },
      http: { port: 0 },
      hub: { url: 'http://127.0.0.1:9', ...hub },
    },
    devices: devices.map((d) => d.provisioned),
  });
}

/** Connects a real mqtt client; resolves on CONNACK, rejects on refusal. */
export function connect(port: number, options: IClientOptions): Promise<MqttClient> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

export function connectDevice(
  port: number,
  device: TestDevice,
  extra: IClientOptions = {},
): Promise<MqttClient> {
  return connect(port, { clientId: device.id, username: device.id, password: device.secret, ...extra });
}

/** Resolves when the client's connection closes (the broker dropped it), rejects after `ms`. */
export function closed(client: MqttClient, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (client.disconnected || !client.connected) return resolve();
    const timer = setTimeout(() => reject(new Error('client still connected')), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Waits for a condition driven by events elsewhere, polling on the event loop; fails after `ms` (a bound for
 * a broken condition, not a speed check: generous, so loaded CI cores do not fail a correct run).
 */
export async function until<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
