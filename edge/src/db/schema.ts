import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The gateway's own tables (STYLE.md "Each app owns its drizzle schema"). Times are ms since epoch
 * unless the column carries an ISO string from the protocol (`observed_at`).
 */

/** Provisioned devices; only the secret's hash is ever stored. */
export const devices = sqliteTable('devices', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['scale', 'scanner', 'camera'] }).notNull(),
  model: text('model').notNull(),
  secretHash: text('secret_hash').notNull(),
  slots: text('slots', { mode: 'json' }).$type<Array<{ platform: number; itemId: string }>>().notNull(),
  scanMode: text('scan_mode', { enum: ['count', 'receive', 'waste'] }),
  area: text('area'),
  revokedAt: integer('revoked_at'),
  updatedAt: integer('updated_at').notNull(),
});

/** Readings inbox: every accepted weight/scan, committed before its PUBACK, deleted once processed. */
export const readings = sqliteTable(
  'readings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deviceId: text('device_id').notNull(),
    channel: text('channel', { enum: ['weight', 'scan'] }).notNull(),
    payload: text('payload').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('readings_device_idx').on(t.deviceId, t.id)],
);

/**
 * The newest reading accepted from each device on each channel. QoS 1 is at-least-once: a device resends a
 * reading whose PUBACK it never saw (the gateway died between commit and PUBACK, or the link dropped), so a
 * reading at or below both marks is a replay and is not stored twice (see ReadingInbox).
 */
export const readingHighWater = sqliteTable(
  'reading_high_water',
  {
    deviceId: text('device_id').notNull(),
    channel: text('channel', { enum: ['weight', 'scan'] }).notNull(),
    lastSeq: integer('last_seq').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.channel] })],
);

/** Last inbox id each device's readings were processed up to. */
export const pipelineCursor = sqliteTable('pipeline_cursor', {
  deviceId: text('device_id').primaryKey(),
  lastReadingId: integer('last_reading_id').notNull(),
});

/** Scale state per platform; `window` holds the last grams so a replay after a crash sees what a live run saw. */
export const scaleSlots = sqliteTable(
  'scale_slots',
  {
    deviceId: text('device_id').notNull(),
    platform: integer('platform').notNull(),
    phase: text('phase', { enum: ['unknown', 'empty', 'bottle'] }).notNull(),
    levelMl: integer('level_ml'),
    itemId: text('item_id'),
    window: text('window', { mode: 'json' }).$type<number[]>().notNull(),
    observedAt: text('observed_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.platform] })],
);

/** The hub's catalog as last fetched (one row). */
export const catalogCache = sqliteTable('catalog_cache', {
  id: integer('id').primaryKey(),
  locationId: text('location_id').notNull(),
  catalog: text('catalog').notNull(),
  fetchedAt: integer('fetched_at').notNull(),
});

/**
 * The hub's par levels and on-hand stock for this bar as last fetched (one row, GatewayPars as JSON), so the
 * staff display shows what is below par after a restart and while the hub is unreachable.
 */
export const parCache = sqliteTable('par_cache', {
  id: integer('id').primaryKey(),
  locationId: text('location_id').notNull(),
  pars: text('pars').notNull(),
  fetchedAt: integer('fetched_at').notNull(),
});

/** The ledger. AUTOINCREMENT: a seq is never reused, even after acknowledged events are pruned. */
export const stockEvents = sqliteTable('stock_events', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  id: text('id').notNull().unique(),
  gatewayId: text('gateway_id').notNull(),
  locationId: text('location_id').notNull(),
  itemId: text('item_id').notNull(),
  kind: text('kind', { enum: ['count', 'pour', 'receive', 'waste', 'transfer', 'adjust'] }).notNull(),
  deltaMl: integer('delta_ml').notNull(),
  containersDelta: integer('containers_delta').notNull().default(0),
  levelAfterMl: integer('level_after_ml'),
  source: text('source', { enum: ['scale', 'scanner', 'camera', 'display', 'manual'] }).notNull(),
  deviceId: text('device_id'),
  userId: text('user_id'),
  slot: text('slot'),
  wasteReason: text('waste_reason', {
    enum: ['spill', 'breakage', 'comp', 'spoiled', 'expired', 'other'],
  }),
  note: text('note'),
  observedAt: text('observed_at').notNull(),
  confidence: real('confidence').notNull(),
  recordedAt: integer('recorded_at')
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
});

/** What the hub has acknowledged (one row). */
export const outboxState = sqliteTable('outbox_state', {
  id: integer('id').primaryKey(),
  ackSeq: integer('ack_seq').notNull().default(0),
  lastAckAt: integer('last_ack_at'),
  lastError: text('last_error'),
});

/**
 * Set by `gateway:backup restore` (one row): the highest seq the restored database had handed out. Until the
 * forwarder has learned the hub's ack and re-based the ledger above it (edge/src/outbox/rebase.ts), it sends
 * nothing; the row is deleted by the re-base. Absent on a gateway that was never restored.
 */
export const ledgerRestore = sqliteTable('ledger_restore', {
  id: integer('id').primaryKey(),
  restorePoint: integer('restore_point').notNull(),
  restoredAt: integer('restored_at').notNull(),
  backupFile: text('backup_file').notNull(),
});

/** The gateway's identity at the hub after a claim (one row). The token is never logged. */
export const hubCredentials = sqliteTable('hub_credentials', {
  id: integer('id').primaryKey(),
  gatewayId: text('gateway_id').notNull(),
  token: text('token').notNull(),
  locationId: text('location_id').notNull(),
  organizationId: text('organization_id').notNull(),
  claimedAt: integer('claimed_at').notNull(),
});

/** Barcodes no catalog item carries, kept for a manager to review. */
export const unknownBarcodes = sqliteTable('unknown_barcodes', {
  barcode: text('barcode').primaryKey(),
  lastDeviceId: text('last_device_id').notNull(),
  lastMode: text('last_mode').notNull(),
  count: integer('count').notNull(),
  firstSeenAt: text('first_seen_at').notNull(),
  lastSeenAt: text('last_seen_at').notNull(),
});

/** The device administration's tables live in their own file; one drizzle schema all the same. */
export * from './schema-devices.ts';
export * from './schema-waste-photos.ts';
