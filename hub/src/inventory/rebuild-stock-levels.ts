import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';

/**
 * Recomputes the stock_levels cache from the ledger alone, in one D1 batch (a transaction), with the same
 * fold as the trigger in migration 0001: sealed = Σ containersDelta, open = Σ (deltaMl − containersDelta ×
 * containerMl); the latest observation (ties: the later insert) gives lastObservedAt and lastSource.
 * For repairs and for checking the trigger; answers how many location × item rows it wrote.
 */
export async function rebuildStockLevels(d1: D1Database): Promise<number> {
  const db = openDb(d1);
  const [, rebuilt] = await db.batch([
    db.run(sql`DELETE FROM stock_levels`),
    db.run(
      sql`INSERT INTO stock_levels (location_id, item_id, sealed_containers, open_ml, last_observed_at, last_source)
          SELECT location_id, item_id, sealed, open_ml, observed_at, source FROM (
            SELECT location_id, item_id, observed_at, source,
                   SUM(containers_delta) OVER whole AS sealed,
                   SUM(delta_ml - containers_delta * container_ml) OVER whole AS open_ml,
                   ROW_NUMBER() OVER (PARTITION BY location_id, item_id ORDER BY observed_at DESC, rowid DESC) AS latest
              FROM stock_events
            WINDOW whole AS (PARTITION BY location_id, item_id)
          ) WHERE latest = 1`,
    ),
  ]);
  return rebuilt.meta.changes;
}
