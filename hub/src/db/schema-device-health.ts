import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { PlatformDriftReport } from '@pourcast/protocol';
import { gateways } from './schema.ts';

/**
 * The latest device report of each gateway (gateways/device-health.ts), one row per device: replaced as a
 * whole on every report. The "recalibrate scale" alert reads the drifted platforms from here.
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
  },
  (t) => [primaryKey({ columns: [t.gatewayId, t.deviceId] })],
);
