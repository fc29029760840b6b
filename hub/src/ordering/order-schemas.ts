import { z } from 'zod';
import { isoDateTimeSchema, recordIdSchema } from '@pourcast/protocol';
import { MAX_MONEY, ORDERING_POLICY_BOUNDS } from './ordering-bounds.ts';

/**
 * The ordering API's contract, beside its routes until the dashboard needs it (then it moves to
 * `@pourcast/protocol` unchanged).
 */
export const ORDER_STATUSES = [
  'draft',
  'approved',
  'sent',
  'partially_received',
  'received',
  'closed',
  'cancelled',
] as const;
export const LINE_FLAGS = ['short', 'over', 'price_changed'] as const;

const money = z.number().finite().min(0).max(MAX_MONEY);
const containers = z.number().finite().min(-10_000_000).max(10_000_000);

/** How a line's item is counted: the containers its reason speaks of. */
export const CONTAINER_LABELS = ['bottles', 'kegs', 'units'] as const;
export type ContainerLabel = (typeof CONTAINER_LABELS)[number];

/**
 * The facts behind a draft line's reason, as numbers a dashboard puts into the manager's language (the
 * English `reason` is written from them). Containers are rounded to a tenth and money to cents, as the
 * reason shows them.
 */
export const lineWhySchema = z.strictObject({
  /** Cases drafted (with any minimum top-up), before a manager's edit. */
  cases: z.number().int().positive(),
  caseSize: z.number().int().positive(),
  containerLabel: z.enum(CONTAINER_LABELS),
  /** What the stock is brought up to: forecast demand over the cover days, or a par. */
  target: z.discriminatedUnion('basis', [
    z.strictObject({
      basis: z.literal('forecast'),
      coverDays: z.number().int().positive(),
      /** The service level as a percentage: the demand is the forecast's P{servicePercent}. */
      servicePercent: z.number().int().min(50).max(100),
      demandContainers: containers,
    }),
    z.strictObject({ basis: z.literal('pinned-par'), parContainers: containers }),
    z.strictObject({ basis: z.literal('catalog-par'), parContainers: containers }),
  ]),
  onHandContainers: containers,
  arrivingContainers: containers,
  supplierName: z.string(),
  /** Price per container with the case discount and a share of the delivery fee. */
  landedPerContainer: money,
  /** The other suppliers of the item: their landed price, or passed over as too slow to deliver. */
  alternatives: z.array(
    z.union([
      z.strictObject({ supplierName: z.string(), landedPerContainer: money }),
      z.strictObject({ supplierName: z.string(), tooSlowLeadTimeDays: z.number().int().nonnegative() }),
    ]),
  ),
  /** Cases added to reach the supplier's minimum order value. */
  minimumTopUp: z.strictObject({ cases: z.number().int().positive(), minimumOrder: money }).optional(),
  /** A manager's edit of the line. */
  editedToCases: z.number().int().positive().optional(),
});
export type LineWhy = z.infer<typeof lineWhySchema>;

export const orderLineSchema = z.strictObject({
  id: recordIdSchema,
  itemId: recordIdSchema,
  itemName: z.string(),
  cases: z.number().int().nonnegative(),
  caseSize: z.number().int().positive(),
  quantity: z.number().int().nonnegative(),
  unitPrice: money,
  lineTotal: money,
  /** Why the line is there, e.g. "3 cases of 12: 16-day P95 demand 52 bottles, on hand 18, arriving 6; …". */
  reason: z.string(),
  /** The reason's facts, for the manager's language; null on lines drafted before they were kept. */
  why: lineWhySchema.nullable(),
  receivedQuantity: z.number().int().nonnegative(),
  receivedUnitPrice: money.nullable(),
  flags: z.array(z.enum(LINE_FLAGS)),
});

export const orderEventSchema = z.strictObject({
  fromStatus: z.enum(ORDER_STATUSES).nullable(),
  toStatus: z.enum(ORDER_STATUSES),
  actorKind: z.enum(['user', 'system', 'gateway']),
  actorId: z.string().nullable(),
  note: z.string().nullable(),
  at: isoDateTimeSchema,
});

export const purchaseOrderSchema = z.strictObject({
  id: recordIdSchema,
  locationId: recordIdSchema,
  supplierId: recordIdSchema,
  supplierName: z.string(),
  supplierEmail: z.string().nullable(),
  status: z.enum(ORDER_STATUSES),
  lines: z.array(orderLineSchema),
  /** Items delivered that the order did not name. */
  substitutions: z.array(
    z.strictObject({ itemId: recordIdSchema, itemName: z.string(), quantity: z.number().int() }),
  ),
  subtotal: money,
  deliveryFee: money,
  total: money,
  minimumOrder: money,
  leadTimeDays: z.number().int().nonnegative(),
  createdAt: isoDateTimeSchema,
  approvedBy: z.string().nullable(),
  approvedAt: isoDateTimeSchema.nullable(),
  sentAt: isoDateTimeSchema.nullable(),
  sentVia: z.string().nullable(),
  history: z.array(orderEventSchema),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;
export const orderListSchema = z.array(purchaseOrderSchema);

export const orderListQuerySchema = z.strictObject({
  locationId: recordIdSchema.optional(),
  status: z.enum(ORDER_STATUSES).optional(),
});
export const draftQuerySchema = z.strictObject({ locationId: recordIdSchema });
export const draftAnswerSchema = z.strictObject({
  orders: orderListSchema,
  autoApproved: z.array(recordIdSchema),
  replaced: z.number().int().nonnegative(),
});

export const lineParamSchema = z.strictObject({ id: recordIdSchema, lineId: recordIdSchema });
/** A manager's edit of a draft line: whole cases; 0 removes the line. */
export const linePatchSchema = z.strictObject({ cases: z.number().int().min(0).max(10_000) });

export const sendRequestSchema = z.strictObject({
  /** `email`: to the supplier through the provider; `manual`: phoned in or handed over as the PDF/CSV. */
  via: z.enum(['email', 'manual']),
});

export const receiptRequestSchema = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        itemId: recordIdSchema,
        /** Containers that arrived. */
        quantity: z.number().int().positive().max(100_000),
        /** Price on the delivery note, when it differs. */
        unitPrice: money.optional(),
      }),
    )
    .min(1)
    .max(200),
});

/** What receiving answers: quantities and flags only (bartenders receive but do not see costs). */
export const receiptAnswerSchema = z.strictObject({
  orderId: recordIdSchema,
  status: z.enum(ORDER_STATUSES),
  lines: z.array(
    z.strictObject({
      itemId: recordIdSchema,
      itemName: z.string(),
      quantity: z.number().int(),
      receivedQuantity: z.number().int(),
      flags: z.array(z.enum(LINE_FLAGS)),
    }),
  ),
  substitutions: z.array(
    z.strictObject({ itemId: recordIdSchema, itemName: z.string(), quantity: z.number().int() }),
  ),
});

const { serviceLevel: level, reviewPeriodDays: period, deliveryGraceDays: grace } = ORDERING_POLICY_BOUNDS;
const serviceLevel = z.number().min(level.min).max(level.max);
const reviewPeriodDays = z.number().int().min(period.min).max(period.max);
const deliveryGraceDays = z.number().int().min(grace.min).max(grace.max);
export const settingsSchema = z.strictObject({
  serviceLevel,
  reviewPeriodDays,
  autoApproveLimit: money.nullable(),
  deliveryGraceDays,
});
export const settingsPatchSchema = z.strictObject({
  serviceLevel: serviceLevel.optional(),
  reviewPeriodDays: reviewPeriodDays.optional(),
  /** Days past an order's expected delivery before it is called late (nothing came) or short (part came). */
  deliveryGraceDays: deliveryGraceDays.optional(),
});
export const autoApprovalSchema = z.strictObject({ autoApproveLimit: money.nullable() });

export const parParamSchema = z.strictObject({ id: recordIdSchema, itemId: recordIdSchema });
export const parPinSchema = z.strictObject({
  parMl: z.number().int().nonnegative().max(10_000_000).nullable(),
});
export const parLineSchema = z.strictObject({
  itemId: recordIdSchema,
  itemName: z.string(),
  /** The par in force: pinned at this bar, else the catalog's. */
  currentParMl: z.number().int().nullable(),
  pinned: z.boolean(),
  /** From the forecast: the order-up-to level at the service level, with the fastest supplier's lead time. */
  suggestedParMl: z.number().int().nullable(),
});
export const parListSchema = z.strictObject({ locationId: recordIdSchema, pars: z.array(parLineSchema) });
/**
 * One item's pin at a bar: what PATCH /locations/:id/pars/:itemId changes, so its audit entry holds the par
 * before and after, who pinned it and when.
 */
export const pinnedParSchema = z.strictObject({
  locationId: recordIdSchema,
  itemId: recordIdSchema,
  itemName: z.string(),
  /** Pinned at this bar; null: not pinned, the forecast decides (the catalog's par for an item without one). */
  pinnedParMl: z.number().int().nullable(),
  pinnedBy: recordIdSchema.nullable(),
  pinnedAt: isoDateTimeSchema.nullable(),
  catalogParMl: z.number().int().nullable(),
});
export type PinnedPar = z.infer<typeof pinnedParSchema>;

/** An offer's case-quantity discounts: from `minCases` cases, `discount` (a fraction) off the price. */
export const caseDiscountsSchema = z.strictObject({
  tiers: z
    .array(
      z.strictObject({ minCases: z.number().int().min(1).max(1000), discount: z.number().min(0).max(0.9) }),
    )
    .max(10)
    .refine((tiers) => new Set(tiers.map((t) => t.minCases)).size === tiers.length, 'minCases must differ'),
});
