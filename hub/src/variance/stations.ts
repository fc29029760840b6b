import type { Station, StationInput } from '@pourcast/protocol';
import { type SQL, sql } from 'drizzle-orm';
import { newId, openDb, runBatch } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';

/** How a POS station name is matched to a station: case and runs of spaces ignored. */
export const stationKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** The bar's stations with their devices and staff, by name. */
export async function listStations(d1: D1Database, organizationId: string, locationId: string) {
  const [stations, devices, staff] = await runBatch(d1, [
    sql`SELECT id, name FROM stations WHERE organization_id = ${organizationId} AND location_id = ${locationId} ORDER BY name`,
    sql`SELECT d.station_id, d.device_id FROM station_devices d JOIN stations s ON s.id = d.station_id
           WHERE s.organization_id = ${organizationId} AND s.location_id = ${locationId} ORDER BY d.device_id`,
    sql`SELECT m.station_id, m.user_id FROM station_staff m JOIN stations s ON s.id = m.station_id
           WHERE s.organization_id = ${organizationId} AND s.location_id = ${locationId} ORDER BY m.user_id`,
  ]);
  const deviceRows = devices!.results as { station_id: string; device_id: string }[];
  const staffRows = staff!.results as { station_id: string; user_id: string }[];
  return (stations!.results as { id: string; name: string }[]).map((row): Station => ({
    id: row.id,
    name: row.name,
    deviceIds: deviceRows.filter((d) => d.station_id === row.id).map((d) => d.device_id),
    userIds: staffRows.filter((m) => m.station_id === row.id).map((m) => m.user_id),
  }));
}

/**
 * Replaces the bar's stations with these (one D1 batch). A station keeps its id when its name stays, so
 * earlier reports and links keep pointing at it; stations not named any more are removed with their
 * assignments. Staff must be users of the organization.
 */
export async function replaceStations(
  d1: D1Database,
  scope: { organizationId: string; locationId: string },
  input: Array<Required<StationInput>>,
): Promise<Station[]> {
  const userIds = [...new Set(input.flatMap((s) => s.userIds))];
  if (userIds.length) {
    const ids = sql.join(
      userIds.map((id) => sql`${id}`),
      sql`,`,
    );
    const results = await openDb(d1).all<{ user_id: string }>(
      sql`SELECT user_id FROM memberships WHERE organization_id = ${scope.organizationId} AND user_id IN (${ids})`,
    );
    const known = new Set(results.map((r) => r.user_id));
    const refused: string[] = [];
    input.forEach((station, s) =>
      station.userIds.forEach((id, u) => {
        if (!known.has(id)) refused.push(`body.stations.${s}.userIds.${u}: not a user of this organization`);
      }),
    );
    if (refused.length) throw new AppError(422, 'unknown_user', 'a station names an unknown user', refused);
  }
  const existing = new Map(
    (await listStations(d1, scope.organizationId, scope.locationId)).map((s) => [stationKey(s.name), s.id]),
  );
  const statements: SQL[] = [
    sql`DELETE FROM station_devices WHERE location_id = ${scope.locationId}`,
    sql`DELETE FROM station_staff WHERE station_id IN (SELECT id FROM stations WHERE location_id = ${scope.locationId} AND organization_id = ${scope.organizationId})`,
  ];
  const keep = new Set<string>();
  for (const station of input) {
    const key = stationKey(station.name);
    const id = existing.get(key) ?? newId();
    keep.add(id);
    statements.push(
      sql`INSERT INTO stations (id, organization_id, location_id, name, name_key)
            VALUES (${id}, ${scope.organizationId}, ${scope.locationId}, ${station.name.trim()}, ${key})
            ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
      ...station.deviceIds.map(
        (deviceId) =>
          sql`INSERT INTO station_devices (location_id, device_id, station_id) VALUES (${scope.locationId}, ${deviceId}, ${id})`,
      ),
      ...station.userIds.map(
        (userId) => sql`INSERT INTO station_staff (station_id, user_id) VALUES (${id}, ${userId})`,
      ),
    );
  }
  for (const id of existing.values()) {
    if (!keep.has(id)) statements.push(sql`DELETE FROM stations WHERE id = ${id}`);
  }
  await runBatch(d1, statements);
  return listStations(d1, scope.organizationId, scope.locationId);
}
