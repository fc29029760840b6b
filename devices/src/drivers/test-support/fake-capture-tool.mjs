#!/usr/bin/env node
// The hardware boundary for camera tests: stands in for rpicam-still / fswebcam. It reads the asked
// size from the same arguments the real tools take and writes a JPEG twice that size to stdout
// (cameras often give more than asked). `--native WxH` makes it ignore the asked size, like a webcam
// that only has some modes. `--fail` exits 1 with a message on stderr, like a missing camera.
import sharp from 'sharp';

const args = process.argv.slice(2);
const value = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const fail = (code, message) => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};

if (args.includes('--fail')) fail(1, 'ERROR: *** no cameras available ***');
const resolution = value('--resolution'); // fswebcam
const [width, height] = resolution
  ? resolution.split('x').map(Number)
  : [Number(value('--width')), Number(value('--height'))]; // rpicam-still, libcamera-still
if (!(width > 0 && height > 0)) fail(2, `fake capture: no size in ${JSON.stringify(args)}`);
if (!(value('--output') === '-' || args.at(-1) === '-')) fail(2, 'fake capture: expected output to stdout');

const native = value('--native')?.split('x').map(Number);
const [outWidth, outHeight] = native ?? [width * 2, height * 2];
const jpeg = await sharp({
  create: { width: outWidth, height: outHeight, channels: 3, background: { r: 120, g: 60, b: 20 } },
})
  .jpeg()
  .toBuffer();
process.stdout.write(jpeg);
