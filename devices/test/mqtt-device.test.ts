import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDeviceDefinition } from '../src/definitions/registry.ts';
import { DeviceMessageError, MqttDevice } from '../src/mqtt-device.ts';
import { startTestBroker, type TestBroker } from './support/aedes-broker.ts';

const AT = 1_800_000_000_000;
const fastBackoff = { initialMs: 20, maxMs: 200, jitter: 0 };

describe('MqttDevice on a real aedes broker', () => {
  let broker: TestBroker;
  const devices: MqttDevice[] = [];
  const connect = async (deviceId: string, model = 'pourcast-scale-hx711') => {
    const definition = getDeviceDefinition(model);
    const device = await MqttDevice.connect({
      bundle: broker.device(deviceId, definition.kind, model),
      definition,
      backoff: fastBackoff,
      firmware: 'sim-1',
    });
    devices.push(device);
    return device;
  };

  beforeEach(async () => {
    broker = await startTestBroker();
  });
  afterEach(async () => {
    for (const device of devices.splice(0)) await device.close();
    await broker.close();
  });

  it('logs in with its bundle and leaves a retained online status (MQTT 3.1.1 after aedes refuses 5)', async () => {
    const device = await connect('scale-a');
    expect(device.protocolVersion).toBe(4);
    expect(device.state).toBe('online');
    const late = await broker.watcher();
    await late.watch('pourcast/v1/scale-a/status');
    const status = await late.until(() => late.on('scale-a', 'status')[0]);
    expect(status.retain).toBe(true);
    expect(status.json()).toMatchObject({
      state: 'online',
      model: 'pourcast-scale-hx711',
      firmware: 'sim-1',
    });
  });

  it('is refused with a wrong secret instead of retrying for ever', async () => {
    const bundle = { ...broker.device('scale-b', 'scale', 'pourcast-scale-hx711'), secret: 'x'.repeat(43) };
    await expect(MqttDevice.connect({ bundle, backoff: fastBackoff })).rejects.toMatchObject({
      name: 'ConnectRefusedError',
      code: 4,
    });
  });

  it('resolves a QoS 1 publish once the broker has the message, and validates before sending', async () => {
    const device = await connect('scale-c');
    await device.publish('weight', { seq: 1, at: AT, grams: 812.4, platform: 0 });
    const accepted = broker.published.filter((p) => p.packet.topic === 'pourcast/v1/scale-c/weight');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.packet.qos).toBe(1);
    expect(JSON.parse(accepted[0]!.packet.payload.toString())).toEqual({
      seq: 1,
      at: AT,
      grams: 812.4,
      platform: 0,
    });

    const bad = device.publish('weight', { seq: -1, at: AT, grams: 'heavy' });
    await expect(bad).rejects.toBeInstanceOf(DeviceMessageError);
    await expect(bad).rejects.toThrow(/seq: .*; grams: /);
  });

  it('leaves its last will (retained offline) when the power is cut, and a clean offline on close', async () => {
    const watcher = await broker.watcher();
    await watcher.watch('pourcast/v1/+/status');
    const cut = await connect('scale-d');
    await watcher.until(() => watcher.on('scale-d', 'status').find((m) => m.json().state === 'online'));
    cut.powerCut();
    await watcher.until(() => watcher.on('scale-d', 'status').find((m) => m.json().state === 'offline'));
    const late = await broker.watcher();
    await late.watch('pourcast/v1/scale-d/status');
    const retained = await late.until(() => late.on('scale-d', 'status')[0]);
    expect(retained.retain).toBe(true);
    expect(retained.json()).toEqual({ state: 'offline' });

    const clean = await connect('scale-e');
    await clean.close();
    const last = await watcher.until(() =>
      watcher.on('scale-e', 'status').find((m) => m.json().state === 'offline'),
    );
    expect(last.json()).toMatchObject({ state: 'offline', model: 'pourcast-scale-hx711' });
    expect(typeof last.json().at).toBe('number');
  });

  it('reconnects after the broker restarts, announces itself again and delivers what was sent meanwhile', async () => {
    const device = await connect('scale-f');
    const states: string[] = [];
    device.onStateChange((state) => states.push(state));
    await broker.stop();
    const pending = device.publish('weight', { seq: 7, at: AT, grams: 500, platform: 0 });
    await broker.restart();
    await pending;
    expect(states).toEqual(['offline', 'online']);
    expect(broker.published.some((p) => p.packet.topic === 'pourcast/v1/scale-f/weight')).toBe(true);
    const watcher = await broker.watcher();
    await watcher.watch('pourcast/v1/scale-f/status');
    const status = await watcher.until(() => watcher.on('scale-f', 'status')[0]);
    expect(status.json()).toMatchObject({ state: 'online' });
  });

  it('gives a config that was waiting when it connected to a handler attached afterwards', async () => {
    // The gateway pushed the scanner's receive mode while it was off: retained, applied during connect().
    const gw = await broker.watcher();
    await gw.send('scanner-late', 'config', { configVersion: 1, scanMode: 'receive' }, true);
    const device = await connect('scanner-late', 'generic-hid-scanner');
    await gw.until(() => device.config?.configVersion === 1);
    // A driver attaches its handler once connect() has returned: it still runs the acknowledged config.
    const taken: unknown[] = [];
    device.onConfig((config) => void taken.push(config.scanMode));
    await gw.until(() => taken.length === 1);
    expect(taken).toEqual(['receive']);
  });

  it('answers config pushes, bad configs and bad commands on response, and keeps running', async () => {
    const device = await connect('scale-g');
    const applied: number[] = [];
    device.onConfig((config) => {
      if (config.sampleHz === 80) throw new Error('this simulator runs at 10 Hz only');
      applied.push(config.configVersion);
    });
    device.onCommand((command) => (command.command === 'tare' ? { tareG: 0 } : undefined));
    const gw = await broker.watcher();
    await gw.watch('pourcast/v1/scale-g/response');
    const responses = () => gw.on('scale-g', 'response').map((m) => m.json());
    const nth = (n: number) => gw.until(() => responses().length >= n && responses());

    await gw.send('scale-g', 'config', { configVersion: 3, sampleHz: 10 }, true);
    expect((await nth(1))[0]).toEqual({ status: 'ok', configVersion: 3 });
    expect(device.config?.configVersion).toBe(3);

    await gw.send('scale-g', 'config', '{"configVersion": "four"');
    expect((await nth(2))[1]).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/^malformed JSON/),
    });

    await gw.send('scale-g', 'config', { configVersion: 4, sampleHz: 500, colour: 'red' });
    const invalid = (await nth(3))[2];
    expect(invalid.status).toBe('error');
    expect(invalid.error.split('\n')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sampleHz: /),
        expect.stringMatching(/^\(root\): .*colour/),
      ]),
    );

    await gw.send('scale-g', 'config', { configVersion: 2 });
    expect((await nth(4))[3]).toMatchObject({
      status: 'error',
      configVersion: 2,
      error: expect.stringMatching(/older/),
    });

    await gw.send('scale-g', 'config', { configVersion: 5, sampleHz: 80 });
    expect((await nth(5))[4]).toEqual({
      status: 'error',
      error: 'this simulator runs at 10 Hz only',
      configVersion: 5,
    });

    await gw.send('scale-g', 'cmd', { command: 'explode', transaction: 't-1' });
    expect((await nth(6))[5]).toMatchObject({
      status: 'error',
      transaction: 't-1',
      error: expect.stringMatching(/^command: /),
    });

    await gw.send('scale-g', 'cmd', { command: 'capture', transaction: 't-2' });
    expect((await nth(7))[6]).toEqual({
      status: 'error',
      transaction: 't-2',
      error: 'capture is not supported by pourcast-scale-hx711',
    });

    await gw.send('scale-g', 'cmd', { command: 'tare', transaction: 't-3' });
    expect((await nth(8))[7]).toEqual({ status: 'ok', transaction: 't-3', data: { tareG: 0 } });

    expect(applied).toEqual([3]);
    expect(device.refused).toEqual({
      'invalid-config': 2,
      'stale-config': 1,
      'invalid-cmd': 1,
      'unsupported-cmd': 1,
    });
    expect(device.state).toBe('online');
  });
});
