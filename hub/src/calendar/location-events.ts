import { dateOf, dayNumber } from '../forecasting/calendar.ts';
import type { CalendarEvent } from '../forecasting/types.ts';
import { sql } from 'drizzle-orm';
import { newId, nowIso, openDb, runBatch } from '../db/client.ts';
import { AppError, notFound } from '../http/app-error.ts';
import type { CalendarPatch, CalendarSettings, EventInput, LocationEvent } from './calendar-schemas.ts';

interface EventRow {
  id: string;
  location_id: string;
  date: string;
  name: string;
  kind: 'holiday' | 'event';
  source: 'manual' | 'ical';
}

const toEvent = (row: EventRow): LocationEvent => ({
  id: row.id,
  locationId: row.location_id,
  date: row.date,
  name: row.name,
  kind: row.kind,
  source: row.source,
});

/** A bar's events (manual and from its feed) in date order, optionally between two dates inclusive. */
export async function listEvents(
  d1: D1Database,
  locationId: string,
  range: { from?: string | undefined; to?: string | undefined } = {},
): Promise<LocationEvent[]> {
  const results = await openDb(d1).all<EventRow>(
    sql`SELECT id, location_id, date, name, kind, source FROM location_events
         WHERE location_id = ${locationId} AND date >= ${range.from ?? '0000-01-01'} AND date <= ${range.to ?? '9999-12-31'}
         ORDER BY date, name, id`,
  );
  return results.map(toEvent);
}

export async function addEvent(
  d1: D1Database,
  organizationId: string,
  locationId: string,
  input: EventInput,
): Promise<LocationEvent> {
  const row: EventRow = {
    id: newId(),
    location_id: locationId,
    date: input.date,
    name: input.name,
    kind: input.kind,
    source: 'manual',
  };
  await openDb(d1).run(
    sql`INSERT INTO location_events (id, organization_id, location_id, date, name, kind, source)
        VALUES (${row.id}, ${organizationId}, ${locationId}, ${row.date}, ${row.name}, ${row.kind}, 'manual')`,
  );
  return toEvent(row);
}

/** Deletes a manager-entered event; a feed's events change only with the feed. */
export async function deleteEvent(d1: D1Database, locationId: string, eventId: string): Promise<void> {
  const db = openDb(d1);
  const row = await db.get<{ source: string }>(
    sql`SELECT source FROM location_events WHERE id = ${eventId} AND location_id = ${locationId}`,
  );
  if (!row) throw notFound('event');
  if (row.source !== 'manual') {
    throw new AppError(409, 'feed_event', "this event comes from the bar's iCalendar feed: change it there");
  }
  await db.run(sql`DELETE FROM location_events WHERE id = ${eventId}`);
}

interface SettingsRow {
  location_id: string;
  ical_url: string | null;
  latitude: number | null;
  longitude: number | null;
  ical_fetched_on: string | null;
  ical_error: string | null;
  weather_fetched_on: string | null;
  weather_error: string | null;
}

const toSettings = (locationId: string, row: SettingsRow | undefined): CalendarSettings => ({
  locationId,
  icalUrl: row?.ical_url ?? null,
  latitude: row?.latitude ?? null,
  longitude: row?.longitude ?? null,
  icalFetchedOn: row?.ical_fetched_on ?? null,
  icalError: row?.ical_error ?? null,
  weatherFetchedOn: row?.weather_fetched_on ?? null,
  weatherError: row?.weather_error ?? null,
});

export async function getCalendarSettings(d1: D1Database, locationId: string): Promise<CalendarSettings> {
  const row = await openDb(d1).get<SettingsRow>(
    sql`SELECT * FROM location_calendars WHERE location_id = ${locationId}`,
  );
  return toSettings(locationId, row);
}

/**
 * Changes the feed URL (https only, else 422) or coordinates. A new URL (or coordinates) is fetched on the next cron tick; removing
 * the URL removes the feed's events, so the forecast stops using them.
 */
export async function updateCalendarSettings(
  d1: D1Database,
  organizationId: string,
  locationId: string,
  patch: Partial<CalendarPatch>,
): Promise<CalendarSettings> {
  if (patch.icalUrl && new URL(patch.icalUrl).protocol !== 'https:') {
    throw new AppError(
      422,
      'feed_not_https',
      'the iCalendar feed must be an https URL: a feed read over http can be altered on the way',
    );
  }
  const current = await getCalendarSettings(d1, locationId);
  const next = { ...current, ...patch };
  const urlChanged = patch.icalUrl !== undefined && patch.icalUrl !== current.icalUrl;
  const placeChanged =
    (patch.latitude !== undefined && patch.latitude !== current.latitude) ||
    (patch.longitude !== undefined && patch.longitude !== current.longitude);
  const icalUrl = next.icalUrl ?? null;
  const latitude = next.latitude ?? null;
  const longitude = next.longitude ?? null;
  const icalFetchedOn = urlChanged ? null : current.icalFetchedOn;
  const icalError = urlChanged ? null : current.icalError;
  const weatherFetchedOn = placeChanged ? null : current.weatherFetchedOn;
  const weatherError = placeChanged ? null : current.weatherError;
  const updatedAt = nowIso();
  const writes = [
    sql`INSERT INTO location_calendars (location_id, organization_id, ical_url, latitude, longitude,
            ical_fetched_on, ical_error, weather_fetched_on, weather_error, updated_at)
          VALUES (${locationId}, ${organizationId}, ${icalUrl}, ${latitude}, ${longitude},
            ${icalFetchedOn}, ${icalError}, ${weatherFetchedOn}, ${weatherError}, ${updatedAt})
          ON CONFLICT (location_id) DO UPDATE SET ical_url = ${icalUrl}, latitude = ${latitude}, longitude = ${longitude},
            ical_fetched_on = ${icalFetchedOn}, ical_error = ${icalError}, weather_fetched_on = ${weatherFetchedOn},
            weather_error = ${weatherError}, updated_at = ${updatedAt}`,
  ];
  if (urlChanged) {
    writes.push(sql`DELETE FROM location_events WHERE location_id = ${locationId} AND source = 'ical'`);
  }
  if (placeChanged) writes.push(sql`DELETE FROM weather_days WHERE location_id = ${locationId}`);
  await runBatch(d1, writes);
  return getCalendarSettings(d1, locationId);
}

/** The events the engine learns from and applies: every known day from `endDate - historyDays` on. */
export async function engineEvents(
  d1: D1Database,
  locationId: string,
  endDate: string,
  historyDays: number,
): Promise<CalendarEvent[]> {
  const from = dateOf(dayNumber(endDate) - historyDays);
  const events = await listEvents(d1, locationId, { from });
  return events.map((e) => ({ date: e.date, name: e.name, kind: e.kind }));
}
