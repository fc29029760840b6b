import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { dateOf, dayNumber } from '../forecasting/index.ts';
import { tradingDayModifier, tradingDayStartIso } from './business-day.ts';

/** Weeks of history the category shapes are measured over. */
export const PROFILE_WEEKS = 12;

/**
 * Each category's weekday shape at the bar (Monday..Sunday, mean 1) from the usage of all its items over
 * the last weeks, for cold-starting a new item (it borrows its category's shape at this bar). A category
 * with too little usage (under 20 units or ml per weekday on average) gets no shape.
 */
export async function categoryProfiles(
  d1: D1Database,
  locationId: string,
  timezone: string,
  endDate: string,
  now: Date,
): Promise<Map<string, number[]>> {
  const modifier = tradingDayModifier(timezone, now);
  const from = tradingDayStartIso(timezone, dateOf(dayNumber(endDate) - PROFILE_WEEKS * 7 + 1), now);
  const to = tradingDayStartIso(timezone, dateOf(dayNumber(endDate) + 1), now);
  const results = await openDb(d1).all<{ category: string; sunday_based: number; used: number }>(
    sql`SELECT i.category AS category, CAST(strftime('%w', date(e.observed_at, ${modifier})) AS INTEGER) AS sunday_based,
               SUM(CASE WHEN e.kind IN ('pour', 'sale') THEN -e.delta_ml
                        WHEN e.kind = 'count' AND e.delta_ml < 0 THEN -e.delta_ml ELSE 0 END) AS used
          FROM stock_events e JOIN items i ON i.id = e.item_id
         WHERE e.location_id = ${locationId} AND e.observed_at >= ${from} AND e.observed_at < ${to}
           AND e.kind IN ('pour', 'sale', 'count')
         GROUP BY i.category, sunday_based`,
  );
  const sums = new Map<string, number[]>();
  for (const row of results) {
    const week = sums.get(row.category) ?? [0, 0, 0, 0, 0, 0, 0];
    week[(row.sunday_based + 6) % 7]! += Math.max(0, row.used);
    sums.set(row.category, week);
  }
  const profiles = new Map<string, number[]>();
  for (const [category, week] of sums) {
    const mean = week.reduce((s, v) => s + v, 0) / 7;
    if (mean < 20) continue;
    profiles.set(
      category,
      week.map((v) => v / mean),
    );
  }
  return profiles;
}
