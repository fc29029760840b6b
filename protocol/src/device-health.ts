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

export const reportedDeviceSchema = z.strictObject({
  deviceId: deviceIdSchema,
  kind: deviceKindSchema,
  model: z.string().min(1).max(64),
  state: z.enum(['online', 'offline', 'unknown', 'revoked']),
  lastStatusAt: isoDateTimeSchema.nullable(),
  /** When the scale was last calibrated (ISO), null if never; absent for devices without calibration. */
  calibratedAt: isoDateTimeSchema.nullable().optional(),
  drift: z.array(platformDriftSchema).max(16),
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
