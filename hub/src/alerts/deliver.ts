import { ALERT_SEVERITIES, type AlertSeverity, type NotificationChannelKind } from '@pourcast/protocol';
import { sql, type SQL } from 'drizzle-orm';
import { newId, openDb, runBatch } from '../db/client.ts';
import { ChannelError, type Channels } from './channels.ts';
import type { RaisedAlert } from './evaluate.ts';
import { loadLocations } from './facts.ts';
import { quietUntil } from './quiet-hours.ts';

export interface DeliveryOptions {
  /** Messages one user may get per hour over all channels; more are suppressed (still in the in-app list). */
  maxPerHour?: number;
}

export const MAX_MESSAGES_PER_HOUR = 10;
export const MAX_ATTEMPTS = 3;
const HOUR_MS = 3_600_000;
const rank = (s: AlertSeverity) => ALERT_SEVERITIES.indexOf(s);

/** Owners and managers hear about everything; technicians also about gateways and devices offline and scales to recalibrate. */
const recipientRoles = (alert: RaisedAlert) =>
  alert.rule === 'gateway_offline' || alert.rule === 'device_offline' || alert.rule === 'scale_recalibration'
    ? ['owner', 'manager', 'technician']
    : ['owner', 'manager'];

interface PreferenceRow {
  user_id: string;
  channel: NotificationChannelKind;
  address: string;
  min_severity: AlertSeverity;
  quiet_start: string;
  quiet_end: string;
  timezone: string;
}

export interface Fanout {
  notifications: number;
  pending: number;
  held: number;
  suppressed: number;
}

/**
 * One in-app notification per recipient of each new alert, and one delivery per channel the recipient chose
 * for that severity: due now, held until the end of their quiet hours (critical alerts excepted), or
 * suppressed by the rate limits (one message per user and channel per dedup key per hour, `maxPerHour`
 * in all).
 */
export async function fanOut(
  d1: D1Database,
  organizationId: string,
  alerts: readonly RaisedAlert[],
  now: Date,
  options: DeliveryOptions = {},
): Promise<Fanout> {
  const result: Fanout = { notifications: 0, pending: 0, held: 0, suppressed: 0 };
  if (alerts.length === 0) return result;
  const at = now.toISOString();
  const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
  const [members, prefs, recent] = await runBatch<any>(d1, [
    sql`SELECT user_id, role FROM memberships WHERE organization_id = ${organizationId}`,
    sql`SELECT * FROM notification_preferences WHERE organization_id = ${organizationId}`,
    sql`SELECT n.user_id, d.channel, a.dedup_key, COUNT(*) AS sent FROM alert_deliveries d
          JOIN notifications n ON n.id = d.notification_id JOIN alerts a ON a.id = n.alert_id
         WHERE a.organization_id = ${organizationId} AND d.created_at >= ${hourAgo}
           AND d.status IN ('pending', 'sent', 'failed')
         GROUP BY n.user_id, d.channel, a.dedup_key`,
  ]);
  const zones = new Map((await loadLocations(d1, organizationId)).map((l) => [l.id, l.timezone]));
  const perKey = new Map<string, number>();
  const perUser = new Map<string, number>();
  for (const row of recent!.results as {
    user_id: string;
    channel: string;
    dedup_key: string;
    sent: number;
  }[]) {
    perKey.set(`${row.user_id}|${row.channel}|${row.dedup_key}`, row.sent);
    perUser.set(row.user_id, (perUser.get(row.user_id) ?? 0) + row.sent);
  }
  const maxPerHour = options.maxPerHour ?? MAX_MESSAGES_PER_HOUR;
  const writes: SQL[] = [];
  for (const alert of alerts) {
    const roles = recipientRoles(alert);
    for (const member of members!.results as { user_id: string; role: string }[]) {
      if (!roles.includes(member.role)) continue;
      const notificationId = newId();
      result.notifications++;
      writes.push(
        sql`INSERT INTO notifications (id, alert_id, user_id, read_at, created_at)
            VALUES (${notificationId}, ${alert.id}, ${member.user_id}, NULL, ${at})`,
      );
      const chosen = (prefs!.results as PreferenceRow[]).filter(
        (p) => p.user_id === member.user_id && rank(alert.severity) >= rank(p.min_severity),
      );
      for (const pref of chosen) {
        const key = `${member.user_id}|${pref.channel}|${alert.dedupKey}`;
        const keyCount = perKey.get(key) ?? 0;
        const userCount = perUser.get(member.user_id) ?? 0;
        let status = 'pending';
        let due = at;
        let reason: string | null = null;
        if (keyCount >= 1) {
          status = 'suppressed';
          reason = 'rate limit: one message per alert per hour';
        } else if (userCount >= maxPerHour) {
          status = 'suppressed';
          reason = `rate limit: ${maxPerHour} messages per hour`;
        } else if (alert.severity !== 'critical') {
          const zone = pref.timezone || (alert.locationId && zones.get(alert.locationId)) || 'UTC';
          const until = quietUntil(now, pref.quiet_start, pref.quiet_end, zone);
          if (until) due = until.toISOString();
        }
        if (status === 'suppressed') result.suppressed++;
        else if (due !== at) result.held++;
        else result.pending++;
        if (status === 'pending') {
          perKey.set(key, keyCount + 1);
          perUser.set(member.user_id, userCount + 1);
        }
        writes.push(
          sql`INSERT INTO alert_deliveries (id, notification_id, channel, address, status, attempts, next_attempt_at,
                last_error, sent_at, created_at)
              VALUES (${newId()}, ${notificationId}, ${pref.channel}, ${pref.address}, ${status}, 0, ${due}, ${reason},
                      NULL, ${at})`,
        );
      }
    }
  }
  if (writes.length) await runBatch(d1, writes);
  return result;
}

/** Delay before attempt `attempt + 1` after `attempt` failed: 1, 2, 4 … minutes. */
export const backoffMs = (attempt: number) => 60_000 * 2 ** (attempt - 1);

interface DueRow {
  id: string;
  channel: NotificationChannelKind;
  address: string;
  attempts: number;
  next_attempt_at: string;
  title: string;
  body: string;
}

/**
 * Sends every delivery due at `now` (of one organization, or all): sent, or retried with exponential backoff
 * until `MAX_ATTEMPTS`, then failed. A delivery is claimed before its send, so two overlapping runs never
 * send it twice; its id is the provider's idempotency key.
 */
export async function sendDue(
  d1: D1Database,
  channels: Channels,
  now: Date,
  organizationId: string | null = null,
  limit = 50,
): Promise<{ sent: number; failed: number; retrying: number }> {
  const at = now.toISOString();
  const db = openDb(d1);
  const results = await db.all<DueRow>(
    sql`SELECT d.id, d.channel, d.address, d.attempts, d.next_attempt_at, a.title, a.body
          FROM alert_deliveries d JOIN notifications n ON n.id = d.notification_id JOIN alerts a ON a.id = n.alert_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= ${at}
           AND (${organizationId} IS NULL OR a.organization_id = ${organizationId})
         ORDER BY d.next_attempt_at LIMIT ${limit}`,
  );
  const outcome = { sent: 0, failed: 0, retrying: 0 };
  for (const row of results) {
    const lease = new Date(now.getTime() + 5 * 60_000).toISOString();
    const claim = await db.run(
      sql`UPDATE alert_deliveries SET next_attempt_at = ${lease}
           WHERE id = ${row.id} AND status = 'pending' AND next_attempt_at = ${row.next_attempt_at}`,
    );
    if (claim.meta.changes === 0) continue;
    const attempts = row.attempts + 1;
    const channel = channels[row.channel];
    try {
      if (!channel) throw new ChannelError(`${row.channel} is not configured on this hub`, false);
      await channel.send(row.address, { subject: row.title, text: row.body, idempotencyKey: row.id });
      await db.run(
        sql`UPDATE alert_deliveries SET status = 'sent', attempts = ${attempts}, sent_at = ${at}, next_attempt_at = ${at},
              last_error = NULL WHERE id = ${row.id}`,
      );
      outcome.sent++;
    } catch (error) {
      const retryable = !(error instanceof ChannelError) || error.retryable;
      const giveUp = !retryable || attempts >= MAX_ATTEMPTS;
      const message = (error as Error).message.slice(0, 300);
      const nextAttemptAt = giveUp ? at : new Date(now.getTime() + backoffMs(attempts)).toISOString();
      await db.run(
        sql`UPDATE alert_deliveries SET status = ${giveUp ? 'failed' : 'pending'}, attempts = ${attempts},
              next_attempt_at = ${nextAttemptAt}, last_error = ${message} WHERE id = ${row.id}`,
      );
      if (giveUp) outcome.failed++;
      else outcome.retrying++;
    }
  }
  return outcome;
}
