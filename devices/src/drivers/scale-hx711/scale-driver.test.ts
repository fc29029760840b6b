import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pourcastScaleHx711 } from '../../definitions/index.ts';
import { MqttDevice } from '../../mqtt-device.ts';
import { fakeHx711Chip } from '../test-support/fake-hx711-chip.ts';
import { startTestBroker, type Watcher } from '../../../test/support/aedes-broker.ts';
import { Hx711 } from './hx711.ts';
import { ScaleDriver } from './scale-driver.ts';

const ID = 'scale-back-bar-1';
const EMPTY = -8_000; // counts with nothing on the platform
const PER_GRAM = 420;

describe('HX711 scale driver over a real broker', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let gateway: Watcher;
  let device: MqttDevice;
  let driver: ScaleDriver;
  let grams = 0;
  let conversions = 0;

  beforeEach(async () => {
    broker = await startTestBroker();
    gateway = await broker.watcher();
    await gateway.watchDevice(ID);
    grams = 0;
    conversions = 0;
    // Every 7th conversion is a knock on the bar, far off the rest.
    const chip = fakeHx711Chip(() => EMPTY + grams * PER_GRAM + (++conversions % 7 === 0 ? 900_000 : 0));
    const hx711 = new Hx711({ clock: chip.clock, data: chip.data, pollMs: 1 });
    device = await MqttDevice.connect({
      bundle: broker.device(ID, 'scale', 'pourcast-scale-hx711'),
      definition: pourcastScaleHx711,
      firmware: 'test',
    });
    driver = new ScaleDriver({ device, source: hx711, windowSize: 5, sampleHz: 20 });
    driver.start();
  });

  afterEach(async () => {
    await driver.stop();
    await device.close();
    await gateway.close();
    await broker.close();
  });

  const responses = () => gateway.on(ID, 'response').map((m) => m.json() as Record<string, unknown>);
  const response = (transaction: string) =>
    gateway.until(() => responses().find((r) => r.transaction === transaction));

  it('announces itself online (retained), tares, calibrates and publishes calibrated weights', async () => {
    const status = await gateway.until(() => gateway.on(ID, 'status')[0]);
    expect(status.json()).toMatchObject({ state: 'online', model: 'pourcast-scale-hx711', firmware: 'test' });

    await gateway.send(ID, 'cmd', { command: 'tare', transaction: 't1' });
    expect(await response('t1')).toEqual({
      status: 'ok',
      transaction: 't1',
      data: { calibration: { offset: EMPTY } },
    });
    // No weights before a factor is known.
    expect(gateway.on(ID, 'weight')).toEqual([]);

    grams = 1200; // a full 70 cl bottle
    await gateway.send(ID, 'cmd', { command: 'calibrate', knownGrams: 1200, transaction: 't2' });
    expect(await response('t2')).toEqual({
      status: 'ok',
      transaction: 't2',
      data: { calibration: { offset: EMPTY, factor: PER_GRAM } },
    });

    const weight = await gateway.until(() => gateway.on(ID, 'weight')[0]);
    expect(weight.json()).toMatchObject({ seq: 0, grams: 1200, platform: 0 });

    grams = 455.5; // after some pours
    const later = await gateway.until(() =>
      gateway.on(ID, 'weight').find((m) => (m.json() as { grams: number }).grams === 455.5),
    );
    expect((later.json() as { seq: number }).seq).toBeGreaterThan(0);
    expect(driver.stats.samples).toBeGreaterThan(5);
  });

  it('takes its calibration and rate from the config, ignores an older config, and acknowledges', async () => {
    grams = 100;
    await gateway.send(
      ID,
      'config',
      { configVersion: 3, sampleHz: 5, calibration: { offset: EMPTY, factor: 210 } },
      true,
    );
    const ack = await gateway.until(() => responses().find((r) => r.configVersion === 3));
    expect(ack).toEqual({ status: 'ok', configVersion: 3 });
    const weight = await gateway.until(() => gateway.on(ID, 'weight')[0]);
    expect((weight.json() as { grams: number }).grams).toBe(200);

    await gateway.send(ID, 'config', { configVersion: 2, calibration: { offset: 0, factor: 1 } });
    await gateway.send(ID, 'cmd', { command: 'tare', transaction: 'after-old-config' });
    await response('after-old-config');
    expect(responses().find((r) => r.configVersion === 2)).toEqual({
      status: 'error',
      error: 'configVersion 2 is older than the running 3',
      configVersion: 2,
    });
    expect(device.config?.configVersion).toBe(3);
    // Still config 3's factor (the tare moved only the offset).
    expect(driver.calibration.current()).toEqual({ offset: EMPTY + 100 * PER_GRAM, factor: 210 });
  });

  it('answers commands its model does not take, and malformed ones, with an error response', async () => {
    await gateway.send(ID, 'cmd', { command: 'capture', transaction: 'c1' });
    expect(await response('c1')).toEqual({
      status: 'error',
      error: 'capture is not supported by pourcast-scale-hx711',
      transaction: 'c1',
    });

    await gateway.send(ID, 'cmd', { command: 'calibrate', knownGrams: -5, transaction: 'c2' });
    const refused = await response('c2');
    expect(refused.status).toBe('error');
    expect(refused.error).toMatch(/^knownGrams: /);

    await gateway.send(ID, 'cmd', { command: 'calibrate', knownGrams: 500, transaction: 'c3' });
    expect(await response('c3')).toMatchObject({
      status: 'error',
      error: 'tare the empty platform before calibrating',
    });
  });
});
