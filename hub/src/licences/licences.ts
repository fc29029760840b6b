import type { Licence } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { newId, openDb } from '../db/client.ts';
import { notFound } from '../http/app-error.ts';
import { daysBetween, localDate } from '../alerts/rules.ts';

/** Licences and permits per bar with their expiry dates (reminders: alerts/rules.ts `licenceExpiryAlerts`). */
interface LicenceRow {
  id: string;
  location_id: string;
  name: string;
  kind: 'licence' | 'permit';
  reference: string | null;
  expires_on: string;
  timezone: string;
}

export interface LicenceInput {
  locationId: string;
  name: string;
  kind: 'licence' | 'permit';
  reference: string | null;
  expiresOn: string;
}

const toLicence = (row: LicenceRow, now: Date): Licence => ({
  id: row.id,
  locationId: row.location_id,
  name: row.name,
  kind: row.kind,
  reference: row.reference,
  expiresOn: row.expires_on,
  daysLeft: daysBetween(localDate(now, row.timezone), row.expires_on),
});

const SELECT = sql`SELECT c.*, l.timezone FROM licences c JOIN locations l ON l.id = c.location_id`;

export async function listLicences(
  d1: D1Database,
  organizationId: string,
  now = new Date(),
  locationId: string | null = null,
): Promise<Licence[]> {
  const results = await openDb(d1).all<LicenceRow>(
    sql`${SELECT} WHERE c.organization_id = ${organizationId} AND (${locationId} IS NULL OR c.location_id = ${locationId})
        ORDER BY c.expires_on, c.name, c.id`,
  );
  return results.map((row) => toLicence(row, now));
}

export async function getLicence(d1: D1Database, organizationId: string, id: string, now = new Date()) {
  const row = await openDb(d1).get<LicenceRow>(
    sql`${SELECT} WHERE c.organization_id = ${organizationId} AND c.id = ${id}`,
  );
  if (!row) throw notFound('licence');
  return toLicence(row, now);
}

/** The location must belong to the organization (another organization's bar answers 404). */
export async function createLicence(d1: D1Database, organizationId: string, input: LicenceInput) {
  const id = newId();
  const inserted = await openDb(d1).run(
    sql`INSERT INTO licences (id, organization_id, location_id, name, kind, reference, expires_on)
        SELECT ${id}, ${organizationId}, id, ${input.name}, ${input.kind}, ${input.reference}, ${input.expiresOn}
          FROM locations WHERE id = ${input.locationId} AND organization_id = ${organizationId}`,
  );
  if (inserted.meta.changes === 0) throw notFound('location');
  return getLicence(d1, organizationId, id);
}

export async function updateLicence(
  d1: D1Database,
  organizationId: string,
  id: string,
  patch: Partial<Omit<LicenceInput, 'locationId'>>,
) {
  const current = await getLicence(d1, organizationId, id);
  const next = { ...current, ...patch };
  await openDb(d1).run(
    sql`UPDATE licences SET name = ${next.name}, kind = ${next.kind}, reference = ${next.reference}, expires_on = ${next.expiresOn}
         WHERE id = ${id} AND organization_id = ${organizationId}`,
  );
  return getLicence(d1, organizationId, id);
}

export async function deleteLicence(d1: D1Database, organizationId: string, id: string) {
  const deleted = await openDb(d1).run(
    sql`DELETE FROM licences WHERE id = ${id} AND organization_id = ${organizationId}`,
  );
  if (deleted.meta.changes === 0) throw notFound('licence');
}
