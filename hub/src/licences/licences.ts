import type { Licence } from '@pourcast/protocol';
import { newId } from '../db/client.ts';
import { notFound } from '../http/app-error.ts';
import { daysBetween } from '../alerts/rules.ts';

/** Licences and permits per bar with their expiry dates (reminders: alerts/rules.ts `licenceExpiryAlerts`). */
interface LicenceRow {
  id: string;
  location_id: string;
  name: string;
  kind: 'licence' | 'permit';
  reference: string | null;
  expires_on: string;
}

export interface LicenceInput {
  locationId: string;
  name: string;
  kind: 'licence' | 'permit';
  reference: string | null;
  expiresOn: string;
}

const toLicence = (row: LicenceRow, today: string): Licence => ({
  id: row.id,
  locationId: row.location_id,
  name: row.name,
  kind: row.kind,
  reference: row.reference,
  expiresOn: row.expires_on,
  daysLeft: daysBetween(today, row.expires_on),
});

const today = (now: Date) => now.toISOString().slice(0, 10);

export async function listLicences(
  d1: D1Database,
  organizationId: string,
  now = new Date(),
  locationId: string | null = null,
): Promise<Licence[]> {
  const { results } = await d1
    .prepare(
      `SELECT * FROM licences WHERE organization_id = ?1 AND (?2 IS NULL OR location_id = ?2)
        ORDER BY expires_on, name, id`,
    )
    .bind(organizationId, locationId)
    .all<LicenceRow>();
  return results.map((row) => toLicence(row, today(now)));
}

export async function getLicence(d1: D1Database, organizationId: string, id: string, now = new Date()) {
  const row = await d1
    .prepare('SELECT * FROM licences WHERE organization_id = ? AND id = ?')
    .bind(organizationId, id)
    .first<LicenceRow>();
  if (!row) throw notFound('licence');
  return toLicence(row, today(now));
}

/** The location must belong to the organization (another organization's bar answers 404). */
export async function createLicence(d1: D1Database, organizationId: string, input: LicenceInput) {
  const id = newId();
  const inserted = await d1
    .prepare(
      `INSERT INTO licences (id, organization_id, location_id, name, kind, reference, expires_on)
       SELECT ?, ?, id, ?, ?, ?, ? FROM locations WHERE id = ? AND organization_id = ?`,
    )
    .bind(
      id,
      organizationId,
      input.name,
      input.kind,
      input.reference,
      input.expiresOn,
      input.locationId,
      organizationId,
    )
    .run();
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
  await d1
    .prepare(
      'UPDATE licences SET name = ?, kind = ?, reference = ?, expires_on = ? WHERE id = ? AND organization_id = ?',
    )
    .bind(next.name, next.kind, next.reference, next.expiresOn, id, organizationId)
    .run();
  return getLicence(d1, organizationId, id);
}

export async function deleteLicence(d1: D1Database, organizationId: string, id: string) {
  const deleted = await d1
    .prepare('DELETE FROM licences WHERE id = ? AND organization_id = ?')
    .bind(id, organizationId)
    .run();
  if (deleted.meta.changes === 0) throw notFound('licence');
}
