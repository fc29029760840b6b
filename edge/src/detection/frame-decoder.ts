import sharp from 'sharp';
import type { RgbImage } from './slot-crops.ts';

export const FRAME_REFUSAL_REASONS = [
  'unknown-camera',
  'oversize',
  'not-jpeg',
  'undecodable',
  'resolution-mismatch',
  'bad-metadata',
  'detector-error',
] as const;
export type FrameRefusalReason = (typeof FRAME_REFUSAL_REASONS)[number];

export type DecodedFrame =
  { ok: true; image: RgbImage } | { ok: false; reason: FrameRefusalReason; detail: string };

export interface DecodeFrameOptions {
  maxBytes: number;
  width: number;
  height: number;
}

/** Every JPEG starts with SOI (FF D8) followed by another marker (ITU-T T.81 §B.2.1). */
export function looksLikeJpeg(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Fully decodes a camera frame to RGB with sharp. Refuses, with a reason and never a throw: an oversize
 * frame, bytes that are not a JPEG, a JPEG libjpeg cannot decode (truncated or corrupt: sharp's
 * `failOn: 'warning'` turns libjpeg's warnings into errors), and a frame of another size than the slot map's.
 */
export async function decodeFrame(jpeg: Buffer, options: DecodeFrameOptions): Promise<DecodedFrame> {
  if (jpeg.length > options.maxBytes)
    return { ok: false, reason: 'oversize', detail: `${jpeg.length} bytes, limit ${options.maxBytes}` };
  if (!looksLikeJpeg(jpeg)) return { ok: false, reason: 'not-jpeg', detail: 'missing JPEG SOI marker' };
  try {
    const { data, info } = await sharp(jpeg, { failOn: 'warning', limitInputPixels: 8192 * 8192 })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      return { ok: false, reason: 'undecodable', detail: `decoded to ${info.channels} channels` };
    if (info.width !== options.width || info.height !== options.height)
      return {
        ok: false,
        reason: 'resolution-mismatch',
        detail: `frame is ${info.width}x${info.height}, slot map is ${options.width}x${options.height}`,
      };
    return { ok: true, image: { data, width: info.width, height: info.height } };
  } catch (error) {
    return { ok: false, reason: 'undecodable', detail: (error as Error).message.slice(0, 200) };
  }
}
