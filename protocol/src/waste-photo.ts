import { z } from 'zod';
import { isoDateTimeSchema, recordIdSchema } from './ids.ts';

/** The optional photo of a waste event (issue 5): staff display → gateway → hub → manager. */
export const WASTE_PHOTO_MAX_BYTES = 1024 * 1024;
export const WASTE_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type WastePhotoType = (typeof WASTE_PHOTO_TYPES)[number];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

/** The image type by its magic bytes (never by a declared content type), or null when it is none of ours. */
export function sniffWastePhoto(bytes: Uint8Array): WastePhotoType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  return null;
}

/** Why a photo is refused (with the HTTP status that says it), or null when it may be kept. */
export function wastePhotoProblem(bytes: Uint8Array): { status: 413 | 415; reason: string } | null {
  if (bytes.length > WASTE_PHOTO_MAX_BYTES)
    return { status: 413, reason: `the photo is ${bytes.length} bytes; at most ${WASTE_PHOTO_MAX_BYTES}` };
  if (sniffWastePhoto(bytes) === null)
    return { status: 415, reason: 'the photo is not a JPEG, PNG or WebP image (by its first bytes)' };
  return null;
}

/** `PUT /gateways/:id/waste-photos/:eventId?takenAt=` (the body is the image itself). */
export const wastePhotoUploadQuerySchema = z.strictObject({ takenAt: isoDateTimeSchema.optional() });

/** `GET /locations/:id/waste/events`: each waste event of a period, newest first, and whether it has a photo. */
export const wasteEventsSchema = z.strictObject({
  locationId: recordIdSchema,
  events: z.array(
    z.strictObject({
      id: z.string(),
      itemId: recordIdSchema,
      itemName: z.string(),
      ml: z.number().int(),
      reason: z.string(),
      note: z.string().optional(),
      userId: z.string().optional(),
      source: z.string(),
      observedAt: z.string(),
      hasPhoto: z.boolean(),
    }),
  ),
});
export type WasteEvents = z.infer<typeof wasteEventsSchema>;

/** Base64 of at most WASTE_PHOTO_MAX_BYTES bytes. */
const MAX_BASE64 = Math.ceil(WASTE_PHOTO_MAX_BYTES / 3) * 4;

/**
 * Display → gateway: `POST /api/v1/staff/waste-photos`, right after the waste entry, with the event id the
 * entry answered. JSON (the display's writes must be), the image as base64; its type is read from its bytes.
 */
export const wastePhotoEntrySchema = z.strictObject({
  eventId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID'),
  image: z
    .string()
    .max(MAX_BASE64, `the photo is over ${WASTE_PHOTO_MAX_BYTES} bytes`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});
export type WastePhotoEntry = z.infer<typeof wastePhotoEntrySchema>;
