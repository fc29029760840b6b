import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { items, locations, organizations, users } from './schema.ts';

/**
 * POS sales, recipes, settings, licences and alerts (issue 5); migration 0003_pos_variance_alerts.sql, written
 * by hand and kept in sync with this file. Rows cascade with their organization.
 */
const createdAt = () =>
  text('created_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);
const organizationId = () =>
  text('organization_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' });

/** The owner's tolerances and targets, a JSON `BarSettings` (defaults filled on read). */
export const barSettings = sqliteTable('bar_settings', {
  organizationId: text('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  settings: text('settings').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const modifiers = sqliteTable(
  'modifiers',
  {
    id: text('id').primaryKey(),
    organizationId: organizationId(),
    name: text('name').notNull(),
    /** Lower-cased, trimmed name: how POS modifier names are matched. */
    nameKey: text('name_key').notNull(),
    multiplier: real('multiplier').notNull().default(1),
    dropCategories: text('drop_categories').notNull(),
  },
  (t) => [uniqueIndex('modifiers_org_name_idx').on(t.organizationId, t.nameKey)],
);

export const menuItems = sqliteTable(
  'menu_items',
  {
    id: text('id').primaryKey(),
    organizationId: organizationId(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    price: real('price').notNull(),
    archivedAt: text('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [index('menu_items_org_idx').on(t.organizationId)],
);

/** Recipes are versioned: a sale keeps the version valid when it was sold. */
export const recipeVersions = sqliteTable(
  'recipe_versions',
  {
    id: text('id').primaryKey(),
    menuItemId: text('menu_item_id')
      .notNull()
      .references(() => menuItems.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    validFrom: text('valid_from').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('recipe_versions_item_version_idx').on(t.menuItemId, t.version)],
);

export const recipeLines = sqliteTable(
  'recipe_lines',
  {
    recipeVersionId: text('recipe_version_id')
      .notNull()
      .references(() => recipeVersions.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    ml: integer('ml').notNull(),
  },
  (t) => [primaryKey({ columns: [t.recipeVersionId, t.itemId] })],
);

/** A POS account sending webhooks to one bar. Keys are credentials: never returned after creation, never logged. */
export const posConnections = sqliteTable('pos_connections', {
  id: text('id').primaryKey(),
  organizationId: organizationId(),
  locationId: text('location_id')
    .notNull()
    .references(() => locations.id, { onDelete: 'cascade' }),
  provider: text('provider').notNull(),
  signingKey: text('signing_key').notNull(),
  notificationUrl: text('notification_url'),
  accessToken: text('access_token'),
  apiBaseUrl: text('api_base_url'),
  createdAt: createdAt(),
});

/** Webhook event ids already accepted (replay protection). */
export const posWebhookReceipts = sqliteTable(
  'pos_webhook_receipts',
  {
    connectionId: text('connection_id')
      .notNull()
      .references(() => posConnections.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.eventId] })],
);

/** POS menu-item id → menu item; a null menu item is on the "needs mapping" list. */
export const posItemMappings = sqliteTable(
  'pos_item_mappings',
  {
    organizationId: organizationId(),
    provider: text('provider').notNull(),
    externalId: text('external_id').notNull(),
    externalName: text('external_name').notNull(),
    menuItemId: text('menu_item_id').references(() => menuItems.id, { onDelete: 'cascade' }),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.provider, t.externalId] })],
);

/** Every POS line as received (sale, void, refund, comp); applied once its item is mapped. */
export const saleLines = sqliteTable(
  'sale_lines',
  {
    id: text('id').primaryKey(),
    organizationId: organizationId(),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    checkRef: text('check_ref'),
    lineRef: text('line_ref').notNull(),
    kind: text('kind').$type<'sale' | 'void' | 'refund' | 'comp'>().notNull(),
    externalItemId: text('external_item_id').notNull(),
    externalName: text('external_name').notNull(),
    quantity: real('quantity').notNull(),
    modifiers: text('modifiers').notNull(),
    revenue: real('revenue'),
    soldAt: text('sold_at').notNull(),
    /** The POS station and staff member of the line, when the POS says (migration 0006). */
    station: text('station'),
    staff: text('staff'),
    recipeVersionId: text('recipe_version_id').references(() => recipeVersions.id, { onDelete: 'cascade' }),
    appliedAt: text('applied_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sale_lines_ref_idx').on(t.organizationId, t.provider, t.lineRef, t.kind),
    index('sale_lines_location_sold_idx').on(t.locationId, t.soldAt),
  ],
);

/** Expected usage of one inventory item by one sale line (mirrored by a zero-delta `sale` ledger event). */
export const saleUsages = sqliteTable(
  'sale_usages',
  {
    saleLineId: text('sale_line_id')
      .notNull()
      .references(() => saleLines.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    locationId: text('location_id').notNull(),
    ml: integer('ml').notNull(),
    soldAt: text('sold_at').notNull(),
    stockEventId: text('stock_event_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.saleLineId, t.itemId] }),
    index('sale_usages_location_sold_idx').on(t.locationId, t.soldAt),
  ],
);

export const csvMappings = sqliteTable('csv_mappings', {
  id: text('id').primaryKey(),
  organizationId: organizationId(),
  name: text('name').notNull(),
  config: text('config').notNull(),
  createdAt: createdAt(),
});

export const csvImports = sqliteTable('csv_imports', {
  id: text('id').primaryKey(),
  organizationId: organizationId(),
  locationId: text('location_id')
    .notNull()
    .references(() => locations.id, { onDelete: 'cascade' }),
  mappingId: text('mapping_id')
    .notNull()
    .references(() => csvMappings.id, { onDelete: 'cascade' }),
  fileName: text('file_name').notNull(),
  result: text('result').notNull(),
  createdAt: createdAt(),
});

export const licences = sqliteTable('licences', {
  id: text('id').primaryKey(),
  organizationId: organizationId(),
  locationId: text('location_id')
    .notNull()
    .references(() => locations.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  kind: text('kind').$type<'licence' | 'permit'>().notNull(),
  reference: text('reference'),
  expiresOn: text('expires_on').notNull(),
  createdAt: createdAt(),
});

export const alerts = sqliteTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    organizationId: organizationId(),
    locationId: text('location_id'),
    rule: text('rule').notNull(),
    severity: text('severity').$type<'info' | 'warning' | 'critical'>().notNull(),
    dedupKey: text('dedup_key').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    occurrences: integer('occurrences').notNull().default(1),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    // Migration 0004_alerts.sql: the lifecycle, at most one open alert per dedup key.
    status: text('status').$type<'open' | 'acknowledged' | 'resolved'>().notNull().default('open'),
    acknowledgedAt: text('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: text('resolved_at'),
  },
  (t) => [
    index('alerts_dedup_idx').on(t.organizationId, t.dedupKey, t.lastSeenAt),
    uniqueIndex('alerts_open_dedup_idx')
      .on(t.organizationId, t.dedupKey)
      .where(sql`${t.status} = 'open'`),
  ],
);

/** The in-app list: one row per alert per recipient. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    alertId: text('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    readAt: text('read_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_alert_idx').on(t.alertId),
  ],
);

export const alertDeliveries = sqliteTable(
  'alert_deliveries',
  {
    id: text('id').primaryKey(),
    notificationId: text('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<'email' | 'sms' | 'webhook'>().notNull(),
    address: text('address').notNull(),
    status: text('status').$type<'pending' | 'sent' | 'failed' | 'suppressed'>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: text('sent_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    index('alert_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('alert_deliveries_notification_idx').on(t.notificationId),
  ],
);

export const notificationPreferences = sqliteTable(
  'notification_preferences',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: organizationId(),
    channel: text('channel').$type<'email' | 'sms' | 'webhook'>().notNull(),
    address: text('address').notNull(),
    minSeverity: text('min_severity').$type<'info' | 'warning' | 'critical'>().notNull(),
    quietStart: text('quiet_start').notNull(),
    quietEnd: text('quiet_end').notNull(),
    timezone: text('timezone').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.organizationId, t.channel] })],
);
