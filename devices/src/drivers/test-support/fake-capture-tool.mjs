#!/usr/bin/env node
// The hardware boundary for camera tests: stands in for rpicam-still / fswebcam. It reads the size
// from the same arguments the real tools take and writes a JPEG twice that size (cameras often give
// more than asked) to stdout. `--fail` makes it exit 1 with a message on stderr like a missing camera.
import sharp from 'sharp';

const args = process.argv.slice(2);
const value = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (args.includes('--fail')) {
  process.stderr.write('ERROR: *** no cameras available ***\n');
  process.exit(1);
}
let width = Number(value('--width'));
let height = Number(value('--height'));
const resolution = value('--resolution');
if (resolution) [width, height] = resolution.split('x').map(Number);
if (!(width > 0 && height > 0)) {
  process.stderr.write(`fake capture: no size in ${JSON.stringify(args)}\n`);
  process.exit(2);
}
const toStdout = value('--output') === '-' || args.at(-1) === '-';
if (!toStdout) {
  process.stderr.write('fake capture: expected output to stdout\n');
  process.exit(2);
}
const jpeg = await sharp({
  create: { width: width * 2, height: height * 2, channels: 3, background: { r: 120, g: 60, b: 20 } },
})
  .jpeg()
  .toBuffer();
process.stdout.write(jpeg);
