import { sql } from 'drizzle-orm';
import { primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { locations, organizations, users } from './schema.ts';

/**
 * Stations of a bar (migration 0006_stations.sql, written by hand: keep both in sync). A POS line names its
 * station (sale_lines.station, matched on `name_key`); a device's measurements belong to its station.
 */
export const stations = sqliteTable(
  'stations',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Lower-cased, spaces collapsed: how a POS station name is matched. */
    nameKey: text('name_key').notNull(),
    createdAt: text('created_at')
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [uniqueIndex('stations_location_name_idx').on(t.locationId, t.nameKey)],
);

export const stationDevices = sqliteTable(
  'station_devices',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id, { onDelete: 'cascade' }),
    deviceId: text('device_id').notNull(),
    stationId: text('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.deviceId] })],
);

export const stationStaff = sqliteTable(
  'station_staff',
  {
    stationId: text('station_id')
      .notNull()
      .references(() => stations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.userId] })],
);
