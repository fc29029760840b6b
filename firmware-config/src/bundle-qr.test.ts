import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBundleSchema, type DeviceBundle } from '@pourcast/protocol';
import { CliError } from './cli-kit.ts';
import { bundleQrText, qrFormat, renderBundleQr, terminalBundleQr, writeBundleQr } from './bundle-qr.ts';

const bundle: DeviceBundle = {
  version: 1,
  deviceId: 'well-scale-1',
  kind: 'scale',
  model: 'pourcast-scale-hx711',
  secret: 'Zq3-4v_kLm9TtA1bC2dE3fG4hI5jK6lM7nO8pQ9rS0u',
  brokerUrl: 'mqtt://192.168.1.20:1883',
};

/** What a device's camera does: pixels in, the QR code's text out (jsQR), then the bundle loader's schema. */
async function decode(image: Buffer): Promise<DeviceBundle> {
  const { data, info } = await sharp(image)
    .flatten({ background: '#ffffff' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const found = jsQR(
    new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    info.width,
    info.height,
  );
  if (!found) throw new Error('no QR code found');
  return deviceBundleSchema.parse(JSON.parse(found.data));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pourcast-qr-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the bundle as a QR code', () => {
  it('holds the bundle JSON exactly: a PNG decodes back to the same bundle', async () => {
    expect(JSON.parse(bundleQrText(bundle))).toEqual(bundle);
    expect(await decode(await renderBundleQr(bundle, 'png'))).toEqual(bundle);
  });

  it('an SVG, rendered to pixels, decodes back too', async () => {
    const svg = await renderBundleQr(bundle, 'svg');
    expect(svg.toString('utf8')).toMatch(/^<svg/);
    expect(await decode(await sharp(svg, { density: 300 }).png().toBuffer())).toEqual(bundle);
  });

  it('is written 0600 (it holds the secret), by the file name extension', async () => {
    const path = join(dir, 'well-scale-1.png');
    await writeBundleQr(path, bundle);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await decode(await readFile(path))).toEqual(bundle);
    expect(qrFormat('x.SVG')).toBe('svg');
    expect(() => qrFormat('x.jpg')).toThrow(CliError);
  });

  it('prints in the terminal as block characters that a phone can read off the screen', async () => {
    const text = await terminalBundleQr(bundle);
    expect(text).not.toContain(bundle.secret);
    // Dark modules drawn in black: █ both halves, ▀ the upper, ▄ the lower; white-drawn halves are light.
    const modules: boolean[][] = [];
    for (const line of text.split('\n').filter((l) => l.replace(/\u001b\[\d+m/g, '').length > 0)) {
      const upper: boolean[] = [];
      const lower: boolean[] = [];
      let black = false;
      for (const token of line.match(/\u001b\[\d+m|[^\u001b]/g) ?? []) {
        if (token.startsWith('\u001b')) {
          if (token === '\u001b[30m') black = true;
          else if (token === '\u001b[37m' || token === '\u001b[0m') black = false;
          continue;
        }
        upper.push(black && (token === '█' || token === '▀'));
        lower.push(black && (token === '█' || token === '▄'));
      }
      modules.push(upper, lower);
    }
    // A wider quiet zone than the terminal's one character, as the screen's own background gives.
    const pad = 4;
    const padded = [
      ...Array.from({ length: pad }, () => []),
      ...modules.map((row) => [...Array(pad).fill(false), ...row, ...Array(pad).fill(false)]),
      ...Array.from({ length: pad }, () => []),
    ] as boolean[][];
    const scale = 6;
    const width = (modules[0]!.length + 2 * pad) * scale;
    const height = padded.length * scale;
    const pixels = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const value = padded[Math.floor(y / scale)]![Math.floor(x / scale)] ? 0 : 255;
        pixels.set([value, value, value, 255], (y * width + x) * 4);
      }
    const found = jsQR(pixels, width, height);
    expect(deviceBundleSchema.parse(JSON.parse(found!.data))).toEqual(bundle);
  });
});
