#!/usr/bin/env -S npx tsx
import { connectFramePublisher } from '../../camera/frame-publisher.ts';
import { loadBundle, runDriverProgram } from '../cli/driver-cli.ts';
import { driverSessionOptions } from '../cli/driver-session.ts';
import { CAMERA_USAGE, cameraSettings, parseCameraArgs } from './camera-args.ts';
import { CameraDriver } from './camera-driver.ts';

async function start(argv: string[]): Promise<() => Promise<void>> {
  const args = parseCameraArgs(argv);
  const bundle = await loadBundle(args.bundlePath, 'camera');
  const session = driverSessionOptions(bundle, args.mqtt, 'pourcast-camera');
  const { log } = session;
  const settings = cameraSettings(args, session.definition);
  const publisher = await connectFramePublisher(session);
  const driver = new CameraDriver({ publisher, ...settings, log });
  driver.start();
  const { width, height, tool } = settings.capture;
  log(
    'info',
    `capturing ${width}x${height} with ${tool} every ${settings.intervalMs} ms → ${bundle.brokerUrl}`,
  );
  return async () => {
    await driver.stop();
    await publisher.close();
  };
}

await runDriverProgram(process.argv.slice(2), CAMERA_USAGE, start);
