import { type SQL, sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { dateOf, dayNumber, type DemandHistory } from '../forecasting/index.ts';
import { tradingDayModifier, tradingDayStartIso } from './business-day.ts';
import { gapDays } from './gap-days.ts';

export interface DemandQuery {
  locationId: string;
  timezone: string;
  itemIds: readonly string[];
  /** Last day of history (a complete trading day), YYYY-MM-DD. */
  endDate: string;
  /** Days of history ending at `endDate`. */
  days: number;
  /** The job's clock, for the zone's offset. */
  now: Date;
}

export interface ItemDemand extends DemandHistory {
  /** Days with a value (not null). */
  observedDays: number;
}

interface DayRow {
  item_id: string;
  day: string;
  measured?: number;
  sold?: number;
}

/** The values every history statement is bound to: the trading-day modifier, the bar and the period. */
interface HistoryParams {
  modifier: string;
  locationId: string;
  from: string;
  to: string;
}

/**
 * Usage the ledger measured: pours (negative deltas) and counts that found less than the ledger held
 * (a negative count delta is liquid that left unseen).
 */
const DAY_SQL = ({ modifier, locationId, from, to }: HistoryParams, itemIds: SQL) => sql`
  SELECT item_id, date(observed_at, ${modifier}) AS day,
         SUM(CASE WHEN kind = 'pour' THEN -delta_ml ELSE -MIN(delta_ml, 0) END) AS measured
    FROM stock_events
   WHERE location_id = ${locationId} AND observed_at >= ${from} AND observed_at < ${to} AND kind IN ('pour', 'count')
     AND item_id IN (${itemIds})
   GROUP BY item_id, day`;

/**
 * What the till rang up: POS `sale` events are zero-delta in the ledger (they are not measurements); the
 * ml each sale should have used (recipe × quantity, voids and refunds negative) is in `sale_usages`.
 */
const SALES_SQL = ({ modifier, locationId, from, to }: HistoryParams, itemIds: SQL) => sql`
  SELECT item_id, date(sold_at, ${modifier}) AS day, SUM(ml) AS sold
    FROM sale_usages
   WHERE location_id = ${locationId} AND sold_at >= ${from} AND sold_at < ${to} AND item_id IN (${itemIds})
   GROUP BY item_id, day`;

/** Trading days the till was open at the bar (any POS sale of anything). */
const TILL_DAYS_SQL = ({ modifier, locationId, from, to }: HistoryParams) => sql`
  SELECT DISTINCT date(sold_at, ${modifier}) AS day FROM sale_usages WHERE location_id = ${locationId} AND sold_at >= ${from} AND sold_at < ${to}`;

/** Trading days on which the bar's gateways were reporting (any gateway event at the location). */
const MEASURED_DAYS_SQL = ({ modifier, locationId, from, to }: HistoryParams) => sql`
  SELECT DISTINCT date(observed_at, ${modifier}) AS day FROM stock_events
   WHERE location_id = ${locationId} AND observed_at >= ${from} AND observed_at < ${to} AND gateway_id IS NOT NULL`;

/**
 * Daily demand per item at a bar from the ledger. A day counts as measured when the bar's gateways
 * reported anything that day and no lost seq range (a recorded gap) touches it, or when the till rang up
 * anything; there an item without events sold zero. Other days are `null` (missing), never zero.
 * Where both exist, demand is the larger of measured usage and sales: both see the same drinks, the scale
 * misses what was poured off it, the till misses what was not rung up.
 */
export async function loadDemand(d1: D1Database, query: DemandQuery): Promise<Map<string, ItemDemand>> {
  const startDate = dateOf(dayNumber(query.endDate) - query.days + 1);
  const modifier = tradingDayModifier(query.timezone, query.now);
  const from = tradingDayStartIso(query.timezone, startDate, query.now);
  const to = tradingDayStartIso(query.timezone, dateOf(dayNumber(query.endDate) + 1), query.now);
  const out = new Map<string, ItemDemand>();
  if (query.itemIds.length === 0) return out;
  const db = openDb(d1);
  const params: HistoryParams = { modifier, locationId: query.locationId, from, to };
  const itemIds = sql.join(
    query.itemIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const [rows, sales, measured, till, gaps] = await Promise.all([
    db.all<DayRow>(DAY_SQL(params, itemIds)),
    db.all<DayRow>(SALES_SQL(params, itemIds)),
    db.all<{ day: string }>(MEASURED_DAYS_SQL(params)),
    db.all<{ day: string }>(TILL_DAYS_SQL(params)),
    gapDays(d1, query.locationId, modifier),
  ]);
  const first = dayNumber(startDate);
  const measuredDays = new Set(measured.map((r) => r.day).filter((day) => !gaps.has(day)));
  const tillDays = new Set(till.map((r) => r.day));
  const byItem = new Map<string, Map<string, DayRow>>();
  for (const row of [...rows, ...sales]) {
    let days = byItem.get(row.item_id);
    if (!days) byItem.set(row.item_id, (days = new Map()));
    days.set(row.day, { ...days.get(row.day), ...row });
  }
  for (const itemId of query.itemIds) {
    const days = byItem.get(itemId);
    const values: (number | null)[] = [];
    let observedDays = 0;
    for (let t = 0; t < query.days; t++) {
      const date = dateOf(first + t);
      const row = days?.get(date);
      let value: number | null = null;
      if (measuredDays.has(date)) value = Math.max(0, row?.measured ?? 0, row?.sold ?? 0);
      else if (tillDays.has(date)) value = Math.max(0, row?.sold ?? 0);
      if (value !== null) observedDays++;
      values.push(value);
    }
    out.set(itemId, { startDate, values, observedDays });
  }
  return out;
}
