import type { Alert, AlertStatus } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { notFound } from '../http/app-error.ts';

/** Reading and acknowledging alerts; evaluate.ts opens, bumps and resolves them. */
interface AlertRow {
  id: string;
  location_id: string | null;
  rule: Alert['rule'];
  severity: Alert['severity'];
  title: string;
  body: string;
  status: AlertStatus;
  occurrences: number;
  created_at: string;
  last_seen_at: string;
  acknowledged_at: string | null;
}

const toAlert = (row: AlertRow): Alert => ({
  id: row.id,
  locationId: row.location_id,
  rule: row.rule,
  severity: row.severity,
  title: row.title,
  body: row.body,
  status: row.status,
  occurrences: row.occurrences,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  acknowledgedAt: row.acknowledged_at,
});

/** Newest first, critical before the rest on the same day; the latest 200. */
export async function listAlerts(d1: D1Database, organizationId: string, status: AlertStatus | null) {
  const results = await openDb(d1).all<AlertRow>(
    sql`SELECT * FROM alerts WHERE organization_id = ${organizationId} AND (${status} IS NULL OR status = ${status})
        ORDER BY last_seen_at DESC, CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, id
        LIMIT 200`,
  );
  return results.map(toAlert);
}

/** An open alert becomes acknowledged (its rule's snooze starts); acknowledging again changes nothing. */
export async function acknowledgeAlert(
  d1: D1Database,
  organizationId: string,
  id: string,
  userId: string,
  now: Date,
): Promise<Alert> {
  const db = openDb(d1);
  await db.run(
    sql`UPDATE alerts SET status = 'acknowledged', acknowledged_at = ${now.toISOString()}, acknowledged_by = ${userId}
         WHERE id = ${id} AND organization_id = ${organizationId} AND status = 'open'`,
  );
  const row = await db.get<AlertRow>(
    sql`SELECT * FROM alerts WHERE id = ${id} AND organization_id = ${organizationId}`,
  );
  if (!row) throw notFound('alert');
  return toAlert(row);
}
