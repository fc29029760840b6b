import type { StockAdjustmentRequest } from '@pourcast/protocol';
import { newId, nowIso } from '../db/client.ts';
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
  const result = await d1
    .prepare(
      `INSERT INTO stock_events (id, organization_id, location_id, item_id, kind, delta_ml, containers_delta,
         container_ml, level_after_ml, source, user_id, reason, observed_at, confidence)
       SELECT ?1, i.organization_id, ?2, i.id, 'adjust',
              (?3 - COALESCE(s.open_ml, 0)) + (?4 - COALESCE(s.sealed_containers, 0)) * i.container_ml,
              ?4 - COALESCE(s.sealed_containers, 0), i.container_ml, NULL, 'manual', ?5, ?6, ?7, 1
         FROM items i
         LEFT JOIN stock_levels s ON s.item_id = i.id AND s.location_id = ?2
        WHERE i.id = ?8 AND i.organization_id = ?9 AND i.archived_at IS NULL
       RETURNING id`,
    )
    .bind(
      newId(),
      scope.locationId,
      input.openMl,
      input.sealedContainers,
      scope.userId,
      input.reason,
      nowIso(),
      input.itemId,
      scope.organizationId,
    )
    .all();
  // RETURNING rather than meta.changes: D1 counts the trigger's row in changes too.
  if (result.results.length !== 1) {
    throw new AppError(422, 'unknown_item', 'the adjustment names an item this organization does not have', [
      'body.itemId: not an item of this organization',
    ]);
  }
}
