/**
 * Abuse at the broker: floods, too many connections, slow-loris, oversized and spec-violating packets,
 * password guessing, and TLS. Each is refused with a counted reason and the bar keeps working.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { deviceBundleSchema, deviceTopic, type GatewayConfig } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../../src/index.ts';
import { silentLogger } from '../../src/log.ts';
import {
  closed,
  connectDevice,
  gatewayConfig,
  makeDevice,
  tempDir,
  type TestDevice,
} from '../support/fixtures.ts';
import { connectPacket, rawConnect } from './raw-mqtt.ts';

let dir: ReturnType<typeof tempDir>;
let gateway: Gateway;
let scale: TestDevice;
let flooder: TestDevice;
let guessed: TestDevice;
let locked: TestDevice;
let unseen: TestDevice;

function withMqtt(
  config: GatewayConfig,
  mqttLimits: Partial<GatewayConfig['gateway']['mqtt']>,
): GatewayConfig {
  return { ...config, gateway: { ...config.gateway, mqtt: { ...config.gateway.mqtt, ...mqttLimits } } };
}

beforeAll(async () => {
  dir = tempDir();
  scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  flooder = await makeDevice('scale-2', 'scale', [{ platform: 0, itemId: 'gin' }]);
  guessed = await makeDevice('scale-3', 'scale', [{ platform: 0, itemId: 'gin' }]);
  locked = await makeDevice('scale-4', 'scale', [{ platform: 0, itemId: 'gin' }]);
  unseen = await makeDevice('scale-5', 'scale', [{ platform: 0, itemId: 'gin' }]);
  const config = withMqtt(gatewayConfig(dir.path, [scale, flooder, guessed, locked, unseen]), {
    connectTimeoutMs: 300,
    maxConnectionsPerAddress: 20,
    maxConnectsPerDevicePerMinute: 4,
    rateLimit: { messagesPerSecond: 20, bytesPerSecond: 64 * 1024, disconnectAfterDrops: 30 },
    loginLockout: { maxFailures: 3, lockoutMs: 60_000, baseDelayMs: 0 },
  });
  gateway = await startGateway(config, { logger: silentLogger, connectHub: false, processReadings: false });
});
afterAll(async () => {
  await gateway.close();
  dir.remove();
});

const refused = async (reason: string) => (await gateway.health()).refusedByReason[reason] ?? 0;

it('drops a flood over the per-device budget with a counted reason, then disconnects the flooder', async () => {
  const client = await connectDevice(gateway.mqttPort, flooder);
  const gone = closed(client, 20_000);
  const status = deviceTopic(flooder.id, 'status');
  // QoS 0 as fast as the socket takes it: a broken device stuck in a loop.
  for (let i = 0; i < 400 && client.connected; i++) client.publish(status, '{"state":"online"}', { qos: 0 });
  await gone;
  expect(await refused('publish:rate-limited')).toBeGreaterThanOrEqual(29);
  expect(await refused('publish:rate-limit-abuse')).toBe(1);
  // Another device's budget is its own: the bar goes on.
  const fine = await connectDevice(gateway.mqttPort, scale);
  await fine.publishAsync(
    deviceTopic(scale.id, 'weight'),
    JSON.stringify({ seq: 1, at: Date.now(), grams: 900 }),
    {
      qos: 1,
    },
  );
  await fine.endAsync();
});

it('drops a client that never finishes CONNECT (slow loris) after the connect timeout', async () => {
  const before = await refused('connect:timeout');
  const raw = await rawConnect(gateway.mqttPort);
  raw.socket.write(Buffer.from([0x10, 0x20, 0x00, 0x04])); // the start of a CONNECT, never the rest
  await raw.closed;
  expect(await refused('connect:timeout')).toBe(before + 1);
});

it('caps connections per address, before any MQTT byte is read', async () => {
  const sockets = await Promise.all(Array.from({ length: 20 }, () => rawConnect(gateway.mqttPort)));
  const extra = await rawConnect(gateway.mqttPort);
  await extra.closed;
  expect(await refused('connect:too-many-from-address')).toBeGreaterThanOrEqual(1);
  for (const raw of sockets) raw.socket.destroy();
  await Promise.all(sockets.map((raw) => raw.closed));
});

it('refuses too many CONNECTs under one device id per minute (CONNACK 3, server unavailable)', async () => {
  const codes: number[] = [];
  for (let i = 0; i < 6; i++) {
    const raw = await rawConnect(gateway.mqttPort);
    raw.send(connectPacket(guessed.id, guessed.secret));
    const connack = await raw.next('connack');
    codes.push((connack as { returnCode?: number } | null)?.returnCode ?? -1);
    raw.socket.destroy();
    await raw.closed;
  }
  expect(codes).toEqual([0, 0, 0, 0, 3, 3]);
  expect(await refused('auth:too-many-connects')).toBe(2);
});

it('cuts off a packet announcing more than the largest frame before buffering it', async () => {
  const raw = await rawConnect(gateway.mqttPort);
  raw.send(connectPacket(scale.id, scale.secret));
  expect(await raw.next('connack')).toMatchObject({ returnCode: 0 });
  // PUBLISH QoS 0 whose remaining length says 200 MB (varint 0x80 0x80 0x80 0x60 would be 201,326,592).
  raw.socket.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x60, 0x00, 0x05]));
  raw.socket.write(Buffer.from('pourc'));
  await raw.closed;
  expect(await refused('connect:oversize-packet')).toBe(1);
});

it('refuses a wildcard in a PUBLISH topic [MQTT-3.3.2-2] ', async () => {
  const before = await refused('publish:bad-topic');
  const raw = await rawConnect(gateway.mqttPort);
  raw.send(connectPacket(scale.id, scale.secret));
  expect(await raw.next('connack')).toMatchObject({ returnCode: 0 });
  raw.send({
    cmd: 'publish',
    topic: 'pourcast/v1/scale-1/+',
    payload: Buffer.from('{}'),
    qos: 0,
    retain: false,
    dup: false,
  });
  await raw.closed;
  expect(await refused('publish:bad-topic')).toBe(before + 1);
});

it('locks out a device id and an address after failed logins, and counts each refusal', async () => {
  const attempt = async (device: TestDevice, password: string) => {
    const raw = await rawConnect(gateway.mqttPort);
    raw.send(connectPacket(device.id, password));
    const connack = (await raw.next('connack')) as { returnCode?: number } | null;
    raw.socket.destroy();
    await raw.closed;
    return connack?.returnCode ?? -1;
  };
  // Three wrong secrets for scale-4 from this address lock out both the id and the address: the right
  // secret is refused too, and so is a device that never logged in from here; scale-1 did, so it gets in.
  for (let i = 0; i < 3; i++) expect(await attempt(locked, 'wrong-secret')).toBe(4);
  expect(await attempt(locked, locked.secret)).toBe(4);
  expect(await attempt(unseen, unseen.secret)).toBe(4);
  expect(await attempt(scale, scale.secret)).toBe(0);
  expect(await refused('auth:bad-secret')).toBeGreaterThanOrEqual(3);
  expect(await refused('auth:locked-out')).toBe(2);
});

it('serves MQTT and the gateway API over TLS with a bar CA certificate', async () => {
  const tlsDir = join(dir.path, 'tls');
  execFileSync('mkdir', ['-p', tlsDir]);
  // A bar CA, and the gateway's certificate signed by it for 127.0.0.1 (the setup docs/RELIABILITY.md gives).
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tlsDir, stdio: 'ignore' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Test Bar CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  ssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=gateway',
    '-keyout',
    'gateway.key',
    '-out',
    'gateway.csr',
  );
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1,DNS:localhost" > san.ext'], { cwd: tlsDir });
  ssl(
    'x509',
    '-req',
    '-in',
    'gateway.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'gateway.pem',
  );
  const tls = { certFile: join(tlsDir, 'gateway.pem'), keyFile: join(tlsDir, 'gateway.key') };
  const base = gatewayConfig(join(dir.path, 'tls-gw'), [scale]);
  const secure = await startGateway(
    {
      ...base,
      gateway: { ...base.gateway, mqtt: { ...base.gateway.mqtt, tls }, http: { ...base.gateway.http, tls } },
    },
    { logger: silentLogger, connectHub: false, processReadings: false },
  );
  try {
    const ca = readFileSync(join(tlsDir, 'ca.pem'));
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${secure.mqttPort}`, {
      clientId: scale.id,
      username: scale.id,
      password: scale.secret,
      ca,
      reconnectPeriod: 0,
    });
    await client.publishAsync(
      deviceTopic(scale.id, 'weight'),
      JSON.stringify({ seq: 1, at: Date.now(), grams: 5 }),
      {
        qos: 1,
      },
    );
    await client.endAsync();
    // A client that does not trust the bar CA is refused by its own TLS check.
    await expect(
      mqtt.connectAsync(`mqtts://127.0.0.1:${secure.mqttPort}`, { reconnectPeriod: 0, connectTimeout: 5000 }),
    ).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    const health = await new Promise<number>((resolve, reject) => {
      import('node:https').then(({ get }) =>
        get(`https://127.0.0.1:${secure.httpPort}/api/v1/health`, { ca }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject),
      );
    });
    expect(health).toBe(200);
    // A device added through the gateway's API over HTTPS is told to speak TLS to the broker.
    const adminToken = readFileSync(join(dir.path, 'tls-gw', 'admin-token'), 'utf8').trim();
    const bundle = await new Promise<string>((resolve, reject) => {
      import('node:https').then(({ request }) => {
        const req = request(
          `https://127.0.0.1:${secure.httpPort}/api/v1/devices`,
          {
            method: 'POST',
            ca,
            headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ id: 'scale-tls', kind: 'scale', model: 'hx711-single' }));
      });
    });
    expect(deviceBundleSchema.parse(JSON.parse(bundle)).brokerUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await secure.close();
  }
});
