import sharp from 'sharp';

export interface EncodedFrame {
  jpeg: Buffer;
  width: number;
  height: number;
}

export interface FrameEncoderOptions {
  /** The frame fits inside width × height, keeping its aspect ratio; never enlarged. */
  width: number;
  height: number;
  /** JPEG quality 1-100. Default 80. */
  quality?: number;
}

/**
 * Resizes and re-encodes a captured JPEG. Tools do not always honour the asked size (fswebcam falls
 * back to the nearest mode the webcam has), and EXIF orientation is applied so the gateway gets
 * upright pixels. Metadata (EXIF, GPS) is dropped by sharp's default.
 */
export async function encodeFrame(input: Buffer, options: FrameEncoderOptions): Promise<EncodedFrame> {
  const { data, info } = await sharp(input)
    .rotate()
    .resize({ width: options.width, height: options.height, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: options.quality ?? 80 })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}
