import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { items, locations, organizations, stockEvents, supplierOffers, suppliers } from './schema.ts';

/**
 * Forecasting and ordering tables (migration 0002_forecasting_ordering.sql, written by hand: keep both in
 * sync). Forecast quantities are in the ledger's unit (ml, or units for countables); order lines count
 * containers.
 */

/** One forecasting job; `cursor` = last series done as `<locationId>|<itemId>`, so a job resumes. */
export const forecastRuns = sqliteTable(
  'forecast_runs',
  {
    id: text('id').primaryKey(),
    /** `*` for the nightly cron over every organization, else the organization a manager ran it for. */
    scope: text('scope').notNull(),
    runDate: text('run_date').notNull(),
    cursor: text('cursor'),
    seriesDone: integer('series_done').notNull().default(0),
    seriesFailed: integer('series_failed').notNull().default(0),
    startedAt: text('started_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [index('forecast_runs_open_idx').on(t.finishedAt, t.startedAt)],
);

/** The latest forecast per item and bar; `days` and `totals` are JSON. */
export const forecasts = sqliteTable(
  'forecasts',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    runId: text('run_id').notNull(),
    startDate: text('start_date').notNull(),
    historyEndDate: text('history_end_date').notNull(),
    observedDays: integer('observed_days').notNull(),
    model: text('model').notNull(),
    components: text('components', { mode: 'json' }).$type<string[]>().notNull(),
    days: text('days', { mode: 'json' })
      .$type<{ date: string; mean: number; p10: number; p50: number; p90: number }[]>()
      .notNull(),
    totals: text('totals', { mode: 'json' })
      .$type<{ days: number; mean: number; p10: number; p50: number; p90: number }[]>()
      .notNull(),
    backtest: text('backtest', { mode: 'json' }).$type<Record<string, number>>(),
    dispersion: real('dispersion').notNull(),
    /** 2: variance = mean + dispersion·mean² (NB2); 1: mean + dispersion·mean (NB1). */
    dispersionPower: integer('dispersion_power').$type<1 | 2>().notNull().default(2),
    correlation: real('correlation').notNull(),
    coldStart: integer('cold_start', { mode: 'boolean' }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.locationId, t.itemId] }),
    index('forecasts_org_idx').on(t.organizationId, t.locationId),
  ],
);

/** Yesterday's forecast scored against what happened; scale1/scale2 are the history's M5 scales. */
export const forecastScores = sqliteTable(
  'forecast_scores',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    date: text('date').notNull(),
    actual: real('actual').notNull(),
    mean: real('mean').notNull(),
    p10: real('p10').notNull(),
    p50: real('p50').notNull(),
    p90: real('p90').notNull(),
    scale1: real('scale1'),
    scale2: real('scale2'),
    model: text('model').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.locationId, t.itemId, t.date] }),
    index('forecast_scores_org_idx').on(t.organizationId, t.locationId, t.date),
  ],
);

export const orderingSettings = sqliteTable('ordering_settings', {
  organizationId: text('organization_id')
    .primaryKey()
    .references(() => organizations.id),
  serviceLevel: real('service_level').notNull().default(0.95),
  reviewPeriodDays: integer('review_period_days').notNull().default(7),
  /** Orders whose total is at most this are approved automatically; null = never. Set by an owner. */
  autoApproveLimit: real('auto_approve_limit'),
  /** Days past an order's expected delivery before it is called late or short (alerts/rules.ts). */
  deliveryGraceDays: integer('delivery_grace_days').notNull().default(2),
  updatedBy: text('updated_by'),
  updatedAt: text('updated_at').notNull(),
});

export const parLevels = sqliteTable(
  'par_levels',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    parMl: integer('par_ml').notNull(),
    pinnedBy: text('pinned_by').notNull(),
    pinnedAt: text('pinned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.itemId] })],
);

export const offerCaseDiscounts = sqliteTable(
  'offer_case_discounts',
  {
    offerId: text('offer_id')
      .notNull()
      .references(() => supplierOffers.id, { onDelete: 'cascade' }),
    minCases: integer('min_cases').notNull(),
    /** Fraction off the price from `minCases` cases. */
    discount: real('discount').notNull(),
  },
  (t) => [primaryKey({ columns: [t.offerId, t.minCases] })],
);

export type OrderStatus =
  'draft' | 'approved' | 'sent' | 'partially_received' | 'received' | 'closed' | 'cancelled';

export const purchaseOrders = sqliteTable(
  'purchase_orders',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    supplierId: text('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    status: text('status').$type<OrderStatus>().notNull(),
    deliveryFee: real('delivery_fee').notNull().default(0),
    minimumOrder: real('minimum_order').notNull().default(0),
    leadTimeDays: integer('lead_time_days').notNull(),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    approvedBy: text('approved_by'),
    approvedAt: text('approved_at'),
    sentAt: text('sent_at'),
    sentBy: text('sent_by'),
    sentVia: text('sent_via'),
    closedAt: text('closed_at'),
    /** When a manager first edited the draft (migration 0015): the nightly drafting keeps it. */
    editedAt: text('edited_at'),
  },
  (t) => [index('purchase_orders_org_idx').on(t.organizationId, t.locationId, t.status)],
);

export const purchaseOrderLines = sqliteTable(
  'purchase_order_lines',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id),
    offerId: text('offer_id'),
    cases: integer('cases').notNull(),
    caseSize: integer('case_size').notNull(),
    /** Containers ordered: cases × caseSize. */
    quantity: integer('quantity').notNull(),
    unitPrice: real('unit_price').notNull(),
    lineTotal: real('line_total').notNull(),
    reason: text('reason').notNull(),
    /** The reason's facts as JSON (order-schemas.ts `lineWhySchema`); NULL on lines from before migration 0013. */
    why: text('why'),
    receivedQuantity: integer('received_quantity').notNull().default(0),
    receivedUnitPrice: real('received_unit_price'),
  },
  (t) => [index('purchase_order_lines_order_idx').on(t.orderId)],
);

/** The audit trail: every status change with who (`user`, `system`, `gateway`) and when. */
export const purchaseOrderEvents = sqliteTable(
  'purchase_order_events',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').$type<OrderStatus>(),
    toStatus: text('to_status').$type<OrderStatus>().notNull(),
    actorKind: text('actor_kind').$type<'user' | 'system' | 'gateway'>().notNull(),
    actorId: text('actor_id'),
    note: text('note'),
    at: text('at').notNull(),
  },
  (t) => [index('purchase_order_events_order_idx').on(t.orderId, t.at)],
);

/** What arrived; no `lineId` = an item the order did not name (a substitution). */
export const orderReceipts = sqliteTable(
  'order_receipts',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    orderId: text('order_id').references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    lineId: text('line_id'),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id),
    quantity: integer('quantity').notNull(),
    unitPrice: real('unit_price'),
    source: text('source').$type<'manual' | 'gateway'>().notNull(),
    stockEventId: text('stock_event_id').unique(),
    receivedBy: text('received_by'),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [index('order_receipts_order_idx').on(t.orderId)],
);

/**
 * A `receive` event or staff undo the order matcher examined and left without a receipt (migration 0014):
 * `no_order`, `undone`, `not_a_receipt` or `order_closed`. Events it took onto an order are marked by their
 * receipt instead.
 */
export const receiveMatchDecisions = sqliteTable('receive_match_decisions', {
  stockEventId: text('stock_event_id')
    .primaryKey()
    .references(() => stockEvents.id, { onDelete: 'cascade' }),
  organizationId: text('organization_id')
    .notNull()
    .references(() => organizations.id),
  outcome: text('outcome').$type<'no_order' | 'undone' | 'not_a_receipt' | 'order_closed'>().notNull(),
  decidedAt: text('decided_at').notNull(),
});
