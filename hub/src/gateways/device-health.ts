import type { DeviceHealthAck, DeviceHealthReport, GatewayDevice } from '@pourcast/protocol';
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
  const insert = d1.prepare(
    `INSERT OR REPLACE INTO gateway_devices (gateway_id, device_id, kind, model, state, last_status_at, calibrated_at,
       drift, reported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  await d1.batch([
    d1.prepare('DELETE FROM gateway_devices WHERE gateway_id = ?').bind(gateway.gatewayId),
    ...report.devices.map((device) =>
      insert.bind(
        gateway.gatewayId,
        device.deviceId,
        device.kind,
        device.model,
        device.state,
        device.lastStatusAt,
        device.calibratedAt ?? null,
        JSON.stringify(device.drift),
        report.reportedAt,
      ),
    ),
  ]);
  return { stored: report.devices.length };
}

/** Every device of the organization's gateways from their latest reports, by gateway then device id. */
export async function listGatewayDevices(d1: D1Database, organizationId: string): Promise<GatewayDevice[]> {
  const { results } = await d1
    .prepare(
      `SELECT d.gateway_id, d.device_id, d.kind, d.model, d.state, d.last_status_at, d.calibrated_at, d.drift,
              d.reported_at
         FROM gateway_devices d JOIN gateways g ON g.id = d.gateway_id
        WHERE g.organization_id = ?
        ORDER BY d.gateway_id, d.device_id`,
    )
    .bind(organizationId)
    .all<Record<string, string | null>>();
  return results.map((row) => ({
    gatewayId: row.gateway_id!,
    deviceId: row.device_id!,
    kind: row.kind as GatewayDevice['kind'],
    model: row.model!,
    state: row.state as GatewayDevice['state'],
    lastStatusAt: row.last_status_at ?? null,
    calibratedAt: row.calibrated_at ?? null,
    drift: JSON.parse(row.drift!) as GatewayDevice['drift'],
    reportedAt: row.reported_at!,
  }));
}
