#!/usr/bin/env -S npx tsx
import { loadBundle, runDriverProgram } from '../cli/driver-cli.ts';
import { DeviceLink } from '../device-link.ts';
import { stderrLog } from '../driver-log.ts';
import { CAMERA_USAGE, parseCameraArgs } from './camera-args.ts';
import { CameraDriver } from './camera-driver.ts';

async function start(argv: string[]): Promise<() => Promise<void>> {
  const args = parseCameraArgs(argv);
  const bundle = await loadBundle(args.bundlePath, 'camera');
  const log = stderrLog(bundle.deviceId);
  const link = await DeviceLink.connect({ bundle, protocol: args.mqtt, firmware: 'pourcast-camera', log });
  const driver = new CameraDriver({
    link,
    capture: args.capture,
    intervalMs: args.intervalMs,
    quality: args.quality,
    log,
  });
  driver.start();
  const { width, height, tool } = args.capture;
  log('info', `capturing ${width}x${height} with ${tool} every ${args.intervalMs} ms → ${bundle.brokerUrl}`);
  return async () => {
    await driver.stop();
    await link.close();
  };
}

await runDriverProgram(process.argv.slice(2), CAMERA_USAGE, start);
