import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { DeviceConfig } from '@pourcast/protocol';

/**
 * The device administration's tables (edge/src/devices): the admin token, which devices the admin API
 * manages, config pushes and calibrations. Part of the gateway's drizzle schema (schema.ts re-exports
 * them), so drizzle-kit migrations create and change them like every other table.
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
