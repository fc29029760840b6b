import { inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { StockEvent } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import { pipelineCursor, readings, scaleSlots, unknownBarcodes } from '../db/schema.ts';
import { insertEvent, toStockEvent, type LedgerIdentity, type StockEventRow } from '../inventory/ledger.ts';
import type { PipelineWork } from './pipeline-work.ts';

/**
 * Writes one pass in ONE transaction: the events, the scale slot states, the per-device cursors, the
 * unknown barcodes, and the deletion of the processed readings from the inbox. A crash before the commit
 * leaves the inbox as it was (the pass is replayed); after it, nothing is left to replay. No duplicates,
 * no losses.
 */
export async function commitWork(
  db: GatewayDb,
  identity: LedgerIdentity,
  work: PipelineWork,
  now = Date.now(),
): Promise<StockEvent[]> {
  const statements: BatchItem<'sqlite'>[] = [];
  const eventCount = work.drafts.length;
  for (const draft of work.drafts) statements.push(insertEvent(db, identity, draft, now));
  for (const update of work.slotUpdates.values()) {
    const row = {
      phase: update.state.phase,
      levelMl: update.state.levelMl,
      itemId: update.state.itemId,
      window: update.state.window,
      observedAt: update.observedAt,
      updatedAt: now,
    };
    statements.push(
      db
        .insert(scaleSlots)
        .values({ deviceId: update.deviceId, platform: update.platform, ...row })
        .onConflictDoUpdate({ target: [scaleSlots.deviceId, scaleSlots.platform], set: row }),
    );
  }
  for (const [deviceId, lastReadingId] of work.cursors) {
    statements.push(
      db
        .insert(pipelineCursor)
        .values({ deviceId, lastReadingId })
        .onConflictDoUpdate({ target: pipelineCursor.deviceId, set: { lastReadingId } }),
    );
  }
  for (const seen of work.unknownBarcodes) {
    statements.push(
      db
        .insert(unknownBarcodes)
        .values({
          barcode: seen.barcode,
          lastDeviceId: seen.deviceId,
          lastMode: seen.mode,
          count: 1,
          firstSeenAt: seen.seenAt,
          lastSeenAt: seen.seenAt,
        })
        .onConflictDoUpdate({
          target: unknownBarcodes.barcode,
          set: {
            count: sql`${unknownBarcodes.count} + 1`,
            lastDeviceId: seen.deviceId,
            lastMode: seen.mode,
            lastSeenAt: seen.seenAt,
          },
        }),
    );
  }
  for (let i = 0; i < work.processedIds.length; i += 500) {
    statements.push(db.delete(readings).where(inArray(readings.id, work.processedIds.slice(i, i + 500))));
  }
  if (statements.length === 0) return [];
  const [first, ...rest] = statements;
  const results = await db.batch([first!, ...rest]);
  return (results.slice(0, eventCount) as StockEventRow[][]).map((rows) => toStockEvent(rows[0]!));
}
