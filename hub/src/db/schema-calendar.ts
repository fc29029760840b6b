import { index, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { locations, organizations } from './schema.ts';

/**
 * Calendar and weather inputs of the forecast (migration 0005_calendar.sql, written by hand: keep both in
 * sync). Dates are the bar's local YYYY-MM-DD.
 */
export const locationEvents = sqliteTable(
  'location_events',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    date: text('date').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<'holiday' | 'event'>().notNull().default('event'),
    /** 'manual' (entered by a manager) or 'ical' (from the bar's feed, replaced on each refresh). */
    source: text('source').$type<'manual' | 'ical'>().notNull().default('manual'),
    uid: text('uid'),
    createdAt: text('created_at')
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [index('location_events_location_date_idx').on(t.locationId, t.date)],
);

export const locationCalendars = sqliteTable('location_calendars', {
  locationId: text('location_id')
    .primaryKey()
    .references(() => locations.id),
  organizationId: text('organization_id')
    .notNull()
    .references(() => organizations.id),
  icalUrl: text('ical_url'),
  latitude: real('latitude'),
  longitude: real('longitude'),
  icalFetchedOn: text('ical_fetched_on'),
  icalError: text('ical_error'),
  weatherFetchedOn: text('weather_fetched_on'),
  weatherError: text('weather_error'),
  updatedAt: text('updated_at').notNull(),
});

export const weatherDays = sqliteTable(
  'weather_days',
  {
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    date: text('date').notNull(),
    temperatureMax: real('temperature_max'),
    precipitation: real('precipitation'),
    fetchedOn: text('fetched_on').notNull(),
  },
  (t) => [primaryKey({ columns: [t.locationId, t.date] })],
);
