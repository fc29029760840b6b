#!/usr/bin/env -S npx tsx
import { MqttDevice } from '../../mqtt-device.ts';
import { loadBundle, runDriverProgram } from '../cli/driver-cli.ts';
import { driverSessionOptions } from '../cli/driver-session.ts';
import { openGpioLine } from '../gpio/gpio-line.ts';
import { Hx711 } from './hx711.ts';
import { parseScaleArgs, SCALE_USAGE } from './scale-args.ts';
import { ScaleDriver } from './scale-driver.ts';

async function start(argv: string[]): Promise<() => Promise<void>> {
  const args = parseScaleArgs(argv);
  const bundle = await loadBundle(args.bundlePath, 'scale');
  const session = driverSessionOptions(bundle, args.mqtt, 'pourcast-hx711');
  const { log } = session;
  const clock = await openGpioLine({ bcmPin: args.clockPin, direction: 'low', base: args.gpioBase });
  const data = await openGpioLine({ bcmPin: args.dataPin, direction: 'in', base: args.gpioBase });
  // A conversion every 100 ms (RATE low) or 12.5 ms (RATE high): poll DOUT a few times per period.
  const hx711 = new Hx711({ clock, data, gain: args.gain, pollMs: args.rate === 80 ? 2 : 10 });
  const device = await MqttDevice.connect(session);
  const driver = new ScaleDriver({
    device,
    source: hx711,
    platform: args.platform,
    windowSize: args.window,
    sampleHz: args.sampleHz ?? session.definition?.scale?.sampleHz ?? 10,
    ...(args.calibration ? { calibration: args.calibration } : {}),
    log,
  });
  driver.start();
  log(
    'info',
    `reading HX711 (DOUT GPIO${args.dataPin}, PD_SCK GPIO${args.clockPin}, ${args.gain}) → ${bundle.brokerUrl}`,
  );
  return async () => {
    await driver.stop();
    hx711.powerDown();
    await device.close();
    clock.unexport?.();
    data.unexport?.();
    if (hx711.stats.longestHighNs > 50_000) {
      const us = (hx711.stats.longestHighNs / 1000).toFixed(0);
      log('warn', `PD_SCK high times reached ${us} µs (datasheet max 50 µs): readings were discarded`);
    }
  };
}

await runDriverProgram(process.argv.slice(2), SCALE_USAGE, start);
