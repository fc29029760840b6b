import { sql } from 'drizzle-orm';
import { runBatch } from '../db/client.ts';

const DAY_MS = 86_400_000;

/**
 * Stock on hand at the end of each of the last `days` UTC days. The ledger's stock events fold into
 * stock_levels by summing delta_ml (migration 0001's trigger), so the total at any instant is the sum of
 * the deltas observed before it.
 */
export async function stockHistory(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; itemId: string },
  days: number,
  now = new Date(),
) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = today - (days - 1) * DAY_MS;
  const [before, daily] = await runBatch<{ day?: string; ml: number | null }>(d1, [
    sql`SELECT SUM(delta_ml) AS ml FROM stock_events
         WHERE organization_id = ${scope.organizationId} AND location_id = ${scope.locationId}
           AND item_id = ${scope.itemId} AND observed_at < ${new Date(first).toISOString()}`,
    sql`SELECT SUBSTR(observed_at, 1, 10) AS day, SUM(delta_ml) AS ml FROM stock_events
         WHERE organization_id = ${scope.organizationId} AND location_id = ${scope.locationId}
           AND item_id = ${scope.itemId} AND observed_at >= ${new Date(first).toISOString()}
         GROUP BY day ORDER BY day`,
  ]);
  const change = new Map((daily!.results ?? []).map((row) => [row.day!, row.ml ?? 0]));
  let total = before!.results[0]?.ml ?? 0;
  const points: { date: string; totalMl: number }[] = [];
  for (let at = first; at <= today; at += DAY_MS) {
    const date = new Date(at).toISOString().slice(0, 10);
    total += change.get(date) ?? 0;
    points.push({ date, totalMl: Math.round(total) });
  }
  return { locationId: scope.locationId, itemId: scope.itemId, points };
}
