import { and, asc, eq } from 'drizzle-orm';
import type { Location } from '@pourcast/protocol';
import { newId, type Db } from '../db/client.ts';
import { locations } from '../db/schema.ts';
import { notFound } from '../http/app-error.ts';

type LocationRow = typeof locations.$inferSelect;
type LocationFields = Omit<Location, 'id' | 'organizationId'>;

const toLocation = (row: LocationRow): Location => ({
  id: row.id,
  organizationId: row.organizationId,
  name: row.name,
  timezone: row.timezone,
  deliveryAddress: row.deliveryAddress,
  areas: row.areas,
});

export async function listLocations(db: Db, organizationId: string): Promise<Location[]> {
  const rows = await db
    .select()
    .from(locations)
    .where(eq(locations.organizationId, organizationId))
    .orderBy(asc(locations.name));
  return rows.map(toLocation);
}

/** The location if it belongs to the organization; 404 otherwise (other organizations' ids do not exist). */
export async function getLocation(db: Db, organizationId: string, id: string): Promise<Location> {
  const [row] = await db
    .select()
    .from(locations)
    .where(and(eq(locations.id, id), eq(locations.organizationId, organizationId)));
  if (!row) throw notFound('location');
  return toLocation(row);
}

export async function createLocation(
  db: Db,
  organizationId: string,
  input: LocationFields,
): Promise<Location> {
  const [row] = await db
    .insert(locations)
    .values({ id: newId(), organizationId, ...input })
    .returning();
  return toLocation(row!);
}

export async function updateLocation(
  db: Db,
  organizationId: string,
  id: string,
  patch: Partial<LocationFields>,
): Promise<Location> {
  await getLocation(db, organizationId, id);
  if (Object.keys(patch).length === 0) return getLocation(db, organizationId, id);
  const [row] = await db
    .update(locations)
    .set(patch)
    .where(and(eq(locations.id, id), eq(locations.organizationId, organizationId)))
    .returning();
  return toLocation(row!);
}
