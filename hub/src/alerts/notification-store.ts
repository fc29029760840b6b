import type { NotificationPreference } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { notificationListSchema } from '@pourcast/protocol';
import { openDb, runBatch } from '../db/client.ts';
import { AppError, notFound } from '../http/app-error.ts';

type NotificationList = z.infer<typeof notificationListSchema>;

/** A user's in-app list (latest 100) with each notification's channel deliveries, and the unread count. */
export async function listNotifications(
  d1: D1Database,
  organizationId: string,
  userId: string,
  unreadOnly: boolean,
): Promise<NotificationList> {
  const [rows, unread] = await runBatch<any>(d1, [
    sql`SELECT n.id, n.alert_id, n.read_at, n.created_at, a.rule, a.severity, a.title, a.body,
               (SELECT json_group_array(json_object('channel', d.channel, 'status', d.status, 'attempts', d.attempts))
                  FROM alert_deliveries d WHERE d.notification_id = n.id) AS deliveries
          FROM notifications n JOIN alerts a ON a.id = n.alert_id
         WHERE n.user_id = ${userId} AND a.organization_id = ${organizationId} AND (${unreadOnly ? 1 : 0} = 0 OR n.read_at IS NULL)
         ORDER BY n.created_at DESC, n.id DESC LIMIT 100`,
    sql`SELECT COUNT(*) AS unread FROM notifications n JOIN alerts a ON a.id = n.alert_id
         WHERE n.user_id = ${userId} AND a.organization_id = ${organizationId} AND n.read_at IS NULL`,
  ]);
  return {
    unread: (unread!.results[0] as { unread: number }).unread,
    notifications: (rows!.results as any[]).map((row) => ({
      id: row.id,
      alertId: row.alert_id,
      rule: row.rule,
      severity: row.severity,
      title: row.title,
      body: row.body,
      createdAt: row.created_at,
      read: row.read_at !== null,
      deliveries: JSON.parse(row.deliveries),
    })),
  };
}

/** Marks the caller's own notification read (someone else's answers 404). */
export async function markRead(
  d1: D1Database,
  organizationId: string,
  userId: string,
  id: string,
  now: Date,
) {
  const found = await openDb(d1).run(
    sql`UPDATE notifications SET read_at = COALESCE(read_at, ${now.toISOString()})
         WHERE id = ${id} AND user_id = ${userId} AND alert_id IN (SELECT id FROM alerts WHERE organization_id = ${organizationId})`,
  );
  if (found.meta.changes === 0) throw notFound('notification');
}

interface PreferenceRow {
  channel: NotificationPreference['channel'];
  address: string;
  min_severity: NotificationPreference['minSeverity'];
  quiet_start: string;
  quiet_end: string;
  timezone: string;
}

/** Stored timezone '' means "the alert's bar" (null in the API). */
export async function readPreferences(d1: D1Database, organizationId: string, userId: string) {
  const results = await openDb(d1).all<PreferenceRow>(
    sql`SELECT channel, address, min_severity, quiet_start, quiet_end, timezone FROM notification_preferences
         WHERE user_id = ${userId} AND organization_id = ${organizationId} ORDER BY channel`,
  );
  return {
    preferences: results.map((row): NotificationPreference => ({
      channel: row.channel,
      address: row.address,
      minSeverity: row.min_severity,
      quietStart: row.quiet_start,
      quietEnd: row.quiet_end,
      timezone: row.timezone || null,
    })),
  };
}

/** Sets the channels named in `preferences`, deletes those in `remove`; others are left as they were. */
export async function writePreferences(
  d1: D1Database,
  organizationId: string,
  userId: string,
  preferences: readonly NotificationPreference[],
  remove: readonly string[] = [],
) {
  for (const [index, p] of preferences.entries()) {
    if (p.channel !== 'webpush') continue;
    const own = await openDb(d1).get(
      sql`SELECT 1 FROM push_subscriptions WHERE id = ${p.address} AND user_id = ${userId}`,
    );
    if (!own)
      throw new AppError(422, 'unknown_subscription', 'webpush needs one of your push subscriptions', [
        `body.preferences.${index}.address: not one of your push subscriptions`,
      ]);
  }
  const writes = [
    ...remove.map(
      (channel) =>
        sql`DELETE FROM notification_preferences
             WHERE user_id = ${userId} AND organization_id = ${organizationId} AND channel = ${channel}`,
    ),
    ...preferences.map(
      (p) =>
        sql`INSERT INTO notification_preferences
                (user_id, organization_id, channel, address, min_severity, quiet_start, quiet_end, timezone)
              VALUES (${userId}, ${organizationId}, ${p.channel}, ${p.address}, ${p.minSeverity}, ${p.quietStart},
                      ${p.quietEnd}, ${p.timezone ?? ''})
              ON CONFLICT (user_id, organization_id, channel) DO UPDATE SET address = excluded.address,
                min_severity = excluded.min_severity, quiet_start = excluded.quiet_start,
                quiet_end = excluded.quiet_end, timezone = excluded.timezone`,
    ),
  ];
  if (writes.length) await runBatch(d1, writes);
  return readPreferences(d1, organizationId, userId);
}
