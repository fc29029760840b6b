import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { MqttDevice } from '@pourcast/devices';
import { deviceBundleSchema, deviceTopic, type DeviceBundle } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../src/index.ts';
import { createLogger } from '../src/log.ts';
import { catalog, closed, connect, gatewayConfig, tempDir } from './support/fixtures.ts';

let gateway: Gateway;
let dir: ReturnType<typeof tempDir>;
let token: string;
const logLines: string[] = [];
const devices: MqttDevice[] = [];
const clients: MqttClient[] = [];

async function api(method: string, path: string, body?: unknown, auth: string | null = token) {
  const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1${path}`, {
    method,
    headers: {
      ...(auth === null ? {} : { authorization: `Bearer ${auth}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as any };
}

async function addScale(id: string): Promise<DeviceBundle> {
  const added = await api('POST', '/devices', { id, kind: 'scale', model: 'hx711-single' });
  expect(added.status).toBe(201);
  return deviceBundleSchema.parse(added.json);
}

/** A load cell seen through its raw counts: count = zero + countsPerGram × grams (+ a bend above 1 kg). */
function rawScale(bundle: DeviceBundle, zero: number, countsPerGram: number, bendAbove1kg = 0) {
  const state = { grams: 0 };
  const raw = () =>
    zero + countsPerGram * state.grams + Math.max(0, state.grams - 1000) * bendAbove1kg * countsPerGram;
  return MqttDevice.connect({ bundle, protocol: 4, connectTimeoutMs: 5000 }).then((device) => {
    devices.push(device);
    device.onCommand((command) => {
      if (command.command === 'tare' || command.command === 'calibrate') return { raw: raw() };
      throw new Error('not a scale command');
    });
    return { device, state };
  });
}

async function deviceRow(id: string) {
  const listed = await api('GET', '/devices', undefined, null);
  return listed.json.devices.find((d: { id: string }) => d.id === id);
}

/** Waits (event-driven, with a timeout) until `check` holds after each device status or config change. */
async function until<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise<void>((resolve) => {
      const off = gateway.bus.once('device-status', () => resolve());
      setImmediate(() => {
        off();
        resolve();
      });
    });
  }
}

beforeAll(async () => {
  dir = tempDir();
  gateway = await startGateway(gatewayConfig(dir.path, []), {
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    connectHub: false,
    deviceCommandTimeoutMs: 3000,
    configRetry: { baseMs: 40, capMs: 80 },
  });
  await gateway.catalog.save(catalog);
  token = readFileSync(join(dir.path, 'admin-token'), 'utf8').trim();
});

afterAll(async () => {
  await Promise.all(devices.map((d) => d.close()));
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await gateway.close();
  dir.remove();
});

describe('gateway admin token', () => {
  it('is written once to <dataDir>/admin-token with mode 0600 and never logged', () => {
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(statSync(join(dir.path, 'admin-token')).mode & 0o777).toBe(0o600);
    expect(logLines.some((line) => line.includes('admin token created'))).toBe(true);
    expect(logLines.some((line) => line.includes(token))).toBe(false);
  });

  it('is required by every administration route', async () => {
    expect((await api('POST', '/devices', { kind: 'scale', model: 'x' }, null)).status).toBe(401);
    expect((await api('DELETE', '/devices/scale-9', undefined, 'wrong-token')).status).toBe(401);
    expect((await api('GET', '/devices', undefined, null)).status).toBe(200);
  });
});

describe('adding, replacing and revoking devices', () => {
  it('adds a device: the bundle connects to the broker, only its hash is stored', async () => {
    const bundle = await addScale('scale-add');
    expect(bundle.brokerUrl).toBe(`mqtt://127.0.0.1:${gateway.mqttPort}`);
    const { device } = await rawScale(bundle, 0, 1);
    expect(device.state).toBe('online');
    const row = await until(async () => {
      const r = await deviceRow('scale-add');
      return r?.state === 'online' ? r : undefined;
    });
    expect(row).toMatchObject({ kind: 'scale', model: 'hx711-single', revoked: false });
    expect(logLines.some((line) => line.includes(bundle.secret))).toBe(false);
  });

  it('names a device when no id is given and refuses a taken id or a bad body with path: message', async () => {
    const named = await api('POST', '/devices', { kind: 'scanner', model: 'hid-wedge' });
    expect(named.status).toBe(201);
    expect(named.json.deviceId).toMatch(/^scanner-[a-z0-9]+$/);
    expect((await api('POST', '/devices', { id: 'scale-add', kind: 'scale', model: 'x' })).status).toBe(409);
    const bad = await api('POST', '/devices', { kind: 'toaster', model: '' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kind: /), expect.stringMatching(/^model: /)]),
    );
  });

  it('revokes a device: its session ends at once and its secret stops working', async () => {
    const bundle = await addScale('scale-revoke');
    const client = await connect(gateway.mqttPort, {
      clientId: bundle.deviceId,
      username: bundle.deviceId,
      password: bundle.secret,
    });
    clients.push(client);
    const ended = closed(client, 3000);
    const revoked = await api('DELETE', '/devices/scale-revoke');
    expect(revoked).toMatchObject({ status: 200, json: { id: 'scale-revoke', disconnected: true } });
    await ended;
    await expect(
      connect(gateway.mqttPort, {
        clientId: bundle.deviceId,
        username: bundle.deviceId,
        password: bundle.secret,
      }),
    ).rejects.toMatchObject({ code: 4 });
    expect((await deviceRow('scale-revoke')).revoked).toBe(true);
    expect((await api('DELETE', '/devices/no-such-device')).status).toBe(404);
  });

  it('replaces a unit: same id and mapping, the old secret refused, the new one accepted', async () => {
    const old = await addScale('scale-swap');
    expect(
      (await api('PUT', '/devices/scale-swap/slots', { slots: [{ platform: 0, itemId: 'gin' }] })).status,
    ).toBe(200);
    const replaced = await api('POST', '/devices/scale-swap/replace');
    expect(replaced.status).toBe(200);
    const fresh = deviceBundleSchema.parse(replaced.json);
    expect(fresh.deviceId).toBe('scale-swap');
    expect(fresh.secret).not.toBe(old.secret);
    await expect(
      connect(gateway.mqttPort, { clientId: old.deviceId, username: old.deviceId, password: old.secret }),
    ).rejects.toMatchObject({ code: 4 });
    const { device } = await rawScale(fresh, 0, 1);
    expect(device.state).toBe('online');
    expect((await deviceRow('scale-swap')).slots).toEqual([{ platform: 0, itemId: 'gin' }]);
  });
});

describe('mapping platforms to items', () => {
  it('accepts catalog items and refuses unknown ones with path: message', async () => {
    await addScale('scale-map');
    const unknown = await api('PUT', '/devices/scale-map/slots', {
      slots: [
        { platform: 0, itemId: 'gin' },
        { platform: 1, itemId: 'absinthe' },
      ],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.details).toEqual(['slots.1.itemId: no item absinthe in the catalog']);
    const mapped = await api('PUT', '/devices/scale-map/slots', {
      slots: [
        { platform: 0, itemId: 'gin' },
        { platform: 1, itemId: 'tonic' },
      ],
    });
    expect(mapped.status).toBe(200);
    expect((await deviceRow('scale-map')).slots).toHaveLength(2);
    const twice = await api('PUT', '/devices/scale-map/slots', {
      slots: [
        { platform: 0, itemId: 'gin' },
        { platform: 0, itemId: 'tonic' },
      ],
    });
    expect(twice.json.error.details).toEqual(['slots: platforms must differ']);
  });
});

describe('config push', () => {
  it('publishes a retained config, shows it pending, and retries until the device acknowledges', async () => {
    const bundle = await addScale('scale-push');
    const client = await connect(gateway.mqttPort, {
      clientId: bundle.deviceId,
      username: bundle.deviceId,
      password: bundle.secret,
    });
    clients.push(client);
    await client.subscribeAsync(deviceTopic(bundle.deviceId, 'config'), { qos: 1 });
    const deliveries: Array<{ configVersion: number; sampleHz?: number }> = [];
    const secondDelivery = new Promise<void>((resolve) =>
      client.on('message', (_topic, payload) => {
        deliveries.push(JSON.parse(payload.toString()));
        // This unit misses the first push; it acknowledges the retry.
        if (deliveries.length === 2) {
          void client.publishAsync(
            deviceTopic(bundle.deviceId, 'response'),
            JSON.stringify({ status: 'ok', configVersion: deliveries[1]!.configVersion }),
            { qos: 1 },
          );
          resolve();
        }
      }),
    );
    const pushed = await api('POST', '/devices/scale-push/config', { sampleHz: 10 });
    expect(pushed.status).toBe(202);
    expect(pushed.json).toMatchObject({ configVersion: 1, pending: true, ackedVersion: null });
    expect((await deviceRow('scale-push')).config.pending).toBe(true);
    await secondDelivery;
    const acked = await until(async () => {
      const row = await deviceRow('scale-push');
      return row.config.pending ? undefined : row.config;
    });
    expect(acked).toMatchObject({ configVersion: 1, ackedVersion: 1, pending: false });
    expect(acked.attempts).toBeGreaterThanOrEqual(2);
    expect(deliveries[0]).toEqual({ configVersion: 1, sampleHz: 10 });

    const stale = await api('POST', '/devices/scale-push/config', { configVersion: 1, sampleHz: 5 });
    expect(stale.status).toBe(409);
    const invalid = await api('POST', '/devices/scale-push/config', { sampleHz: 500 });
    expect(invalid.json.error.details).toEqual([expect.stringMatching(/^sampleHz: /)]);
  });
});

describe('two-weight calibration', () => {
  it('computes offset and factor from raw counts, checks linearity, stores and pushes it', async () => {
    const bundle = await addScale('scale-cal');
    const { device, state } = await rawScale(bundle, 84_000, 420);
    expect(
      (await api('POST', '/devices/scale-cal/calibration', { step: 'span', knownGrams: 500 })).status,
    ).toBe(409);

    const tared = await api('POST', '/devices/scale-cal/calibration', { step: 'tare' });
    expect(tared.json).toEqual({ step: 'tare', offset: 84_000, next: 'span' });
    state.grams = 500;
    const spanned = await api('POST', '/devices/scale-cal/calibration', { step: 'span', knownGrams: 500 });
    expect(spanned.json).toEqual({ step: 'span', offset: 84_000, factor: 420, next: 'check' });
    state.grams = 1000;
    const checked = await api('POST', '/devices/scale-cal/calibration', { step: 'check', knownGrams: 1000 });
    expect(checked.status).toBe(200);
    expect(checked.json.calibration).toMatchObject({
      offset: 84_000,
      factor: 420,
      knownGrams: 500,
      checkGrams: 1000,
      errorPercent: 0,
    });
    expect(Date.parse(checked.json.calibration.calibratedAt)).not.toBeNaN();
    expect(checked.json.config.config.calibration).toEqual({ offset: 84_000, factor: 420 });

    await until(async () => (device.config?.calibration ? true : undefined));
    expect(device.config?.calibration).toEqual({ offset: 84_000, factor: 420 });
    const stored = await api('GET', '/devices/scale-cal/calibration');
    expect(stored.json.calibration.factor).toBe(420);
  });

  it('flags a scale whose empty platform creeps away from 0 g, until it is recalibrated', async () => {
    const bundle = await addScale('scale-drift');
    const { device, state } = await rawScale(bundle, 50_000, 400);
    const calibrate = async () => {
      state.grams = 0;
      await api('POST', '/devices/scale-drift/calibration', { step: 'tare' });
      state.grams = 500;
      await api('POST', '/devices/scale-drift/calibration', { step: 'span', knownGrams: 500 });
      state.grams = 1000;
      expect(
        (await api('POST', '/devices/scale-drift/calibration', { step: 'check', knownGrams: 1000 })).status,
      ).toBe(200);
    };
    await calibrate();
    // The device's own view of 0 g has shifted by 8 g (it keeps its old tare while the cell settles).
    for (let seq = 0; seq < 60; seq++)
      await device.publish('weight', { seq, at: Date.now(), grams: 8, platform: 0 });
    const drift = await until(async () => {
      const row = await deviceRow('scale-drift');
      return row.drift.length > 0 ? row.drift : undefined;
    });
    expect(drift).toEqual([{ platform: 0, emptyG: 8, drifted: true, since: expect.any(String) }]);
    expect(logLines.some((l) => l.includes('scale zero has drifted') && l.includes('scale-drift'))).toBe(
      true,
    );
    await calibrate();
    expect((await deviceRow('scale-drift')).drift).toEqual([]);
  });

  it('refuses a load cell that bends: the second weight reads off', async () => {
    const bundle = await addScale('scale-bent');
    const { state } = await rawScale(bundle, 10_000, -200, 0.05);
    await api('POST', '/devices/scale-bent/calibration', { step: 'tare' });
    state.grams = 1000;
    expect(
      (await api('POST', '/devices/scale-bent/calibration', { step: 'span', knownGrams: 1000 })).json.factor,
    ).toBe(-200);
    state.grams = 2000;
    const checked = await api('POST', '/devices/scale-bent/calibration', { step: 'check', knownGrams: 2000 });
    expect(checked.status).toBe(422);
    expect(checked.json.error.message).toMatch(/2\.50 % off/);
    expect((await api('GET', '/devices/scale-bent/calibration')).json.calibration).toBeNull();
  });

  it('says so when the weight did not move the reading, or the device is not a scale', async () => {
    const bundle = await addScale('scale-idle');
    await rawScale(bundle, 5000, 400);
    await api('POST', '/devices/scale-idle/calibration', { step: 'tare' });
    const idle = await api('POST', '/devices/scale-idle/calibration', { step: 'span', knownGrams: 500 });
    expect(idle).toMatchObject({ status: 422, json: { error: { code: 'no_span' } } });
    const scanner = await api('POST', '/devices', { id: 'scanner-cal', kind: 'scanner', model: 'hid-wedge' });
    expect(scanner.status).toBe(201);
    expect((await api('POST', '/devices/scanner-cal/calibration', { step: 'tare' })).status).toBe(422);
  });
});
