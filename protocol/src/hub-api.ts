import { z } from 'zod';
import { isoDateTimeSchema, recordIdSchema } from './ids.ts';
import { stockEventSourceSchema } from './stock-event.ts';

/** One error envelope for every HTTP error (STYLE.md "One error shape"). */
export const errorEnvelopeSchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    /** `path: message` lines for validation failures. */
    details: z.array(z.string()).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

export const ROLES = ['owner', 'manager', 'bartender', 'barback', 'technician'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

const name = z.string().trim().min(1).max(120);
const money = z.number().finite().min(0).max(1_000_000);

export const ITEM_CATEGORIES = [
  'spirit',
  'liqueur',
  'wine',
  'sparkling',
  'beer',
  'keg',
  'mixer',
  'syrup',
  'garnish',
  'other',
] as const;
export const itemCategorySchema = z.enum(ITEM_CATEGORIES);

/** EAN-8/UPC-A/EAN-13/ITF-14 or an in-house code. */
export const barcodeSchema = z
  .string()
  .regex(/^[\x21-\x7e]{4,64}$/, 'must be 4-64 printable ASCII characters');

/** What an item is counted in: ml for liquids, units (cans, bottled beer) for countables. */
export const itemUnitSchema = z.enum(['ml', 'unit']);
export type ItemUnit = z.infer<typeof itemUnitSchema>;

/** The hub's forecasting models, as a forecast names the one it used (the manager app puts them in words). */
export const FORECAST_MODEL_NAMES = [
  'seasonal-naive',
  'ses',
  'weekday-ses',
  'weekday-additive',
  'weekday-damped',
  'tsb',
  'weekday-tsb',
  'sba',
  'combination',
  'cold-start',
] as const;

export const itemInputSchema = z.strictObject({
  name,
  category: itemCategorySchema,
  /** Liquids: container size in ml. Countables: 1. */
  containerMl: z.number().int().positive().max(100_000),
  unit: itemUnitSchema.default('ml'),
  barcodes: z.array(barcodeSchema).max(20).default([]),
  /** Weight of the empty container in grams (for scales). */
  emptyWeightG: z.number().positive().max(100_000).nullable().default(null),
  /** Liquid density in g/ml: a 40% ABV spirit is about 0.95, beer about 1.01. */
  densityGPerMl: z.number().min(0.5).max(2).default(1),
  /** Cost of one container, in the organization's currency. */
  cost: money,
  parLevelMl: z.number().int().nonnegative().nullable().default(null),
});
export type ItemInput = z.input<typeof itemInputSchema>;
export const itemSchema = itemInputSchema.extend({ id: recordIdSchema, organizationId: recordIdSchema });
export type Item = z.infer<typeof itemSchema>;
export const itemPatchSchema = itemInputSchema.partial();

export const supplierInputSchema = z.strictObject({
  name,
  email: z.email().nullable().default(null),
  phone: z.string().max(40).nullable().default(null),
  deliveryFee: money.default(0),
});
export type SupplierInput = z.input<typeof supplierInputSchema>;
export const supplierSchema = supplierInputSchema.extend({
  id: recordIdSchema,
  organizationId: recordIdSchema,
});
export type Supplier = z.infer<typeof supplierSchema>;
export const supplierPatchSchema = supplierInputSchema.partial();

/** A supplier's offer of one item. */
export const supplierOfferInputSchema = z.strictObject({
  itemId: recordIdSchema,
  price: money,
  caseSize: z.number().int().positive().max(1000).default(1),
  leadTimeDays: z.number().int().min(0).max(120).default(2),
  minimumOrder: money.default(0),
});
export type SupplierOfferInput = z.input<typeof supplierOfferInputSchema>;
export const supplierOfferSchema = supplierOfferInputSchema.extend({
  id: recordIdSchema,
  supplierId: recordIdSchema,
});
export type SupplierOffer = z.infer<typeof supplierOfferSchema>;

/** How long a bar's delivery address may be: what a purchase order has room for. */
export const DELIVERY_ADDRESS = { maxLines: 6, maxCharacters: 300 } as const;

/** The lines of a typed delivery address as the hub keeps them: each trimmed, blank ones dropped. */
export const deliveryAddressLines = (text: string) =>
  text
    .split(/\r\n?|\n/)
    .map((line) => line.trim())
    .filter(Boolean);

export const locationInputSchema = z.strictObject({
  name,
  timezone: z.string().min(1).max(64).default('UTC'),
  /**
   * Where deliveries go, as suppliers read it on a purchase order: up to 6 lines (each trimmed, blank ones
   * dropped); null, or nothing but spaces, for none yet.
   */
  deliveryAddress: z
    .string()
    .max(DELIVERY_ADDRESS.maxCharacters)
    .transform(deliveryAddressLines)
    .refine(
      (lines) => lines.length <= DELIVERY_ADDRESS.maxLines,
      `at most ${DELIVERY_ADDRESS.maxLines} lines`,
    )
    .transform((lines) => (lines.length ? lines.join('\n') : null))
    .nullable()
    .default(null),
  areas: z.array(name).max(50).default(['back bar', 'well', 'storeroom']),
});
export const locationSchema = locationInputSchema.extend({
  id: recordIdSchema,
  organizationId: recordIdSchema,
});
export type Location = z.infer<typeof locationSchema>;
export const locationPatchSchema = locationInputSchema.partial();

export const organizationInputSchema = z.strictObject({
  name,
  currency: z.string().length(3).default('USD'),
});
export const organizationSchema = organizationInputSchema.extend({ id: recordIdSchema });
export type Organization = z.infer<typeof organizationSchema>;

export const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(200);
export const loginRequestSchema = z.strictObject({ email: z.email(), password: z.string().min(1).max(200) });
export const loginResponseSchema = z.strictObject({
  token: z.string(),
  expiresAt: isoDateTimeSchema,
  user: z.strictObject({
    id: recordIdSchema,
    email: z.email(),
    name,
    organizationId: recordIdSchema,
    role: roleSchema,
  }),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** First run only: creates the organization and its owner while the hub has none. */
export const setupRequestSchema = z.strictObject({
  organization: organizationInputSchema,
  owner: z.strictObject({ email: z.email(), name, password: passwordSchema }),
});

export const userInputSchema = z.strictObject({
  email: z.email(),
  name,
  password: passwordSchema,
  role: roleSchema,
});
export const userSchema = z.strictObject({
  id: recordIdSchema,
  email: z.email(),
  name,
  role: roleSchema,
  organizationId: recordIdSchema,
});
export type User = z.infer<typeof userSchema>;

/** The languages a person can read the apps in (the dashboard's catalogs; `en-IN` and `hi` group lakh/crore). */
export const USER_LOCALES = ['en-US', 'en-GB', 'en-IN', 'es', 'hi'] as const;
export const userLocaleSchema = z.enum(USER_LOCALES, {
  error: () => `unknown locale; choose one of ${USER_LOCALES.join(', ')}`,
});
export type UserLocale = z.infer<typeof userLocaleSchema>;

/** Hub `GET /api/v1/auth/me`: the logged-in user and their language (null until they choose one). */
export const profileSchema = userSchema.extend({ locale: userLocaleSchema.nullable() });
export type Profile = z.infer<typeof profileSchema>;

/** Hub `PATCH /api/v1/auth/me`: what a person may change about themselves. */
export const profilePatchSchema = z.strictObject({ locale: userLocaleSchema });
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

/** A one-time code an owner or technician creates for claiming a gateway to a location. */
export const claimCodeResponseSchema = z.strictObject({ code: z.string(), expiresAt: isoDateTimeSchema });
export const gatewayClaimRequestSchema = z.strictObject({
  code: z.string().min(6).max(64),
  name: z.string().trim().min(1).max(120).default('gateway'),
});
export const gatewayClaimResponseSchema = z.strictObject({
  gatewayId: recordIdSchema,
  token: z.string(),
  locationId: recordIdSchema,
  organizationId: recordIdSchema,
});
export type GatewayClaimResponse = z.infer<typeof gatewayClaimResponseSchema>;

/** What a gateway caches to work offline: the items of its organization. */
export const gatewayCatalogSchema = z.strictObject({
  locationId: recordIdSchema,
  items: z.array(
    z.strictObject({
      id: recordIdSchema,
      name,
      category: itemCategorySchema,
      containerMl: z.number().int().positive(),
      barcodes: z.array(barcodeSchema),
      emptyWeightG: z.number().positive().nullable(),
      densityGPerMl: z.number(),
    }),
  ),
});
export type GatewayCatalog = z.infer<typeof gatewayCatalogSchema>;

export const stockLineSchema = z.strictObject({
  itemId: recordIdSchema,
  itemName: name,
  category: itemCategorySchema,
  containerMl: z.number().int().positive(),
  /** What the item is counted in (its catalog unit): the line's ml figures are units for a countable. */
  unit: itemInputSchema.shape.unit.unwrap(),
  sealedContainers: z.number().int(),
  openMl: z.number().int(),
  totalMl: z.number().int(),
  parLevelMl: z.number().int().nullable(),
  lastObservedAt: isoDateTimeSchema.nullable(),
  lastSource: z.union([stockEventSourceSchema, z.literal('seed'), z.literal('pos')]).nullable(),
});
export type StockLine = z.infer<typeof stockLineSchema>;
export const locationStockSchema = z.strictObject({
  locationId: recordIdSchema,
  items: z.array(stockLineSchema),
});
export type LocationStock = z.infer<typeof locationStockSchema>;

/** Gateway `GET /api/v1/health`. */
/** One camera's shelf detection in the gateway health: frames in, processed, dropped, refused by reason. */
export const cameraHealthSchema = z.strictObject({
  backend: z.string(),
  framesIn: z.number().int(),
  processed: z.number().int(),
  dropped: z.number().int(),
  refused: z.record(z.string(), z.number().int()),
  lastLatencyMs: z.number().nullable(),
  /** Confirmed slot changes written to the ledger as camera `count` events. */
  recorded: z.number().int(),
  /** Changes that could not be written (gateway not claimed, item not in the catalog). */
  unrecorded: z.number().int(),
});
export type CameraHealth = z.infer<typeof cameraHealthSchema>;

export const gatewayHealthSchema = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  gatewayId: z.string().nullable(),
  uptimeS: z.number(),
  broker: z.strictObject({
    clients: z.number().int(),
    messagesIn: z.number().int(),
    refused: z.number().int(),
  }),
  refusedByReason: z.record(z.string(), z.number().int()),
  ledger: z.strictObject({ events: z.number().int(), lastSeq: z.number().int(), dbBytes: z.number().int() }),
  outbox: z.strictObject({
    pending: z.number().int(),
    lastAckSeq: z.number().int(),
    lastAckAt: isoDateTimeSchema.nullable(),
    lastError: z.string().nullable(),
    hubReachable: z.boolean(),
  }),
  /** Shelf detection per camera with a slot map (edge/src/camera), when the gateway has any. */
  cameras: z.record(z.string(), cameraHealthSchema).optional(),
  /** Disk and backups (edge/src/db/storage-guard.ts, edge/src/backup): why readings are refused, if they are. */
  storage: z
    .strictObject({
      state: z.enum(['ok', 'low', 'full', 'failed']),
      reason: z.string().nullable(),
      freeBytes: z.number().int().nullable(),
      refused: z.number().int(),
      /** Unsent events added per hour over the last hour (negative while catching up); null until measured. */
      outboxGrowthPerHour: z.number().nullable(),
      lastBackupAt: isoDateTimeSchema.nullable(),
      lastBackupError: z.string().nullable(),
    })
    .optional(),
  /** What needs a person now, one line each (storage refusing readings, backups failing). */
  alerts: z.array(z.string()).optional(),
});
export type GatewayHealth = z.infer<typeof gatewayHealthSchema>;

/** Hub `GET /api/v1/gateways`: each gateway with its ingest cursor and the seq ranges written off as gaps. */
export const gatewaySummarySchema = z.strictObject({
  id: recordIdSchema,
  name,
  locationId: recordIdSchema,
  ackSeq: z.number().int().nonnegative(),
  lastSeenAt: isoDateTimeSchema.nullable(),
  revoked: z.boolean(),
  gaps: z.array(
    z.strictObject({
      fromSeq: z.number().int().positive(),
      toSeq: z.number().int().positive(),
      recordedAt: isoDateTimeSchema,
    }),
  ),
});
export type GatewaySummary = z.infer<typeof gatewaySummarySchema>;

/** Hub `POST /api/v1/gateways/:id/token/rotate`: the new token, shown once. */
export const gatewayTokenResponseSchema = z.strictObject({ gatewayId: recordIdSchema, token: z.string() });

/** Hub `POST /api/v1/locations/:id/adjustments`: set an item's count (opening stock, stocktake corrections). */
export const stockAdjustmentRequestSchema = z.strictObject({
  itemId: recordIdSchema,
  sealedContainers: z.number().int().min(0).max(100_000),
  openMl: z.number().int().min(0).max(10_000_000),
  reason: z.string().trim().min(1).max(200),
});
export type StockAdjustmentRequest = z.infer<typeof stockAdjustmentRequestSchema>;

/** Hub `GET /api/v1/health` (no auth). */
export const hubHealthSchema = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  time: isoDateTimeSchema,
  database: z.strictObject({ reachable: z.boolean() }),
});
export type HubHealth = z.infer<typeof hubHealthSchema>;
