import { barSettingsSchema, type BarSettings } from '@pourcast/protocol';
import { nowIso } from '../db/client.ts';

/** The owner's tolerances and targets, defaults filled in. */
export async function readSettings(d1: D1Database, organizationId: string): Promise<BarSettings> {
  const row = await d1
    .prepare('SELECT settings FROM bar_settings WHERE organization_id = ?')
    .bind(organizationId)
    .first<{ settings: string }>();
  return barSettingsSchema.parse(row ? JSON.parse(row.settings) : {});
}

export async function writeSettings(d1: D1Database, organizationId: string, patch: Partial<BarSettings>) {
  const settings = barSettingsSchema.parse({ ...(await readSettings(d1, organizationId)), ...patch });
  await d1
    .prepare(
      `INSERT INTO bar_settings (organization_id, settings, updated_at) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
    )
    .bind(organizationId, JSON.stringify(settings), nowIso())
    .run();
  return settings;
}
