import { barSettingsSchema, type BarSettings } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { nowIso, openDb } from '../db/client.ts';

/** The owner's tolerances and targets, defaults filled in. */
export async function readSettings(d1: D1Database, organizationId: string): Promise<BarSettings> {
  const row = await openDb(d1).get<{ settings: string }>(
    sql`SELECT settings FROM bar_settings WHERE organization_id = ${organizationId}`,
  );
  return barSettingsSchema.parse(row ? JSON.parse(row.settings) : {});
}

export async function writeSettings(d1: D1Database, organizationId: string, patch: Partial<BarSettings>) {
  const settings = barSettingsSchema.parse({ ...(await readSettings(d1, organizationId)), ...patch });
  await openDb(d1).run(
    sql`INSERT INTO bar_settings (organization_id, settings, updated_at)
        VALUES (${organizationId}, ${JSON.stringify(settings)}, ${nowIso()})
        ON CONFLICT DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  );
  return settings;
}
