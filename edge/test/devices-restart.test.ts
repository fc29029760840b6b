import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { MqttDevice } from '@pourcast/devices';
import { deviceBundleSchema, deviceTopic, type DeviceBundle } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../src/index.ts';
import { createLogger } from '../src/log.ts';
import { connect, gatewayConfig, makeDevice, tempDir, until, type TestDevice } from './support/fixtures.ts';

let dir: ReturnType<typeof tempDir>;
let fromFile: TestDevice;
const logLines: string[] = [];
const clients: MqttClient[] = [];

const start = () =>
  startGateway(gatewayConfig(dir.path, [fromFile]), {
    logger: createLogger({ write: (line) => logLines.push(line) }),
    connectHub: false,
    configRetry: { baseMs: 20, capMs: 40 },
  });

async function api(gateway: Gateway, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as any };
}

const login = (bundle: { deviceId: string; secret: string }, port: number) =>
  connect(port, { clientId: bundle.deviceId, username: bundle.deviceId, password: bundle.secret }).then(
    (c) => {
      clients.push(c);
      return c;
    },
  );

beforeAll(async () => {
  dir = tempDir();
  fromFile = await makeDevice('scale-file', 'scale');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  dir.remove();
});

describe('device administration across a restart', () => {
  let token: string;
  let added: DeviceBundle;
  let replaced: DeviceBundle;

  it('keeps its admin token, revocations, new secrets and pending pushes; the config file does not undo them', async () => {
    const first = await start();
    try {
      token = readFileSync(join(dir.path, 'admin-token'), 'utf8').trim();
      added = deviceBundleSchema.parse(
        (await api(first, token, 'POST', '/devices', { id: 'scale-api', kind: 'scale', model: 'm' })).json,
      );
      // The config file's device is revoked; the API's device gets a new secret.
      expect((await api(first, token, 'DELETE', '/devices/scale-file')).status).toBe(200);
      replaced = deviceBundleSchema.parse(
        (await api(first, token, 'POST', '/devices/scale-api/replace')).json,
      );
      const pushed = await api(first, token, 'POST', '/devices/scale-api/config', { sampleHz: 5 });
      expect(pushed.json.pending).toBe(true);
    } finally {
      await first.close();
    }

    const created = logLines.filter((l) => l.includes('admin token created')).length;
    const second = await start();
    try {
      expect(logLines.filter((l) => l.includes('admin token created'))).toHaveLength(created);
      expect(readFileSync(join(dir.path, 'admin-token'), 'utf8').trim()).toBe(token);
      expect((await api(second, token, 'GET', '/devices')).status).toBe(200);

      await expect(
        connect(second.mqttPort, { clientId: fromFile.id, username: fromFile.id, password: fromFile.secret }),
      ).rejects.toMatchObject({ code: 4 });
      await expect(login(added, second.mqttPort)).rejects.toMatchObject({ code: 4 });

      // The push made before the restart is still pending and is delivered (retained) and retried.
      const device = await login(replaced, second.mqttPort);
      const delivered = new Promise<{ configVersion: number; sampleHz: number }>((resolve) =>
        device.on('message', (_t, payload) => resolve(JSON.parse(payload.toString()))),
      );
      await device.subscribeAsync(deviceTopic('scale-api', 'config'), { qos: 1 });
      expect(await delivered).toEqual({ configVersion: 1, sampleHz: 5 });
      const listed = await api(second, token, 'GET', '/devices');
      expect(listed.json.devices.find((d: { id: string }) => d.id === 'scale-api').config).toMatchObject({
        configVersion: 1,
        pending: true,
      });

      // An `online` status reporting the pushed version acknowledges it too.
      const acked = new Promise<void>((resolve) => second.bus.once('device-status', () => resolve()));
      await device.publishAsync(
        deviceTopic('scale-api', 'status'),
        JSON.stringify({ state: 'online', configVersion: 1 }),
        { qos: 1, retain: true },
      );
      await acked;
      let config: { pending: boolean; ackedVersion: number | null } | undefined;
      for (let i = 0; i < 100 && (config === undefined || config.pending); i++) {
        const rows = (await api(second, token, 'GET', '/devices')).json.devices;
        config = rows.find((d: { id: string }) => d.id === 'scale-api').config;
      }
      expect(config).toMatchObject({ pending: false, ackedVersion: 1 });
    } finally {
      await second.close();
    }
  });
});

/** A scale session answering tare/calibrate with raw counts: zero + countsPerGram × grams. */
async function rawScale(bundle: DeviceBundle, brokerUrl: string, load: { grams: number }) {
  const device = await MqttDevice.connect({
    bundle: { ...bundle, brokerUrl },
    protocol: 4,
    connectTimeoutMs: 5000,
  });
  device.onCommand((command) => {
    if (command.command === 'tare' || command.command === 'calibrate')
      return { raw: 84_000 + 420 * load.grams };
    throw new Error('not a scale command');
  });
  return device;
}

describe('a calibration across a restart', () => {
  it('is kept in the gateway database and sent again to the scale, which holds it in memory only', async () => {
    const load = { grams: 0 };
    const first = await start();
    let token: string;
    let bundle: DeviceBundle;
    let stored: unknown;
    try {
      token = readFileSync(join(dir.path, 'admin-token'), 'utf8').trim();
      bundle = deviceBundleSchema.parse(
        (await api(first, token, 'POST', '/devices', { id: 'scale-cal', kind: 'scale', model: 'm' })).json,
      );
      const device = await rawScale(bundle, `mqtt://127.0.0.1:${first.mqttPort}`, load);
      const step = (body: unknown) => api(first, token, 'POST', '/devices/scale-cal/calibration', body);
      expect((await step({ step: 'tare' })).status).toBe(200);
      load.grams = 500;
      expect((await step({ step: 'span', knownGrams: 500 })).status).toBe(200);
      load.grams = 1000;
      const checked = await step({ step: 'check', knownGrams: 1000 });
      expect(checked.json.calibration).toMatchObject({ offset: 84_000, factor: 420 });
      stored = checked.json.calibration;
      await until(async () => {
        const rows = (await api(first, token, 'GET', '/devices')).json.devices;
        return rows.find((d: { id: string }) => d.id === 'scale-cal').config.pending === false;
      });
      await device.close();
    } finally {
      await first.close();
    }

    // A new gateway app over the same SQLite file; its broker starts without any retained message.
    const second = await start();
    try {
      expect((await api(second, token, 'GET', '/devices/scale-cal/calibration')).json).toEqual({
        calibration: stored,
      });
      const device = await rawScale(bundle, `mqtt://127.0.0.1:${second.mqttPort}`, load);
      await until(() => device.config?.calibration);
      expect(device.config).toEqual({ configVersion: 1, calibration: { offset: 84_000, factor: 420 } });
      const rows = (await api(second, token, 'GET', '/devices')).json.devices;
      expect(rows.find((d: { id: string }) => d.id === 'scale-cal').config).toMatchObject({
        configVersion: 1,
        ackedVersion: 1,
        pending: false,
      });
      await device.close();
    } finally {
      await second.close();
    }
  });
});
