import type { StockEvent } from '@pourcast/protocol';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import type { CredentialStore } from '../hub-client/credentials.ts';
import { insertEvent, toStockEvent, type StockEventDraft, type StockEventRow } from './ledger.ts';

/**
 * Appends events from sources outside the readings inbox (camera detection, the display) in one
 * transaction, then announces them. The gateway must be claimed: events carry its gatewayId.
 */
export async function recordEvents(
  db: GatewayDb,
  bus: GatewayBus,
  credentials: CredentialStore,
  drafts: readonly StockEventDraft[],
): Promise<StockEvent[]> {
  const identity = credentials.current;
  if (!identity) throw new Error('gateway not claimed yet: events need its gatewayId');
  if (drafts.length === 0) return [];
  const now = Date.now();
  const [first, ...rest] = drafts.map((draft) => insertEvent(db, identity, draft, now));
  const results = (await db.batch([first!, ...rest])) as StockEventRow[][];
  const events = results.map((rows) => toStockEvent(rows[0]!));
  for (const event of events) bus.emit('stock-event', event);
  return events;
}
