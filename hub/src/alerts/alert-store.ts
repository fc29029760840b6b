import type { Alert, AlertStatus } from '@pourcast/protocol';
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
  const { results } = await d1
    .prepare(
      `SELECT * FROM alerts WHERE organization_id = ?1 AND (?2 IS NULL OR status = ?2)
        ORDER BY last_seen_at DESC, CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, id
        LIMIT 200`,
    )
    .bind(organizationId, status)
    .all<AlertRow>();
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
  await d1
    .prepare(
      `UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?
        WHERE id = ? AND organization_id = ? AND status = 'open'`,
    )
    .bind(now.toISOString(), userId, id, organizationId)
    .run();
  const row = await d1
    .prepare('SELECT * FROM alerts WHERE id = ? AND organization_id = ?')
    .bind(id, organizationId)
    .first<AlertRow>();
  if (!row) throw notFound('alert');
  return toAlert(row);
}
