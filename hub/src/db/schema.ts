import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import type { ItemUnit, UserLocale } from '@pourcast/protocol';
import type { ItemCategory, Role, StockLineSource } from './types.ts';

/** Timestamps are UTC ISO strings ("...Z"), so text order is time order. */
const createdAt = () =>
  text('created_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

export const organizations = sqliteTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  currency: text('currency').notNull().default('USD'),
  createdAt: createdAt(),
});

export const locations = sqliteTable(
  'locations',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    /** Street address for deliveries, lines separated by newlines (migration 0017); null until entered. */
    deliveryAddress: text('delivery_address'),
    areas: text('areas', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('locations_org_idx').on(t.organizationId)],
);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt>$<hash>` (auth/passwords.ts). */
  passwordHash: text('password_hash').notNull(),
  /** The language they read the apps in (migration 0008); null until they choose one. */
  locale: text('locale').$type<UserLocale>(),
  createdAt: createdAt(),
});

export const memberships = sqliteTable(
  'memberships',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    role: text('role').$type<Role>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organizationId] })],
);

export const items = sqliteTable(
  'items',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    category: text('category').$type<ItemCategory>().notNull(),
    containerMl: integer('container_ml').notNull(),
    unit: text('unit').$type<ItemUnit>().notNull().default('ml'),
    barcodes: text('barcodes', { mode: 'json' }).$type<string[]>().notNull(),
    emptyWeightG: real('empty_weight_g'),
    densityGPerMl: real('density_g_per_ml').notNull().default(1),
    cost: real('cost').notNull(),
    parLevelMl: integer('par_level_ml'),
    /** Items are archived, never deleted: the ledger refers to them. */
    archivedAt: text('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [index('items_org_idx').on(t.organizationId)],
);

export const suppliers = sqliteTable(
  'suppliers',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    deliveryFee: real('delivery_fee').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('suppliers_org_idx').on(t.organizationId)],
);

export const supplierOffers = sqliteTable(
  'supplier_offers',
  {
    id: text('id').primaryKey(),
    supplierId: text('supplier_id')
      .notNull()
      .references(() => suppliers.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id),
    price: real('price').notNull(),
    caseSize: integer('case_size').notNull().default(1),
    leadTimeDays: integer('lead_time_days').notNull().default(2),
    minimumOrder: real('minimum_order').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('supplier_offers_supplier_idx').on(t.supplierId)],
);

/** One-time codes for claiming a gateway to a location; only the SHA-256 of the code is kept. */
export const claimCodes = sqliteTable('claim_codes', {
  codeHash: text('code_hash').primaryKey(),
  organizationId: text('organization_id')
    .notNull()
    .references(() => organizations.id),
  locationId: text('location_id')
    .notNull()
    .references(() => locations.id),
  createdBy: text('created_by').references(() => users.id),
  expiresAt: text('expires_at').notNull(),
  usedAt: text('used_at'),
  gatewayId: text('gateway_id'),
  createdAt: createdAt(),
});

export const gateways = sqliteTable(
  'gateways',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    name: text('name').notNull(),
    /** SHA-256 (base64url) of the `pgw_...` bearer token. */
    tokenHash: text('token_hash').notNull().unique(),
    revokedAt: text('revoked_at'),
    lastSeenAt: text('last_seen_at'),
    createdAt: createdAt(),
  },
  (t) => [index('gateways_org_idx').on(t.organizationId)],
);

/** Highest contiguous seq applied (or written off as a gap) per gateway. */
export const gatewayCursors = sqliteTable('gateway_cursors', {
  gatewayId: text('gateway_id')
    .primaryKey()
    .references(() => gateways.id),
  ackSeq: integer('ack_seq').notNull().default(0),
  updatedAt: text('updated_at').notNull(),
});

/** Seq ranges a gateway no longer holds and the hub never received. */
export const gatewayGaps = sqliteTable(
  'gateway_gaps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    gatewayId: text('gateway_id')
      .notNull()
      .references(() => gateways.id),
    fromSeq: integer('from_seq').notNull(),
    toSeq: integer('to_seq').notNull(),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [index('gateway_gaps_gateway_idx').on(t.gatewayId)],
);

/**
 * The ledger: append-only. Gateway events carry (gateway_id, seq); hub-made events (manual adjustments, POS
 * sales, seed) leave both null. `container_ml` is the item's size when the event was recorded, so folding the
 * ledger gives the same answer after an item is edited.
 */
export const stockEvents = sqliteTable(
  'stock_events',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    gatewayId: text('gateway_id').references(() => gateways.id),
    seq: integer('seq'),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id),
    kind: text('kind').notNull(),
    deltaMl: integer('delta_ml').notNull(),
    containersDelta: integer('containers_delta').notNull().default(0),
    containerMl: integer('container_ml').notNull(),
    levelAfterMl: integer('level_after_ml'),
    source: text('source').$type<StockLineSource>().notNull(),
    deviceId: text('device_id'),
    userId: text('user_id'),
    slot: text('slot'),
    reason: text('reason'),
    observedAt: text('observed_at').notNull(),
    confidence: real('confidence').notNull(),
    recordedAt: createdAt(),
  },
  (t) => [
    uniqueIndex('stock_events_gateway_seq_idx').on(t.gatewayId, t.seq),
    index('stock_events_location_item_idx').on(t.locationId, t.itemId),
  ],
);

/** Cache of the ledger folded per location × item, kept by the trigger in migration 0001. */
export const stockLevels = sqliteTable(
  'stock_levels',
  {
    locationId: text('location_id').notNull(),
    itemId: text('item_id').notNull(),
    sealedContainers: integer('sealed_containers').notNull().default(0),
    openMl: integer('open_ml').notNull().default(0),
    lastObservedAt: text('last_observed_at'),
    lastSource: text('last_source').$type<StockLineSource>(),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.itemId] })],
);

export * from './schema-pos.ts';
export * from './schema-forecasting.ts';
export * from './schema-calendar.ts';
export * from './schema-stations.ts';
export * from './schema-push.ts';
export * from './schema-security.ts';
export * from './schema-device-health.ts';
export * from './schema-waste-photos.ts';
