import type { Licence } from '@pourcast/protocol';
import { newId } from '../db/client.ts';
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

const SELECT = `SELECT c.*, l.timezone FROM licences c JOIN locations l ON l.id = c.location_id`;

export async function listLicences(
  d1: D1Database,
  organizationId: string,
  now = new Date(),
  locationId: string | null = null,
): Promise<Licence[]> {
  const { results } = await d1
    .prepare(
      `${SELECT} WHERE c.organization_id = ?1 AND (?2 IS NULL OR c.location_id = ?2)
        ORDER BY c.expires_on, c.name, c.id`,
    )
    .bind(organizationId, locationId)
    .all<LicenceRow>();
  return results.map((row) => toLicence(row, now));
}

export async function getLicence(d1: D1Database, organizationId: string, id: string, now = new Date()) {
  const row = await d1
    .prepare(`${SELECT} WHERE c.organization_id = ? AND c.id = ?`)
    .bind(organizationId, id)
    .first<LicenceRow>();
  if (!row) throw notFound('licence');
  return toLicence(row, now);
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
