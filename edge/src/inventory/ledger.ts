import { count, gt, asc, sql } from 'drizzle-orm';
import { monotonicFactory } from 'ulid';
import type { StockEvent } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import { stockEvents } from '../db/schema.ts';

export type StockEventRow = typeof stockEvents.$inferSelect;

/** What a pipeline knows about an event; the ledger adds seq, id, gatewayId and locationId. */
export type StockEventDraft = Omit<StockEvent, 'gatewayId' | 'seq' | 'id' | 'locationId'>;

export interface LedgerIdentity {
  gatewayId: string;
  locationId: string;
}

const nextUlid = monotonicFactory();

/** The INSERT for one event, to run inside a caller's batch; RETURNING gives back the seq. */
export function insertEvent(
  db: GatewayDb,
  identity: LedgerIdentity,
  draft: StockEventDraft,
  now = Date.now(),
) {
  return db
    .insert(stockEvents)
    .values(toLedgerRow({ id: nextUlid(now), ...identity, ...draft }, now))
    .returning();
}

/** A StockEvent as the ledger's row without its seq (absent optional fields as NULL): toStockEvent's inverse. */
export function toLedgerRow(event: Omit<StockEvent, 'seq'>, now: number) {
  return {
    id: event.id,
    gatewayId: event.gatewayId,
    locationId: event.locationId,
    itemId: event.itemId,
    kind: event.kind,
    deltaMl: event.deltaMl,
    containersDelta: event.containersDelta,
    levelAfterMl: event.levelAfterMl,
    source: event.source,
    deviceId: event.deviceId ?? null,
    userId: event.userId ?? null,
    slot: event.slot ?? null,
    wasteReason: event.wasteReason ?? null,
    note: event.note ?? null,
    observedAt: event.observedAt,
    confidence: event.confidence,
    recordedAt: now,
  };
}

/** A ledger row as the protocol's StockEvent (absent optional fields left out, not null). */
export function toStockEvent(row: StockEventRow): StockEvent {
  return {
    gatewayId: row.gatewayId,
    seq: row.seq,
    id: row.id,
    locationId: row.locationId,
    itemId: row.itemId,
    kind: row.kind,
    deltaMl: row.deltaMl,
    containersDelta: row.containersDelta,
    levelAfterMl: row.levelAfterMl,
    source: row.source,
    ...(row.deviceId !== null ? { deviceId: row.deviceId } : {}),
    ...(row.userId !== null ? { userId: row.userId } : {}),
    ...(row.slot !== null ? { slot: row.slot } : {}),
    ...(row.wasteReason !== null ? { wasteReason: row.wasteReason } : {}),
    ...(row.note !== null ? { note: row.note } : {}),
    observedAt: row.observedAt,
    confidence: row.confidence,
  };
}

export async function listEvents(db: GatewayDb, afterSeq: number, limit: number): Promise<StockEvent[]> {
  const rows = await db
    .select()
    .from(stockEvents)
    .where(gt(stockEvents.seq, afterSeq))
    .orderBy(asc(stockEvents.seq))
    .limit(limit);
  return rows.map(toStockEvent);
}

export async function countEvents(db: GatewayDb): Promise<number> {
  const [row] = await db.select({ n: count() }).from(stockEvents);
  return row?.n ?? 0;
}

/** The highest seq ever handed out, from sqlite_sequence: it survives pruning and restarts. */
export async function lastSeq(db: GatewayDb): Promise<number> {
  const rows = await db.all<{ seq: number }>(
    sql`SELECT seq FROM sqlite_sequence WHERE name = 'stock_events'`,
  );
  return Number(rows[0]?.seq ?? 0);
}
