import { z } from 'zod';
import { isoDateTimeSchema, recordIdSchema } from './ids.ts';
import { itemCategorySchema, itemUnitSchema } from './hub-api.ts';

/** Contracts of the hub's POS, menu, variance, waste, pour-cost, licence and alert APIs (issue 5). */
const name = z.string().trim().min(1).max(120);
const money = z.number().finite().min(0).max(1_000_000);
const signedMoney = z.number().finite().min(-1_000_000).max(1_000_000);
/** `HH:MM`, 24 h, local to the user's timezone. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
const isoDate = z.iso.date();

export const POS_PROVIDERS = ['tabit', 'square', 'csv'] as const;
export const posProviderSchema = z.enum(POS_PROVIDERS);
export type PosProvider = z.infer<typeof posProviderSchema>;

/** A modifier scales a recipe: "double" ×2; "neat" drops the mixers; "rocks" changes nothing poured. */
export const modifierInputSchema = z.strictObject({
  name,
  multiplier: z.number().min(0).max(5).default(1),
  dropCategories: z.array(itemCategorySchema).max(10).default([]),
});
export type ModifierInput = z.input<typeof modifierInputSchema>;
export const modifierSchema = modifierInputSchema.extend({ id: recordIdSchema });
export type Modifier = z.infer<typeof modifierSchema>;

/** One pour of one inventory item in a recipe. */
export const recipeLineSchema = z.strictObject({
  itemId: recordIdSchema,
  ml: z.number().int().positive().max(5_000),
});
export type RecipeLine = z.infer<typeof recipeLineSchema>;
const recipeLines = z
  .array(recipeLineSchema)
  .min(1)
  .max(30)
  .refine(
    (lines) => new Set(lines.map((line) => line.itemId)).size === lines.length,
    'an item appears twice',
  );

export const menuItemInputSchema = z.strictObject({
  name,
  /** Menu section ("cocktails", "spirits", "beer"), the unit of pour-cost-by-category. */
  category: z.string().trim().min(1).max(60),
  price: money,
  recipe: recipeLines,
});
export type MenuItemInput = z.input<typeof menuItemInputSchema>;
export const menuItemPatchSchema = menuItemInputSchema.omit({ recipe: true }).partial();

/** A new recipe version; earlier sales keep the version that was valid when they were sold. */
export const recipeChangeSchema = z.strictObject({
  recipe: recipeLines,
  /** When the new recipe takes effect; default now. */
  validFrom: isoDateTimeSchema.optional(),
});

export const recipeVersionSchema = z.strictObject({
  version: z.number().int().positive(),
  validFrom: isoDateTimeSchema,
  lines: z.array(recipeLineSchema),
});
export const menuItemSchema = z.strictObject({
  id: recordIdSchema,
  name,
  category: z.string(),
  price: money,
  archived: z.boolean(),
  recipe: recipeVersionSchema,
  versions: z.array(recipeVersionSchema.pick({ version: true, validFrom: true })),
});
export type MenuItem = z.infer<typeof menuItemSchema>;

/** A POS menu-item id and what it maps to; `menuItemId: null` is "needs mapping". */
export const posMappingSchema = z.strictObject({
  provider: posProviderSchema,
  externalId: z.string(),
  externalName: z.string(),
  menuItemId: recordIdSchema.nullable(),
  /** Sale lines waiting for this mapping. */
  pendingLines: z.number().int().nonnegative(),
});
export type PosMapping = z.infer<typeof posMappingSchema>;
/**
 * A modifier name the POS sent that no modifier of the organization matches: its lines were counted at the
 * plain recipe, so a "large" or "extra shot" is noticed and added as a modifier rather than silently ignored.
 */
export const unknownModifierSchema = z.strictObject({
  name: z.string(),
  /** Sale lines that carried it. */
  lines: z.number().int().positive(),
  lastSoldAt: isoDateTimeSchema,
});
export type UnknownModifier = z.infer<typeof unknownModifierSchema>;
export const posMappingRequestSchema = z.strictObject({
  provider: posProviderSchema,
  externalId: z.string().min(1).max(120),
  menuItemId: recordIdSchema,
});

export const posConnectionInputSchema = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('tabit'), locationId: recordIdSchema }),
  z.strictObject({
    provider: z.literal('square'),
    locationId: recordIdSchema,
    /** The subscription's signature key from Square's Developer Console. */
    signatureKey: z.string().min(8).max(200),
    /** The notification URL exactly as configured at Square (it is part of the signed text). */
    notificationUrl: z.url(),
    /** OAuth/personal access token used to read orders (order.updated carries no line items). */
    accessToken: z.string().min(8).max(400),
    apiBaseUrl: z.url().default('https://connect.squareup.com'),
  }),
]);
export const posConnectionSchema = z.strictObject({
  id: recordIdSchema,
  provider: posProviderSchema,
  locationId: recordIdSchema,
  webhookPath: z.string(),
  /** Tabit only, shown once at creation: the HMAC key to configure at Tabit. */
  signingSecret: z.string().optional(),
  createdAt: isoDateTimeSchema,
});

/** What a webhook or an import answers. */
export const saleIngestResultSchema = z.strictObject({
  lines: z.number().int().nonnegative(),
  recorded: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  needsMapping: z.number().int().nonnegative(),
});
export type SaleIngestResult = z.infer<typeof saleIngestResultSchema>;

/** Column names (header cells) of a sales export, saved once per POS export format. */
export const csvColumnMappingSchema = z.strictObject({
  name,
  columns: z.strictObject({
    soldAt: z.string().min(1),
    itemId: z.string().min(1),
    itemName: z.string().min(1).optional(),
    quantity: z.string().min(1),
    /** Line revenue (after discounts); absent means unknown. */
    amount: z.string().min(1).optional(),
    checkId: z.string().min(1).optional(),
    /** A column holding the POS's own line id; without it a line is keyed by its content. */
    lineId: z.string().min(1).optional(),
    /** A column saying sale / void / refund / comp; absent means every row is a sale. */
    kind: z.string().min(1).optional(),
    modifiers: z.string().min(1).optional(),
  }),
  delimiter: z.enum([',', ';', '\t']).default(','),
  modifierSeparator: z.string().min(1).max(3).default('|'),
});
export type CsvColumnMapping = z.infer<typeof csvColumnMappingSchema>;
export const csvMappingSchema = csvColumnMappingSchema.extend({ id: recordIdSchema });
/** A sales export with a saved column mapping: CSV text, or an XLSX workbook as base64 (first sheet read). */
export const csvImportRequestSchema = z
  .strictObject({
    locationId: recordIdSchema,
    mappingId: recordIdSchema,
    fileName: z.string().max(200).default('sales.csv'),
    csv: z.string().min(1).max(5_000_000).optional(),
    xlsxBase64: z.base64().min(1).max(7_000_000).optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.csv === undefined) === (body.xlsxBase64 === undefined))
      ctx.addIssue({ code: 'custom', path: ['csv'], message: 'give either csv or xlsxBase64' });
  });
export const csvImportResultSchema = saleIngestResultSchema.extend({
  importId: recordIdSchema,
  rows: z.number().int().nonnegative(),
  errors: z.array(z.strictObject({ line: z.number().int().positive(), reason: z.string() })),
});
/**
 * An import's progress: lines recorded of the file's total, `result` once done. `failed` carries the reason:
 * an error while recording, or no progress for two minutes (the Worker recording it was stopped). Importing
 * the same file again continues after the lines already recorded (and would record none of them twice).
 */
export const importJobSchema = z.strictObject({
  importId: recordIdSchema,
  status: z.enum(['running', 'done', 'failed']),
  processed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  startedAt: isoDateTimeSchema,
  /** When the progress last moved. */
  updatedAt: isoDateTimeSchema,
  result: csvImportResultSchema.optional(),
  error: z.string().optional(),
  /** Lines an earlier import of the same file recorded before it stopped: this one started after them. */
  resumedFrom: z.number().int().positive().optional(),
});
export type ImportJob = z.infer<typeof importJobSchema>;

export type CsvImportResult = z.infer<typeof csvImportResultSchema>;

/** A pour-cost band as shares of the menu price (0.18-0.24 is 18-24 %). */
export const pourCostTargetSchema = z
  .strictObject({ low: z.number().min(0).max(1), high: z.number().min(0).max(1) })
  .refine((target) => target.low <= target.high, { message: 'low must not be above high', path: ['low'] });

/** Owner-set tolerances and measurement errors the variance engine and pour cost use. */
export const barSettingsSchema = z.strictObject({
  /** Variance is flagged only beyond this share of expected usage … */
  tolerancePct: z.number().min(0).max(100).default(5),
  /** … and beyond this many ml. */
  toleranceMl: z.number().int().min(0).max(10_000).default(30),
  scaleErrorMl: z.number().min(0).max(500).default(2),
  /** From the camera model's evaluation (edge/models model card). */
  cameraErrorMl: z.number().min(0).max(1_000).default(25),
  manualErrorMl: z.number().min(0).max(2_000).default(50),
  pourCostTargetLow: z.number().min(0).max(1).default(0.18),
  pourCostTargetHigh: z.number().min(0).max(1).default(0.24),
  /**
   * A pour-cost band per menu category ("spirits": 0.15-0.20); a category without one uses the band above.
   * Replaced whole by a PATCH.
   */
  categoryPourCostTargets: z
    .record(z.string().trim().min(1).max(60), pourCostTargetSchema)
    .refine((targets) => Object.keys(targets).length <= 200, 'at most 200 categories')
    .default({}),
});
export type BarSettings = z.infer<typeof barSettingsSchema>;

export const periodQuerySchema = z.strictObject({
  locationId: recordIdSchema,
  from: isoDateTimeSchema,
  to: isoDateTimeSchema,
});

export const varianceLineSchema = z.strictObject({
  itemId: recordIdSchema,
  itemName: z.string(),
  soldMl: z.number().int(),
  wasteMl: z.number().int(),
  expectedMl: z.number().int(),
  measuredMl: z.number().int(),
  /** measured − expected: positive means more left the bottles than sales and waste explain. */
  varianceMl: z.number().int(),
  variancePct: z.number().nullable(),
  /** ± ml the measurements alone could explain (2σ). */
  bandMl: z.number().int().nonnegative(),
  flagged: z.boolean(),
  /** Money figures: absent for roles without `costs:read`. */
  varianceCost: signedMoney.optional(),
});
export type VarianceLine = z.infer<typeof varianceLineSchema>;
export const varianceReportSchema = z.strictObject({
  locationId: recordIdSchema,
  from: isoDateTimeSchema,
  to: isoDateTimeSchema,
  lines: z.array(varianceLineSchema),
  /** Flagged lines, costliest first (by ml for roles without money figures). */
  ranked: z.array(varianceLineSchema),
  weeks: z.array(
    z.strictObject({
      weekStart: isoDateTimeSchema,
      varianceMl: z.number().int(),
      flaggedItems: z.number().int().nonnegative(),
      varianceCost: signedMoney.optional(),
    }),
  ),
});
export type VarianceReport = z.infer<typeof varianceReportSchema>;

export const wasteRequestSchema = z.strictObject({
  itemId: recordIdSchema,
  ml: z.number().int().positive().max(100_000),
  reason: z.enum(['spill', 'breakage', 'comp', 'spoiled', 'other']),
  note: z.string().max(200).optional(),
});
/**
 * Waste in a period. Amounts are in the item's unit (ml, or units for a countable), so a reason wasted in both
 * has one line per unit; never ml and cans added together.
 */
export const wasteReportSchema = z.strictObject({
  locationId: recordIdSchema,
  reasons: z.array(
    z.strictObject({
      reason: z.string(),
      unit: itemUnitSchema,
      amount: z.number().int(),
      events: z.number().int(),
      cost: money.optional(),
    }),
  ),
  items: z.array(
    z.strictObject({
      itemId: recordIdSchema,
      itemName: z.string(),
      unit: itemUnitSchema,
      amount: z.number().int(),
      cost: money.optional(),
    }),
  ),
});

/** The sales period pour cost per category is weighted by (default: the 28 days up to now), optionally one bar. */
export const pourCostQuerySchema = z.strictObject({
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  locationId: recordIdSchema.optional(),
});

export const pourCostReportSchema = z.strictObject({
  /** The default band, for categories without their own. */
  targetLow: z.number(),
  targetHigh: z.number(),
  from: isoDateTimeSchema,
  to: isoDateTimeSchema,
  locationId: recordIdSchema.nullable(),
  items: z.array(
    z.strictObject({
      menuItemId: recordIdSchema,
      name: z.string(),
      category: z.string(),
      price: money,
      ingredientCost: money,
      pourCost: z.number().nullable(),
      /** The band of the item's category. */
      targetLow: z.number(),
      targetHigh: z.number(),
      onTarget: z.boolean(),
      /** Menu price that brings the pour cost to the middle of its category's band; null when on target. */
      priceForTarget: money.nullable(),
      /** Sold in the period, net of voids and refunds (comps are not sales). */
      sold: z.number(),
    }),
  ),
  categories: z.array(
    z.strictObject({
      category: z.string(),
      /**
       * `sales`: Σ sold × ingredient cost / Σ sold × price over the period; `menu`: nothing of the category
       * sold in the period, so Σ ingredient cost / Σ price over its menu items.
       */
      pourCost: z.number().nullable(),
      basis: z.enum(['sales', 'menu']),
      sold: z.number(),
      targetLow: z.number(),
      targetHigh: z.number(),
      onTarget: z.boolean(),
    }),
  ),
});
export type PourCostReport = z.infer<typeof pourCostReportSchema>;

export const licenceInputSchema = z.strictObject({
  locationId: recordIdSchema,
  name,
  kind: z.enum(['licence', 'permit']),
  reference: z.string().max(120).nullable().default(null),
  expiresOn: isoDate,
});
export const licenceSchema = licenceInputSchema.extend({ id: recordIdSchema, daysLeft: z.number().int() });
export type Licence = z.infer<typeof licenceSchema>;
export const licencePatchSchema = licenceInputSchema.omit({ locationId: true }).partial();
export const licenceListSchema = z.strictObject({ licences: z.array(licenceSchema) });

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export const alertSeveritySchema = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'webhook', 'webpush'] as const;
export const notificationChannelSchema = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannelKind = z.infer<typeof notificationChannelSchema>;

export const notificationPreferenceSchema = z
  .strictObject({
    channel: notificationChannelSchema,
    /** Email address, E.164 phone number, https webhook URL, or a push subscription id (webpush). */
    address: z.string().min(3).max(400),
    minSeverity: alertSeveritySchema.default('warning'),
    quietStart: clockTime.default('22:00'),
    quietEnd: clockTime.default('08:00'),
    /** IANA zone of the quiet hours; null: the time zone of the alert's bar. */
    timezone: z.string().min(1).max(64).nullable().default(null),
  })
  .superRefine((pref, ctx) => {
    const ok =
      pref.channel === 'email'
        ? /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(pref.address)
        : pref.channel === 'sms'
          ? /^\+[1-9]\d{6,14}$/.test(pref.address)
          : pref.channel === 'webpush'
            ? recordIdSchema.safeParse(pref.address).success
            : /^https:\/\/[^\s]+$/.test(pref.address);
    const expected = {
      email: 'an email address',
      sms: 'an E.164 phone number (+...)',
      webhook: 'an https URL',
      webpush: 'the id of one of your push subscriptions',
    };
    if (!ok)
      ctx.addIssue({ code: 'custom', path: ['address'], message: `must be ${expected[pref.channel]}` });
    if (pref.timezone !== null) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: pref.timezone });
      } catch {
        ctx.addIssue({ code: 'custom', path: ['timezone'], message: 'must be an IANA time zone' });
      }
    }
  });
export type NotificationPreference = z.infer<typeof notificationPreferenceSchema>;
export const notificationPreferencesSchema = z.strictObject({
  preferences: z.array(notificationPreferenceSchema).max(10),
});
/** PATCH: set (insert or replace) the channels in `preferences`, delete those in `remove`. */
export const notificationPreferencesPatchSchema = z.strictObject({
  preferences: z.array(notificationPreferenceSchema).max(10).default([]),
  remove: z.array(notificationChannelSchema).max(3).default([]),
});
export const notificationListQuerySchema = z.strictObject({ unread: z.enum(['true', 'false']).optional() });

export const notificationSchema = z.strictObject({
  id: recordIdSchema,
  alertId: recordIdSchema,
  rule: z.string(),
  severity: alertSeveritySchema,
  title: z.string(),
  body: z.string(),
  createdAt: isoDateTimeSchema,
  read: z.boolean(),
  deliveries: z.array(
    z.strictObject({
      channel: notificationChannelSchema,
      status: z.enum(['pending', 'sent', 'failed', 'suppressed']),
      attempts: z.number().int(),
    }),
  ),
});
export const notificationListSchema = z.strictObject({
  unread: z.number().int().nonnegative(),
  notifications: z.array(notificationSchema),
});
export const alertRunResultSchema = z.strictObject({
  raised: z.number().int().nonnegative(),
  deduplicated: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});

/** What the alert rules watch (hub/src/alerts/rules). */
export const ALERT_RULES = [
  'low_stock',
  'variance',
  'gateway_offline',
  'order_awaiting_approval',
  'delivery_discrepancy',
  'delivery_late',
  'licence_expiry',
  'scale_recalibration',
  'device_offline',
] as const;
export const alertRuleSchema = z.enum(ALERT_RULES);
export type AlertRule = z.infer<typeof alertRuleSchema>;
/** open → acknowledged by a person, or resolved when the rule no longer sees the condition. */
export const alertStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof alertStatusSchema>;
export const alertSchema = z.strictObject({
  id: recordIdSchema,
  locationId: recordIdSchema.nullable(),
  rule: alertRuleSchema,
  severity: alertSeveritySchema,
  title: z.string(),
  body: z.string(),
  status: alertStatusSchema,
  occurrences: z.number().int().positive(),
  createdAt: isoDateTimeSchema,
  lastSeenAt: isoDateTimeSchema,
  acknowledgedAt: isoDateTimeSchema.nullable(),
});
export type Alert = z.infer<typeof alertSchema>;
export const alertListQuerySchema = z.strictObject({ status: alertStatusSchema.optional() });
export const alertListSchema = z.strictObject({ alerts: z.array(alertSchema) });

/**
 * A station of a bar (a well, a service bar): the devices whose measurements belong to it and the staff who
 * work it. POS lines name their station (Tabit's `station`), matched by name, case and spaces ignored.
 */
export const stationInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  /** Gateway device ids (scales, cameras) standing at this station. */
  deviceIds: z.array(z.string().min(1).max(64)).max(64).default([]),
  /** Bartenders who work it: they see this station's variance (without money figures). */
  userIds: z.array(recordIdSchema).max(50).default([]),
});
export type StationInput = z.input<typeof stationInputSchema>;
export const stationsRequestSchema = z
  .strictObject({ stations: z.array(stationInputSchema).max(50) })
  .superRefine((body, ctx) => {
    const names = new Set<string>();
    const devices = new Set<string>();
    body.stations.forEach((station, index) => {
      const key = station.name.toLowerCase();
      if (names.has(key))
        ctx.addIssue({ code: 'custom', path: ['stations', index, 'name'], message: 'named twice' });
      names.add(key);
      station.deviceIds.forEach((deviceId, d) => {
        if (devices.has(deviceId))
          ctx.addIssue({
            code: 'custom',
            path: ['stations', index, 'deviceIds', d],
            message: 'already at another station',
          });
        devices.add(deviceId);
      });
    });
  });
export const stationSchema = z.strictObject({
  id: recordIdSchema,
  name: z.string(),
  deviceIds: z.array(z.string()),
  userIds: z.array(recordIdSchema),
});
export type Station = z.infer<typeof stationSchema>;
export const stationListSchema = z.strictObject({ stations: z.array(stationSchema) });

/** Variance per station: sales rung up at the station against what its devices measured. */
export const stationVarianceReportSchema = z.strictObject({
  locationId: recordIdSchema,
  from: isoDateTimeSchema,
  to: isoDateTimeSchema,
  stations: z.array(
    z.strictObject({
      stationId: recordIdSchema,
      name: z.string(),
      lines: z.array(varianceLineSchema),
    }),
  ),
  /** Flagged station lines, costliest first (by ml for roles without money figures). */
  ranked: z.array(varianceLineSchema.extend({ stationId: recordIdSchema, stationName: z.string() })),
});
export type StationVarianceReport = z.infer<typeof stationVarianceReportSchema>;

/** Browser → hub: the PushSubscription of this browser (`subscription.toJSON()`), for the webpush channel. */
export const pushSubscriptionInputSchema = z.strictObject({
  endpoint: z.url().refine((url) => url.startsWith('https://'), 'must be an https URL'),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    /** P-256 public key, uncompressed: 65 bytes as 87 base64url characters. */
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'must be a 65-byte P-256 key, base64url'),
    /** 16 bytes as 22 base64url characters. */
    auth: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be 16 bytes, base64url'),
  }),
});
export const pushSubscriptionSchema = z.strictObject({
  /** Use as the `address` of a webpush notification preference. */
  id: recordIdSchema,
  endpoint: z.string(),
  createdAt: isoDateTimeSchema,
});
export const vapidKeySchema = z.strictObject({
  /** The applicationServerKey for `pushManager.subscribe`, base64url; null when web push is not configured. */
  publicKey: z.string().nullable(),
});
