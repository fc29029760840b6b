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
  /** Days the bar had none of the item all day and sold none: not demand, so missing (null), not zero. */
  outOfStockDays: number;
}

interface DayRow {
  item_id: string;
  day: string;
  measured?: number;
  sold?: number;
  change?: number;
  rise?: number;
  tracked?: number;
}

/** The values every history statement is bound to: the trading-day modifier, the bar and the period. */
interface HistoryParams {
  modifier: string;
  locationId: string;
  from: string;
  to: string;
}

/**
 * Per item and trading day, from one pass over the ledger:
 * - `measured`, the usage it measured: pours (negative deltas) and counts that found less than the ledger
 *   held (a negative count delta is liquid that left unseen);
 * - `change`, the day's change of stock, and `rise`, its highest point above the day's opening stock (the
 *   running sum of the day's deltas);
 * - `tracked`, whether any of the day's events tracks stock (anything but a POS sale, which moves nothing).
 */
const DAY_SQL = ({ modifier, locationId, from, to }: HistoryParams, itemIds: SQL) => sql`
  SELECT item_id, day,
         SUM(CASE kind WHEN 'pour' THEN -delta_ml WHEN 'count' THEN -MIN(delta_ml, 0) ELSE 0 END) AS measured,
         SUM(delta_ml) AS change, MAX(rise) AS rise, MAX(kind <> 'sale') AS tracked FROM (
    SELECT item_id, kind, delta_ml, date(observed_at, ${modifier}) AS day,
           SUM(delta_ml) OVER (PARTITION BY item_id, date(observed_at, ${modifier})
                               ORDER BY observed_at, rowid ROWS UNBOUNDED PRECEDING) AS rise
      FROM stock_events
     WHERE location_id = ${locationId} AND observed_at >= ${from} AND observed_at < ${to} AND item_id IN (${itemIds})
  ) GROUP BY item_id, day`;

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

/**
 * An item's stock at the bar before the period: the sum of its ledger deltas, and whether its stock is
 * tracked at all (any event but a POS sale, which moves nothing).
 */
const OPENING_STOCK_SQL = ({ locationId, from }: HistoryParams, itemIds: SQL) => sql`
  SELECT item_id, SUM(delta_ml) AS balance, MAX(kind <> 'sale') AS tracked
    FROM stock_events
   WHERE location_id = ${locationId} AND observed_at < ${from} AND item_id IN (${itemIds})
   GROUP BY item_id`;

const CONTAINERS_SQL = (itemIds: SQL) =>
  sql`SELECT id AS item_id, container_ml FROM items WHERE id IN (${itemIds})`;

/**
 * Stock below this share of one container is none: the dregs of a bottle (21 ml of 700) pour no drink,
 * and a case with less than 3 % of its units left has none.
 */
export const EMPTY_SHARE = 0.03;

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
 *
 * A day the bar had none of the item from opening to close (its stock, the running sum of its ledger, below
 * EMPTY_SHARE of a container throughout) and sold none is missing too: guests could not buy what was not
 * there, and reading those days as zero demand would lower the forecast, so the order that restocks the item
 * (a spiral that keeps it out). Only items whose stock the ledger tracks (any event but a POS sale) are read
 * this way, and not while the ledger's stock is below zero (it missed a delivery). A day the item ran out
 * part-way keeps what it sold, a lower bound of its demand.
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
  const [rows, sales, measured, till, gaps, opening, containers] = await Promise.all([
    db.all<DayRow>(DAY_SQL(params, itemIds)),
    db.all<DayRow>(SALES_SQL(params, itemIds)),
    db.all<{ day: string }>(MEASURED_DAYS_SQL(params)),
    db.all<{ day: string }>(TILL_DAYS_SQL(params)),
    gapDays(d1, query.locationId, modifier),
    db.all<{ item_id: string; balance: number; tracked: number }>(OPENING_STOCK_SQL(params, itemIds)),
    db.all<{ item_id: string; container_ml: number }>(CONTAINERS_SQL(itemIds)),
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
  const openingOf = new Map(opening.map((row) => [row.item_id, row]));
  const containerOf = new Map(containers.map((row) => [row.item_id, row.container_ml]));
  for (const itemId of query.itemIds) {
    const days = byItem.get(itemId);
    const empty = EMPTY_SHARE * (containerOf.get(itemId) ?? 0);
    let balance = openingOf.get(itemId)?.balance ?? 0;
    let tracked = (openingOf.get(itemId)?.tracked ?? 0) > 0;
    const values: (number | null)[] = [];
    let observedDays = 0;
    let outOfStockDays = 0;
    for (let t = 0; t < query.days; t++) {
      const date = dateOf(first + t);
      const row = days?.get(date);
      // Empty from the day's opening to its close, at every point between: nothing could be sold. A ledger
      // gone below zero has missed a delivery, so its nothing is no evidence.
      const high = balance + Math.max(0, row?.rise ?? 0);
      if (row?.tracked) tracked = true;
      const outOfStock = tracked && balance > -empty && high < empty;
      balance += row?.change ?? 0;
      let value: number | null = null;
      if (measuredDays.has(date)) value = Math.max(0, row?.measured ?? 0, row?.sold ?? 0);
      else if (tillDays.has(date)) value = Math.max(0, row?.sold ?? 0);
      if (value === 0 && outOfStock) ((value = null), outOfStockDays++);
      if (value !== null) observedDays++;
      values.push(value);
    }
    out.set(itemId, { startDate, values, observedDays, outOfStockDays });
  }
  return out;
}
