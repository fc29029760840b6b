import { sql } from 'drizzle-orm';
import { AppError } from '../http/app-error.ts';
import { nowIso, openDb } from '../db/client.ts';
import { loadNeeds } from './load-needs.ts';
import type { PinnedPar } from './order-schemas.ts';
import { orderingSettings } from './ordering-settings.ts';
import { stockTargets } from './stock-policy.ts';

/**
 * Each item's par at a bar: the one in force (pinned here, else the catalog's) and beside it the
 * suggested par, the forecast's order-up-to level at the service level with the fastest supplier's lead time.
 */
export async function parsAt(d1: D1Database, organizationId: string, locationId: string) {
  const [needs, settings] = await Promise.all([
    loadNeeds(d1, organizationId, locationId),
    orderingSettings(d1, organizationId),
  ]);
  return needs.map((need) => {
    const leadTimeDays = need.offers.length ? Math.min(...need.offers.map((o) => o.leadTimeDays)) : 2;
    const suggested = need.outlook
      ? stockTargets({
          outlook: need.outlook,
          leadTimeDays,
          reviewDays: settings.reviewPeriodDays,
          serviceLevel: settings.serviceLevel,
          pinnedParMl: null,
          catalogParMl: null,
        }).orderUpToMl
      : null;
    return {
      itemId: need.itemId,
      itemName: need.itemName,
      currentParMl: need.pinnedParMl ?? need.catalogParMl,
      pinned: need.pinnedParMl !== null,
      suggestedParMl: suggested === null ? null : Math.round(suggested),
    };
  });
}

/** One live item's pin at a bar of the organization (404 for an item it does not have). */
export async function pinnedPar(
  d1: D1Database,
  organizationId: string,
  locationId: string,
  itemId: string,
): Promise<PinnedPar> {
  const row = await openDb(d1).get<{
    name: string;
    par_level_ml: number | null;
    par_ml: number | null;
    pinned_by: string | null;
    pinned_at: string | null;
  }>(
    sql`SELECT i.name, i.par_level_ml, p.par_ml, p.pinned_by, p.pinned_at
          FROM items i LEFT JOIN par_levels p ON p.item_id = i.id AND p.location_id = ${locationId}
         WHERE i.id = ${itemId} AND i.organization_id = ${organizationId} AND i.archived_at IS NULL`,
  );
  if (!row) throw new AppError(404, 'not_found', 'item not found');
  return {
    locationId,
    itemId,
    itemName: row.name,
    pinnedParMl: row.par_ml,
    pinnedBy: row.pinned_by,
    pinnedAt: row.pinned_at,
    catalogParMl: row.par_level_ml,
  };
}

/** Pins a par for an item at a bar (null unpins: the forecast decides again). */
export async function pinPar(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; itemId: string; userId: string },
  parMl: number | null,
): Promise<void> {
  const db = openDb(d1);
  const item = await db.get(
    sql`SELECT id FROM items WHERE id = ${scope.itemId} AND organization_id = ${scope.organizationId} AND archived_at IS NULL`,
  );
  if (!item) throw new AppError(404, 'not_found', 'item not found');
  if (parMl === null) {
    await db.run(
      sql`DELETE FROM par_levels WHERE location_id = ${scope.locationId} AND item_id = ${scope.itemId}`,
    );
    return;
  }
  const at = nowIso();
  await db.run(
    sql`INSERT INTO par_levels (location_id, item_id, organization_id, par_ml, pinned_by, pinned_at)
        VALUES (${scope.locationId}, ${scope.itemId}, ${scope.organizationId}, ${parMl}, ${scope.userId}, ${at})
        ON CONFLICT (location_id, item_id) DO UPDATE SET par_ml = ${parMl}, pinned_by = ${scope.userId}, pinned_at = ${at}`,
  );
}
