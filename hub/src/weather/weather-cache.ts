import { tradingDayOf } from '../demand/business-day.ts';
import { dateOf, dayNumber } from '../forecasting/calendar.ts';
import type { WeatherSeries } from '../forecasting/types.ts';
import type { FetchLike } from '../calendar/ical-feed.ts';
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
  const { results } = await d1
    .prepare(
      `SELECT c.location_id, c.latitude, c.longitude, c.weather_fetched_on, l.timezone
         FROM location_calendars c JOIN locations l ON l.id = c.location_id
        WHERE c.latitude IS NOT NULL AND c.longitude IS NOT NULL
        ORDER BY c.weather_fetched_on IS NOT NULL, c.weather_fetched_on, c.location_id`,
    )
    .all<PlaceRow>();
  const outcome: { locationId: string; days: number; error: string | null }[] = [];
  for (const row of results) {
    const today = tradingDayOf(row.timezone, now);
    if (row.weather_fetched_on === today) continue;
    if (outcome.length >= (options.maxLocations ?? 10)) break;
    // After the first fetch only the days since the last one are needed as observations.
    const pastDays = row.weather_fetched_on
      ? Math.min(92, Math.max(1, dayNumber(today) - dayNumber(row.weather_fetched_on)))
      : undefined;
    const writes: D1PreparedStatement[] = [];
    let error: string | null = null;
    let count = 0;
    try {
      const place = { latitude: row.latitude, longitude: row.longitude, timeZone: row.timezone };
      const days = await fetchDailyWeather(options.fetch ?? fetch, options.config, place, pastDays);
      count = days.length;
      for (const day of days) {
        writes.push(
          d1
            .prepare(
              `INSERT INTO weather_days (location_id, date, temperature_max, precipitation, fetched_on)
               VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (location_id, date) DO UPDATE SET
               temperature_max = ?3, precipitation = ?4, fetched_on = ?5`,
            )
            .bind(row.location_id, day.date, day.temperatureMax, day.precipitation, today),
        );
      }
    } catch (caught) {
      if (!(caught instanceof WeatherError)) throw caught;
      error = caught.message;
    }
    writes.push(
      d1
        .prepare(
          'UPDATE location_calendars SET weather_fetched_on = ?2, weather_error = ?3 WHERE location_id = ?1',
        )
        .bind(row.location_id, today, error),
    );
    await d1.batch(writes);
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
  const { results } = await d1
    .prepare(
      `SELECT date, temperature_max FROM weather_days
        WHERE location_id = ?1 AND date >= ?2 AND date <= ?3 AND temperature_max IS NOT NULL`,
    )
    .bind(locationId, startDate, endDate)
    .all<{ date: string; temperature_max: number }>();
  if (results.length === 0) return undefined;
  const start = dayNumber(startDate);
  const values: (number | null)[] = Array.from({ length: dayNumber(endDate) - start + 1 }, () => null);
  for (const row of results) values[dayNumber(row.date) - start] = row.temperature_max;
  return { startDate: dateOf(start), values };
}
