import type { StockAdjustmentRequest } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { newId, nowIso, openDb } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';

export interface AdjustmentScope {
  organizationId: string;
  locationId: string;
  userId: string;
}

/**
 * Sets an item's count by appending one `adjust` event (source `manual`) with whatever deltas reach it:
 * containersDelta = sealed − current sealed, deltaMl = (open − current open) + containersDelta × containerMl.
 * One INSERT … SELECT reads the current level and appends in the same statement, so a concurrent event
 * cannot slip in between.
 */
export async function adjustStock(d1: D1Database, scope: AdjustmentScope, input: StockAdjustmentRequest) {
  const inserted = await openDb(d1).all<{ id: string }>(
    sql`INSERT INTO stock_events (id, organization_id, location_id, item_id, kind, delta_ml, containers_delta,
          container_ml, level_after_ml, source, user_id, reason, observed_at, confidence)
        SELECT ${newId()}, i.organization_id, ${scope.locationId}, i.id, 'adjust',
               (${input.openMl} - COALESCE(s.open_ml, 0)) + (${input.sealedContainers} - COALESCE(s.sealed_containers, 0)) * i.container_ml,
               ${input.sealedContainers} - COALESCE(s.sealed_containers, 0), i.container_ml, NULL, 'manual', ${scope.userId},
               ${input.reason}, ${nowIso()}, 1
          FROM items i
          LEFT JOIN stock_levels s ON s.item_id = i.id AND s.location_id = ${scope.locationId}
         WHERE i.id = ${input.itemId} AND i.organization_id = ${scope.organizationId} AND i.archived_at IS NULL
        RETURNING id`,
  );
  // RETURNING rather than meta.changes: D1 counts the trigger's row in changes too.
  if (inserted.length !== 1) {
    throw new AppError(422, 'unknown_item', 'the adjustment names an item this organization does not have', [
      'body.itemId: not an item of this organization',
    ]);
  }
}
