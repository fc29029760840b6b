import type { EventBatch, EventBatchAck, StockEvent } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { nowIso, openDb, runBatch } from '../db/client.ts';
import type { GatewayPrincipal } from '../env.ts';
import { AppError } from '../http/app-error.ts';
import { ledgerReason } from '../waste/waste.ts';
import { advanceCursor } from './cursor.ts';

/** One event's `INSERT ... ON CONFLICT DO NOTHING RETURNING seq` (18 bound parameters). */
const insertEvent = (gateway: GatewayPrincipal, event: StockEvent, containerMl: number) =>
  sql`INSERT INTO stock_events (id, organization_id, gateway_id, seq, location_id, item_id, kind,
  delta_ml, containers_delta, container_ml, level_after_ml, source, device_id, user_id, slot, reason, observed_at,
  confidence) VALUES (${event.id}, ${gateway.organizationId}, ${gateway.gatewayId}, ${event.seq}, ${event.locationId},
  ${event.itemId}, ${event.kind}, ${event.deltaMl}, ${event.containersDelta}, ${containerMl}, ${event.levelAfterMl},
  ${event.source}, ${event.deviceId ?? null}, ${event.userId ?? null}, ${event.slot ?? null},
  ${ledgerReason(event.wasteReason, event.note)}, ${new Date(event.observedAt).toISOString()}, ${event.confidence})
  ON CONFLICT DO NOTHING RETURNING seq`;
const SEQ_PAGE = 1000;

/** 422 with a `path: message` line per event that names another location or an unknown item. */
async function containerSizes(d1: D1Database, gateway: GatewayPrincipal, batch: EventBatch) {
  const results = await openDb(d1).all<{ id: string; container_ml: number }>(
    sql`SELECT id, container_ml FROM items WHERE organization_id = ${gateway.organizationId}`,
  );
  const sizes = new Map(results.map((row) => [row.id, row.container_ml]));
  const refused: string[] = [];
  if (batch.gatewayId !== gateway.gatewayId) refused.push("body.gatewayId: differs from the token's gateway");
  batch.events.forEach((event, index) => {
    if (event.locationId !== gateway.locationId) {
      refused.push(`body.events.${index}.locationId: not this gateway's location`);
    }
    if (!sizes.has(event.itemId))
      refused.push(`body.events.${index}.itemId: not an item of this organization`);
  });
  if (refused.length) {
    throw new AppError(422, 'events_refused', 'the batch names records this gateway may not write', refused);
  }
  return sizes;
}

/** Seqs above the cursor that the ledger holds for this gateway, ascending, a page at a time. */
async function* heldSeqs(d1: D1Database, gatewayId: string, after: number) {
  const db = openDb(d1);
  let last = after;
  for (;;) {
    const results = await db.all<{ seq: number }>(
      sql`SELECT seq FROM stock_events WHERE gateway_id = ${gatewayId} AND seq > ${last} ORDER BY seq LIMIT ${SEQ_PAGE}`,
    );
    for (const row of results) yield (last = row.seq);
    if (results.length < SEQ_PAGE) return;
  }
}

/**
 * Moves the cursor with compare-and-set: the gap rows and the new ack are written only if the cursor still
 * holds the value this request read, so two concurrent batches cannot record the same gap twice.
 */
async function moveCursor(d1: D1Database, gatewayId: string, fromSeq: number): Promise<number> {
  const db = openDb(d1);
  await db.run(
    sql`INSERT OR IGNORE INTO gateway_cursors (gateway_id, ack_seq, updated_at) VALUES (${gatewayId}, 0, ${nowIso()})`,
  );
  for (let attempt = 0; attempt < 5; attempt++) {
    const cursor = await db.get<{ ack_seq: number }>(
      sql`SELECT ack_seq FROM gateway_cursors WHERE gateway_id = ${gatewayId}`,
    );
    const before = cursor?.ack_seq ?? 0;
    const seqs: number[] = [];
    for await (const seq of heldSeqs(d1, gatewayId, before)) seqs.push(seq);
    const { ackSeq, gaps } = advanceCursor(before, fromSeq, seqs);
    if (ackSeq === before) return before;
    const now = nowIso();
    const stillAt = sql`EXISTS (SELECT 1 FROM gateway_cursors WHERE gateway_id = ${gatewayId} AND ack_seq = ${before})`;
    const results = await runBatch(d1, [
      ...gaps.map(
        (gap) =>
          sql`INSERT INTO gateway_gaps (gateway_id, from_seq, to_seq, recorded_at)
              SELECT ${gatewayId}, ${gap.fromSeq}, ${gap.toSeq}, ${now} WHERE ${stillAt}`,
      ),
      sql`UPDATE gateway_cursors SET ack_seq = ${ackSeq}, updated_at = ${now} WHERE gateway_id = ${gatewayId} AND ack_seq = ${before}`,
    ]);
    if (results.at(-1)!.meta.changes === 1) return ackSeq;
  }
  throw new AppError(503, 'cursor_busy', 'the gateway cursor kept moving; retry the batch');
}

/**
 * Applies a batch exactly once per (gatewayId, seq): every event is an `INSERT ... ON CONFLICT DO NOTHING`
 * in one D1 batch (a transaction; ≤ 18 bound parameters each, under D1's 100), the stock_levels trigger folds
 * the new ones, then the cursor advances to the highest contiguous seq.
 */
export async function applyEventBatch(
  d1: D1Database,
  gateway: GatewayPrincipal,
  batch: EventBatch,
): Promise<EventBatchAck> {
  const sizes = await containerSizes(d1, gateway, batch);
  const inserted = await runBatch<{ seq: number }>(
    d1,
    batch.events.map((event) => insertEvent(gateway, event, sizes.get(event.itemId)!)),
  );
  const applied = inserted.filter((result) => result.results.length > 0).length;
  const ackSeq = await moveCursor(d1, gateway.gatewayId, batch.fromSeq);
  const gaps = await openDb(d1).all<{ fromSeq: number; toSeq: number }>(
    sql`SELECT from_seq AS fromSeq, to_seq AS toSeq FROM gateway_gaps WHERE gateway_id = ${gateway.gatewayId} ORDER BY id`,
  );
  return { ackSeq, applied, duplicates: batch.events.length - applied, gaps };
}
