#!/usr/bin/env -S npx tsx
import { loadBundle, runDriverProgram } from '../cli/driver-cli.ts';
import { MqttDevice } from '../../mqtt-device.ts';
import { driverSessionOptions } from '../cli/driver-session.ts';
import { openGpioLine } from '../gpio/gpio-line.ts';
import { GpioSignal, noFeedback } from '../gpio/signal-patterns.ts';
import { openHidScanner } from './hid-source.ts';
import { parseScannerArgs, SCANNER_USAGE } from './scanner-args.ts';
import { ScannerDriver } from './scanner-driver.ts';

async function start(argv: string[], requestStop: () => void): Promise<() => Promise<void>> {
  const args = parseScannerArgs(argv);
  const bundle = await loadBundle(args.bundlePath, 'scanner');
  const session = driverSessionOptions(bundle, args.mqtt, 'pourcast-hid-scanner');
  const { log } = session;
  const lines = await Promise.all(
    args.signalPins.map((bcmPin) => openGpioLine({ bcmPin, direction: 'low', base: args.gpioBase })),
  );
  const feedback = lines.length ? new GpioSignal(lines) : noFeedback;
  // Open the scanner before connecting, so a missing device fails fast with the list of devices.
  const hid = args.input.kind === 'hid' ? await openHidScanner(args.input.device) : undefined;
  const device = await MqttDevice.connect(session);
  const driver = new ScannerDriver({
    device,
    mode: args.mode ?? session.definition?.scanner?.defaultMode ?? 'count',
    feedback,
    log,
    framing: {
      terminator: args.terminator,
      idleMs: args.idleMs,
      ...(args.prefix ? { prefix: args.prefix } : {}),
      ...(args.suffix ? { suffix: args.suffix } : {}),
    },
  });
  if (hid) {
    driver.attachHid(hid.source, args.layout);
    log('info', `reading ${hid.name} as ${args.layout} → ${bundle.brokerUrl}`);
  } else {
    driver.attachText(process.stdin, requestStop);
    log('info', `reading scans from stdin → ${bundle.brokerUrl}`);
  }
  return async () => {
    await driver.close();
    await device.close();
    if (feedback instanceof GpioSignal) feedback.stop();
    for (const line of lines) line.unexport?.();
  };
}

await runDriverProgram(process.argv.slice(2), SCANNER_USAGE, start);
