import { z } from 'zod';
import { deviceIdSchema, frameMetadataSchema, type FrameMetadata } from './device-messages.ts';
import { recordIdSchema } from './ids.ts';
import { validate, type Validated } from './validation.ts';

/**
 * Shelf cameras: a slot map tells the gateway which rectangle of a camera's frame holds which item's bottle.
 * Frames themselves are raw JPEG bytes on `pourcast/v1/<cameraId>/frame`; their metadata travels as
 * MQTT 5 user properties (MQTT 5.0 §3.3.2.3.7: UTF-8 string pairs), encoded by the helpers below.
 */
export const CAMERA_SLOT_MAP_VERSION = 1;

export const slotRectSchema = z.strictObject({
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  w: z.number().int().min(8, 'must be at least 8 pixels'),
  h: z.number().int().min(8, 'must be at least 8 pixels'),
});
export type SlotRect = z.infer<typeof slotRectSchema>;

export const cameraSlotSchema = z.strictObject({
  /** The shelf slot's name, unique on this camera (also the stock event's `slot`). */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, - or _'),
  itemId: recordIdSchema,
  /** Where the bottle stands in the frame, in pixels of a width × height frame. */
  rect: slotRectSchema,
  /** The bottle's size, so a fill fraction can be told in ml. */
  containerMl: z.number().int().positive().max(20_000).optional(),
});
export type CameraSlot = z.infer<typeof cameraSlotSchema>;

/** How the detector turns per-frame guesses into confirmed slot changes. */
export const cameraSmoothingSchema = z.strictObject({
  /** Usable frames in a row that must agree before a slot's state changes. */
  confirmFrames: z.number().int().min(1).max(100).default(3),
  /** The agreeing frames must also span at least this long (ms), so a burst of frames is not enough. */
  minHoldMs: z.number().int().min(0).max(600_000).default(3_000),
  /** A gap longer than this (ms) between usable frames starts the agreement over. */
  maxGapMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
  /** The smallest level drop reported, as a share of the bottle (0.05 = 5 %). */
  minLevelStep: z.number().min(0.005).max(0.5).default(0.05),
  /** A bottle seen at or above this share after being lower counts as replaced by a new one. */
  replacedAbove: z.number().min(0.5).max(1).default(0.9),
  /** Occluded/uncertain probability above which a frame is skipped for that slot. */
  uncertainAbove: z.number().min(0).max(1).default(0.5),
});
export type CameraSmoothing = z.infer<typeof cameraSmoothingSchema>;
export type CameraSmoothingInput = z.input<typeof cameraSmoothingSchema>;

export const cameraSlotMapSchema = z
  .strictObject({
    version: z.literal(CAMERA_SLOT_MAP_VERSION),
    cameraId: deviceIdSchema,
    width: z.number().int().min(16).max(8192),
    height: z.number().int().min(16).max(8192),
    slots: z.array(cameraSlotSchema).min(1).max(64),
    /** Bring your own TF.js model: a directory with model.json (graph or layers model) and its weights. */
    modelDir: z.string().min(1).max(1024).optional(),
    smoothing: cameraSmoothingSchema.prefault({}),
  })
  .superRefine((map, ctx) => {
    const seen = new Set<string>();
    map.slots.forEach((slot, index) => {
      if (seen.has(slot.id))
        ctx.addIssue({
          code: 'custom',
          path: ['slots', index, 'id'],
          message: `duplicate slot id ${slot.id}`,
        });
      seen.add(slot.id);
      if (slot.rect.x + slot.rect.w > map.width)
        ctx.addIssue({
          code: 'custom',
          path: ['slots', index, 'rect', 'w'],
          message: `x + w = ${slot.rect.x + slot.rect.w} exceeds the frame width ${map.width}`,
        });
      if (slot.rect.y + slot.rect.h > map.height)
        ctx.addIssue({
          code: 'custom',
          path: ['slots', index, 'rect', 'h'],
          message: `y + h = ${slot.rect.y + slot.rect.h} exceeds the frame height ${map.height}`,
        });
    });
  });
export type CameraSlotMap = z.infer<typeof cameraSlotMapSchema>;
export type CameraSlotMapInput = z.input<typeof cameraSlotMapSchema>;

/** Frame metadata as MQTT 5 user properties (all values are strings on the wire). */
export function frameMetadataToUserProperties(meta: FrameMetadata): Record<string, string> {
  return {
    seq: String(meta.seq),
    at: String(meta.at),
    width: String(meta.width),
    height: String(meta.height),
  };
}

/** Reads frame metadata back from user properties; a missing or malformed value is a `path: message` reason. */
export function frameMetadataFromUserProperties(
  properties: Record<string, string | string[]> | undefined,
): Validated<FrameMetadata> {
  const read = (key: string): number | undefined => {
    const raw = properties?.[key];
    const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    return text === undefined || text.trim() === '' ? undefined : Number(text);
  };
  return validate(frameMetadataSchema, {
    seq: read('seq'),
    at: read('at'),
    width: read('width'),
    height: read('height'),
  });
}

/**
 * Frame metadata inside the JPEG, for MQTT 3.1.1 sessions that have no user properties (aedes 1.x speaks
 * only 3.1.1): a COM segment (FF FE, ITU-T T.81 §B.2.4.5) right after SOI holding the metadata as JSON.
 * Any JPEG decoder skips it; the gateway's frame check reads it (edge/src/broker/frame-check.ts).
 */
export function withFrameMetadataComment(jpeg: Uint8Array, meta: FrameMetadata): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(meta));
  const out = new Uint8Array(jpeg.length + 4 + text.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff], 2);
  out.set(text, 6);
  out.set(jpeg.subarray(2), 6 + text.length);
  return out;
}
