import { sql } from 'drizzle-orm';
import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { DeviceConfig } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';

/**
 * Tables of the device administration (admin token, config pushes, calibrations). They live beside the
 * gateway's drizzle schema and are created here with IF NOT EXISTS, so this domain stays in its folder.
 */

/** The gateway admin token's SHA-256 (one row); the token itself only ever sits in a 0600 file. */
export const adminToken = sqliteTable('device_admin_token', {
  id: integer('id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Devices the admin API has added, replaced or revoked: the config file no longer overrides them. */
export const managedDevices = sqliteTable('device_admin_managed', {
  deviceId: text('device_id').primaryKey(),
  since: integer('since').notNull(),
});

/** The newest config pushed to each device and whether the device has acknowledged it. */
export const deviceConfigs = sqliteTable('device_configs', {
  deviceId: text('device_id').primaryKey(),
  config: text('config', { mode: 'json' }).$type<DeviceConfig>().notNull(),
  configVersion: integer('config_version').notNull(),
  ackedVersion: integer('acked_version'),
  attempts: integer('attempts').notNull(),
  lastError: text('last_error'),
  pushedAt: integer('pushed_at').notNull(),
  ackedAt: integer('acked_at'),
});

/** Each scale's calibrations, newest last (kept for drift history). */
export const deviceCalibrations = sqliteTable('device_calibrations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  deviceId: text('device_id').notNull(),
  offset: real('offset').notNull(),
  factor: real('factor').notNull(),
  knownGrams: real('known_grams').notNull(),
  checkGrams: real('check_grams').notNull(),
  errorPercent: real('error_percent').notNull(),
  calibratedAt: text('calibrated_at').notNull(),
});

const DDL = [
  sql`CREATE TABLE IF NOT EXISTS device_admin_token (id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL, created_at INTEGER NOT NULL)`,
  sql`CREATE TABLE IF NOT EXISTS device_admin_managed (device_id TEXT PRIMARY KEY, since INTEGER NOT NULL)`,
  sql`CREATE TABLE IF NOT EXISTS device_configs (device_id TEXT PRIMARY KEY, config TEXT NOT NULL, config_version INTEGER NOT NULL, acked_version INTEGER, attempts INTEGER NOT NULL, last_error TEXT, pushed_at INTEGER NOT NULL, acked_at INTEGER)`,
  sql`CREATE TABLE IF NOT EXISTS device_calibrations (id INTEGER PRIMARY KEY AUTOINCREMENT, device_id TEXT NOT NULL, offset REAL NOT NULL, factor REAL NOT NULL, known_grams REAL NOT NULL, check_grams REAL NOT NULL, error_percent REAL NOT NULL, calibrated_at TEXT NOT NULL)`,
];

export async function ensureDeviceAdminTables(db: GatewayDb): Promise<void> {
  for (const statement of DDL) await db.run(statement);
}

export async function managedDeviceIds(db: GatewayDb): Promise<Set<string>> {
  await ensureDeviceAdminTables(db);
  const rows = await db.select().from(managedDevices);
  return new Set(rows.map((row) => row.deviceId));
}

export async function markManaged(db: GatewayDb, deviceId: string, now = Date.now()): Promise<void> {
  await db.insert(managedDevices).values({ deviceId, since: now }).onConflictDoNothing();
}
