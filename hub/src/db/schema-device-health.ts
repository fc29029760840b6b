import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { DeviceTrouble, LastReading, PlatformDriftReport } from '@pourcast/protocol';
import { gateways } from './schema.ts';

/**
 * The latest device report of each gateway (gateways/device-health.ts), one row per device: replaced as a
 * whole on every report. The "recalibrate scale" alert reads the drifted platforms from here; the manager's
 * gateways view shows the last reading, firmware, config versions and signs of trouble.
 */
export const gatewayDevices = sqliteTable(
  'gateway_devices',
  {
    gatewayId: text('gateway_id')
      .notNull()
      .references(() => gateways.id, { onDelete: 'cascade' }),
    deviceId: text('device_id').notNull(),
    kind: text('kind', { enum: ['scale', 'scanner', 'camera'] }).notNull(),
    model: text('model').notNull(),
    state: text('state', { enum: ['online', 'offline', 'unknown', 'revoked'] }).notNull(),
    lastStatusAt: text('last_status_at'),
    calibratedAt: text('calibrated_at'),
    drift: text('drift', { mode: 'json' }).$type<PlatformDriftReport[]>().notNull(),
    reportedAt: text('reported_at').notNull(),
    // Migration 0011: NULL when the gateway's report did not carry them (older gateways).
    lastReading: text('last_reading', { mode: 'json' }).$type<LastReading>(),
    firmware: text('firmware'),
    configVersion: integer('config_version'),
    configAckedVersion: integer('config_acked_version'),
    trouble: text('trouble', { mode: 'json' }).$type<DeviceTrouble[]>(),
  },
  (t) => [primaryKey({ columns: [t.gatewayId, t.deviceId] })],
);
