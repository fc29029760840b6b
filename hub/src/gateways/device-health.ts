import type { DeviceHealthAck, DeviceHealthReport } from '@pourcast/protocol';
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
