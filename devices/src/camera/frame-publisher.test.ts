import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeviceBundle } from '@pourcast/protocol';
import { connectFramePublisher } from './frame-publisher.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startBroker(expected: { username: string; password: string }) {
  const logins: string[] = [];
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      logins.push(`${client.id}/${username}`);
      done(null, username === expected.username && password?.toString() === expected.password);
    },
  });
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`, logins };
}

describe('connectFramePublisher', () => {
  it('logs in with the bundle and publishes the JPEG with its metadata in a COM segment on aedes (MQTT 3.1.1)', async () => {
    const secret = 'a-long-device-secret-0123456789';
    const { url, logins } = await startBroker({ username: 'cam-bar-1', password: secret });
    const bundle: DeviceBundle = {
      version: 1,
      deviceId: 'cam-bar-1',
      kind: 'camera',
      model: 'sim-shelf-cam',
      secret,
      brokerUrl: url,
    };
    const watcher = await mqtt.connectAsync(url, {
      clientId: 'watcher',
      username: 'cam-bar-1',
      password: secret,
    });
    cleanups.push(() => watcher.endAsync());
    await watcher.subscribeAsync('pourcast/v1/cam-bar-1/frame', { qos: 1 });
    const received = new Promise<{ payload: Buffer; props: Record<string, string | string[]> | undefined }>(
      (resolve) =>
        watcher.on('message', (_topic, payload, packet) =>
          resolve({ payload, props: packet.properties?.userProperties }),
        ),
    );
    const publisher = await connectFramePublisher({ bundle });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const meta = { seq: 7, at: 1_800_000_000_000, width: 1280, height: 720 };
    await publisher.publishFrame(jpeg, meta);
    const got = await received;
    expect(publisher.device.protocolVersion).toBe(4);
    // SOI, then COM (FF FE) with the metadata JSON, then the rest of the original JPEG.
    expect([...got.payload.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xfe]);
    const length = got.payload.readUInt16BE(4);
    expect(JSON.parse(got.payload.subarray(6, 4 + length).toString('utf8'))).toEqual(meta);
    expect(got.payload.subarray(4 + length).equals(jpeg.subarray(2))).toBe(true);
    expect(logins).toContain('cam-bar-1/cam-bar-1');
    await publisher.close();
  });

  it('fails to connect with a wrong secret', async () => {
    const { url } = await startBroker({ username: 'cam-bar-1', password: 'the-right-secret-0123456789' });
    const bundle: DeviceBundle = {
      version: 1,
      deviceId: 'cam-bar-1',
      kind: 'camera',
      model: 'sim',
      secret: 'the-wrong-secret-0123456789',
      brokerUrl: url,
    };
    await expect(connectFramePublisher({ bundle, connectTimeoutMs: 5_000 })).rejects.toThrow(
      /[Nn]ot authorized|[Bb]ad user/,
    );
  });
});
