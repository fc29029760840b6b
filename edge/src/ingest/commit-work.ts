import { inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { StockEvent } from '@pourcast/protocol';
import { chunks } from '../db/chunks.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { pipelineCursor, readings, scaleSlots, unknownBarcodes } from '../db/schema.ts';
import { insertEvent, toStockEvent, type LedgerIdentity, type StockEventRow } from '../inventory/ledger.ts';
import type { PipelineWork } from './pipeline-work.ts';

/** Rows per statement: 8 columns × 1000 stays well under SQLite's 32,766 bound variables. */
const ROWS_PER_STATEMENT = 1000;

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
  const { statements, events } = workStatements(db, identity, work, now);
  if (statements.length === 0) return [];
  const [first, ...rest] = statements;
  return events(await db.batch([first!, ...rest]));
}

export interface WorkStatements {
  /** The pass's writes, to run in one transaction (alone, or after the inbox's insert of the readings). */
  statements: BatchItem<'sqlite'>[];
  /** The ledger rows written, from the results of exactly `statements`. */
  events(results: readonly unknown[]): StockEvent[];
}

/** The statements of one pass, not yet run. */
export function workStatements(
  db: GatewayDb,
  identity: LedgerIdentity,
  work: PipelineWork,
  now = Date.now(),
): WorkStatements {
  const statements: BatchItem<'sqlite'>[] = [];
  const eventCount = work.drafts.length;
  for (const draft of work.drafts) statements.push(insertEvent(db, identity, draft, now));
  // One multi-row upsert per table, not one statement per slot or device: a pass over 100 scales wrote
  // ~200 single-row upserts, each prepared and run on the event loop the broker answers PUBACKs from.
  const slotRows = [...work.slotUpdates.values()].map((update) => ({
    deviceId: update.deviceId,
    platform: update.platform,
    phase: update.state.phase,
    levelMl: update.state.levelMl,
    itemId: update.state.itemId,
    window: update.state.window,
    observedAt: update.observedAt,
    updatedAt: now,
  }));
  for (const rows of chunks(slotRows, ROWS_PER_STATEMENT)) {
    statements.push(
      db
        .insert(scaleSlots)
        .values(rows)
        .onConflictDoUpdate({
          target: [scaleSlots.deviceId, scaleSlots.platform],
          set: {
            phase: sql`excluded.phase`,
            levelMl: sql`excluded.level_ml`,
            itemId: sql`excluded.item_id`,
            window: sql`excluded.window`,
            observedAt: sql`excluded.observed_at`,
            updatedAt: sql`excluded.updated_at`,
          },
        }),
    );
  }
  const cursorRows = [...work.cursors].map(([deviceId, lastReadingId]) => ({ deviceId, lastReadingId }));
  for (const rows of chunks(cursorRows, ROWS_PER_STATEMENT)) {
    statements.push(
      db
        .insert(pipelineCursor)
        .values(rows)
        .onConflictDoUpdate({
          target: pipelineCursor.deviceId,
          set: { lastReadingId: sql`excluded.last_reading_id` },
        }),
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
  for (const ids of chunks(work.processedIds, ROWS_PER_STATEMENT))
    statements.push(db.delete(readings).where(inArray(readings.id, ids)));
  return {
    statements,
    events: (results) =>
      (results.slice(0, eventCount) as StockEventRow[][]).map((rows) => toStockEvent(rows[0]!)),
  };
}
