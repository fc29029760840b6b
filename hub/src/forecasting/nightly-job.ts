import { refreshCalendarFeeds, type FetchLike } from '../calendar/ical-feed.ts';
import { draftAllLocations } from '../ordering/draft-orders.ts';
import { weatherConfig, type WeatherBindings, type WeatherConfig } from '../weather/open-meteo.ts';
import { refreshWeather } from '../weather/weather-cache.ts';
import { matchReceiveEvents } from '../ordering/receiving.ts';
import { zoneOfScope } from './forecast-chunk.ts';
import { continueRun, nightlyRuns, openRuns } from './forecast-runs.ts';

/** Chunks of series one cron tick may do (40 series each, a few ms of engine CPU per series). */
export const CHUNKS_PER_TICK = 5;

export interface NightlyOptions {
  now?: Date;
  chunksPerTick?: number;
  chunkSeries?: number;
  /** How feeds and weather are fetched (the third-party boundary; tests pass recorded answers). */
  fetch?: FetchLike;
  /** The weather API, or null/absent to forecast without weather. */
  weather?: WeatherConfig | null;
}

/**
 * One cron tick (wrangler.toml `[triggers] crons`, every 10 minutes): opens the nightly run of each time zone
 * the bars are in once its trading day has closed (`nightlyRuns`), then does a few chunks of every unfinished
 * run, so a night's forecasting is spread over as many ticks as it needs, each well inside the Workers CPU
 * limit. The tick that finishes a time zone's nightly run drafts purchase orders for its bars from the fresh
 * forecasts, and each tick matches deliveries the gateways scanned in against open orders. Before
 * forecasting it reads the bars' iCalendar feeds and weather.
 */
export async function nightlyTick(d1: D1Database, options: NightlyOptions = {}) {
  const now = options.now ?? new Date();
  // Inputs first, at most one fetch per bar per local day, so the day's forecasts see them.
  const fetcher = options.fetch ? { fetch: options.fetch } : {};
  await refreshCalendarFeeds(d1, { now, ...fetcher });
  await refreshWeather(d1, { now, config: options.weather ?? null, ...fetcher });
  await nightlyRuns(d1, now);
  const runs = await openRuns(d1);
  // Bars to draft for: each time zone whose nightly run finished this tick (undefined: every bar, for a run
  // of scope '*' from before the runs were per zone).
  const finishedZones: (string | undefined)[] = [];
  for (const run of runs) {
    const state = await continueRun(d1, run, {
      now,
      maxChunks: options.chunksPerTick ?? CHUNKS_PER_TICK,
      ...(options.chunkSeries ? { chunkSeries: options.chunkSeries } : {}),
    });
    if (!state.finished) continue;
    const zone = zoneOfScope(state.scope);
    if (zone !== null) finishedZones.push(zone);
    else if (state.scope === '*') finishedZones.push(undefined);
  }
  for (const zone of finishedZones) await draftAllLocations(d1, now, zone);
  await matchReceiveEvents(d1);
  return { runs: runs.map((r) => r.id), finishedNightly: finishedZones.length > 0 };
}

/** The Worker's `scheduled` handler. */
export function scheduled(
  controller: ScheduledController,
  env: { DB: D1Database } & WeatherBindings,
  ctx: ExecutionContext,
) {
  ctx.waitUntil(
    nightlyTick(env.DB, { now: new Date(controller.scheduledTime), weather: weatherConfig(env) }),
  );
}
