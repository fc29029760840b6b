import type { LocationStock } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import type { StockLineSource } from '../db/types.ts';

interface StockRow {
  id: string;
  name: string;
  category: LocationStock['items'][number]['category'];
  container_ml: number;
  unit: LocationStock['items'][number]['unit'];
  par_level_ml: number | null;
  sealed_containers: number | null;
  open_ml: number | null;
  last_observed_at: string | null;
  last_source: StockLineSource | null;
}

/**
 * Every active item of the organization with its stock at the location (zero when nothing is known yet) and
 * the par in force there: the one a manager pinned for this bar, else the item's catalog par (as ordering and
 * the gateways' staff displays read it).
 */
export async function locationStock(
  d1: D1Database,
  organizationId: string,
  locationId: string,
): Promise<LocationStock> {
  const results = await openDb(d1).all<StockRow>(
    sql`SELECT i.id, i.name, i.category, i.container_ml, i.unit, COALESCE(p.par_ml, i.par_level_ml) AS par_level_ml,
               s.sealed_containers, s.open_ml, s.last_observed_at, s.last_source
          FROM items i
          LEFT JOIN par_levels p ON p.item_id = i.id AND p.location_id = ${locationId}
          LEFT JOIN stock_levels s ON s.item_id = i.id AND s.location_id = ${locationId}
         WHERE i.organization_id = ${organizationId} AND i.archived_at IS NULL
         ORDER BY i.name, i.id`,
  );
  return {
    locationId,
    items: results.map((row) => {
      const sealedContainers = row.sealed_containers ?? 0;
      const openMl = row.open_ml ?? 0;
      return {
        itemId: row.id,
        itemName: row.name,
        category: row.category,
        containerMl: row.container_ml,
        unit: row.unit,
        sealedContainers,
        openMl,
        totalMl: sealedContainers * row.container_ml + openMl,
        parLevelMl: row.par_level_ml,
        lastObservedAt: row.last_observed_at,
        lastSource: row.last_source,
      };
    }),
  };
}

/** One item's folded stock at a location, or zeros. */
export async function itemStock(d1: D1Database, locationId: string, itemId: string) {
  const row = await openDb(d1).get<{ sealed_containers: number; open_ml: number }>(
    sql`SELECT sealed_containers, open_ml FROM stock_levels WHERE location_id = ${locationId} AND item_id = ${itemId}`,
  );
  return { sealedContainers: row?.sealed_containers ?? 0, openMl: row?.open_ml ?? 0 };
}
