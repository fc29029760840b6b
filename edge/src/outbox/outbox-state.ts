import { and, count, eq, gt, lt, lte } from 'drizzle-orm';
import type { GatewayDb } from '../db/open-db.ts';
import { outboxState, stockEvents } from '../db/schema.ts';

export interface OutboxSnapshot {
  ackSeq: number;
  lastAckAt: number | null;
  lastError: string | null;
}

export async function readOutboxState(db: GatewayDb): Promise<OutboxSnapshot> {
  const [row] = await db.select().from(outboxState).where(eq(outboxState.id, 1));
  return { ackSeq: row?.ackSeq ?? 0, lastAckAt: row?.lastAckAt ?? null, lastError: row?.lastError ?? null };
}

export async function writeOutboxState(db: GatewayDb, state: OutboxSnapshot): Promise<void> {
  await db
    .insert(outboxState)
    .values({ id: 1, ...state })
    .onConflictDoUpdate({ target: outboxState.id, set: state });
}

export async function countPending(db: GatewayDb, ackSeq: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(stockEvents).where(gt(stockEvents.seq, ackSeq));
  return row?.n ?? 0;
}

/**
 * Deletes acknowledged events older than the retention. Never an unacknowledged one: the condition
 * `seq <= ackSeq` is part of the statement itself.
 */
export async function pruneAcknowledged(db: GatewayDb, ackSeq: number, olderThan: number): Promise<number> {
  const deleted = await db
    .delete(stockEvents)
    .where(and(lte(stockEvents.seq, ackSeq), lt(stockEvents.recordedAt, olderThan)))
    .returning({ seq: stockEvents.seq });
  return deleted.length;
}
