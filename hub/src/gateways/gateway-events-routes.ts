import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import {
  WASTE_REASONS,
  sentEventsPageSchema,
  sentEventsQuerySchema,
  type SentEventsPage,
  type SentEventsQuery,
  type StockEvent,
  type WasteReason,
} from '@pourcast/protocol';
import { currentGateway } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { GatewayPrincipal, HubEnv } from '../env.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { splitLedgerReason } from '../waste/waste.ts';

interface EventRow {
  id: string;
  seq: number;
  location_id: string;
  item_id: string;
  kind: StockEvent['kind'];
  delta_ml: number;
  containers_delta: number;
  level_after_ml: number | null;
  source: StockEvent['source'];
  device_id: string | null;
  user_id: string | null;
  slot: string | null;
  reason: string | null;
  observed_at: string;
  confidence: number;
}

/**
 * The event's waste reason and note back from the ledger's `reason` column, which the ingest wrote as
 * `reason`, `reason: note` or `unspecified: note` (waste.ts `ledgerReason`).
 */
export function wasteFieldsOf(reason: string | null): Pick<StockEvent, 'wasteReason' | 'note'> {
  if (reason === null) return {};
  const { reason: head, note } = splitLedgerReason(reason);
  if ((WASTE_REASONS as readonly string[]).includes(head))
    return { wasteReason: head as WasteReason, ...(note ? { note } : {}) };
  if (head === 'unspecified' && note) return { note };
  return { note: reason.slice(0, 200) };
}

/**
 * One page of the events this gateway sent, seq above `afterSeq`, in seq order. A gateway restored from a
 * backup takes back what it sent after that backup (edge/src/outbox/rebase.ts). Only the gateway's own events:
 * the token names the gateway, and the route refuses another gateway's id before this runs.
 */
export async function sentEvents(
  d1: D1Database,
  gateway: GatewayPrincipal,
  query: SentEventsQuery,
): Promise<SentEventsPage> {
  const results = await openDb(d1).all<EventRow>(
    sql`SELECT id, seq, location_id, item_id, kind, delta_ml, containers_delta, level_after_ml, source, device_id,
               user_id, slot, reason, observed_at, confidence
          FROM stock_events
         WHERE gateway_id = ${gateway.gatewayId} AND organization_id = ${gateway.organizationId} AND seq > ${query.afterSeq}
         ORDER BY seq
         LIMIT ${query.limit}`,
  );
  const events = results.map((row): StockEvent => ({
    gatewayId: gateway.gatewayId,
    seq: row.seq,
    id: row.id,
    locationId: row.location_id,
    itemId: row.item_id,
    kind: row.kind,
    deltaMl: row.delta_ml,
    containersDelta: row.containers_delta,
    levelAfterMl: row.level_after_ml,
    source: row.source,
    ...(row.device_id !== null ? { deviceId: row.device_id } : {}),
    ...(row.user_id !== null ? { userId: row.user_id } : {}),
    ...(row.slot !== null ? { slot: row.slot } : {}),
    ...wasteFieldsOf(row.reason),
    observedAt: row.observed_at,
    confidence: row.confidence,
  }));
  return {
    events,
    nextAfterSeq: events.length === query.limit ? events.at(-1)!.seq : null,
  };
}

export const gatewayEventsRoutes = new Hono<HubEnv>().get(
  '/gateways/:id/events',
  route({
    method: 'get',
    path: '/gateways/:id/events',
    tag: 'ingest',
    summary:
      'The events this gateway sent with a seq above afterSeq, in seq order, a page at a time (gateway token, own id only); a gateway restored from a backup takes back what it sent after the backup',
    access: { kind: 'gateway' },
    query: sentEventsQuerySchema,
    response: sentEventsPageSchema,
  }),
  valid('query', sentEventsQuerySchema),
  async (c) => c.json(await sentEvents(c.env.DB, currentGateway(c), c.req.valid('query')), 200),
);
