import type { PlatformDriftReport } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import type { AlertCandidate } from './rules.ts';

/**
 * "Recalibrate scale": a gateway's latest device report (gateways/device-health.ts) says a scale platform's
 * empty reading has crept beyond the gateway's tolerance. One alert per platform, resolved when a report
 * no longer shows it drifted (the technician recalibrated, which resets the gateway's watch).
 */
export interface ScaleDriftFact {
  gatewayId: string;
  gatewayName: string;
  locationId: string;
  locationName: string;
  deviceId: string;
  model: string;
  calibratedAt: string | null;
  drift: PlatformDriftReport[];
}

export function scaleRecalibrationAlerts(facts: readonly ScaleDriftFact[]): AlertCandidate[] {
  return facts.flatMap((f) =>
    f.drift
      .filter((p) => p.drifted)
      .map((p) => {
        const reads = `${p.emptyG > 0 ? '+' : ''}${p.emptyG} g`;
        const calibrated = f.calibratedAt ? `last calibrated ${f.calibratedAt}` : 'no calibration on record';
        return {
          rule: 'scale_recalibration' as const,
          severity: 'warning' as const,
          locationId: f.locationId,
          dedupKey: `scale_recalibration:${f.gatewayId}:${f.deviceId}:${p.platform}`,
          title: `Recalibrate scale ${f.deviceId} (platform ${p.platform}) at ${f.locationName}`,
          body:
            `With nothing on it, platform ${p.platform} reads ${reads}${p.since ? ` since ${p.since}` : ''} ` +
            `(${calibrated}); its pour and count weights are off by that much. Empty it and run ` +
            `pourcast-config calibrate ${f.deviceId} --step tare, then --step span and --step check with two known weights ` +
            `(gateway ${f.gatewayName}).`,
          snoozeHours: 24,
        };
      }),
  );
}

/** The drifted scales of the organization's gateways that are not revoked, from their latest reports. */
export async function scaleDriftFacts(d1: D1Database, organizationId: string): Promise<ScaleDriftFact[]> {
  const results = await openDb(d1).all<Omit<ScaleDriftFact, 'drift'> & { drift: string }>(
    sql`SELECT d.gateway_id AS gatewayId, g.name AS gatewayName, g.location_id AS locationId,
               l.name AS locationName, d.device_id AS deviceId, d.model, d.calibrated_at AS calibratedAt,
               d.drift
          FROM gateway_devices d
          JOIN gateways g ON g.id = d.gateway_id
          JOIN locations l ON l.id = g.location_id
         WHERE g.organization_id = ${organizationId} AND g.revoked_at IS NULL AND d.kind = 'scale' AND d.state != 'revoked'
           AND EXISTS (SELECT 1 FROM json_each(d.drift) WHERE json_extract(value, '$.drifted') = 1)
         ORDER BY d.gateway_id, d.device_id`,
  );
  return results.map((row) => ({ ...row, drift: JSON.parse(row.drift) as PlatformDriftReport[] }));
}
