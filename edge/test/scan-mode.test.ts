/**
 * A scanner's mode reaches the scanner: the mode it was provisioned with (config file or admin API) is its
 * first config, and a bartender on a paired staff display switches it to receive mode for a delivery. Real
 * aedes broker, real MQTT sessions, the devices package's scanner simulator.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachScannerToDevice,
  createRealtimeClock,
  getScannerDefinition,
  MqttDevice,
  ScannerSimulator,
} from '@pourcast/devices';
import {
  DEVICE_BUNDLE_VERSION,
  deviceBundleSchema,
  deviceConfigSchema,
  deviceTopic,
  pairResponseSchema,
  scanModeResponseSchema,
  staffSnapshotSchema,
  type DeviceBundle,
  type StockEvent,
} from '@pourcast/protocol';
import { startGateway, type Gateway } from '../src/index.ts';
import { createLogger } from '../src/log.ts';
import { startContractHub, type ContractHub } from './support/contract-hub.ts';
import {
  catalog,
  connect,
  gatewayConfig,
  makeDevice,
  tempDir,
  until,
  type TestDevice,
} from './support/fixtures.ts';

const MODEL = 'generic-hid-scanner';
const GIN = catalog.items[0]!.barcodes[0]!;

let hub: ContractHub;
let gateway: Gateway;
let dir: ReturnType<typeof tempDir>;
let adminToken: string;
let displayToken: string;
let storeroom: TestDevice;
let bar: TestDevice;
let scale: TestDevice;
const logLines: string[] = [];
const events: StockEvent[] = [];
const sessions: MqttDevice[] = [];

let mqttPort = 0;

/** A free TCP port: the broker keeps it across a gateway restart, so the scanners' sessions reconnect. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Starts the gateway on `dir`; the storeroom scanner is provisioned with `storeroomMode` (none: no mode). */
async function start(storeroomMode?: 'receive' | 'count'): Promise<void> {
  const provisioned = {
    ...storeroom,
    provisioned: { ...storeroom.provisioned, ...(storeroomMode ? { scanMode: storeroomMode } : {}) },
  };
  const config = gatewayConfig(dir.path, [provisioned, bar, scale], {
    url: hub.url,
    claimCode: hub.claimCode,
  });
  gateway = await startGateway(
    { ...config, gateway: { ...config.gateway, mqtt: { ...config.gateway.mqtt, port: mqttPort } } },
    {
      logger: createLogger({ level: 'info', write: (line) => logLines.push(line) }),
      forwardCoalesceMs: 10,
      configRetry: { baseMs: 40, capMs: 80 },
    },
  );
  gateway.bus.on('stock-event', (event) => events.push(event));
  await until(() => gateway.catalog.loaded);
  await until(async () => (await gateway.health()).gatewayId !== null);
}

async function api(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const response = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, json: (await response.json()) as any };
}

function bundleOf(device: TestDevice): DeviceBundle {
  return {
    version: DEVICE_BUNDLE_VERSION,
    deviceId: device.id,
    kind: 'scanner',
    model: MODEL,
    secret: device.secret,
    brokerUrl: `mqtt://127.0.0.1:${gateway.mqttPort}`,
  };
}

/** A scanner as the devices package runs it: an MQTT session with the simulator taking config and commands. */
async function scannerOnline(bundle: DeviceBundle): Promise<ScannerSimulator> {
  const definition = getScannerDefinition(bundle.model);
  const device = await MqttDevice.connect({
    bundle,
    definition,
    protocol: 4,
    connectTimeoutMs: 5000,
    backoff: { initialMs: 50, maxMs: 200 },
  });
  sessions.push(device);
  const scanner = new ScannerSimulator({
    deviceId: bundle.deviceId,
    definition,
    clock: createRealtimeClock(),
    send: (scan) => device.publish('scan', scan),
  });
  attachScannerToDevice(scanner, device);
  return scanner;
}

/** Scans the gin in the scanner's current mode and returns the stock event the gateway made of it. */
async function scanGin(scanner: ScannerSimulator): Promise<StockEvent> {
  const before = events.length;
  await scanner.scan(GIN);
  await gateway.settled();
  return until(() =>
    events.slice(before).find((e) => e.source === 'scanner' && e.deviceId === scanner.deviceId),
  );
}

async function configOf(deviceId: string) {
  const { json } = await api('/devices');
  return json.devices.find((d: { id: string }) => d.id === deviceId)?.config;
}

beforeAll(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  mqttPort = await freePort();
  const made = await makeDevice('scanner-storeroom', 'scanner');
  storeroom = { ...made, provisioned: { ...made.provisioned, model: MODEL } };
  const plain = await makeDevice('scanner-bar', 'scanner');
  bar = { ...plain, provisioned: { ...plain.provisioned, model: MODEL } };
  scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  await start();
  adminToken = readFileSync(join(dir.path, 'admin-token'), 'utf8').trim();
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await gateway?.close();
  await hub?.close();
  dir?.remove();
});

describe('a provisioned scan mode reaches the scanner', () => {
  let storeroomScanner: ScannerSimulator;

  it('a scanner provisioned for receive mode whose mode was never pushed gets it when the gateway starts', async () => {
    storeroomScanner = await scannerOnline(bundleOf(storeroom));
    expect(await scanGin(storeroomScanner)).toMatchObject({ kind: 'count' });
    expect(await configOf(storeroom.id)).toBeNull();
    // The technician provisions the storeroom scanner for receiving; the gateway starts with it. The scanner,
    // connected all along, reconnects and is sent its provisioned mode as its first config.
    await gateway.close();
    await start('receive');
    await until(() => storeroomScanner.mode === 'receive');
    expect(await scanGin(storeroomScanner)).toMatchObject({
      kind: 'receive',
      itemId: 'gin',
      containersDelta: 1,
    });
    const config = await until(async () => {
      const c = await configOf(storeroom.id);
      return c && !c.pending ? c : undefined;
    });
    expect(config).toMatchObject({ configVersion: 1, ackedVersion: 1 });
  });

  it('a config a technician pushed since is newer: a restart does not put the provisioned mode back', async () => {
    const pushed = await api(`/devices/${storeroom.id}/config`, {
      body: { scanMode: 'count' },
      token: adminToken,
    });
    expect(pushed.status).toBe(202);
    await until(() => storeroomScanner.mode === 'count');
    await until(async () => ((await configOf(storeroom.id))?.ackedVersion === 2 ? true : undefined));
    await gateway.close();
    await start('receive');
    expect(await configOf(storeroom.id)).toMatchObject({ configVersion: 2 });
    // Back online on the new broker: it has had its retained config by then (it subscribes before announcing).
    await until(async () => {
      const { json } = await api('/devices');
      return json.devices.find((d: { id: string }) => d.id === storeroom.id)?.state === 'online';
    });
    expect(await scanGin(storeroomScanner)).toMatchObject({ kind: 'count' });
    expect(storeroomScanner.mode).toBe('count');
  });

  it('a scanner added over the admin API with scanMode receive finds it retained on its config topic', async () => {
    const added = await api('/devices', {
      body: { id: 'scanner-door', kind: 'scanner', model: MODEL, scanMode: 'receive' },
      token: adminToken,
    });
    expect(added.status).toBe(201);
    const bundle = deviceBundleSchema.parse(added.json);
    // The scanner's first session, at the MQTT level: its config is waiting for it, before anyone pushes one.
    const client = await connect(gateway.mqttPort, {
      clientId: bundle.deviceId,
      username: bundle.deviceId,
      password: bundle.secret,
    });
    try {
      const config = new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no retained config for the new scanner')), 5000);
        client.once('message', (_t, payload) => {
          clearTimeout(timer);
          resolve(payload);
        });
      });
      await client.subscribeAsync(deviceTopic(bundle.deviceId, 'config'), { qos: 1 });
      const received = deviceConfigSchema.parse(JSON.parse(String(await config)));
      expect(received).toEqual({ configVersion: 1, scanMode: 'receive' });
      await client.publishAsync(
        deviceTopic(bundle.deviceId, 'response'),
        JSON.stringify({ status: 'ok', configVersion: 1 }),
        { qos: 1 },
      );
      await until(async () => ((await configOf(bundle.deviceId))?.ackedVersion === 1 ? true : undefined));
    } finally {
      await client.endAsync();
    }
  });

  it('a scanner provisioned without a mode is sent no config', async () => {
    expect(await configOf(bar.id)).toBeNull();
  });
});

describe('a bartender switches a scanner to receive mode on the staff display', () => {
  beforeAll(async () => {
    const code = await api('/staff/pairing-codes', { body: {}, token: adminToken });
    expect(code.status).toBe(201);
    const paired = await api('/staff/pair', { body: { code: code.json.code, name: 'back door tablet' } });
    expect(paired.status).toBe(201);
    displayToken = pairResponseSchema.parse(paired.json).token;
  });

  it('puts the scanner in receive mode, shows when it took it, and its scans become receipts', async () => {
    const scanner = await scannerOnline(bundleOf(bar));
    expect(await scanGin(scanner)).toMatchObject({ kind: 'count' });
    const set = await api(`/staff/scanners/${bar.id}/mode`, {
      body: { mode: 'receive', staff: 'jd' },
      token: displayToken,
    });
    expect(set.status).toBe(202);
    expect(scanModeResponseSchema.parse(set.json)).toMatchObject({
      deviceId: bar.id,
      scanMode: { mode: 'receive' },
    });
    await until(() => scanner.mode === 'receive');
    const shown = await until(async () => {
      const snapshot = staffSnapshotSchema.parse((await api('/staff/snapshot')).json);
      const device = snapshot.devices.find((d) => d.id === bar.id);
      return device?.scanMode?.pending === false ? device : undefined;
    });
    expect(shown.scanMode).toMatchObject({ mode: 'receive', pending: false });
    expect(await scanGin(scanner)).toMatchObject({ kind: 'receive', containersDelta: 1 });
    // Audited with who did it, on which screen.
    const audit = logLines.find((line) => line.includes('scan mode set by staff'));
    expect(audit).toMatch(/"staff":"JD"/);
    expect(audit).toMatch(/"display":"back door tablet"/);

    // And back to counting once the delivery is in.
    const back = await api(`/staff/scanners/${bar.id}/mode`, {
      body: { mode: 'count', staff: 'JD' },
      token: displayToken,
    });
    expect(back.status).toBe(202);
    await until(() => scanner.mode === 'count');
    expect(await scanGin(scanner)).toMatchObject({ kind: 'count' });
  });

  it('two screens switching one scanner at once: each push its own version, the later one wins', async () => {
    const ask = (mode: string, staff: string) =>
      api(`/staff/scanners/${bar.id}/mode`, { body: { mode, staff }, token: displayToken });
    const [first, second] = await Promise.all([ask('receive', 'AB'), ask('count', 'CD')]);
    expect([first.status, second.status]).toEqual([202, 202]);
    const versions = [first, second].map((r) => scanModeResponseSchema.parse(r.json).scanMode.configVersion!);
    expect(new Set(versions).size).toBe(2);
    const last = versions[0]! > versions[1]! ? 'receive' : 'count';
    await until(async () =>
      (await configOf(bar.id))?.ackedVersion === Math.max(...versions) ? true : undefined,
    );
    const scanner = sessions.at(-1)!;
    expect(scanner.config).toMatchObject({ configVersion: Math.max(...versions), scanMode: last });
  });

  it('refuses an unpaired screen, a device that is not a scanner, an unknown device and a bad mode', async () => {
    const body = { mode: 'receive', staff: 'JD' };
    const unpaired = await api(`/staff/scanners/${bar.id}/mode`, { body });
    expect(unpaired.status).toBe(401);
    expect(unpaired.json).toMatchObject({ error: { code: 'unpaired' } });
    expect((await api(`/staff/scanners/${bar.id}/mode`, { body, token: 'not-a-token' })).status).toBe(401);
    const notScanner = await api(`/staff/scanners/${scale.id}/mode`, { body, token: displayToken });
    expect(notScanner.status).toBe(422);
    expect(notScanner.json).toMatchObject({ error: { code: 'not_a_scanner' } });
    expect((await api('/staff/scanners/scanner-nowhere/mode', { body, token: displayToken })).status).toBe(
      404,
    );
    const bad = await api(`/staff/scanners/${bar.id}/mode`, {
      body: { mode: 'inventory', staff: 'J' },
      token: displayToken,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^mode: /), expect.stringMatching(/^staff: /)]),
    );
  });
});
