import { z } from 'zod';
import { deviceIdSchema, deviceKindSchema } from './device-messages.ts';
import { isoDateTimeSchema, recordIdSchema } from './ids.ts';

/**
 * What a gateway tells the hub about its devices (`POST /api/v1/gateways/:id/devices/health`, gateway
 * token): each device's state and, for scales, platforms whose empty reading crept away from 0 g. The hub
 * keeps the latest report per gateway and raises a "recalibrate scale" alert from it.
 */
export const platformDriftSchema = z.strictObject({
  platform: z.number().int().min(0).max(15),
  /** The empty platform's average reading (g); about 0 while the scale holds its calibration. */
  emptyG: z.number().min(-100_000).max(100_000),
  /** Beyond the gateway's tolerance: recalibrate. */
  drifted: z.boolean(),
  /** When it first left the tolerance (ISO), null while within it. */
  since: isoDateTimeSchema.nullable(),
});
export type PlatformDriftReport = z.infer<typeof platformDriftSchema>;

/** The newest reading a device sent, kept small: the grams of a scale platform, a scanner's code, a frame's size. */
export const lastReadingSchema = z.discriminatedUnion('channel', [
  z.strictObject({
    channel: z.literal('weight'),
    at: isoDateTimeSchema,
    platform: z.number().int().min(0).max(15),
    grams: z.number().finite().min(-1_000).max(100_000),
  }),
  z.strictObject({
    channel: z.literal('scan'),
    at: isoDateTimeSchema,
    barcode: z.string().regex(/^[\x21-\x7e]{4,64}$/),
    /** Whether the catalog knows the barcode. */
    known: z.boolean(),
  }),
  z.strictObject({
    channel: z.literal('frame'),
    at: isoDateTimeSchema,
    width: z.number().int().min(1).max(8192).nullable(),
    height: z.number().int().min(1).max(8192).nullable(),
  }),
]);
export type LastReading = z.infer<typeof lastReadingSchema>;

/** The config the gateway last pushed to the device and the version the device acknowledged (null: none yet). */
export const reportedConfigSchema = z.strictObject({
  version: z.number().int().nonnegative(),
  ackedVersion: z.number().int().nonnegative().nullable(),
});

/**
 * A sign that a device needs a technician, as the gateway sees it: a load cell whose empty readings scatter,
 * a camera whose frames are dark or uniform (covered lens), scans of barcodes no catalog item carries, and
 * messages the broker refused from the device. Counts are since the gateway started.
 */
export const deviceTroubleSchema = z.discriminatedUnion('signal', [
  z.strictObject({
    signal: z.literal('noisy-load-cell'),
    platform: z.number().int().min(0).max(15),
    /** Standard deviation of the recent empty-platform readings (g). */
    spreadG: z.number().nonnegative().max(100_000),
  }),
  z.strictObject({
    signal: z.enum(['dark-camera', 'blocked-camera']),
    /** The sampled frame's mean and spread of grey (0-255). */
    meanLuma: z.number().min(0).max(255),
    spreadLuma: z.number().min(0).max(255),
  }),
  z.strictObject({ signal: z.literal('unknown-barcodes'), count: z.number().int().positive() }),
  z.strictObject({
    signal: z.literal('refused-messages'),
    count: z.number().int().positive(),
    /** The most recent refusal reason (edge/src/broker/refusals.ts). */
    lastReason: z.string().min(1).max(64),
  }),
]);
export type DeviceTrouble = z.infer<typeof deviceTroubleSchema>;

export const reportedDeviceSchema = z.strictObject({
  deviceId: deviceIdSchema,
  kind: deviceKindSchema,
  model: z.string().min(1).max(64),
  state: z.enum(['online', 'offline', 'unknown', 'revoked']),
  lastStatusAt: isoDateTimeSchema.nullable(),
  /** When the scale was last calibrated (ISO), null if never; absent for devices without calibration. */
  calibratedAt: isoDateTimeSchema.nullable().optional(),
  drift: z.array(platformDriftSchema).max(16),
  // Optional: gateways older than these fields still report.
  lastReading: lastReadingSchema.nullable().optional(),
  /** From the device's retained status; null when it never said. */
  firmware: z.string().max(64).nullable().optional(),
  config: reportedConfigSchema.nullable().optional(),
  trouble: z.array(deviceTroubleSchema).max(16).optional(),
});
export type ReportedDevice = z.infer<typeof reportedDeviceSchema>;

export const deviceHealthReportSchema = z.strictObject({
  reportedAt: isoDateTimeSchema,
  devices: z.array(reportedDeviceSchema).max(500),
});
export type DeviceHealthReport = z.infer<typeof deviceHealthReportSchema>;

export const deviceHealthAckSchema = z.strictObject({ stored: z.number().int().nonnegative() });
export type DeviceHealthAck = z.infer<typeof deviceHealthAckSchema>;

/** Hub `GET /api/v1/gateways/devices`: every device of the organization's gateways, as last reported. */
export const gatewayDeviceSchema = reportedDeviceSchema.extend({
  gatewayId: recordIdSchema,
  /** When the gateway sent the report this row comes from. */
  reportedAt: isoDateTimeSchema,
});
export type GatewayDevice = z.infer<typeof gatewayDeviceSchema>;
