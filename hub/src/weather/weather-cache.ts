import { eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { tradingDayOf } from '../demand/business-day.ts';
import { dateOf, dayNumber } from '../forecasting/calendar.ts';
import type { WeatherSeries } from '../forecasting/types.ts';
import type { FetchLike } from '../calendar/ical-feed.ts';
import { openDb } from '../db/client.ts';
import { locationCalendars, weatherDays } from '../db/schema.ts';
import { fetchDailyWeather, WeatherError, type WeatherConfig } from './open-meteo.ts';

export interface WeatherRefreshOptions {
  config: WeatherConfig | null;
  fetch?: FetchLike;
  now?: Date;
  /** Places fetched per cron tick (one subrequest each). Default 10. */
  maxLocations?: number;
}

interface PlaceRow {
  location_id: string;
  latitude: number;
  longitude: number;
  weather_fetched_on: string | null;
  timezone: string;
}

/**
 * Fetches the daily weather of each bar with coordinates at most once per local day and caches it in
 * `weather_days` (a later fetch overwrites a day's forecast with a newer one or the observation). Does
 * nothing without a configured weather API.
 */
export async function refreshWeather(d1: D1Database, options: WeatherRefreshOptions) {
  if (!options.config) return [];
  const now = options.now ?? new Date();
  const db = openDb(d1);
  const results = await db.all<PlaceRow>(
    sql`SELECT c.location_id, c.latitude, c.longitude, c.weather_fetched_on, l.timezone
          FROM location_calendars c JOIN locations l ON l.id = c.location_id
         WHERE c.latitude IS NOT NULL AND c.longitude IS NOT NULL
         ORDER BY c.weather_fetched_on IS NOT NULL, c.weather_fetched_on, c.location_id`,
  );
  const outcome: { locationId: string; days: number; error: string | null }[] = [];
  for (const row of results) {
    const today = tradingDayOf(row.timezone, now);
    if (row.weather_fetched_on === today) continue;
    if (outcome.length >= (options.maxLocations ?? 10)) break;
    // After the first fetch only the days since the last one are needed as observations.
    const pastDays = row.weather_fetched_on
      ? Math.min(92, Math.max(1, dayNumber(today) - dayNumber(row.weather_fetched_on)))
      : undefined;
    const writes: BatchItem<'sqlite'>[] = [];
    let error: string | null = null;
    let count = 0;
    try {
      const place = { latitude: row.latitude, longitude: row.longitude, timeZone: row.timezone };
      const days = await fetchDailyWeather(options.fetch ?? fetch, options.config, place, pastDays);
      count = days.length;
      for (const day of days) {
        writes.push(
          db
            .insert(weatherDays)
            .values({
              locationId: row.location_id,
              date: day.date,
              temperatureMax: day.temperatureMax,
              precipitation: day.precipitation,
              fetchedOn: today,
            })
            .onConflictDoUpdate({
              target: [weatherDays.locationId, weatherDays.date],
              set: { temperatureMax: day.temperatureMax, precipitation: day.precipitation, fetchedOn: today },
            }),
        );
      }
    } catch (caught) {
      if (!(caught instanceof WeatherError)) throw caught;
      error = caught.message;
    }
    writes.push(
      db
        .update(locationCalendars)
        .set({ weatherFetchedOn: today, weatherError: error })
        .where(eq(locationCalendars.locationId, row.location_id)),
    );
    await db.batch(writes as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    outcome.push({ locationId: row.location_id, days: count, error });
  }
  return outcome;
}

/**
 * The cached daily maximum temperature from `startDate` through `endDate` as the engine's weather regressor
 * (null on days not cached), or undefined when the bar has no weather at all.
 */
export async function loadWeather(
  d1: D1Database,
  locationId: string,
  startDate: string,
  endDate: string,
): Promise<WeatherSeries | undefined> {
  const results = await openDb(d1).all<{ date: string; temperature_max: number }>(
    sql`SELECT date, temperature_max FROM weather_days
         WHERE location_id = ${locationId} AND date >= ${startDate} AND date <= ${endDate}
           AND temperature_max IS NOT NULL`,
  );
  if (results.length === 0) return undefined;
  const start = dayNumber(startDate);
  const values: (number | null)[] = Array.from({ length: dayNumber(endDate) - start + 1 }, () => null);
  for (const row of results) values[dayNumber(row.date) - start] = row.temperature_max;
  return { startDate: dateOf(start), values };
}
