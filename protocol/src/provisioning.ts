import { z } from 'zod';
import { deviceConfigSchema, deviceIdSchema, deviceKindSchema, scanModeSchema } from './device-messages.ts';
import { cameraSlotMapSchema } from './camera.ts';
import { recordIdSchema } from './ids.ts';

/**
 * Provisioning files a technician writes (firmware-config/) and the gateway and devices read.
 * Every file carries a `version`; firmware-config upgrades older files (see its migrations).
 */
export const GATEWAY_CONFIG_VERSION = 1;
export const DEVICE_BUNDLE_VERSION = 1;

/** `hmac-sha256$<salt base64url>$<digest base64url>`; see secrets.ts. */
export const secretHashSchema = z
  .string()
  .regex(/^hmac-sha256\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{43}$/, 'must be a hmac-sha256 secret hash');

export const scaleSlotSchema = z.strictObject({
  /** Platform index on the scale (0 for a single platform). */
  platform: z.number().int().min(0).max(15).default(0),
  itemId: recordIdSchema,
});

export const provisionedDeviceSchema = z.strictObject({
  id: deviceIdSchema,
  kind: deviceKindSchema,
  /** A model from the device definitions (devices/src/definitions). */
  model: z.string().min(1).max(64),
  secretHash: secretHashSchema,
  /** Which item each platform weighs (scales). */
  slots: z.array(scaleSlotSchema).max(16).default([]),
  /** Start-up mode (scanners). */
  scanMode: scanModeSchema.optional(),
  area: z.string().max(120).optional(),
  /** Which shelf slot of the frame holds which item (cameras); the gateway runs shelf detection with it. */
  slotMap: cameraSlotMapSchema.optional(),
});
export type ProvisionedDevice = z.infer<typeof provisionedDeviceSchema>;

export const scalePipelineSettingsSchema = z.strictObject({
  /** Readings in a row that must agree before a weight counts as stable. */
  stableWindow: z.number().int().min(2).max(100).default(5),
  /** How far (g) readings in the window may stray from their median and still be stable. */
  stableToleranceG: z.number().positive().max(100).default(2),
  /** Below this net weight (g) the platform is taken as empty: the bottle is lifted. */
  liftThresholdG: z.number().positive().max(1000).default(50),
  /** A level drop smaller than this (ml) is noise, not a pour. */
  minPourMl: z.number().int().min(1).max(100).default(3),
  /** A bottle put back at or above this share of its container size is a freshly opened one. */
  fullBottleShare: z.number().min(0.5).max(1).default(0.97),
});
export type ScalePipelineSettings = z.infer<typeof scalePipelineSettingsSchema>;

export const gatewayConfigSchema = z.strictObject({
  version: z.literal(GATEWAY_CONFIG_VERSION),
  gateway: z.strictObject({
    name: z.string().min(1).max(120).default('gateway'),
    /** Folder for the gateway's SQLite file and backups. */
    dataDir: z.string().min(1).default('./data/gateway'),
    mqtt: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(1883),
        /** Largest JSON payload accepted on non-frame channels. */
        maxPayloadBytes: z
          .number()
          .int()
          .min(256)
          .max(16 * 1024 * 1024)
          .default(256 * 1024),
        /** Largest camera frame accepted. */
        maxFrameBytes: z
          .number()
          .int()
          .min(1024)
          .max(64 * 1024 * 1024)
          .default(2 * 1024 * 1024),
        /** Slow-loris guard: a connection that has not sent CONNECT by then is dropped. */
        connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
        /** Open MQTT connections at once, all devices together, and from one network address. */
        maxConnections: z.number().int().min(1).max(10_000).default(256),
        maxConnectionsPerAddress: z.number().int().min(1).max(10_000).default(32),
        /** CONNECTs one device id may make per minute (a reconnect storm, or two units sharing an id). */
        maxConnectsPerDevicePerMinute: z.number().int().min(1).max(600).default(12),
        /** Per-device publish limits; excess is dropped with a counted reason, persistent excess disconnects. */
        rateLimit: z
          .strictObject({
            messagesPerSecond: z.number().min(1).max(10_000).default(100),
            bytesPerSecond: z
              .number()
              .int()
              .min(1024)
              .max(256 * 1024 * 1024)
              .default(4 * 1024 * 1024),
            /** Dropped messages within 10 s after which the device is disconnected. */
            disconnectAfterDrops: z.number().int().min(1).max(100_000).default(200),
          })
          .prefault({}),
        /** Failed logins per device id and per address: growing delay, then a lockout. */
        loginLockout: z
          .strictObject({
            maxFailures: z.number().int().min(1).max(1000).default(5),
            lockoutMs: z
              .number()
              .int()
              .min(0)
              .max(86_400_000)
              .default(15 * 60_000),
            baseDelayMs: z.number().int().min(0).max(60_000).default(500),
          })
          .prefault({}),
        /** MQTT over TLS on this listener (mqtts://): PEM files, e.g. from a bar CA (docs/RELIABILITY.md). */
        tls: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
      })
      .prefault({}),
    http: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** HTTPS for the display and API: PEM files. */
        tls: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
      })
      .prefault({}),
    storage: z
      .strictObject({
        /** Below this much free disk new readings are refused, keeping room to forward and prune. */
        minFreeBytes: z
          .number()
          .int()
          .min(0)
          .default(64 * 1024 * 1024),
      })
      .prefault({}),
    backup: z
      .strictObject({
        /** Online backup (VACUUM INTO) every this many minutes; 0 turns scheduled backups off. */
        everyMinutes: z.number().int().min(0).max(10_080).default(360),
        /** Backups kept; the oldest beyond this are deleted. */
        keep: z.number().int().min(1).max(1000).default(8),
        /** Folder for backups (default `<dataDir>/backups`). */
        dir: z.string().min(1).optional(),
      })
      .prefault({}),
    hub: z
      .strictObject({
        url: z.url().default('http://127.0.0.1:8787'),
        /** One-time claim code; used on first start when the gateway holds no hub token yet. */
        claimCode: z.string().min(6).max(64).optional(),
        batchSize: z.number().int().min(1).max(1000).default(500),
      })
      .prefault({}),
  }),
  scale: scalePipelineSettingsSchema.prefault({}),
  devices: z.array(provisionedDeviceSchema).max(500).default([]),
});
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

/** What one device reads: its identity, its secret in clear, and where its gateway is. */
export const deviceBundleSchema = z.strictObject({
  version: z.literal(DEVICE_BUNDLE_VERSION),
  deviceId: deviceIdSchema,
  kind: deviceKindSchema,
  model: z.string().min(1).max(64),
  secret: z.string().min(16).max(200),
  brokerUrl: z.string().regex(/^mqtts?:\/\/[^\s]+$/, 'must be an mqtt:// or mqtts:// URL'),
});
export type DeviceBundle = z.infer<typeof deviceBundleSchema>;

/**
 * The gateway's device administration API (edge `/api/v1/devices`, behind the gateway admin token).
 * A new device's id may be chosen by the technician; otherwise the gateway names it `<kind>-<random>`.
 */
export const addDeviceRequestSchema = z.strictObject({
  id: deviceIdSchema.optional(),
  kind: deviceKindSchema,
  model: z.string().min(1).max(64),
  slots: z.array(scaleSlotSchema).max(16).default([]),
  scanMode: scanModeSchema.optional(),
  area: z.string().max(120).optional(),
});
export type AddDeviceRequest = z.input<typeof addDeviceRequestSchema>;

/** Which item each platform (scale) weighs; replaces the device's whole mapping. */
export const deviceSlotsRequestSchema = z.strictObject({
  slots: z
    .array(scaleSlotSchema)
    .max(16)
    .refine((slots) => new Set(slots.map((s) => s.platform)).size === slots.length, 'platforms must differ'),
});
export type DeviceSlotsRequest = z.input<typeof deviceSlotsRequestSchema>;

/** A config push: a protocol deviceConfig whose configVersion the gateway assigns when left out. */
export const deviceConfigPushSchema = deviceConfigSchema.partial({ configVersion: true });
export type DeviceConfigPush = z.infer<typeof deviceConfigPushSchema>;

/**
 * One step of a scale calibration: `tare` with the platform empty, `span` with a known weight on it
 * (offset and factor from the raw readings), `check` with a second known weight (linearity), which
 * stores the calibration and pushes it in the device's config.
 */
export const calibrationStepSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('tare') }),
  z.strictObject({ step: z.literal('span'), knownGrams: z.number().positive().max(100_000) }),
  z.strictObject({
    step: z.literal('check'),
    knownGrams: z.number().positive().max(100_000),
    /** Largest error the second weight may show, in % of its weight (default 1). */
    maxErrorPercent: z.number().positive().max(50).default(1),
  }),
]);
export type CalibrationStep = z.input<typeof calibrationStepSchema>;

/**
 * What a scale answers to `tare` and `calibrate` (the response's `data`): its raw load-cell count now,
 * or (HX711 driver) the calibration it computed, from which the raw count is recovered.
 */
export const calibrationReadingSchema = z
  .looseObject({
    raw: z.number().finite().optional(),
    calibration: z
      .looseObject({ offset: z.number().finite(), factor: z.number().finite().optional() })
      .optional(),
  })
  .refine(
    (data) => data.raw !== undefined || data.calibration !== undefined,
    'must carry raw or calibration',
  );
export type CalibrationReading = z.infer<typeof calibrationReadingSchema>;

/** A stored scale calibration: grams = (raw − offset) / factor. */
export const deviceCalibrationSchema = z.strictObject({
  offset: z.number().finite(),
  factor: z
    .number()
    .finite()
    .refine((f) => f !== 0, 'must not be 0'),
  knownGrams: z.number().positive(),
  checkGrams: z.number().positive(),
  /** How far the second weight read from its true weight, in % of it. */
  errorPercent: z.number().min(0),
  calibratedAt: z.iso.datetime(),
});
export type DeviceCalibration = z.infer<typeof deviceCalibrationSchema>;
