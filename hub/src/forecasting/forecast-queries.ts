import type { ItemUnit } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { accuracySince, summarizeScores, type ScoreRow } from './accuracy-scores.ts';
import type { ForecastAnswer } from './forecast-schemas.ts';

interface ForecastRow {
  location_id: string;
  item_id: string;
  item_name: string;
  unit: ItemUnit;
  start_date: string;
  history_end_date: string;
  observed_days: number;
  model: ForecastAnswer['model'];
  components: string;
  cold_start: number;
  days: string;
  totals: string;
  backtest: string | null;
  created_at: string;
}

interface ScoreRowWithItem extends ScoreRow {
  item_id: string;
}

/** The bar's last scored day: the accuracy window ends there (the job's clock, not the reader's). */
async function lastScoredDay(d1: D1Database, organizationId: string, locationId: string) {
  const row = await openDb(d1).get<{ day: string | null }>(
    sql`SELECT MAX(date) AS day FROM forecast_scores WHERE organization_id = ${organizationId} AND location_id = ${locationId}`,
  );
  return row?.day ?? null;
}

async function scoresSince(d1: D1Database, organizationId: string, locationId: string, since: string) {
  const results = await openDb(d1).all<ScoreRowWithItem>(
    sql`SELECT item_id, actual, mean, p10, p50, p90, scale1, scale2 FROM forecast_scores
         WHERE organization_id = ${organizationId} AND location_id = ${locationId} AND date > ${since}`,
  );
  const byItem = new Map<string, ScoreRow[]>();
  for (const row of results) byItem.set(row.item_id, [...(byItem.get(row.item_id) ?? []), row]);
  return { all: results, byItem };
}

/** The stored forecasts at a bar (one item or all), each with its model and its last 28 days' accuracy. */
export async function listForecasts(
  d1: D1Database,
  organizationId: string,
  locationId: string,
  itemId: string | undefined,
): Promise<ForecastAnswer[]> {
  const results = await openDb(d1).all<ForecastRow>(
    sql`SELECT f.*, i.name AS item_name, i.unit AS unit FROM forecasts f JOIN items i ON i.id = f.item_id
         WHERE f.organization_id = ${organizationId} AND f.location_id = ${locationId}
           AND (${itemId ?? null} IS NULL OR f.item_id = ${itemId ?? null})
         ORDER BY i.name, i.id`,
  );
  const last = await lastScoredDay(d1, organizationId, locationId);
  const scores = await scoresSince(d1, organizationId, locationId, last ? accuracySince(last) : '9999-12-31');
  return results.map((row) => ({
    locationId: row.location_id,
    itemId: row.item_id,
    itemName: row.item_name,
    unit: row.unit,
    startDate: row.start_date,
    historyEndDate: row.history_end_date,
    observedDays: row.observed_days,
    model: row.model,
    components: JSON.parse(row.components),
    coldStart: row.cold_start === 1,
    days: JSON.parse(row.days),
    totals: JSON.parse(row.totals),
    backtest: row.backtest ? JSON.parse(row.backtest) : null,
    accuracy: summarizeScores(scores.byItem.get(row.item_id) ?? []),
    createdAt: row.created_at,
  }));
}

/** RMSSE, scaled pinball loss and P10/P90 hit rates per item and for the whole bar, last 28 scored days. */
export async function barAccuracy(d1: D1Database, organizationId: string, locationId: string) {
  const last = await lastScoredDay(d1, organizationId, locationId);
  const since = last ? accuracySince(last) : null;
  const scores = await scoresSince(d1, organizationId, locationId, since ?? '9999-12-31');
  const names = await openDb(d1).all<{ id: string; name: string; model: string | null }>(
    sql`SELECT i.id, i.name, f.model FROM items i
          LEFT JOIN forecasts f ON f.item_id = i.id AND f.location_id = ${locationId}
         WHERE i.organization_id = ${organizationId} ORDER BY i.name, i.id`,
  );
  return {
    locationId,
    since,
    bar: summarizeScores(scores.all),
    items: names
      .filter((item) => scores.byItem.has(item.id))
      .map((item) => ({
        itemId: item.id,
        itemName: item.name,
        model: item.model,
        ...summarizeScores(scores.byItem.get(item.id)!),
      })),
  };
}
