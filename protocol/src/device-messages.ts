import { z } from 'zod';
import { DEVICE_ID_PATTERN, type Channel } from './topics.ts';
import { epochMsSchema } from './ids.ts';

export const deviceIdSchema = z.string().regex(DEVICE_ID_PATTERN, 'must be 3-64 of a-z, 0-9 and -');

export const DEVICE_KINDS = ['scale', 'scanner', 'camera'] as const;
export const deviceKindSchema = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof deviceKindSchema>;

/** One load-cell reading, already calibrated to grams by the device. Sent at ~10 Hz. */
export const weightReadingSchema = z.strictObject({
  /** Device-side sequence number, wraps never in practice (2^53). */
  seq: z.number().int().nonnegative(),
  /** When the device took the reading (ms since epoch, device clock). */
  at: epochMsSchema,
  /** Net weight on the platform in grams (tare applied). May be slightly negative from noise. */
  grams: z.number().finite().min(-1_000).max(100_000),
  /** Platform index on a multi-platform scale; 0 for a single platform. */
  platform: z.number().int().min(0).max(15).default(0),
});
export type WeightReading = z.infer<typeof weightReadingSchema>;

export const SCAN_MODES = ['count', 'receive', 'waste'] as const;
export const scanModeSchema = z.enum(SCAN_MODES);
export type ScanMode = z.infer<typeof scanModeSchema>;

/** A barcode read. */
export const scanSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  at: epochMsSchema,
  /** EAN-13, UPC-A, EAN-8, Code 128 ... printable ASCII only. */
  barcode: z.string().regex(/^[\x21-\x7e]{4,64}$/, 'must be 4-64 printable ASCII characters'),
  mode: scanModeSchema,
  /** How many containers this scan stands for (a case scanned once may count 6 or 12). */
  quantity: z.number().int().min(1).max(1000).default(1),
  /** Reason for waste mode scans. */
  reason: z.enum(['breakage', 'spill', 'expired', 'spoiled', 'comp', 'other']).optional(),
});
export type Scan = z.infer<typeof scanSchema>;

/** Retained status; the gateway also sets it as the device's last will (`offline`). */
export const deviceStatusSchema = z.strictObject({
  state: z.enum(['online', 'offline']),
  at: epochMsSchema.optional(),
  firmware: z.string().max(64).optional(),
  configVersion: z.number().int().nonnegative().optional(),
  model: z.string().max(64).optional(),
});
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

/** Configuration the gateway pushes (retained) to one device. */
export const deviceConfigSchema = z.strictObject({
  /** Monotonic: a device ignores a config older than the one it runs. */
  configVersion: z.number().int().nonnegative(),
  sampleHz: z.number().min(0.1).max(80).optional(),
  scanMode: scanModeSchema.optional(),
  calibration: z
    .strictObject({
      offset: z.number().finite(),
      factor: z
        .number()
        .finite()
        .refine((f) => f !== 0, 'must not be 0'),
    })
    .optional(),
  frameIntervalMs: z.number().int().min(100).max(3_600_000).optional(),
});
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

/** Commands from the gateway to one device. */
export const deviceCommandSchema = z.discriminatedUnion('command', [
  z.strictObject({ command: z.literal('tare'), transaction: z.string().max(64).optional() }),
  z.strictObject({
    command: z.literal('calibrate'),
    knownGrams: z.number().positive().max(100_000),
    transaction: z.string().max(64).optional(),
  }),
  z.strictObject({ command: z.literal('capture'), transaction: z.string().max(64).optional() }),
  z.strictObject({
    command: z.literal('set-scan-mode'),
    mode: scanModeSchema,
    transaction: z.string().max(64).optional(),
  }),
]);
export type DeviceCommand = z.infer<typeof deviceCommandSchema>;

/** A device's answer to a command or a config push, on its `response` channel. */
export const deviceResponseSchema = z.strictObject({
  status: z.enum(['ok', 'error']),
  data: z.unknown().optional(),
  error: z.string().max(500).optional(),
  transaction: z.string().max(64).optional(),
  /** Set when acknowledging a config push. */
  configVersion: z.number().int().nonnegative().optional(),
});
export type DeviceResponse = z.infer<typeof deviceResponseSchema>;

/** A camera frame's metadata. The frame itself is raw JPEG bytes; this travels beside it as MQTT 5 user properties. */
export const frameMetadataSchema = z.strictObject({
  seq: z.number().int().nonnegative(),
  at: epochMsSchema,
  width: z.number().int().min(1).max(8192),
  height: z.number().int().min(1).max(8192),
});
export type FrameMetadata = z.infer<typeof frameMetadataSchema>;

/** The JSON payload schema for each channel; `frame` is binary and has none. */
export const channelPayloadSchemas = {
  weight: weightReadingSchema,
  scan: scanSchema,
  status: deviceStatusSchema,
  response: deviceResponseSchema,
  config: deviceConfigSchema,
  cmd: deviceCommandSchema,
} as const satisfies Partial<Record<Channel, z.ZodType>>;

/** Which channels each kind of device may publish on (the gateway's ACL reads this). */
export const publishChannelsByKind: Record<DeviceKind, readonly Channel[]> = {
  scale: ['weight', 'status', 'response'],
  scanner: ['scan', 'status', 'response'],
  camera: ['frame', 'status', 'response'],
};
