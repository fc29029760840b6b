import { z } from 'zod';
import { formatIssues } from '@pourcast/protocol';
import type { FetchLike } from '../calendar/ical-feed.ts';

/**
 * Secrets and vars that switch the weather regressor on (wrangler.toml [vars] / `wrangler secret put`).
 * Without WEATHER_API_URL the product forecasts without weather.
 */
export interface WeatherBindings {
  /** An Open-Meteo-compatible daily forecast endpoint, e.g. https://api.open-meteo.com/v1/forecast. */
  WEATHER_API_URL?: string;
  /** Sent as `apikey` (Open-Meteo's commercial endpoint); a secret, never logged or stored. */
  WEATHER_API_KEY?: string;
}

export interface WeatherConfig {
  url: string;
  apiKey?: string;
}

export function weatherConfig(env: WeatherBindings): WeatherConfig | null {
  if (!env.WEATHER_API_URL) return null;
  return { url: env.WEATHER_API_URL, ...(env.WEATHER_API_KEY ? { apiKey: env.WEATHER_API_KEY } : {}) };
}

export interface WeatherDay {
  date: string;
  temperatureMax: number | null;
  precipitation: number | null;
}

export interface WeatherPlace {
  latitude: number;
  longitude: number;
  timeZone: string;
}

/** Observed days before today the first fetch asks for (Open-Meteo allows up to 92), so β can be fitted. */
export const PAST_DAYS = 92;
export const FORECAST_DAYS = 16;

/** The part of Open-Meteo's daily forecast answer the hub reads (docs: open-meteo.com/en/docs, "daily"). */
const dailyAnswerSchema = z
  .object({
    daily: z.object({
      time: z.array(z.iso.date()),
      temperature_2m_max: z.array(z.number().nullable()),
      precipitation_sum: z.array(z.number().nullable()),
    }),
  })
  .refine(
    (a) =>
      a.daily.temperature_2m_max.length === a.daily.time.length &&
      a.daily.precipitation_sum.length === a.daily.time.length,
    { message: 'daily arrays differ in length', path: ['daily'] },
  );

export class WeatherError extends Error {}

/** One daily forecast (with past days) for a place; throws WeatherError with `path: message` lines. */
export async function fetchDailyWeather(
  fetcher: FetchLike,
  config: WeatherConfig,
  place: WeatherPlace,
  pastDays = PAST_DAYS,
): Promise<WeatherDay[]> {
  const url = new URL(config.url);
  url.searchParams.set('latitude', String(place.latitude));
  url.searchParams.set('longitude', String(place.longitude));
  url.searchParams.set('daily', 'temperature_2m_max,precipitation_sum');
  url.searchParams.set('timezone', place.timeZone);
  url.searchParams.set('past_days', String(pastDays));
  url.searchParams.set('forecast_days', String(FORECAST_DAYS));
  if (config.apiKey) url.searchParams.set('apikey', config.apiKey);
  let response: Response;
  try {
    response = await fetcher(url.toString(), {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new WeatherError(`weather: ${(error as Error).name}`);
  }
  if (!response.ok) throw new WeatherError(`weather: HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new WeatherError('weather: answer is not JSON');
  }
  const parsed = dailyAnswerSchema.safeParse(body);
  if (!parsed.success) throw new WeatherError(formatIssues(parsed.error).join('\n'));
  const { daily } = parsed.data;
  return daily.time.map((date, i) => ({
    date,
    temperatureMax: daily.temperature_2m_max[i] ?? null,
    precipitation: daily.precipitation_sum[i] ?? null,
  }));
}
