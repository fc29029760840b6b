import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceTopic, withFrameMetadataComment } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../src/index.ts';
import { silentLogger } from '../src/log.ts';
import {
  closed,
  connect,
  connectDevice,
  gatewayConfig,
  makeDevice,
  tempDir,
  type TestDevice,
} from './support/fixtures.ts';

let gateway: Gateway;
let dir: ReturnType<typeof tempDir>;
let scale: TestDevice;
let scale2: TestDevice;
let camera: TestDevice;
const clients: MqttClient[] = [];

const reading = (seq: number) => JSON.stringify({ seq, at: Date.now(), grams: 812.5, platform: 0 });
const refusedFor = async (reason: string) => (await gateway.health()).refusedByReason[reason] ?? 0;

async function open(device: TestDevice, extra = {}) {
  const client = await connectDevice(gateway.mqttPort, device, extra);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  dir = tempDir();
  scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  scale2 = await makeDevice('scale-2', 'scale');
  camera = await makeDevice('camera-1', 'camera');
  // No hub: this suite is about the broker; readings are stored, not processed.
  gateway = await startGateway(gatewayConfig(dir.path, [scale, scale2, camera]), {
    logger: silentLogger,
    connectHub: false,
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await gateway.close();
  dir.remove();
});

describe('broker authentication', () => {
  it('accepts a device with its id and secret', async () => {
    const client = await open(scale);
    expect(client.connected).toBe(true);
  });

  it('refuses a wrong password with CONNACK "bad username or password"', async () => {
    const before = await refusedFor('auth:bad-secret');
    await expect(
      connectDevice(gateway.mqttPort, { ...scale, secret: 'not-the-secret-at-all' }),
    ).rejects.toMatchObject({
      code: 4,
    });
    expect(await refusedFor('auth:bad-secret')).toBe(before + 1);
  });

  it('refuses a client id different from the device id', async () => {
    await expect(
      connect(gateway.mqttPort, { clientId: 'scale-2', username: scale.id, password: scale.secret }),
    ).rejects.toMatchObject({ code: 4 });
    expect(await refusedFor('auth:client-id-mismatch')).toBe(1);
  });

  it('refuses MQTT 5 (aedes 1.2 speaks 3.1/3.1.1 only): CONNACK "unacceptable protocol version"', async () => {
    await expect(connectDevice(gateway.mqttPort, scale, { protocolVersion: 5 })).rejects.toMatchObject({
      code: 1,
    });
  });

  it('refuses an unknown device', async () => {
    await expect(
      connect(gateway.mqttPort, { clientId: 'ghost-1', username: 'ghost-1', password: 'whatever-secret' }),
    ).rejects.toMatchObject({ code: 4 });
    expect(await refusedFor('auth:unknown-device')).toBe(1);
  });
});

describe('publish ACL', () => {
  it('disconnects a device publishing under another device id, and counts it', async () => {
    const client = await open(scale2);
    client.publish(deviceTopic(scale.id, 'weight'), reading(1), { qos: 1 });
    await closed(client);
    expect(await refusedFor('publish:foreign-topic')).toBe(1);
  });

  it('disconnects a device publishing on a channel its kind may not use', async () => {
    const client = await open(camera);
    client.publish(deviceTopic(camera.id, 'weight'), reading(1), { qos: 0 });
    await closed(client);
    expect(await refusedFor('publish:forbidden-channel')).toBe(1);
  });

  it('disconnects a device publishing outside the pourcast topic tree', async () => {
    const client = await open(scale2);
    client.publish('other/topic', 'x', { qos: 1 });
    await closed(client);
    expect(await refusedFor('publish:bad-topic')).toBe(1);
  });

  it('drops an oversize, a malformed and a schema-invalid payload but keeps the connection, and still serves others', async () => {
    const client = await open(scale2);
    const topic = deviceTopic(scale2.id, 'weight');
    await client.publishAsync(topic, 'x'.repeat(2048), { qos: 1 }); // limit 1024 in the test config
    await client.publishAsync(topic, '{"seq": 1,', { qos: 1 });
    await client.publishAsync(topic, JSON.stringify({ seq: -1, at: 1, grams: 'heavy' }), { qos: 1 });
    expect(client.connected).toBe(true);
    expect(await refusedFor('publish:oversize')).toBe(1);
    expect(await refusedFor('publish:malformed-json')).toBe(1);
    expect(await refusedFor('publish:invalid-payload')).toBe(1);
    // The same connection and another device still get their readings through.
    await client.publishAsync(topic, reading(7), { qos: 1 });
    const other = await open(scale);
    await other.publishAsync(deviceTopic(scale.id, 'weight'), reading(8), { qos: 1 });
  });

  it('passes a JPEG frame with its metadata (COM segment) to the bus and drops a non-JPEG one', async () => {
    const client = await open(camera);
    const frame = new Promise((resolve) => gateway.bus.once('frame', resolve));
    const jpeg = Buffer.from(
      withFrameMetadataComment(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]), {
        seq: 3,
        at: Date.now(),
        width: 640,
        height: 480,
      }),
    );
    await client.publishAsync(deviceTopic(camera.id, 'frame'), jpeg, { qos: 1 });
    expect(await frame).toMatchObject({
      deviceId: camera.id,
      jpeg,
      meta: { seq: 3, width: 640, height: 480 },
    });
    await client.publishAsync(deviceTopic(camera.id, 'frame'), Buffer.from('GIF89a'), { qos: 1 });
    expect(await refusedFor('publish:not-jpeg')).toBe(1);
    expect(client.connected).toBe(true);
  });
});

describe('subscribe ACL', () => {
  it("grants the own config and cmd topics and refuses another device's config", async () => {
    const client = await open(scale);
    const own = await client.subscribeAsync([deviceTopic(scale.id, 'config'), deviceTopic(scale.id, 'cmd')], {
      qos: 1,
    });
    expect(own.map((g) => g.qos)).toEqual([1, 1]);
    // SUBACK 0x80 (failure) for the refused topic [MQTT-3.9.3]; mqtt.js turns it into a rejection.
    await expect(client.subscribeAsync(deviceTopic(scale2.id, 'config'), { qos: 1 })).rejects.toMatchObject({
      packet: { granted: [128] },
    });
    await expect(client.subscribeAsync('pourcast/v1/#', { qos: 0 })).rejects.toMatchObject({
      packet: { granted: [128] },
    });
    expect(await refusedFor('subscribe:forbidden-topic')).toBe(2);
    expect(client.connected).toBe(true);
  });

  it('delivers a retained config the gateway publishes to the device', async () => {
    await gateway.publishToDevice(scale.id, 'config', { configVersion: 3, sampleHz: 10 });
    const client = await open(scale);
    const message = new Promise<string>((resolve) =>
      client.once('message', (_t, payload) => resolve(payload.toString())),
    );
    await client.subscribeAsync(deviceTopic(scale.id, 'config'), { qos: 1 });
    expect(JSON.parse(await message)).toEqual({ configVersion: 3, sampleHz: 10 });
  });
});

describe('device status', () => {
  it('tracks the retained status and the offline last will', async () => {
    const statuses: string[] = [];
    const off = gateway.bus.on(
      'device-status',
      (e) => e.deviceId === scale2.id && statuses.push(e.status.state),
    );
    const client = await open(scale2, {
      will: {
        topic: deviceTopic(scale2.id, 'status'),
        payload: Buffer.from('{"state":"offline"}'),
        qos: 1,
        retain: true,
      },
    });
    await client.publishAsync(deviceTopic(scale2.id, 'status'), JSON.stringify({ state: 'online' }), {
      qos: 1,
      retain: true,
    });
    const offline = new Promise((resolve) => gateway.bus.once('device-status', resolve));
    client.stream.destroy(); // an ungraceful drop: the broker publishes the will
    await offline;
    off();
    expect(statuses).toEqual(['online', 'offline']);
    const res = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/devices`);
    const body = (await res.json()) as { devices: Array<{ id: string; state: string }> };
    expect(body.devices.find((d) => d.id === scale2.id)?.state).toBe('offline');
  });
});
