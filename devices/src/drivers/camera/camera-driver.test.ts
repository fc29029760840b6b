import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEVICE_BUNDLE_VERSION,
  frameMetadataFromUserProperties,
  frameMetadataSchema,
  generateSecret,
  type DeviceBundle,
} from '@pourcast/protocol';
import { connectFramePublisher, type FramePublisher } from '../../camera/frame-publisher.ts';
import { pourcastShelfCamera } from '../../definitions/index.ts';
import { MOSQUITTO_BIN, startMosquitto } from '../test-support/mosquitto.ts';
import { startTestBroker, type Watcher } from '../../../test/support/aedes-broker.ts';
import { CameraDriver } from './camera-driver.ts';
import { captureCommand, type CaptureToolOptions } from './capture-tool.ts';

const ID = 'camera-back-bar';
/** The hardware boundary: a script that answers like rpicam-still / fswebcam. */
const FAKE_TOOL = [
  process.execPath,
  fileURLToPath(new URL('../test-support/fake-capture-tool.mjs', import.meta.url)),
];

function capture(overrides: Partial<CaptureToolOptions> = {}): CaptureToolOptions {
  return { tool: 'rpicam-still', width: 320, height: 240, command: FAKE_TOOL, settleMs: 1, ...overrides };
}

describe('capture command lines', () => {
  it('asks rpicam-still for a still on stdout without preview', () => {
    expect(captureCommand({ tool: 'rpicam-still', width: 1280, height: 720 })).toEqual({
      program: 'rpicam-still',
      args: [
        '--nopreview',
        '--timeout',
        '1000',
        '--width',
        '1280',
        '--height',
        '720',
        '--encoding',
        'jpg',
        '--quality',
        '90',
        '--output',
        '-',
      ],
    });
  });

  it('asks fswebcam for a bannerless JPEG on stdout, skipping frames to settle exposure', () => {
    const { program, args } = captureCommand({
      tool: 'fswebcam',
      width: 640,
      height: 480,
      device: '/dev/video2',
      settleMs: 500,
    });
    expect(program).toBe('fswebcam');
    expect(args).toEqual([
      '--device',
      '/dev/video2',
      '--resolution',
      '640x480',
      '--skip',
      '15',
      '--no-banner',
      '--jpeg',
      '90',
      '--quiet',
      '-',
    ]);
  });
});

describe('camera driver over a real broker (aedes, MQTT 3.1.1)', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let gateway: Watcher;
  let publisher: FramePublisher;

  beforeEach(async () => {
    broker = await startTestBroker();
    gateway = await broker.watcher();
    await gateway.watchDevice(ID);
    publisher = await connectFramePublisher({
      bundle: broker.device(ID, 'camera', 'pourcast-shelf-camera'),
      definition: pourcastShelfCamera,
    });
  });

  afterEach(async () => {
    await publisher.close();
    await gateway.close();
    await broker.close();
  });

  it('captures on a schedule, resizes with sharp and publishes raw JPEG bytes', async () => {
    expect(publisher.device.protocolVersion).toBe(4); // aedes refused MQTT 5
    const driver = new CameraDriver({ publisher, capture: capture(), intervalMs: 60_000 });
    driver.start(); // first capture at once
    const frame = await gateway.until(() => gateway.on(ID, 'frame')[0], 15_000);
    await driver.stop();
    expect([frame.payload[0], frame.payload[1]]).toEqual([0xff, 0xd8]);
    const { width, height, format } = await sharp(frame.payload).metadata();
    // The fake camera delivered 640 × 480; the frame fits the asked 320 × 240.
    expect({ width, height, format }).toEqual({ width: 320, height: 240, format: 'jpeg' });
    // On 3.1.1 the metadata rides in a COM segment (FF FE) right after SOI.
    expect(frame.userProperties).toBeUndefined();
    expect([frame.payload[2], frame.payload[3]]).toEqual([0xff, 0xfe]);
    const length = frame.payload.readUInt16BE(4);
    const meta = JSON.parse(frame.payload.subarray(6, 4 + length).toString('utf8'));
    expect(frameMetadataSchema.parse(meta)).toMatchObject({ seq: 0, width: 320, height: 240 });
  });

  it('captures on a capture command and answers with the frame it published', async () => {
    const driver = new CameraDriver({
      publisher,
      // A webcam that only does 640 × 480: the frame keeps its 4:3 shape inside the asked 200 × 200.
      capture: capture({ width: 200, height: 200, command: [...FAKE_TOOL, '--native', '640x480'] }),
      intervalMs: 60_000,
    });
    await gateway.send(ID, 'cmd', { command: 'capture', transaction: 'snap' });
    const response = await gateway.until(() => gateway.on(ID, 'response')[0], 15_000);
    const frame = await gateway.until(() => gateway.on(ID, 'frame')[0]);
    expect(response.json()).toEqual({
      status: 'ok',
      transaction: 'snap',
      data: { seq: 0, bytes: expect.any(Number), width: 200, height: 150 },
    });
    // `bytes` is the encoded JPEG; on 3.1.1 the COM segment (marker + length + JSON) comes on top.
    const { bytes } = (response.json() as { data: { bytes: number } }).data;
    expect(frame.payload.length).toBe(bytes + 2 + frame.payload.readUInt16BE(4));
    await driver.stop();
  });

  it('answers a failed capture with the tool’s own error', async () => {
    const driver = new CameraDriver({
      publisher,
      capture: capture({ command: [...FAKE_TOOL, '--fail'] }),
      intervalMs: 60_000,
    });
    await gateway.send(ID, 'cmd', { command: 'capture', transaction: 'snap' });
    const response = await gateway.until(() => gateway.on(ID, 'response')[0], 15_000);
    expect(response.json()).toMatchObject({ status: 'error', transaction: 'snap' });
    expect((response.json() as { error: string }).error).toMatch(
      /exited with 1: ERROR: \*\*\* no cameras available \*\*\*/,
    );
    expect(gateway.on(ID, 'frame')).toEqual([]);
    await driver.stop();
  });
});

describe.runIf(MOSQUITTO_BIN)('camera driver over MQTT 5 (mosquitto)', () => {
  it('publishes frame metadata as user properties the gateway can validate', async () => {
    const mosquitto = await startMosquitto();
    const bundle: DeviceBundle = {
      version: DEVICE_BUNDLE_VERSION,
      deviceId: ID,
      kind: 'camera',
      model: 'pourcast-shelf-camera',
      secret: generateSecret(),
      brokerUrl: mosquitto.url,
    };
    const probe = await mqtt.connectAsync(mosquitto.url, {
      protocolVersion: 5,
      clientId: 'probe',
      reconnectPeriod: 0,
    });
    try {
      await probe.subscribeAsync(`pourcast/v1/${ID}/frame`, { qos: 1 });
      const received = new Promise<{ payload: Buffer; properties: Record<string, unknown> | undefined }>(
        (resolve) =>
          probe.once('message', (_topic, payload, packet) =>
            resolve({ payload, properties: packet.properties }),
          ),
      );
      const publisher5 = await connectFramePublisher({ bundle, definition: pourcastShelfCamera });
      expect(publisher5.device.protocolVersion).toBe(5);
      const driver = new CameraDriver({
        publisher: publisher5,
        capture: capture({ tool: 'fswebcam' }),
        intervalMs: 60_000,
      });
      const before = Date.now();
      const published = await driver.captureNow();
      const { payload, properties } = await received;
      await publisher5.close();

      expect(properties?.contentType).toBe('image/jpeg');
      const user = properties?.userProperties as Record<string, string>;
      expect(user).toEqual({ seq: '0', at: expect.stringMatching(/^\d+$/), width: '320', height: '240' });
      const meta = frameMetadataFromUserProperties(user);
      expect(meta.ok && meta.value.at).toBeGreaterThanOrEqual(before);
      expect([payload[2], payload[3]]).not.toEqual([0xff, 0xfe]); // no COM segment needed on MQTT 5
      expect(published).toEqual({ seq: 0, bytes: payload.length, width: 320, height: 240 });
    } finally {
      await probe.endAsync();
      await mosquitto.stop();
    }
  });
});
