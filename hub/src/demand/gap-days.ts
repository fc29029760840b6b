import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';

/**
 * Trading days touched by seq ranges a gateway lost (gateway_gaps): from the day of the last event before
 * the gap to the day of the first event after it (or today when none came after). Usage on those days
 * is unknown, so they are missing, never zero.
 */
export async function gapDays(d1: D1Database, locationId: string, modifier: string): Promise<Set<string>> {
  const results = await openDb(d1).all<{
    before_day: string | null;
    after_day: string | null;
    recorded_day: string;
  }>(
    sql`SELECT (SELECT date(e.observed_at, ${modifier}) FROM stock_events e
                 WHERE e.gateway_id = g.gateway_id AND e.seq < g.from_seq ORDER BY e.seq DESC LIMIT 1) AS before_day,
               (SELECT date(e.observed_at, ${modifier}) FROM stock_events e
                 WHERE e.gateway_id = g.gateway_id AND e.seq > g.to_seq ORDER BY e.seq LIMIT 1) AS after_day,
               date(g.recorded_at, ${modifier}) AS recorded_day
          FROM gateway_gaps g JOIN gateways w ON w.id = g.gateway_id
         WHERE w.location_id = ${locationId}`,
  );
  const days = new Set<string>();
  for (const gap of results) {
    const end = gap.after_day ?? gap.recorded_day;
    const start = gap.before_day ?? end;
    for (let t = Date.parse(start); t <= Date.parse(end); t += 86_400_000) {
      days.add(new Date(t).toISOString().slice(0, 10));
    }
  }
  return days;
}
