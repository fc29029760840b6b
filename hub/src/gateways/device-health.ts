import type { DeviceHealthAck, DeviceHealthReport, DeviceTrouble, GatewayDevice } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb, runBatch } from '../db/client.ts';
import type { GatewayPrincipal } from '../env.ts';

/**
 * Keeps a gateway's latest device report: in one D1 batch (a transaction) the gateway's previous rows go
 * and the report's rows come in, so a device the gateway no longer has disappears with its drift.
 */
export async function storeDeviceReport(
  d1: D1Database,
  gateway: GatewayPrincipal,
  report: DeviceHealthReport,
): Promise<DeviceHealthAck> {
  await runBatch(d1, [
    sql`DELETE FROM gateway_devices WHERE gateway_id = ${gateway.gatewayId}`,
    ...report.devices.map(
      (device) =>
        sql`INSERT OR REPLACE INTO gateway_devices (gateway_id, device_id, kind, model, state, last_status_at, calibrated_at,
              drift, reported_at, last_reading, firmware, config_version, config_acked_version, trouble)
            VALUES (${gateway.gatewayId}, ${device.deviceId}, ${device.kind}, ${device.model}, ${device.state},
                    ${device.lastStatusAt}, ${device.calibratedAt ?? null}, ${JSON.stringify(device.drift)},
                    ${report.reportedAt}, ${device.lastReading ? JSON.stringify(device.lastReading) : null},
                    ${device.firmware ?? null}, ${device.config?.version ?? null}, ${device.config?.ackedVersion ?? null},
                    ${device.trouble ? JSON.stringify(device.trouble) : null})`,
    ),
  ]);
  return { stored: report.devices.length };
}

/** Every device of the organization's gateways from their latest reports, by gateway then device id. */
export async function listGatewayDevices(d1: D1Database, organizationId: string): Promise<GatewayDevice[]> {
  const results = await openDb(d1).all<Record<string, string | number | null>>(
    sql`SELECT d.gateway_id, d.device_id, d.kind, d.model, d.state, d.last_status_at, d.calibrated_at, d.drift,
               d.reported_at, d.last_reading, d.firmware, d.config_version, d.config_acked_version, d.trouble
          FROM gateway_devices d JOIN gateways g ON g.id = d.gateway_id
         WHERE g.organization_id = ${organizationId}
         ORDER BY d.gateway_id, d.device_id`,
  );
  return results.map((row) => {
    const text = (column: string) => (row[column] ?? null) as string | null;
    return {
      gatewayId: text('gateway_id')!,
      deviceId: text('device_id')!,
      kind: row.kind as GatewayDevice['kind'],
      model: text('model')!,
      state: row.state as GatewayDevice['state'],
      lastStatusAt: text('last_status_at'),
      calibratedAt: text('calibrated_at'),
      drift: JSON.parse(text('drift')!) as GatewayDevice['drift'],
      reportedAt: text('reported_at')!,
      // NULL columns (a gateway that does not report these): no reading known, no trouble seen.
      lastReading:
        row.last_reading === null
          ? null
          : (JSON.parse(text('last_reading')!) as GatewayDevice['lastReading']),
      firmware: text('firmware'),
      config:
        row.config_version === null
          ? null
          : {
              version: row.config_version as number,
              ackedVersion: (row.config_acked_version ?? null) as number | null,
            },
      trouble: row.trouble === null ? [] : (JSON.parse(text('trouble')!) as DeviceTrouble[]),
    };
  });
}
