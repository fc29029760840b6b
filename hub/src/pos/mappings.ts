import type { PosMapping, PosProvider } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { nowIso, openDb } from '../db/client.ts';
import { notFound } from '../http/app-error.ts';
import { getMenuItem } from '../recipes/recipes.ts';
import { applyPendingSales } from './record-sales.ts';

/** POS item ids seen so far; `unmappedOnly` gives the "needs mapping" list. */
export async function listMappings(
  d1: D1Database,
  organizationId: string,
  unmappedOnly: boolean,
): Promise<PosMapping[]> {
  const results = await openDb(d1).all<{
    provider: PosProvider;
    external_id: string;
    external_name: string;
    menu_item_id: string | null;
    pending: number;
  }>(
    sql`SELECT m.provider, m.external_id, m.external_name, m.menu_item_id,
               (SELECT COUNT(*) FROM sale_lines s WHERE s.organization_id = m.organization_id AND s.provider = m.provider
                  AND s.external_item_id = m.external_id AND s.applied_at IS NULL) AS pending
          FROM pos_item_mappings m
         WHERE m.organization_id = ${organizationId} ${unmappedOnly ? sql`AND m.menu_item_id IS NULL` : sql``}
         ORDER BY m.provider, m.external_name`,
  );
  return results.map((row) => ({
    provider: row.provider,
    externalId: row.external_id,
    externalName: row.external_name,
    menuItemId: row.menu_item_id,
    pendingLines: row.pending,
  }));
}

/** Maps a POS item id to a menu item (creating the row if the POS has not sold it yet) and applies waiting lines. */
export async function setMapping(
  d1: D1Database,
  organizationId: string,
  input: { provider: PosProvider; externalId: string; menuItemId: string },
): Promise<PosMapping> {
  const menuItem = await getMenuItem(d1, organizationId, input.menuItemId);
  await openDb(d1).run(
    sql`INSERT INTO pos_item_mappings (organization_id, provider, external_id, external_name, menu_item_id, updated_at)
        VALUES (${organizationId}, ${input.provider}, ${input.externalId}, ${menuItem.name}, ${menuItem.id}, ${nowIso()})
        ON CONFLICT DO UPDATE SET menu_item_id = excluded.menu_item_id, updated_at = excluded.updated_at`,
  );
  await applyPendingSales(d1, organizationId);
  const mapping = (await listMappings(d1, organizationId, false)).find(
    (m) => m.provider === input.provider && m.externalId === input.externalId,
  );
  if (!mapping) throw notFound('mapping');
  return mapping;
}
