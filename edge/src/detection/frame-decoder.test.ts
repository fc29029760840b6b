import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from './frame-decoder.ts';

const jpegOf = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 120, g: 60, b: 30 } } })
    .jpeg()
    .toBuffer();

describe('decodeFrame', () => {
  const options = { maxBytes: 64 * 1024, width: 64, height: 48 };

  it('decodes a JPEG fully to packed RGB', async () => {
    const result = await decodeFrame(await jpegOf(64, 48), options);
    if (!result.ok) throw new Error(result.detail);
    expect(result.image.data.length).toBe(64 * 48 * 3);
    expect(Math.abs(result.image.data[0]! - 120)).toBeLessThan(6);
  });

  it('refuses bytes that are not a JPEG', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(await decodeFrame(png, options)).toMatchObject({ ok: false, reason: 'not-jpeg' });
    expect(await decodeFrame(Buffer.from('hello'), options)).toMatchObject({ ok: false, reason: 'not-jpeg' });
  });

  it('refuses a truncated or corrupt JPEG as undecodable', async () => {
    const jpeg = await jpegOf(64, 48);
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    expect(await decodeFrame(truncated, options)).toMatchObject({ ok: false, reason: 'undecodable' });
    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
    expect(await decodeFrame(garbage, options)).toMatchObject({ ok: false, reason: 'undecodable' });
  });

  it('refuses an oversize frame before decoding it', async () => {
    const jpeg = await jpegOf(64, 48);
    expect(await decodeFrame(jpeg, { ...options, maxBytes: jpeg.length - 1 })).toMatchObject({
      ok: false,
      reason: 'oversize',
    });
  });

  it('refuses a frame whose size differs from the slot map', async () => {
    const result = await decodeFrame(await jpegOf(32, 48), options);
    expect(result).toMatchObject({ ok: false, reason: 'resolution-mismatch' });
    if (!result.ok) expect(result.detail).toContain('32x48');
  });
});
