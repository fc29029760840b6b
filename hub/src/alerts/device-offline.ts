import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { GATEWAY_OFFLINE_MINUTES, type AlertCandidate } from './rules.ts';

/**
 * "Device offline": a gateway that is itself online says one of its devices (a scale, a shelf camera, a
 * scanner) went offline (its MQTT last will) and has stayed so for DEVICE_OFFLINE_MINUTES, so pours there are
 * no longer measured. A device never heard from is `unknown`, not offline; an offline gateway is the
 * gateway_offline rule's, its device report being stale. A warning only: bars power devices down at closing,
 * and that must not wake anyone through quiet hours.
 */
export const DEVICE_OFFLINE_MINUTES = 15;

export interface DeviceOfflineFact {
  gatewayId: string;
  gatewayName: string;
  gatewayLastSeenAt: string;
  locationId: string;
  locationName: string;
  deviceId: string;
  kind: string;
  /** The device's last status message (the offline one), null if the gateway never had one. */
  lastStatusAt: string | null;
  reportedAt: string;
}

const minutesSince = (now: Date, at: string) => Math.floor((now.getTime() - Date.parse(at)) / 60_000);

export function deviceOfflineAlerts(facts: readonly DeviceOfflineFact[], now: Date): AlertCandidate[] {
  return facts
    .filter((f) => minutesSince(now, f.gatewayLastSeenAt) < GATEWAY_OFFLINE_MINUTES)
    .filter((f) => f.lastStatusAt === null || minutesSince(now, f.lastStatusAt) >= DEVICE_OFFLINE_MINUTES)
    .map((f) => ({
      rule: 'device_offline' as const,
      severity: 'warning' as const,
      locationId: f.locationId,
      dedupKey: `device_offline:${f.gatewayId}:${f.deviceId}`,
      title: `${f.kind[0]!.toUpperCase()}${f.kind.slice(1)} ${f.deviceId} at ${f.locationName} is offline`,
      body:
        `Gateway ${f.gatewayName} reported it offline at ${f.reportedAt}` +
        `${f.lastStatusAt ? ` (last heard ${f.lastStatusAt})` : ''}; pours there are not measured until it is back.`,
      snoozeHours: 4,
    }));
}

/** Offline devices in the latest reports of the organization's gateways that are not revoked. */
export async function deviceOfflineFacts(
  d1: D1Database,
  organizationId: string,
): Promise<DeviceOfflineFact[]> {
  return openDb(d1).all<DeviceOfflineFact>(
    sql`SELECT d.gateway_id AS gatewayId, g.name AS gatewayName,
               COALESCE(g.last_seen_at, g.created_at) AS gatewayLastSeenAt, g.location_id AS locationId,
               l.name AS locationName, d.device_id AS deviceId, d.kind, d.last_status_at AS lastStatusAt,
               d.reported_at AS reportedAt
          FROM gateway_devices d
          JOIN gateways g ON g.id = d.gateway_id
          JOIN locations l ON l.id = g.location_id
         WHERE g.organization_id = ${organizationId} AND g.revoked_at IS NULL AND d.state = 'offline'
         ORDER BY d.gateway_id, d.device_id`,
  );
}
