import {
  frameMetadataFromUserProperties,
  frameMetadataSchema,
  validate,
  type FrameMetadata,
} from '@pourcast/protocol';

/** Every JPEG starts with the SOI marker FF D8 (ITU-T T.81, B.1.1.3). Deeper decoding is detection's job. */
export function isJpeg(payload: Buffer): boolean {
  return payload.length >= 2 && payload[0] === 0xff && payload[1] === 0xd8;
}

const META_KEYS = ['seq', 'at', 'width', 'height'] as const;

export type FrameMetaResult = { ok: true; meta?: FrameMetadata } | { ok: false; reason: string };

/**
 * Frame metadata ({seq, at, width, height}) is read from, in order:
 * 1. MQTT 5 user properties (strings), as protocol/ describes. aedes 1.2 accepts only MQTT 3.1/3.1.1
 *    CONNECTs (lib/handlers/connect.js `init`: protocolVersion 3 or 4, else return code 1), so this path
 *    is ready for a broker that speaks 5 but cannot be exercised today.
 * 2. A JPEG comment segment (COM, FF FE; T.81 B.2.4.5) directly after SOI holding that JSON, as protocol's
 *    `withFrameMetadataComment` writes it: it travels inside the raw JPEG over MQTT 3.1.1.
 * Absent in both → no metadata; present but invalid → refused.
 */
export function readFrameMeta(
  userProperties: Record<string, string | string[]> | undefined,
  jpeg: Buffer,
): FrameMetaResult {
  if (userProperties && META_KEYS.some((key) => key in userProperties)) {
    const result = frameMetadataFromUserProperties(userProperties);
    return result.ok ? { ok: true, meta: result.value } : { ok: false, reason: result.reason };
  }
  const comment = leadingComment(jpeg);
  if (comment === null || !comment.startsWith('{')) return { ok: true };
  try {
    return checked(JSON.parse(comment));
  } catch {
    return { ok: false, reason: 'frame comment is not valid JSON' };
  }
}

function checked(raw: unknown): FrameMetaResult {
  const result = validate(frameMetadataSchema, raw);
  return result.ok ? { ok: true, meta: result.value } : { ok: false, reason: result.reason };
}

/** The text of a COM segment right after SOI, or null. Segment length counts its own two bytes. */
export function leadingComment(jpeg: Buffer): string | null {
  if (jpeg.length < 6 || jpeg[2] !== 0xff || jpeg[3] !== 0xfe) return null;
  const length = jpeg.readUInt16BE(4);
  if (length < 2 || 4 + length > jpeg.length) return null;
  return jpeg.subarray(6, 4 + length).toString('utf8');
}
