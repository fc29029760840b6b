import type { GatewayDb } from '../db/open-db.ts';
import { managedDevices } from '../db/schema-devices.ts';

export { adminToken, deviceCalibrations, deviceConfigs, managedDevices } from '../db/schema-devices.ts';

export async function managedDeviceIds(db: GatewayDb): Promise<Set<string>> {
  const rows = await db.select().from(managedDevices);
  return new Set(rows.map((row) => row.deviceId));
}

export async function markManaged(db: GatewayDb, deviceId: string, now = Date.now()): Promise<void> {
  await db.insert(managedDevices).values({ deviceId, since: now }).onConflictDoNothing();
}
