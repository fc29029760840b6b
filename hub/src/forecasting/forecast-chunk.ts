import { type SQL, sql } from 'drizzle-orm';
import { engineEvents } from '../calendar/location-events.ts';
import { categoryProfiles } from '../demand/category-profile.ts';
import { lastCompleteTradingDay } from '../demand/business-day.ts';
import { loadDemand } from '../demand/demand-history.ts';
import { nowIso, openDb } from '../db/client.ts';
import { loadWeather } from '../weather/weather-cache.ts';
import { scoreYesterday, type StoredForecastDays } from './accuracy-scores.ts';
import { dateOf, dayNumber, pooledEventUplifts } from './calendar.ts';
import { forecastSeries } from './engine.ts';
import type { ForecastOptions, SeriesForecast } from './types.ts';

/** History the engine sees per series (it fits at most 730 days). */
export const HISTORY_DAYS = 730;
/** Days ahead the nightly forecast covers (and the weather regressor must cover to be used). */
export const HORIZON_DAYS = 14;

export interface ChunkOptions {
  size: number;
  /** The job's clock (trading days, "yesterday"). */
  now?: Date;
}

interface SeriesRow {
  location_id: string;
  item_id: string;
  organization_id: string;
  timezone: string;
  category: string;
}

export interface ChunkResult {
  writes: SQL[];
  cursor: string | null;
  done: number;
  failed: number;
  /** No series after this chunk. */
  last: boolean;
}

/**
 * The series of a run's scope after the cursor: every bar's (`*`, the nightly runs before they were per time
 * zone), the bars of one time zone (`zone:<tz>`), or one organization's (its id: a manager's "forecast now").
 */
const SERIES_SQL = (after: { locationId: string; itemId: string }, limit: number, scope: string) => sql`
  SELECT l.id AS location_id, i.id AS item_id, l.organization_id, l.timezone, i.category
    FROM locations l JOIN items i ON i.organization_id = l.organization_id AND i.archived_at IS NULL
   WHERE (l.id, i.id) > (${after.locationId}, ${after.itemId}) ${scopeFilter(scope)}
   ORDER BY l.id, i.id LIMIT ${limit}`;

/** The scope of the nightly run of the bars in one time zone. */
export const zoneScope = (timeZone: string) => `zone:${timeZone}`;

/** The time zone a nightly run's scope names, or null for any other scope. */
export const zoneOfScope = (scope: string): string | null =>
  scope.startsWith('zone:') ? scope.slice('zone:'.length) : null;

function scopeFilter(scope: string): SQL {
  if (scope === '*') return sql.empty();
  const zone = zoneOfScope(scope);
  if (zone !== null) return sql`AND l.timezone = ${zone}`;
  return sql`AND l.organization_id = ${scope}`;
}

/** The upsert's conflict clause: every column but the key takes the new forecast's value. */
const UPSERT_FORECAST_CONFLICT = sql`
  ON CONFLICT (location_id, item_id) DO UPDATE SET run_id = excluded.run_id, start_date = excluded.start_date,
    history_end_date = excluded.history_end_date, observed_days = excluded.observed_days, model = excluded.model,
    components = excluded.components, days = excluded.days, totals = excluded.totals, backtest = excluded.backtest,
    dispersion = excluded.dispersion, dispersion_power = excluded.dispersion_power, correlation = excluded.correlation, cold_start = excluded.cold_start,
    created_at = excluded.created_at`;

/** JSON cannot hold NaN: a metric without a scale is stored as null. */
const finiteOrNull = (value: number) => (Number.isFinite(value) ? value : null);

/**
 * Forecasts the next `size` series (location × item) after the run's cursor: loads their demand from the
 * ledger, scores the forecast each had for yesterday, runs the engine, and returns the writes for the
 * caller to commit with the cursor. Reads only; writes nothing itself.
 */
export async function forecastChunk(
  d1: D1Database,
  run: { id: string; scope: string; cursor: string | null },
  options: ChunkOptions,
): Promise<ChunkResult> {
  const now = options.now ?? new Date();
  const [afterLocation, afterItem] = run.cursor ? run.cursor.split('|') : ['', ''];
  const series = await openDb(d1).all<SeriesRow>(
    SERIES_SQL({ locationId: afterLocation!, itemId: afterItem! }, options.size + 1, run.scope),
  );
  const chunk = series.slice(0, options.size);
  const writes: SQL[] = [];
  let failed = 0;
  const byLocation = new Map<string, SeriesRow[]>();
  for (const row of chunk) byLocation.set(row.location_id, [...(byLocation.get(row.location_id) ?? []), row]);
  for (const [locationId, rows] of byLocation) {
    const { timezone } = rows[0]!;
    const endDate = lastCompleteTradingDay(timezone, now);
    const itemIds = rows.map((row) => row.item_id);
    const historyStart = dateOf(dayNumber(endDate) - HISTORY_DAYS + 1);
    const horizonEnd = dateOf(dayNumber(endDate) + HORIZON_DAYS);
    const [demand, profiles, previous, events, weather] = await Promise.all([
      loadDemand(d1, { locationId, timezone, itemIds, endDate, days: HISTORY_DAYS, now }),
      categoryProfiles(d1, locationId, timezone, endDate, now),
      previousForecasts(d1, locationId, itemIds),
      engineEvents(d1, locationId, endDate, HISTORY_DAYS),
      loadWeather(d1, locationId, historyStart, horizonEnd),
    ]);
    // Holidays, local events and (where configured) weather are the bar's, shared by its items; each
    // event's uplift pooled over the items of this chunk is the prior of every item's own.
    const eventPriors = events.length
      ? pooledEventUplifts(rows.map((row) => ({ ...demand.get(row.item_id)!, events })))
      : undefined;
    const inputs: ForecastOptions = {
      horizon: HORIZON_DAYS,
      ...(events.length ? { events } : {}),
      ...(eventPriors?.size ? { eventPriors } : {}),
      ...(weather ? { weather } : {}),
    };
    for (const row of rows) {
      const history = demand.get(row.item_id)!;
      try {
        const profile = profiles.get(row.category);
        const forecast = forecastSeries(history, profile ? { ...inputs, categoryProfile: profile } : inputs);
        const score = scoreYesterday(row, history, endDate, previous.get(row.item_id));
        if (score) writes.push(score);
        writes.push(forecastWrite(row, run.id, endDate, history.observedDays, forecast));
      } catch (error) {
        // One bad series must not stop the night's run; it keeps yesterday's forecast.
        console.error(`forecast failed for ${locationId}/${row.item_id}`, error);
        failed++;
      }
    }
  }
  const lastRow = chunk.at(-1);
  return {
    writes,
    cursor: lastRow ? `${lastRow.location_id}|${lastRow.item_id}` : run.cursor,
    done: chunk.length - failed,
    failed,
    last: series.length <= options.size,
  };
}

function forecastWrite(
  row: SeriesRow,
  runId: string,
  endDate: string,
  observedDays: number,
  forecast: SeriesForecast,
): SQL {
  const backtest = forecast.backtest
    ? Object.fromEntries(Object.entries(forecast.backtest).map(([k, v]) => [k, finiteOrNull(v)]))
    : null;
  return sql`INSERT INTO forecasts (location_id, item_id, organization_id, run_id, start_date,
          history_end_date, observed_days, model, components, days, totals, backtest, dispersion,
          dispersion_power, correlation, cold_start, created_at)
        VALUES (${row.location_id}, ${row.item_id}, ${row.organization_id}, ${runId}, ${forecast.startDate},
          ${endDate}, ${observedDays}, ${forecast.model}, ${JSON.stringify(forecast.components)},
          ${JSON.stringify(forecast.days)}, ${JSON.stringify(forecast.totals)},
          ${backtest ? JSON.stringify(backtest) : null}, ${forecast.spread.dispersion},
          ${forecast.spread.power}, ${forecast.correlation}, ${forecast.coldStart ? 1 : 0}, ${nowIso()})
        ${UPSERT_FORECAST_CONFLICT}`;
}

async function previousForecasts(
  d1: D1Database,
  locationId: string,
  itemIds: string[],
): Promise<Map<string, StoredForecastDays>> {
  const ids = sql.join(
    itemIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const results = await openDb(d1).all<{ item_id: string; model: string; days: string }>(
    sql`SELECT item_id, model, days FROM forecasts WHERE location_id = ${locationId} AND item_id IN (${ids})`,
  );
  return new Map(results.map((r) => [r.item_id, { model: r.model, days: JSON.parse(r.days) }]));
}
