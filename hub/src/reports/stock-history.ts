import { sql } from 'drizzle-orm';
import { runBatch } from '../db/client.ts';
import { tradingDayModifier, tradingDayOf, tradingDayStartIso } from '../demand/business-day.ts';
import { dateOf, dayNumber } from '../forecasting/calendar.ts';

/**
 * Stock on hand at the end of each of the last `days` trading days at the bar (06:00 to 06:00 in its time
 * zone, the days its forecasts are in), the last one the day in progress, its stock as it is now. The
 * ledger's stock events fold into stock_levels by summing delta_ml (migration 0001's trigger), so the total
 * at any instant is the sum of the deltas observed before it. The days before the ledger first tracked the
 * item at the bar (any event but a POS sale, which moves no stock) are left out: nothing measured it then,
 * which is not the same as none on the shelf.
 */
export async function stockHistory(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; itemId: string; timezone: string },
  days: number,
  now = new Date(),
) {
  const today = dayNumber(tradingDayOf(scope.timezone, now));
  const first = today - days + 1;
  const from = tradingDayStartIso(scope.timezone, dateOf(first), now);
  const modifier = tradingDayModifier(scope.timezone, now);
  const where = sql`organization_id = ${scope.organizationId} AND location_id = ${scope.locationId}
                    AND item_id = ${scope.itemId}`;
  const [before, daily] = await runBatch<{ day?: string; ml: number | null; tracked: number | null }>(d1, [
    sql`SELECT SUM(delta_ml) AS ml, MAX(kind <> 'sale') AS tracked FROM stock_events
         WHERE ${where} AND observed_at < ${from}`,
    sql`SELECT date(observed_at, ${modifier}) AS day, SUM(delta_ml) AS ml, MAX(kind <> 'sale') AS tracked
          FROM stock_events
         WHERE ${where} AND observed_at >= ${from}
         GROUP BY day ORDER BY day`,
  ]);
  const byDay = new Map((daily!.results ?? []).map((row) => [row.day!, row]));
  let total = before!.results[0]?.ml ?? 0;
  let tracked = (before!.results[0]?.tracked ?? 0) > 0;
  const points: { date: string; totalMl: number }[] = [];
  for (let day = first; day <= today; day++) {
    const date = dateOf(day);
    const row = byDay.get(date);
    total += row?.ml ?? 0;
    tracked ||= (row?.tracked ?? 0) > 0;
    if (tracked) points.push({ date, totalMl: Math.round(total) });
  }
  return { locationId: scope.locationId, itemId: scope.itemId, points };
}
