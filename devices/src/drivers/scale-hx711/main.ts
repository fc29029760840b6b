#!/usr/bin/env -S npx tsx
import { DeviceLink } from '../device-link.ts';
import { stderrLog } from '../driver-log.ts';
import { openGpioLine } from '../gpio/gpio-line.ts';
import { loadBundle, runDriverProgram } from '../cli/driver-cli.ts';
import { Hx711 } from './hx711.ts';
import { parseScaleArgs, SCALE_USAGE } from './scale-args.ts';
import { ScaleDriver } from './scale-driver.ts';

async function start(argv: string[]): Promise<() => Promise<void>> {
  const args = parseScaleArgs(argv);
  const bundle = await loadBundle(args.bundlePath, 'scale');
  const log = stderrLog(bundle.deviceId);
  const clock = await openGpioLine({ bcmPin: args.clockPin, direction: 'low', base: args.gpioBase });
  const data = await openGpioLine({ bcmPin: args.dataPin, direction: 'in', base: args.gpioBase });
  // A conversion every 100 ms (RATE low) or 12.5 ms (RATE high): poll DOUT a few times per period.
  const hx711 = new Hx711({ clock, data, gain: args.gain, pollMs: args.rate === 80 ? 2 : 10 });
  const link = await DeviceLink.connect({ bundle, protocol: args.mqtt, firmware: 'pourcast-hx711', log });
  const driver = new ScaleDriver({
    link,
    source: hx711,
    platform: args.platform,
    windowSize: args.window,
    sampleHz: args.sampleHz,
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
    await link.close();
    clock.unexport?.();
    data.unexport?.();
    if (hx711.stats.longestHighNs > 50_000) {
      log(
        'warn',
        `PD_SCK high times reached ${(hx711.stats.longestHighNs / 1000).toFixed(0)} µs: this host is too slow for the HX711`,
      );
    }
  };
}

await runDriverProgram(process.argv.slice(2), SCALE_USAGE, start);
